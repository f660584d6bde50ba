"""Language identification at ingest (invented paragraphs): detected, stated, unknown."""

from __future__ import annotations

import pytest

from rashomon.ingest.files import article_from_record
from rashomon.ingest.lang import english_like, identify, stated_code

PARAGRAPHS = {
    "en": "The ferry company said on Monday that the night crossing to Tarnholm would stop for two weeks "
          "while engineers replace a damaged ramp at the northern pier.",
    "ru": "Паромная компания сообщила в понедельник, что ночной рейс на Тарнхольм будет отменён на две недели, "
          "пока инженеры заменяют повреждённый трап на северном причале.",
    "de": "Die Fährgesellschaft teilte am Montag mit, dass die Nachtfahrt nach Tarnholm für zwei Wochen ausfällt, "
          "während Ingenieure eine beschädigte Rampe am Nordpier ersetzen.",
    "fr": "La compagnie de ferry a annoncé lundi que la traversée de nuit vers Tarnholm serait suspendue pendant "
          "deux semaines, le temps que des ingénieurs remplacent une rampe endommagée au quai nord.",
    "es": "La naviera anunció el lunes que la travesía nocturna a Tarnholm se suspenderá durante dos semanas "
          "mientras los ingenieros sustituyen una rampa dañada en el muelle norte.",
}


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_short_paragraphs_are_identified(code):
    guess = identify(None, PARAGRAPHS[code])
    assert (guess.code, guess.basis) == (code, "detected")
    assert guess.confidence is not None and guess.confidence >= 0.9


def test_three_words_stay_unknown():
    assert identify(None, "Ferry stops tonight") == identify(None, "Паром не ходит") == identify(None, "Fähre fällt aus")
    assert identify(None, "Ferry stops tonight").code is None
    assert english_like(None) and english_like("en") and not english_like("ru")


def test_a_language_outside_the_supported_set_stays_unknown():
    swedish = ("Färjebolaget meddelade på måndagen att nattöverfarten till Tarnholm ställs in i två veckor "
               "medan ingenjörer byter ut en skadad ramp vid den norra piren.")
    assert identify(None, swedish).code is None


def test_stated_language_is_kept_unless_the_words_clearly_disagree():
    assert identify(None, PARAGRAPHS["de"], "de-DE").basis == "stated"
    assert identify(None, "Fähre fällt aus", "de").code == "de"  # too short to tell: the input is believed
    overruled = identify(None, PARAGRAPHS["ru"], "en")
    assert (overruled.code, overruled.basis) == ("ru", "detected; input said en")
    assert stated_code("pt_BR") == "pt" and stated_code("english") is None and stated_code(7) is None


def test_ingest_records_the_language_and_its_basis():
    article = article_from_record({"text": PARAGRAPHS["fr"], "title": "Traversée de nuit suspendue"}, source="x")
    assert (article.language, article.language_basis) == ("fr", "detected")
    stated = article_from_record({"text": PARAGRAPHS["es"], "language": "es"}, source="y")
    assert (stated.language, stated.language_basis) == ("es", "stated")
    short = article_from_record({"text": "Ferry stops tonight."}, source="z")
    assert (short.language, short.language_basis) == (None, None)  # unknown stays unknown, never "en"


@pytest.mark.parametrize("code, dateline, body", [
    ("ru", "ВЕЛЬМОРА, 12 марта 2031 (Северное агентство) —", PARAGRAPHS["ru"]),
    ("de", "Tarnholm, 12. März 2031 (nda) -", PARAGRAPHS["de"]),
    ("fr", "Publié le 12 mars 2031 à 10h32", PARAGRAPHS["fr"]),
    ("es", "Actualizado el 12 de marzo de 2031", PARAGRAPHS["es"]),
])
def test_dates_and_credits_stated_in_other_languages(code, dateline, body):
    text = f"{dateline} {body}" if dateline.endswith(("—", "-")) else f"{dateline}\n\n{body}"
    article = article_from_record({"text": text}, source="x")
    assert article.language == code
    assert (article.published, article.published_basis) == ("2031-03-12", "stated")
    assert code in article.published_note
    if "(" in dateline:
        assert article.origin == dateline[dateline.index("(") + 1:dateline.index(")")]
        assert not article.text.startswith(dateline[:5])  # the dateline left the body


def test_a_weekday_alone_is_no_stated_date():
    article = article_from_record({"text": PARAGRAPHS["de"]}, source="x")  # "am Montag": no day, month and year
    assert (article.published, article.published_basis) == (None, "unknown")

"""Quotes in other languages (analyze/quotes_ml.py): invented sentences only."""

from __future__ import annotations

import pytest

from rashomon.analyze.quotes_ml import extract_quotes_ml, languages, latin_name, name_key
from rashomon.model import Article


def quotes(text: str, language: str):
    article = Article(id=f"t-{language}", source="t", text=text, language=language)
    found = extract_quotes_ml(article)
    for q in found.quotes:  # every span points into the text
        assert text[q.span.start:q.span.end] == q.span.text
        if q.speaker_span is not None:
            assert text[q.speaker_span.start:q.speaker_span.end] == q.speaker_span.text
    for m in found.mentions:
        assert text[m.span.start:m.span.end] == m.span.text
    return found


def test_the_lexicons_cover_russian_german_french_spanish():
    assert {"ru", "de", "fr", "es"} <= set(languages())


def test_russian_guillemets_with_zayavil_and_a_name():
    text = ("Советник Геннадий Мирошников выступил после встречи.\n"
            "«Стороны договорились продолжить консультации в ближайшие дни», — заявил Мирошников журналистам.")
    found = quotes(text, "ru")
    [q] = found.quotes
    assert q.span.text == "Стороны договорились продолжить консультации в ближайшие дни"
    assert q.cue == "заявил" and q.kind == "direct"
    assert q.speaker_name == "Геннадий Мирошников"  # the lone surname meets the full name
    assert q.speaker_span.text == "Мирошников" and q.speaker_kind == "person"
    assert latin_name(q.speaker_name) == "Gennadiy Miroshnikov"
    assert name_key("Мирошников", "ru") == name_key("Miroshnikov", "en")
    assert [m.name for m in found.mentions] == ["Геннадий Мирошников"]


def test_transliteration_keys_meet_across_scripts_and_spellings():
    assert name_key("Ушаков", "ru") == name_key("Ushakov", "en") == name_key("Uschakow", "de") == name_key("Ouchakov", "fr")
    assert name_key("Ушакова", "ru") == name_key("Ushakov", "en")  # an inflected form keeps the key
    assert name_key("Петров", "ru") != name_key("Ushakov", "en")  # a different surname does not


def test_german_low_high_quotes_with_sagte_and_so():
    text = ("Die Bürgermeisterin Ilse Kranich sprach am Morgen.\n"
            "„Der Hafen bleibt bis Freitag geschlossen“, sagte Kranich.\n"
            "„Wir prüfen jeden Schaden einzeln“, so Kranich.")
    found = quotes(text, "de")
    assert [q.cue for q in found.quotes] == ["sagte", "so"]
    assert [q.speaker_name for q in found.quotes] == ["Ilse Kranich", "Ilse Kranich"]


def test_french_guillemets_with_a_declare_and_a_relay():
    text = "« Le tunnel rouvrira avant l'été », a déclaré le ministre Paul Ferrand, cité par l'AFP."
    [q] = quotes(text, "fr").quotes
    assert q.span.text == "Le tunnel rouvrira avant l'été"
    assert q.cue == "déclaré" and q.speaker_name == "Paul Ferrand" and q.relays == ("AFP",)


def test_spanish_afirmo_and_a_title_without_a_name_is_a_description():
    text = ("«Las obras terminarán en octubre», afirmó la alcaldesa Rosa Llorente.\n"
            "Más tarde, la portavoz dijo que «no habrá cortes de agua este verano».")
    first, second = quotes(text, "es").quotes
    assert first.cue == "afirmó" and first.speaker_name == "Rosa Llorente"
    assert second.speaker_name is None and second.speaker_kind == "description"
    assert second.speaker_span.text == "portavoz"


def test_russian_dash_speech_and_a_pronoun_take_the_person_named_before():
    text = ("Глава управления Ирина Соболева рассказала о планах.\n"
            "— Новый мост построят за два года, — сказала она.")
    [q] = quotes(text, "ru").quotes
    assert q.span.text == "Новый мост построят за два года"
    assert q.speaker_name == "Ирина Соболева" and q.speaker_span.text == "она"


def test_no_cue_no_quote_and_short_scare_quotes_are_not_speech():
    ru = "Компания «Северный путь» открыла новый офис. «Это был долгий и трудный год для всех нас»."
    assert quotes(ru, "ru").quotes == ()  # a name in quotes; a quotation nobody is said to speak
    de = "Der Plan „Neustart“ wurde am Montag vorgestellt."
    assert quotes(de, "de").quotes == ()


def test_an_acronym_and_a_genitive_place_name_are_not_part_of_the_name():
    text = ("Министр транспорта Эставии Алексей Варга назвал переговоры «долгими, но конструктивными».\n"
            "«Из района вывезли двести семей», — сказал глава МЧС Олег Сорокин.")
    first, second = quotes(text, "ru").quotes
    assert first.speaker_name == "Алексей Варга"
    assert second.speaker_name == "Олег Сорокин"


@pytest.mark.parametrize("language", ["it", None, "en"])
def test_no_lexicon_no_quotes(language):
    assert extract_quotes_ml(Article(id="x", source="x", text="«Uno due tre quattro», ha detto Rossi.",
                                     language=language)).quotes == ()

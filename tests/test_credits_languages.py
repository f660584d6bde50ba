"""Agency credits in other languages and scripts (ingest/credits.py, ingest/patterns.py; issue 21).

Invented reports; the agencies are real wire names, the text around them is not any article."""

from __future__ import annotations

import pytest

from rashomon.ingest.clean import clean_text

LEDE_RU = "Министр заявил, что паром Лунмарк снова пойдёт с понедельника."
END_RU = "Билеты будут бесплатными первую неделю."


@pytest.mark.parametrize("raw, agency, stated", [
    (f"Паром снова пойдёт\n\n{LEDE_RU}\n\n{END_RU} — РИА Новости.", "РИА Новости", "— РИА Новости."),
    (f"Паром снова пойдёт\n\n{LEDE_RU}\n\n{END_RU}\n\n— РИА Новости", "РИА Новости", "— РИА Новости"),
    (f"Паром снова пойдёт\n\nЛУНМАРК, 3 мая. /ТАСС/. {LEDE_RU}\n\n{END_RU}", "ТАСС", "ЛУНМАРК, 3 мая. /ТАСС/."),
    (f"Паром снова пойдёт\n\nЛУНМАРК /ТАСС/ - {LEDE_RU}\n\n{END_RU}", "ТАСС", "ЛУНМАРК /ТАСС/ -"),
    (f"Паром снова пойдёт\n\nЛУНМАРК, 3 мая (ТАСС) — {LEDE_RU}\n\n{END_RU}", "ТАСС", "ЛУНМАРК, 3 мая (ТАСС) —"),
    ("Le ferry reprend\n\nLUNMARK (AFP) - Le ministre a déclaré que le ferry reprendrait lundi.\n\nLes billets seront gratuits.",
     "AFP", "LUNMARK (AFP) -"),
    ("El ferry vuelve\n\nLunmark, 3 may (EFE).- El ministro dijo que el ferry volverá el lunes.\n\nLos billetes serán gratis.",
     "EFE", "Lunmark, 3 may (EFE).-"),
    ("Die Fähre fährt wieder\n\nLunmark (dpa) - Der Minister sagte, die Fähre fahre ab Montag wieder.\n\nDie Tickets seien frei.",
     "dpa", "Lunmark (dpa) -"),
    ("Il traghetto riparte\n\nLUNMARK, 3 MAG (ANSA) - Il ministro ha detto che il traghetto ripartirà lunedì.\n\nI biglietti saranno gratuiti.",
     "ANSA", "LUNMARK, 3 MAG (ANSA) -"),
    ("Il traghetto riparte\n\n(ANSA) - Il ministro ha detto che il traghetto ripartirà lunedì.\n\nI biglietti saranno gratuiti.",
     "ANSA", "(ANSA) -"),
])
def test_agency_credit_forms(raw, agency, stated):
    c = clean_text(raw)
    assert c.origin == agency
    assert c.outlet == agency  # no other outlet named: the agency is the publisher too
    assert stated in [r.text for r in c.removed]
    assert agency not in c.text  # the credit left the text; the report stayed
    assert c.text.strip()


def test_an_agency_slot_takes_any_name_between_markers():
    # between markers no list is needed: an agency the list does not hold is still read
    c = clean_text(f"Паром снова пойдёт\n\nЛУНМАРК, 3 мая. /НОРПРЕСС/. {LEDE_RU}\n\n{END_RU}")
    assert c.origin == "НОРПРЕСС"


def test_a_dash_and_a_name_ending_prose_is_not_a_credit():
    # the end of a paragraph is ambiguous: only a known agency there is a credit
    for tail in ("It was closed after the floods — Lunmark Council.",
                 "Tickets will be free. — Lunmark Council.",
                 "Tickets will be free — for now.",
                 f"{END_RU} — сообщил Иван Петров."):
        c = clean_text(f"Ferry to run again\n\nThe minister said the ferry would run again on Monday.\n\n{tail}")
        assert c.origin is None and c.outlet is None, tail
        assert c.text.endswith(tail), tail


def test_a_slash_inside_a_sentence_is_not_a_dateline():
    c = clean_text("Ferry to run again\n\nThe ferry/bus link and/or the pier will open on Monday, the minister said.\n\nTickets will be free.")
    assert c.origin is None
    assert c.text.startswith("The ferry/bus link")

"""A workshop's PDF speaks the workshop's engagement language: a German workshop's report holds no English sentence
but the room's own words (roles as typed, the agreed note, the client's name), and an English workshop's stays
English. The same room is stored twice, once per language, and both PDFs are compared line by line as
tests/test_golden_reports.py does. Each PDF is made once for the module and its text extracted once."""

from __future__ import annotations

import json

import pytest

import i18n
from questionnaires.translation import find_in_language
from reports.workers import render_workshop_pdf
from scoring.workshop import DEFAULT_ROLES, Role
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.pdf_text import page_count
from tests.test_golden_reports import left_in_english, lines_of, text_of, words

QUICK = "quick-check"
NOTE = "Agreed after a long talk about the finance team's list"
# Each person: their role (an index into the default roles) and their answer to the first question, which the room
# disputes; everyone answers every question, so two executives and three practitioners finish and their gap is read.
ROOM = [(0, 4), (0, 3), (2, 0), (2, 1), (1, 2), (3, 0)]


def roles(language: str) -> tuple[Role, ...]:
    """The default roles as the new-workshop page offers them in `language` (a workshop keeps them as typed)."""
    with i18n.use(language):
        return tuple(Role(i18n._(role.name), role.group) for role in DEFAULT_ROLES)


def workshop_pdf(language: str) -> bytes:
    """The PDF of a quick-check workshop in `language`: a disputed first question, a consensus with a note on the
    second, a "don't know" on the third, everyone's answers to the rest."""
    engine = get_engine()
    questionnaire = find_in_language(QUICK)
    workshop = ws.create_workshop(engine, "Example Corp", QUICK, questionnaire.version, roles=roles(language),
                                  language=language)
    scale = [q for q in questionnaire.questions if q.type == "scale"]
    for number, (role, first) in enumerate(ROOM):
        person = ws.join_workshop(engine, workshop, roles(language)[role].name, language="en")
        answers = {q.id: repo.Answer(questionnaire.options_for(q)[(number + position) % 2].value)
                   for position, q in enumerate(questionnaire.questions) if q.type != "scale"}
        answers |= {q.id: repo.Answer(4 - role if role < 2 else (number + position) % 3)  # executives see it rosier
                    for position, q in enumerate(scale)}
        answers[scale[0].id] = repo.Answer(first)
        answers[scale[2].id] = repo.Answer("dont_know") if number == 0 else answers[scale[2].id]
        repo.save_answers(engine, person.id, answers)
    ws.save_consensus(engine, workshop.id, scale[1].id, 2, NOTE)
    return render_workshop_pdf(workshop.id)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, bytes]:
    """The same room's PDF in English and in German, made once for the module on an empty SQLite folder that
    offers the shipped questionnaires and their translations."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PHASEGATE_QUESTIONNAIRES", raising=False)
        patch.setenv("PHASEGATE_DATA_DIR", str(tmp_path_factory.mktemp("workshop-pdf") / "data"))
        patch.delenv("DATABASE_URL", raising=False)
        try:
            yield {language: workshop_pdf(language) for language in ("en", "de")}
        finally:
            dispose_all()


def test_a_german_workshops_pdf_holds_no_english_sentence(reports):
    english, german = lines_of(reports["en"]), text_of(reports["de"])
    assert "Workshop" in german and "Wahrnehmungslücken nach Rolle" in german and "Strittige Themen" in german
    assert left_in_english(english, german, [words(NOTE), "Example Corp"]) == []


def test_a_german_workshops_pdf_says_its_room_in_german(reports):
    text = words(text_of(reports["de"]))
    assert "Teilnehmende" in text and "in der Runde entschieden" in text
    assert "WIE DAS ERGEBNIS DES WORKSHOPS ENTSTEHT" in text and "Die Antworten jeder teilnehmenden Person" in text
    assert "Führungskräfte bewerten" in text and "Phasen höher als Fachkräfte" in text  # the gap, called out
    assert "Geschäftsleitung" in text  # the role as the German page offered it
    assert words(NOTE) in text  # the room's note as written


def test_an_english_workshops_pdf_stays_english(reports):
    text = words(text_of(reports["en"]))
    assert "Perception gaps by role" in text and "Disagreement topics" in text and "decided in the room" in text
    assert "Each participant's answers are scored on their own." in text
    assert not {"Wahrnehmungslücken", "Teilnehmende", "Handlungsfeld"} & set(text.split())


def test_the_german_pdf_keeps_to_the_english_page_count_plus_one(reports):
    counts = {language: page_count(data) for language, data in reports.items()}
    assert counts["de"] <= counts["en"] + 1, counts


@pytest.mark.parametrize("language, labels, expected", [
    ("de", ["Daten", "Wirtschaftlichkeit"], {"Wirtschaftlichkeit": ["Wirtschaft-", "lichkeit"]}),
    ("en", ["Data", "Governance", "Economics"], {}),
    ("en", ["Data", "Very Long Domain Name"], {"Very Long Domain Name": ["Very Long", "Domain Name"]}),
])
def test_a_heading_too_wide_for_its_heatmap_column_takes_two_lines_and_the_others_stand_beneath(language, labels,
                                                                                                 expected):
    from reports.workshop_charts import GAP_COLUMN, two_line_labels

    with i18n.use(language):
        axis = two_line_labels(labels, GAP_COLUMN, 11)
    for label, lines in expected.items():
        assert f'datum.label == "{label}" ? {json.dumps(lines)}' in axis["labelExpr"]
    assert axis.get("labelExpr", "").endswith('["", datum.label]') == bool(expected)

"""The narrative in German: findings, risks, the first steps' why and the pilot verdicts come from the scoring
catalogue, with German plurals; English stays as it was; every message of scoring/ has its German."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import i18n
from questionnaires.translation import find_in_language
from scoring.answers import questionnaire_id_of, questionnaire_version_of, read_answers
from scoring.engine import score_response
from scoring.narrative import FIRST_STEPS, narrate, pilot_brief

ROOT = Path(__file__).parent.parent
SOURCES = ["scoring/narrative.py", "scoring/pilots.py", "scoring/steps.py", "scoring/headline.py", "scoring/words.py",
           "scoring/results.py"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


def _story(example: str, language: str) -> list[str]:
    path = ROOT / "examples" / example
    questionnaire = find_in_language(questionnaire_id_of(path), questionnaire_version_of(path), language)
    response = read_answers(path, questionnaire)
    with i18n.use(language):
        result = score_response(questionnaire, response)
        story = narrate(questionnaire, result)
        texts = [*story.findings, *story.risks, *(s.why for s in result.actions[:FIRST_STEPS])]
        if result.pilots is not None:
            brief = pilot_brief(result.pilots, result.actions)
            texts += [brief.summary, brief.stuck, brief.stop, brief.gate, brief.merge]
            texts += [item.reason for item in result.pilots.items]
    return [text for text in texts if text]


@pytest.mark.parametrize("example", ["golden-bank.yaml", "golden-startup.yaml"])
def test_the_narrative_of_a_golden_organisation_reads_in_german(example):
    english, german = _story(example, "en"), _story(example, "de")
    assert len(german) == len(english)
    joined = " ".join(german)
    assert any(word in joined for word in (" hält die Organisation in Phase ", "Schritt ", " Praxis "))
    for sentence in english:
        assert sentence not in german, sentence


@pytest.mark.parametrize("count, expected", [
    (1, "Eine kritische Praxis ist nicht vorhanden: „A“."),
    (3, "Drei kritische Praktiken sind nicht vorhanden: „A“."),
])
def test_german_counts_take_their_plural(count, expected):
    from i18n import ngettext
    from scoring.headline import number
    with i18n.use("de"):
        text = ngettext("{count} critical practice is not in place: {names}.",
                        "{count} critical practices are not in place: {names}.", count)
        assert text.format(count=number(count).capitalize(), names="„A“") == expected


@pytest.mark.parametrize("months, expected", [(1, "1 Monat"), (7, "7 Monate")])
def test_pilot_ages_take_the_german_plural(months, expected):
    from scoring.pilots import _months
    with i18n.use("de"):
        assert _months(months) == expected


def test_lists_of_names_join_with_und_in_german():
    from scoring.words import listed
    with i18n.use("de"):
        assert listed(["Daten", "MLOps", "Governance"]) == "Daten, MLOps und Governance"
    assert listed(["Data", "MLOps", "Governance"]) == "Data, MLOps and Governance"


def test_every_scoring_message_has_its_german():
    with open(ROOT / "locales/de/LC_MESSAGES/scoring.po", "rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for source in SOURCES:
        for _line, message, _comments, context in extract_from_file("python", ROOT / source, keywords=KEYWORDS):
            entry = catalogue.get(message if isinstance(message, str) else message[0], context=context)
            strings = [] if entry is None else [entry.string] if isinstance(entry.string, str) else list(entry.string)
            if not strings or not all(strings):
                missing.append((source, message))
    assert not missing

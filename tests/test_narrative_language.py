"""The narrative in German: findings, risks, the first steps' why and the pilot verdicts come from the scoring
catalogue, with German plurals; English stays as it was; every message of scoring/ has its German."""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import i18n
from questionnaires.translation import find_in_language
from scoring.answers import Response, questionnaire_id_of, questionnaire_version_of, read_answers
from scoring.engine import confidence_warning, score_response
from scoring.headline import bar_words
from scoring.narrative import FIRST_STEPS, narrate, pilot_brief

ROOT = Path(__file__).parent.parent
SOURCES = ["scoring/narrative.py", "scoring/pilots.py", "scoring/steps.py", "scoring/headline.py", "scoring/words.py",
           "scoring/results.py", "scoring/engine.py", "scoring/compare.py", "scoring/progress.py", "scoring/workshop.py",
           "scoring/register.py", "scoring/benchmark.py", "questionnaires/models.py", "scoring/answers.py"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


def _scored(example: str, language: str):
    path = ROOT / "examples" / example
    questionnaire = find_in_language(questionnaire_id_of(path), questionnaire_version_of(path), language)
    with i18n.use(language):
        return questionnaire, score_response(questionnaire, read_answers(path, questionnaire))


def _story(example: str, language: str) -> list[str]:
    questionnaire, result = _scored(example, language)
    with i18n.use(language):
        story = narrate(questionnaire, result)
        texts = [result.overall.summary, result.overall.profile, *result.warnings,
                 *(bar_words(d) for d in result.domains), *story.findings, *story.risks,
                 *(s.why for s in result.actions[:FIRST_STEPS])]
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
    assert not english_words_in(joined)


def _english_words() -> set[str]:
    """The fixed words of every English message of scoring/, between its placeholders, as runs of three words that
    hold at least one English function word: no German sentence has a reason to contain one, and half a sentence left
    in English shows one."""
    runs = set()
    for source in SOURCES:
        for _line, message, _comments, _context in extract_from_file("python", ROOT / source, keywords=KEYWORDS):
            for text in [message] if isinstance(message, str) else message:
                for run in re.split(r"\{[^}]*\}|[“”„:;,.()—–/]", text):
                    words = run.lower().split()
                    runs.update(" ".join(words[i:i + 3]) for i in range(len(words) - 2)
                                if ENGLISH.intersection(words[i:i + 3]))
    return runs


ENGLISH = {"the", "of", "is", "are", "has", "have", "and", "at", "from", "by", "with", "its", "to", "no", "in", "yet",
           "phase", "phases", "one", "each", "on", "not", "before", "for", "a", "an", "as", "be", "or", "it", "this"}


def english_words_in(text: str) -> list[str]:
    """The English messages' fixed word runs found in a text (none in a German one)."""
    words = " ".join(re.split(r"[“”„:;,.()—–/\s]+", text.lower()))
    return sorted(run for run in _english_words() if f" {run} " in f" {words} ")


def test_a_half_english_sentence_is_caught():
    german_start = "Vier von fünf Handlungsfeldern arbeiten in Phase 3; "
    assert english_words_in(german_start + "Governance holds the organisation at phase 2")
    assert not english_words_in(german_start + "Governance hält die Organisation in Phase 2")


@pytest.mark.parametrize("example, summary, profile", [
    ("golden-bank.yaml",
     "Phase 2 — Fundament legen (Phase 1 erreicht, Index 2,3 / 4), gebremst durch Governance",
     "Vier von fünf Handlungsfeldern arbeiten in Phase 3; Governance hält die Organisation in Phase 2"),
    ("golden-startup.yaml",
     "Phase 1 — Bestandsaufnahme & Ausrichtung (noch keine Phase erreicht, Index 0,8 / 4), gebremst durch Governance, "
     "Organisation und Wirtschaftlichkeit (am weitesten von der Schwelle entfernt: Governance); offen bleibt 1 "
     "kritische Lücke: „Für jedes KI-System die Kategorie nach der KI-Verordnung und die eigene Rolle dokumentieren“",
     "Zwei von fünf Handlungsfeldern arbeiten in Phase 2; Governance, Organisation und Wirtschaftlichkeit halten die "
     "Organisation in Phase 1; 1 kritische Lücke: „Für jedes KI-System die Kategorie nach der KI-Verordnung und die "
     "eigene Rolle dokumentieren“"),
])
def test_the_headline_reads_in_german(example, summary, profile):
    _questionnaire, result = _scored(example, "de")
    assert (result.overall.summary, result.overall.profile) == (summary, profile)


def test_a_warning_reads_in_german():
    questionnaire = find_in_language("ai-maturity", None, "de")
    with i18n.use("de"):
        result = score_response(questionnaire, Response(questionnaire.id, questionnaire.version))
    assert "Noch kein Handlungsfeld hat eine echte Antwort; es gibt daher noch kein Ergebnis." in result.warnings
    assert "Daten ist nicht bewertet: Keine Frage dieses Handlungsfelds hat eine echte Antwort; es geht weder in die " \
           "Gesamtphase noch in den Index ein." in result.warnings
    assert result.overall.summary == "Phase 1 — Bestandsaufnahme & Ausrichtung (noch kein Handlungsfeld bewertet)"
    assert not english_words_in(" ".join(result.warnings))


def test_the_pseudo_language_renders_the_headline_and_warnings():
    path = ROOT / "examples" / "golden-startup.yaml"
    questionnaire = find_in_language(questionnaire_id_of(path), questionnaire_version_of(path))
    with i18n.use(i18n.PSEUDO):
        result = score_response(questionnaire, read_answers(path, questionnaire))
    assert result.overall.summary.startswith("⟦") and "Governance" in result.overall.summary
    assert all(warning.startswith("⟦") for warning in result.warnings)


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


def test_the_horizons_read_in_german():
    from scoring.steps import HORIZONS
    with i18n.use("de"):
        assert list(HORIZONS.values()) == ["Jetzt (0–3 Monate)", "Als Nächstes (3–9 Monate)", "Später (9–18 Monate)"]
    assert HORIZONS["now"] == "Now (0–3 months)"


def test_the_built_in_triage_step_reads_in_german():
    from questionnaires.models import DEFAULT_TRIAGE
    from scoring.steps import triage_action
    english = find_in_language("ai-maturity").model_copy(update={"pilots": None})
    with i18n.use("de"):
        action = triage_action(english)
    assert action.title.startswith("Innerhalb von 60 Tagen für jeden aktiven Piloten")
    assert "Portfolio-Sitzung" in action.detail and action.kpi.endswith("(Ziel: alle innerhalb von 60 Tagen)")
    assert triage_action(english).title == DEFAULT_TRIAGE.title


def test_the_priority_arithmetic_reads_in_german():
    from scoring.steps import explain
    with i18n.use("de"):
        text = explain(2, "Governance", 0.75, 1.0, 1.0, 1, 1, True, 1.2345, impact=3)
    assert text == ("Priorität 1,23 = Lücke 75\u00a0% × Fragengewicht 1 × Gewicht des Handlungsfelds 1 × Phasenfaktor 0,5 (Praxis der "
                    "Phase 2, eine Phase über Phase 1 hinaus, an der Governance derzeit arbeitet) × Wirkungsfaktor 1,2 "
                    "(Wirkung 3); ×1,5, weil Governance die Gesamtphase begrenzt")
    assert not english_words_in(text)


@pytest.mark.parametrize("example", ["golden-bank.yaml", "golden-startup.yaml", "retailer-pilots.yaml"])
def test_the_draft_raci_names_the_same_people_in_german(example):
    from scoring.narrative import raci

    def rows(language):
        questionnaire, result = _scored(example, language)
        with i18n.use(language):
            return [(r.step.question, len(r.consulted), len(r.informed), r.accountable == r.responsible)
                    for r in raci(result, questionnaire=questionnaire)]

    assert rows("de") == rows("en")


def test_the_triage_step_consults_the_pilots_owners_in_german():
    from scoring.narrative import raci
    questionnaire, result = _scored("retailer-pilots.yaml", "de")
    with i18n.use("de"):
        triage = raci(result, questionnaire=questionnaire)[0]
    assert (triage.responsible, triage.accountable, triage.consulted, triage.informed) == (
        "KI-Sponsor im Vorstand", "Vorstandsvorsitzende(r) (CEO)",
        ("Finanzvorstand (CFO)", "Fachverantwortliche der Piloten"),
        ("KI-Lenkungsausschuss", "Leitungen der Geschäftsbereiche"))


def _bank_comparison(language: str):
    from scoring.compare import compare_results
    questionnaire, now = _scored("golden-bank.yaml", language)
    _questionnaire, before = _scored("golden-startup.yaml", language)
    with i18n.use(language):
        return compare_results(questionnaire, before, questionnaire, now, dt.date(2026, 3, 2))


def test_the_progress_since_a_baseline_reads_in_german():
    from scoring.compare import since_text
    from scoring.progress import progress_sentence
    comparison = _bank_comparison("de")
    with i18n.use("de"):
        sentence = progress_sentence(comparison)
        rows = [d.bar_text for d in comparison.domains]
        assert since_text(dt.date(2026, 3, 2)) == "Fortschritt seit dem 2. März 2026"
    assert sentence == ("Seit der Bewertung vom 2. März 2026: Phase 1 → Phase 2; Governance hat Phase 1 erreicht und "
                        "steht jetzt bei 60\u00a0% der Schwelle von Phase 2; 23 Schritte abgeschlossen, 3 neue Lücken.")
    assert rows[3] == "Phasen 1 und 2 erreicht; jetzt 95\u00a0% der Schwelle von Phase 3"
    assert not english_words_in(" ".join([sentence, *rows]))
    english = _bank_comparison("en")
    from scoring.progress import progress_sentence as english_sentence
    assert english_sentence(english).startswith("Since the assessment of 2 March 2026: phase 1 → phase 2; ")


def test_a_workshop_puts_the_rooms_confidence_warning_in_place_of_the_results_in_german():
    from scoring.workshop import _with_room_confidence
    _questionnaire, result = _scored("golden-startup.yaml", "de")
    with i18n.use("de"):
        low = dataclasses.replace(result, overall=dataclasses.replace(result.overall, confidence=0.5),
                                  warnings=(*result.warnings, confidence_warning(0.5)))
        room = _with_room_confidence(low, 0.4, 4, 1)
    confidence = [w for w in room.warnings if w.startswith("Die Belastbarkeit")]
    assert confidence == ["Die Belastbarkeit liegt bei 40\u00a0%: Die Teilnehmenden haben zusammen 40\u00a0% der ihnen "
                          "angezeigten Fragen beantwortet, und 1 von 4 hat abgeschlossen. Lassen Sie die anderen "
                          "abschließen oder klären Sie die offenen Punkte, bevor Sie auf Grundlage des Ergebnisses "
                          "handeln."]


def test_the_pilot_portfolio_figures_read_in_german():
    from scoring.register import portfolio_figures, stage_counts, verdict_label
    _questionnaire, result = _scored("retailer-pilots.yaml", "de")
    with i18n.use("de"):
        figures = portfolio_figures(result.pilots)
        counts = stage_counts(result.pilots)
        verdicts = [verdict_label(v) for v in ("stop", "continue", None)]
    assert [f.label for f in figures][:4] == ["Piloten", "Produktiv gesetzt", "Nicht über die Pilotphase hinaus",
                                              "Festgefahren"]
    assert "festgefahren)" in counts and verdicts == ["Einstellen", "Fortführen", "—"]
    assert not english_words_in(" ".join([*(f"{f.label} {f.against}" for f in figures), counts]))

"""The German reports hold no English sentence: each golden organisation's report (with a benchmark page for the
bank) and the bank's deck, rendered in German, against the same rendered in English. A line of four or more words of
the English PDF found word for word in the German one is English left over, unless the client typed it (the
organisation's name, a pilot's name or note, a question id)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

import i18n
from questionnaires.translation import find_in_language
from reports import render_pdf
from reports.deck import render_deck
from scoring.answers import questionnaire_id_of, questionnaire_version_of, read_answers
from scoring.benchmark import Benchmark, DomainRank
from scoring.engine import score_response
from tests.pdf_text import page_count, pdf_lines, pdf_text
from tests.test_report_language import DAY

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = sorted(path.name for path in (ROOT / "examples").glob("golden-*.yaml"))
# Names that stay as published, whatever the report's language.
KEPT = ("From pilot purgatory to production power: enterprise AI adoption in 2026",)
BOTH = {"phase", "index", "governance", "mlops", "kpi", "workshop", "pilot"}  # words German and English share


def scored(example: str, language: str):
    path = ROOT / "examples" / example
    questionnaire = find_in_language(questionnaire_id_of(path), questionnaire_version_of(path), language)
    with i18n.use(language):
        return questionnaire, score_response(questionnaire, read_answers(path, questionnaire))


def benchmark(result) -> Benchmark:
    """Six comparable banks, each domain in another fifth (the last not assessed by enough of them)."""
    ranks = tuple(DomainRank(d.id, d.name, d.index, place % 5 if place < 4 else None, 6 if place < 4 else 3)
                  for place, d in enumerate(result.domains))
    return Benchmark(6, {"industry": "banking"}, ranks, {"industry": "banking", "size": "large"})


def pdf(example: str, language: str) -> bytes:
    questionnaire, result = scored(example, language)
    bench = benchmark(result) if example == "golden-bank.yaml" else None
    with i18n.use(language):
        return render_pdf(questionnaire, result, generated=DAY, benchmark=bench)


def words(text: str) -> str:
    return " ".join(text.split())


def typed_by_client(example: str) -> list[str]:
    """Every text of the answers file (names, notes) and every question id: kept as the client wrote them."""
    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            texts.extend(str(key) for key in node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            texts.append(node)

    walk(yaml.safe_load((ROOT / "examples" / example).read_text(encoding="utf-8")))
    return [words(text) for text in (*texts, *KEPT)]


def left_in_english(english: list[str], german: str, kept: list[str]) -> list[str]:
    """The English lines of four words or more found word for word in the German text, but for the client's."""
    german = words(german)
    found = []
    for line in map(words, english):
        english_words = [word for word in re.findall(r"[A-Za-z’']+", line) if word.lower() not in BOTH]
        typed = any(line.strip("“”„\"") in text for text in kept)
        if len(line.split()) >= 4 and english_words and line in german and not typed:
            found.append(line)
    return sorted(set(found))


@pytest.fixture(scope="module", params=GOLDEN)
def reports(request) -> tuple[str, bytes, bytes]:
    """One golden organisation's report in English and in German, rendered once for the module."""
    return request.param, pdf(request.param, "en"), pdf(request.param, "de")


def test_a_german_golden_report_holds_no_english_sentence(reports):
    example, english, german = reports
    assert left_in_english(pdf_lines(english), pdf_text(german), typed_by_client(example)) == []


def test_a_german_golden_report_stays_within_the_english_page_count_plus_one(reports):
    _example, english, german = reports
    assert page_count(german) <= page_count(english) + 1


@pytest.mark.parametrize("reports", ["golden-bank.yaml"], indirect=True)  # only the bank is compared with others
def test_the_bank_report_has_its_benchmark_page_in_german(reports):
    _example, _english, german = reports
    text = words(pdf_text(german))
    assert "im vergleich mit ähnlichen organisationen" in text.lower() and "einordnung" in text.lower()
    assert "Vergleichsgruppe: 6 Organisationen der Branche „banking“" in text


def deck_text(data: bytes) -> list[str]:
    """Every paragraph and table cell of the slides."""
    lines = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines += ["".join(run.text for run in p.runs).strip(" ■") for p in shape.text_frame.paragraphs]
            if shape.has_table:
                lines += [cell.text for row in shape.table.rows for cell in row.cells]
    return [line for line in lines if line.strip()]


def test_the_german_deck_holds_no_english_sentence():
    decks = {}
    for language in ("en", "de"):
        questionnaire, result = scored("golden-bank.yaml", language)
        with i18n.use(language):
            decks[language] = deck_text(render_deck(questionnaire, result, generated=DAY, benchmark=benchmark(result)))
    assert any(line.startswith("Entscheiden Sie über die 5 festgefahrenen Piloten") for line in decks["de"])
    assert left_in_english(decks["en"], " ".join(decks["de"]), typed_by_client("golden-bank.yaml")) == []


@pytest.mark.parametrize("english, german, left", [
    (["Index per domain; the dark tick marks the target phase"], "Index je Handlungsfeld; der dunkle Strich", []),
    (["Index per domain; the dark tick marks the target phase"], "Titel Index per domain; the dark tick marks the "
                                                                 "target phase", ["Index per domain; the dark tick "
                                                                                  "marks the target phase"]),
    (["Card fraud triage model"], "Pilot Card fraud triage model", []),
    (["Phase 2 of 4"], "Phase 2 of 4", ["Phase 2 of 4"]),
    (["Harbour Bank"], "Harbour Bank", []),
    (["PHASE 1 PHASE 2 PHASE 3"], "PHASE 1 PHASE 2 PHASE 3", []),
])
def test_an_english_line_left_in_a_german_text_is_found_but_the_clients_words_are_not(english, german, left):
    assert left_in_english(english, german, ["Card fraud triage model"]) == left

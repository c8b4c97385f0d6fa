"""Reports, the deck, the workbooks and the CLI in the assessment's language: German from the catalogue, English as
before. The German and the pseudo-language report within the English page count: tests/test_golden_reports.py, which
renders the bank's English report for its own tests."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from click.testing import CliRunner

import i18n
from cli import main
from questionnaires import find_questionnaire
from questionnaires.translation import find_in_language
from reports import exports, html, render_html
from reports.deck import PHASE_STATES, render_deck, slide_titles
from scoring import read_answers, score_response
from scoring.narrative import SEVERITIES
from scoring.workshop import METHOD

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "examples" / "golden-bank.yaml"
DAY = dt.date(2026, 12, 4)
GERMAN_HEADINGS = ["Zusammenfassung für die Geschäftsleitung", "Handlungsfelder im Überblick",
                   "Priorisierte nächste Schritte", "Risikoregister", "So wird bewertet", "Pilotportfolio"]
ENGLISH_HEADINGS = ["Executive summary", "Domain overview", "Prioritised next steps", "Risk register",
                    "How the scoring works", "Pilot portfolio"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


def scored(language: str | None):
    """The golden bank scored with its questionnaire in `language` (None: English)."""
    questionnaire = find_in_language("ai-maturity", "3.1.0", language) if language else find_questionnaire("ai-maturity", "3.1.0")
    return questionnaire, score_response(questionnaire, read_answers(BANK, questionnaire))


@pytest.fixture(scope="module")
def german_html():
    with i18n.use("de"):
        return render_html(*scored("de"), generated=DAY)


@pytest.fixture(scope="module")
def english_html():
    return render_html(*scored(None), generated=DAY)


def report(args: list[str], tmp_path: Path) -> tuple[int, str]:
    """`phasegate report ... --html` into a fresh file: exit code, and the report (or the error)."""
    out = tmp_path / f"report-{len(list(tmp_path.iterdir()))}.html"
    run = CliRunner().invoke(main, ["report", *args, "--html", "--date", "2026-12-04", "--out", str(out)])
    return run.exit_code, out.read_text(encoding="utf-8") if run.exit_code == 0 else run.output


def with_language(tmp_path: Path, language: str) -> Path:
    """The golden bank's answers file saying `language: ...`."""
    path = tmp_path / f"bank-{language}.yaml"
    text = BANK.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(questionnaire_version: .*)$", rf"\1\nlanguage: {language}", text, count=1),
                    encoding="utf-8")
    return path


# --- German ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("heading", GERMAN_HEADINGS)
def test_the_german_report_has_german_headings(german_html, heading):
    assert heading in german_html


@pytest.mark.parametrize("heading", ENGLISH_HEADINGS[:5])
def test_the_german_report_has_no_english_heading(german_html, heading):
    assert f">{heading}<" not in german_html


def test_the_german_report_asks_the_german_questions_in_german_domains_and_phases(german_html):
    questionnaire, result = scored("de")
    weakest = next(d for d in result.domains if d.id == "governance")
    assert "Fundament legen" in german_html and "Wirtschaftlichkeit" in german_html
    assert any(q.text in german_html for q in questionnaire.questions if q.domain == weakest.id)
    assert result.actions[0].title in german_html


def test_the_german_report_writes_money_dates_and_shares_the_german_way(german_html):
    assert "7.200.000\xa0€" in german_html
    assert "4. Dezember 2026" in german_html
    assert "Belastbarkeit <strong>100\xa0%</strong>" in german_html
    assert 'content: "Seite " counter(page) " von " counter(pages)' in german_html


def test_the_risk_registers_severities_read_in_german(german_html, english_html):
    assert re.findall(r'class="severity">(\w+)<', german_html) and not re.findall(r'class="severity">(High|Medium|Low)<',
                                                                                 german_html)
    assert set(re.findall(r'class="severity">(\w+)<', english_html)) <= set(SEVERITIES)


def test_english_stays_as_it_was_after_a_german_report(english_html, german_html):
    again = render_html(*scored(None), generated=DAY)
    assert again == english_html
    assert "4 December 2026" in english_html and "EUR 7,200,000" in english_html
    assert all(heading in english_html for heading in ENGLISH_HEADINGS)


# --- choosing the language -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, language_line, german", [
    ([], None, False),
    (["--lang", "de"], None, True),
    (["--lang", "de-AT"], None, True),
    ([], "de", True),
    (["--lang", "en"], "de", False),
])
def test_lang_and_the_answers_files_language_choose_the_report_language(tmp_path, args, language_line, german):
    answers = with_language(tmp_path, language_line) if language_line else BANK
    code, text = report([str(answers), *args], tmp_path)
    assert code == 0, text
    assert ("Zusammenfassung für die Geschäftsleitung" in text) is german
    assert ("Executive summary" in text) is not german


def test_an_unknown_lang_is_refused_naming_the_installed_languages(tmp_path):
    code, text = report([str(BANK), "--lang", "fr"], tmp_path)
    assert code == 2
    assert "unknown language 'fr'" in text and "installed: en, de" in text


def test_an_answers_file_naming_an_unknown_language_gets_a_located_error(tmp_path):
    code, text = report([str(with_language(tmp_path, "fr"))], tmp_path)
    assert code == 1
    assert re.search(r"bank-fr\.yaml:\d+ language: unknown language 'fr'; installed: en, de", text), text


def test_score_prints_its_table_in_the_chosen_language():
    run = CliRunner().invoke(main, ["score", str(BANK), "--lang", "de"])
    assert run.exit_code == 0, run.output
    assert "Handlungsfeld" in run.output and "Belastbarkeit 100\xa0%" in run.output and "Wirtschaftlichkeit" in run.output


def test_score_prints_the_pilot_portfolio_in_the_chosen_language():
    run = CliRunner().invoke(main, ["score", str(ROOT / "examples" / "retailer-pilots.yaml"), "--lang", "de"])
    assert run.exit_code == 0, run.output
    block = run.output[run.output.index("Pilotportfolio"):]
    assert "Trichter:" in block and "Empfehlungen: 8 einstellen" in block and "Quelle der Referenz: ein Fachartikel" in block
    for english in ("Funnel", "Conversion", "Verdicts", "Source of the reference", " stop ", "Blocked after", "”"):
        assert english not in block


# --- the pseudo-language -----------------------------------------------------------------------------------------


def test_the_pseudo_language_keeps_named_placeholders():
    assert "%(name)s" in i18n.pseudo("Prepared by %(name)s") and "{name}" in i18n.pseudo("Logo of {name}")


# --- deck and workbooks ------------------------------------------------------------------------------------------


def test_the_deck_speaks_german():
    with i18n.use("de"):
        titles = slide_titles(render_deck(*scored("de"), generated=DAY))
    assert "Wo jedes Handlungsfeld steht" in titles and "Die ersten fünf Schritte" in titles
    assert "Phase 2: Fundament legen" in titles
    assert not {"Where each domain stands", "The first five steps", "Risks to watch"} & set(titles)


def test_workbook_headings_and_sheet_names_are_german_and_the_english_ones_the_column_ids():
    _questionnaire, result = scored(None)
    with i18n.use("de"):
        german = exports.workbook_bytes([(i18n._("Next steps"), exports.STEP_COLUMNS, exports.step_rows(result))])
    english = exports.workbook_bytes([(i18n._("Next steps"), exports.STEP_COLUMNS, exports.step_rows(result))])
    sheet = openpyxl.load_workbook(io.BytesIO(german))["Nächste Schritte"]
    assert [cell.value for cell in sheet[1]][:4] == ["Rang", "Zeithorizont", "Titel", "Details"]
    sheet = openpyxl.load_workbook(io.BytesIO(english))["Next steps"]
    assert tuple(cell.value for cell in sheet[1]) == exports.STEP_COLUMNS


# --- the catalogue is complete -----------------------------------------------------------------------------------


def messages(paths) -> list[tuple[str | None, str | tuple[str, ...], str]]:
    """Every message the files mark for translation: (context, message, where)."""
    found = []
    for path in paths:
        method, options = ("jinja2", {"extensions": "jinja2.ext.i18n"}) if path.suffix == ".j2" else ("python", {})
        for line, message, _comments, context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                   options=options):
            found.append((context, message, f"{path.relative_to(ROOT)}:{line}"))
    return found


def catalogue(name: str):
    with open(ROOT / "locales" / "de" / "LC_MESSAGES" / name, "rb") as handle:
        return read_po(handle)


def shown_constants() -> list[tuple[str | None, str, str]]:
    """Texts kept in tables of the code and translated where they are shown."""
    tables = [html.STATUS_TEXT, html.MATRIX_EFFORTS, html.MATRIX_IMPACTS, html.PHASE_CELL, PHASE_STATES,
              *html.NOTES_WORDS.values()]
    texts = [(None, text, "reports (tables)") for table in tables for text in table.values()]
    texts += [("severity", severity, "risk register (severity)") for severity in SEVERITIES]
    texts.append((None, METHOD, "scoring/workshop.py (METHOD, printed by the workshop PDF)"))
    columns = {*exports.LONG_COLUMNS, *exports.AGGREGATE_COLUMNS, *exports.STEP_COLUMNS, *exports.PILOT_COLUMNS,
               "name", "executives", "practitioners", "gap", "flagged"}
    return texts + [("export column", column, "reports/exports.py (columns)") for column in sorted(columns)]


PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


@pytest.mark.parametrize("catalogue_name, sources", [
    ("reports.po", [*sorted((ROOT / "reports").glob("*.py")), *sorted((ROOT / "reports" / "templates").glob("*.j2"))]),
    ("cli.po", [ROOT / "cli.py"]),
])
def test_every_message_of_the_part_has_german_with_the_same_placeholders(catalogue_name, sources):
    german = catalogue(catalogue_name)
    wanted = messages(sources) + (shown_constants() if catalogue_name == "reports.po" else [])
    missing, placeholders = [], []
    for context, message, where in wanted:
        msgid = message[0] if isinstance(message, tuple) else message
        entry = german.get(msgid, context=context)
        forms = entry.string if entry is not None else None
        forms = forms if isinstance(forms, tuple) else (forms,)
        if entry is None or not all(forms):
            missing.append(f"{where}: {msgid!r}")
            continue
        expected = set(PLACEHOLDER.findall(message[-1] if isinstance(message, tuple) else message))
        if any(set(PLACEHOLDER.findall(form)) - {"%(num)s", "{count}"} != expected - {"%(num)s", "{count}"}
               for form in forms):
            placeholders.append(f"{where}: {msgid!r}")
    assert missing == [], f"{len(missing)} messages without German in {catalogue_name}"
    assert placeholders == []


def test_a_pilots_verdict_reads_as_the_pilot_register_names_it_in_german():
    """The verdicts take their German from the pilot register's (context "verdict"), so "Continue" a verdict and
    "Continue" a button of the app never stand in for each other."""
    with i18n.use("de"):
        words = [html.verdict_text(verdict) for verdict in ("stop", "merge", "fix", "scale", "continue")]
    assert words == ["Einstellen", "Zusammenlegen", "Beheben", "Skalieren", "Fortführen"]


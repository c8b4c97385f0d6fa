"""The PDF/HTML report: what a reader finds in it, its structure, and the report command."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from cli import main
from questionnaires import load_questionnaire
from questionnaires.loader import LIBRARY
from reports import Branding, render_html, render_pdf
from scoring import Answer, Response, read_answers, score_response
from tests.pdf_text import page_count, page_texts, pdf_text

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
EXAMPLE = ROOT / "examples" / "ai-maturity-example.yaml"
TINY = DATA / "tiny.yaml"
TINY_ANSWERS = DATA / "tiny-answers.yaml"
DAY = dt.date(2025, 5, 12)


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


class SectionText(HTMLParser):
    """The text of the report HTML as a reader sees it (tags dropped, entities read, styles left out), of the whole
    document or only of the first `<section>` of one class (its nested sections included)."""

    def __init__(self, section: str | None = None):
        super().__init__(convert_charrefs=True)
        self.section, self.depth, self.parts, self.in_style = section, 0 if section else 1, [], False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        if tag == "section" and self.section and (self.depth or dict(attrs).get("class") == self.section):
            self.depth += 1

    def handle_endtag(self, tag):
        self.in_style = False
        if tag == "section" and self.section and self.depth:
            self.depth -= 1
            self.section = self.section if self.depth else None  # the first such section only

    def handle_data(self, data):
        if self.depth and not self.in_style:
            self.parts.append(data)


def html_words(html: str, section: str | None = None) -> str:
    """The words of the report HTML (or of its first section of that class), every run of white space one space.
    The PDF is laid out from this HTML, so a text guarded here is the PDF's text too; the tests that read the PDF
    itself guard what only the layout makes (pages, running headers, bookmarks, pictures)."""
    parser = SectionText(section)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def full():
    """The flagship questionnaire with its fully answered example, scored and rendered once."""
    questionnaire = load_questionnaire(LIBRARY / "ai-maturity.yaml")
    result = score_response(questionnaire, read_answers(EXAMPLE, questionnaire))
    branding = Branding(prepared_by="Northwind Advisory", color="#7a3b8f")
    pdf = render_pdf(questionnaire, result, branding, generated=DAY)
    return questionnaire, result, pdf, page_texts(pdf)


@pytest.fixture(scope="module")
def full_reader(full) -> pypdf.PdfReader:
    """The same example's PDF opened once for the tests that read its structure (metadata, bookmarks, tags): the
    reader parses each object once, whichever test asks first."""
    return pypdf.PdfReader(io.BytesIO(full[2]))


@pytest.fixture(scope="module")
def full_report(full):
    """The same example as `full` as the full report (every step and the appendix), as HTML: the test reading it
    guards which steps are listed, text the PDF takes from this HTML as it stands."""
    questionnaire, result, _, _ = full
    html = render_html(questionnaire, result, Branding(prepared_by="Northwind Advisory", color="#7a3b8f"),
                       generated=DAY, full=True)
    return questionnaire, result, html


@pytest.fixture(scope="module")
def tiny_report():
    questionnaire = load_questionnaire(TINY)
    result = score_response(questionnaire, read_answers(TINY_ANSWERS, questionnaire))
    pdf = render_pdf(questionnaire, result, generated=DAY, full=True)
    return questionnaire, result, pdf, pdf_text(pdf)


# --- what a reader needs --------------------------------------------------------------


def test_report_names_the_client_the_phase_and_every_domain(full):
    questionnaire, result, _, pages = full
    text = "\n".join(pages)
    assert "Northwind Logistics" in text
    assert f"Phase {result.overall.phase} of 4" in text
    assert result.overall.phase_name in text
    for domain in questionnaire.domains:
        assert domain.name in text


def test_executive_summary_lists_the_top_five_steps_on_its_own_page(full):
    _, result, _, pages = full
    summary = next(p for p in pages if "Executive summary" in p and "MOST IMPORTANT NEXT STEPS" in p)
    flat = " ".join(summary.split())
    for step in result.actions[:5]:
        assert step.title in flat
    assert "WHERE EACH DOMAIN STANDS" in summary
    assert "Domain overview" not in summary.split("WHERE EACH DOMAIN STANDS")[1]


def test_report_quotes_the_notes_the_respondent_wrote(full):
    _, result, _, pages = full
    flat = " ".join(" ".join(pages).split())
    notes = [q.note for q in result.questions.values() if q.note]
    assert notes
    for note in notes:
        assert " ".join(note.split()) in flat


def test_the_first_fifteen_steps_appear_with_their_plain_why_and_the_arithmetic_only_on_the_methodology_page(full):
    _, result, _, pages = full
    flat = " ".join(" ".join(pages).split())
    method = flat.split("HOW THE FIRST RANKS WERE COMPUTED")[1]
    assert len(result.actions) > 15
    for step in result.actions[:15]:
        assert step.title in flat
        assert step.why in flat
    for step in result.actions[:3]:
        assert step.reason in method
    assert "× question weight" not in flat.split("FROM ANSWERS TO PHASES")[0]


def test_the_executive_report_says_how_many_further_steps_the_full_report_lists(full):
    _, result, _, pages = full
    plan = " ".join(" ".join(pages).split()).split("Prioritised next steps")[-1]
    further = len(result.actions) - 15
    assert f"This report lists the first 15 steps; the full report lists {further} further steps." in plan
    listed = plan.split("Roadmap")[0]
    sixteenth = result.actions[15]
    # not listed as a step; the risk register may name it as a gap's mitigation, saying where to find it
    assert listed.count(sixteenth.title) == listed.count(f"Step 16 (in the full report): {sixteenth.title}")


def test_the_full_report_lists_every_step_with_its_why(full_report):
    _, result, html = full_report
    steps = html_words(html, "steps")
    for step in result.actions:
        assert step.title in steps and step.why in steps
    assert "further step" not in steps


def test_the_plan_has_a_90_day_plan_next_and_later_a_matrix_a_raci_and_a_risk_register(full):
    _, result, _, pages = full
    flat = " ".join(" ".join(pages).split())
    for heading in ["The 90-day plan · Now (0–3 months)", "Next and Later", "Effort and impact",
                    "Draft RACI for the top steps", "Risk register", "RESPONSIBLE ACCOUNTABLE CONSULTED INFORMED"]:
        assert heading in flat
    closing = next(a for a in result.actions if a.domain in ("governance", "mlops"))  # the register names its step
    assert f"Step {closing.rank}: {closing.title}" in flat


def test_the_executive_summary_has_findings_risks_quotes_and_the_top_steps_on_one_page(full):
    _, _, _, pages = full
    summary = next(p for p in pages if "Executive summary" in p and "MOST IMPORTANT NEXT STEPS" in p)
    flat = " ".join(summary.split())
    for words in ["Four of five domains work at phase 2; Governance holds the organisation at phase 1.", "FINDINGS",
                  "RISKS", "IN THE RESPONDENT'S WORDS", "Nobody is funded to run models.", "confidence 95%",
                  "MEASURE OF SUCCESS", "WHERE EACH DOMAIN STANDS", "Economics"]:
        assert words in flat


# The executive report of the big example within sixteen pages: test_page_count_is_sensible_for_the_full_assessment
# (the same report, with a "prepared by" that only adds text); the retailer's: tests/test_report_pilots.py.


def test_a_note_with_markup_is_quoted_literally_in_the_summary():
    questionnaire = load_questionnaire(TINY)
    response = read_answers(TINY_ANSWERS, questionnaire)
    response.answers["governance.board"] = Answer(1, "<script>alert('x')</script> & <b>bold</b>")
    result = score_response(questionnaire, response)
    html = render_html(questionnaire, result, generated=DAY)
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    # What a reader of the summary reads: the note as written, its markup shown as text
    assert "<script>alert('x')</script> & <b>bold</b>" in html_words(html, "summary")


@pytest.mark.parametrize("heading", ["Prioritised next steps", "Roadmap", "Unknowns to resolve",
                                     "How the scoring works", "Now (0–3 months)", "Later (9–18 months)"])
def test_report_has_every_section(full, heading):
    assert heading in "\n".join(full[3])


def test_page_count_is_sensible_for_the_full_assessment(full):
    assert 12 <= len(full[3]) <= 16


def test_the_appendix_of_every_answer_is_only_in_the_full_report(full, tiny_report):
    assert "Appendix: every question and answer" not in "\n".join(full[3])
    assert "Appendix: every question and answer" in tiny_report[3]


def test_page_count_is_sensible_for_a_tiny_questionnaire(tiny_report):
    assert 8 <= page_count(tiny_report[2]) <= 16


def test_every_page_after_the_cover_says_page_x_of_y(full):
    pages = full[3]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page


def test_table_of_contents_gives_page_numbers(full):
    contents = next(p for p in full[3] if p.lstrip().startswith("Contents"))
    summary_page = next(i for i, p in enumerate(full[3], start=1) if "MOST IMPORTANT NEXT STEPS" in p)
    line = next(line for line in contents.splitlines() if line.startswith("Executive summary"))
    assert line.endswith(f". {summary_page}")


def test_pdf_carries_title_author_subject_and_language(full_reader):
    reader = full_reader
    meta = reader.metadata
    assert "Northwind Logistics" in meta.title
    assert meta.author == "Northwind Advisory"
    assert "Phase 1" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_pdf_has_bookmarks_for_sections_and_domains(full, full_reader):
    questionnaire = full[0]
    titles = outline_titles(full_reader)
    for title in ["Contents", "Executive summary", "Domain overview", "Prioritised next steps", "Roadmap",
                  "How the scoring works"]:
        assert title in titles
    for domain in questionnaire.domains:
        assert domain.name in titles


def test_pdf_is_tagged_for_accessibility(full_reader):
    root = full_reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


# --- content rules, on the tiny questionnaire ----------------------------------------------


def test_appendix_shows_option_labels_not_raw_values(tiny_report):
    text = tiny_report[3]
    assert "As owned data products" in text
    assert "Bias checks, Audit log" in text
    assert "Not asked (skipped by an earlier answer)" in text


def test_foundation_gap_is_flagged_where_the_scoring_flags_it(tiny_report):
    assert "Foundation gap." in tiny_report[3]


def test_dont_know_answers_are_listed_as_unknowns_to_resolve(tiny_report):
    unknowns = tiny_report[3].split("Unknowns to resolve")[-1]
    assert "Do models pass an approval workflow?" in unknowns


def test_methodology_explains_the_phase_factors_and_the_limiting_boost(tiny_report):
    method = " ".join(tiny_report[3].split("How the scoring works")[-1].split())
    for words in ["1 for a practice in the domain's working phase", "0.5 for the phase after it",
                  "0.25 for phases further ahead", "multiplied by 1.5", "reaches 70%"]:
        assert words in method


@pytest.mark.parametrize("dont_know, warned", [(0, False), (3, True)])
def test_low_confidence_is_warned_below_eighty_percent(dont_know, warned):
    questionnaire = load_questionnaire(TINY)
    response = read_answers(TINY_ANSWERS, questionnaire)
    for question_id in ["data.inventory", "data.pipelines", "data.monitoring"][:dont_know]:
        response.answers[question_id] = Answer("dont_know")
    html = render_html(questionnaire, score_response(questionnaire, response), generated=DAY)
    assert ("Low confidence." in html) is warned


def test_same_input_gives_the_same_html():
    questionnaire = load_questionnaire(TINY)
    result = score_response(questionnaire, read_answers(TINY_ANSWERS, questionnaire))
    assert render_html(questionnaire, result, generated=DAY) == render_html(questionnaire, result, generated=DAY)


def test_date_and_branding_appear_on_the_cover():
    questionnaire = load_questionnaire(TINY)
    result = score_response(questionnaire, read_answers(TINY_ANSWERS, questionnaire))
    html = render_html(questionnaire, result, Branding("Acme Consulting", "#AA3300"), generated=DAY)
    assert "12 May 2025" in html
    assert "Acme Consulting" in html
    assert "--accent: #aa3300;" in html


def test_a_logo_is_embedded_as_a_data_uri(png_logo):
    """That the PDF draws it on the cover: test_report_command_writes_one_pdf, whose report has a logo."""
    questionnaire = load_questionnaire(TINY)
    result = score_response(questionnaire, read_answers(TINY_ANSWERS, questionnaire))
    branding = Branding("Acme", logo=png_logo)
    assert 'src="data:image/png;base64,' in render_html(questionnaire, result, branding, generated=DAY)


def test_an_organisation_without_answers_still_gets_a_report():
    """Its charts drawn (render_html converts them as the PDF's), its text read in the HTML the PDF is laid out from."""
    questionnaire = load_questionnaire(TINY)
    result = score_response(questionnaire, Response("tiny", "1.0.0", {}, organisation="Empty Ltd"))
    text = html_words(render_html(questionnaire, result, generated=DAY))
    assert "Empty Ltd" in text
    assert "Not assessed" in text


@pytest.fixture
def png_logo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#7a3b8f").save(buffer, format="PNG")
    return buffer.getvalue()


# --- the bar beside the index, the pilot line -----------------------------------------------


def test_each_domain_shows_its_share_of_the_phase_bar_beside_its_index():
    questionnaire = load_questionnaire(TINY)
    html = render_html(questionnaire, score_response(questionnaire, read_answers(TINY_ANSWERS, questionnaire)),
                       generated=DAY)
    # Data: phase 2 attains 0.5 of 0.7; Governance: phase 1 attains 0.25 of 0.7
    assert '<td class="num">1.5</td>\n        <td class="bar">71% of the phase 2 bar</td>' in html
    assert '<td class="num">0.2</td>\n        <td class="bar">36% of the phase 1 bar</td>' in html
    assert "index 1.5 / 4 (71% of the phase 2 bar)" in html


@pytest.mark.parametrize("bar, working_phase, text", [
    (0.68, 2, "68% of the phase 2 bar"),
    (0.004, 1, "0% of the phase 1 bar"),
    (1.0, 3, "100% of the phase 3 bar"),
    (1.0, None, "all four phases achieved"),
    (None, 2, ""),
])
def test_the_bar_beside_the_index_reads_as_a_share_of_the_working_phase(bar, working_phase, text):
    from types import SimpleNamespace

    from scoring.headline import bar_words as bar_text

    assert bar_text(SimpleNamespace(bar=bar, working_phase=working_phase)) == text


@pytest.mark.parametrize("counts, said", [
    ({"fix": 5}, "5 to fix"),
    ({"stop": 1, "fix": 1}, "1 to stop and 1 to fix"),
    ({"stop": 3, "merge": 3, "fix": 1, "continue": 3}, "3 to stop, 3 to merge, 1 to fix and 3 to continue"),
    ({}, ""),
])
def test_the_pilot_line_counts_only_the_verdicts_given(counts, said):
    from types import SimpleNamespace

    from scoring.pilots import VERDICTS, verdict_counts

    every = {verdict: counts.get(verdict, 0) for verdict in VERDICTS}  # as PilotMetrics.verdicts() gives them
    assert verdict_counts(SimpleNamespace(verdicts=lambda: every)) == said


def test_the_dont_know_sentence_says_what_the_scoring_does(tiny_report):
    unknowns = " ".join(tiny_report[3].split("Unknowns to resolve")[-1].split())
    assert ("1 question was answered “don't know”. The scoring leaves it out of the averages and lowers the "
            "confidence of the result to 86%; it is not counted as not in place.") in unknowns
    assert "count against" not in unknowns


def test_the_executive_summary_states_the_progress_since_the_baseline_in_one_sentence():
    from scoring.compare import compare_results
    from scoring.progress import progress_sentence

    questionnaire = load_questionnaire(TINY)
    before_answers = read_answers(TINY_ANSWERS, questionnaire)
    before_answers.answers["data.pipelines"] = Answer(1)
    before = score_response(questionnaire, before_answers)
    now = score_response(questionnaire, read_answers(TINY_ANSWERS, questionnaire))
    comparison = compare_results(questionnaire, before, questionnaire, now, dt.date(2025, 1, 15))
    summary = html_words(render_html(questionnaire, now, generated=DAY, progress=comparison), "summary")
    assert f"Progress. {progress_sentence(comparison)}" in summary
    assert "Progress." not in html_words(render_html(questionnaire, now, generated=DAY))


# --- the report command -------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, ["report", *args], catch_exceptions=False)


def test_report_command_writes_one_pdf(tmp_path, png_logo):
    """One PDF, branded, its logo drawn on the cover (the only picture there)."""
    out, logo = tmp_path / "report.pdf", tmp_path / "logo.png"
    logo.write_bytes(png_logo)
    result = run(str(TINY_ANSWERS), "--questionnaire", str(TINY), "--out", str(out), "--prepared-by", "Acme",
                 "--color", "#336699", "--date", "2025-05-12", "--target", "data=3", "--logo", str(logo))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "Example Corp" in pdf_text(out.read_bytes())
    assert len(pypdf.PdfReader(out).pages[0].images) == 1


def test_report_command_writes_html_on_request(tmp_path):
    out = tmp_path / "report.html"
    result = run(str(TINY_ANSWERS), "--questionnaire", str(TINY), "--out", str(out), "--html")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_command_renders_a_batch_named_after_the_answers_files(tmp_path):
    files = []
    for name in ("north", "south", "east"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(TINY_ANSWERS.read_text())
        files.append(str(path))
    result = run(*files, "--questionnaire", str(TINY), "--out-dir", str(tmp_path / "out"), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["east.pdf", "north.pdf", "south.pdf"]
    assert "[3/3]" in result.output


@pytest.mark.parametrize("args, message", [
    (["--color", "red"], "error: colour 'red' is not a hex colour; write it as #rrggbb"),
    (["--prepared-by", "x" * 121], "error: prepared-by is 121 characters long; use at most 120"),
])
def test_report_command_refuses_bad_branding_with_exit_1(tmp_path, args, message):
    result = run(str(TINY_ANSWERS), "--questionnaire", str(TINY), "--out", str(tmp_path / "r.pdf"), *args)
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_report_command_reports_each_bad_answers_file_and_writes_the_good_ones(tmp_path):
    """A batch as HTML: the good file's report is written whatever its format (the batch of PDFs is the test above)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: 1.0.0\nanswers: {data.nope: 1}\n")
    result = run(str(bad), str(TINY_ANSWERS), "--questionnaire", str(TINY), "--out-dir", str(tmp_path / "out"),
                 "--html")
    assert result.exit_code == 1
    assert "error: bad.yaml:4 answers.data.nope: unknown question id 'data.nope'" in result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["tiny-answers.html"]


@pytest.mark.parametrize("args", [
    [],                                                    # neither --out nor --out-dir
    ["--out", "a.pdf", "--out-dir", "d"],                  # both
    ["--out", "a.pdf", str(TINY_ANSWERS)],                 # --out with two files
    ["--out", "a.pdf", "--target", "data=9"],              # malformed target
    ["--out", "a.pdf", "--date", "12/05/2025"],            # malformed date
])
def test_report_command_usage_errors_exit_2(tmp_path, args):
    result = CliRunner().invoke(main, ["report", str(TINY_ANSWERS), "--questionnaire", str(TINY), *args])
    assert result.exit_code == 2


def test_report_command_adds_the_appendix_only_with_full(tmp_path):
    executive, full = tmp_path / "executive.html", tmp_path / "full.html"
    assert run(str(EXAMPLE), "--out", str(executive), "--html").exit_code == 0
    assert run(str(EXAMPLE), "--out", str(full), "--html", "--full").exit_code == 0
    assert 'id="appendix"' not in executive.read_text() and 'id="appendix"' in full.read_text()

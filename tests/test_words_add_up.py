"""Words and files that add up: one count of questions everywhere (the README included), no question id in any help
a person reads, company sizes defined where they are asked, downloads named by organisation, questionnaire and date
with the answers file carrying its date, each first step shown once on Results, and a deck whose text is never cut
and whose counts match their lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from click.testing import CliRunner
from pptx import Presentation

from cli import main
from questionnaires.loader import load_library, shipped_questionnaires
from questionnaires.models import question_count, readable_help
from reports.deck import owners_item, render_deck
from reports.filenames import download_name, response_name, slug
from scoring import read_answers, score_response
from scoring.answers import Answer, Response, dated, dump_answers, parse_answers
from scoring.progress import progress
from storage import get_engine
from storage import repository as repo
from tests.conftest import DATA, ROOT
from tests.test_app import ANSWERS, answer, open_app, start_tiny
from tests.test_app_results import results_page

DAY = dt.date(2026, 11, 26)


# --- one count of questions, from one function ----------------------------------------------------------------


@pytest.mark.parametrize(("questionnaire_id", "asked", "follow_ups", "minutes", "text"), [
    ("ai-maturity", 53, 30, 45, "53 questions and up to 30 follow-ups, about 45 minutes"),
    ("quick-check", 26, 0, 6, "26 questions, about 6 minutes"),
])
def test_each_shipped_questionnaire_has_one_count_of_questions_and_minutes(questionnaire_id, asked, follow_ups,
                                                                           minutes, text):
    count = question_count(shipped_questionnaires()[questionnaire_id])
    assert (count.asked, count.follow_ups, count.minutes, count.text()) == (asked, follow_ups, minutes, text)


def test_the_count_is_what_progress_shows_before_an_answer_brings_a_follow_up_in(ai_maturity):
    empty = Response(ai_maturity.id, ai_maturity.version)
    assert progress(ai_maturity, score_response(ai_maturity, empty)).text() == \
        "0 of 53 answered · about 45 min left"


def test_a_follow_up_is_added_to_the_count_in_so_many_words(tiny):
    response = read_answers(DATA / "tiny-answers.yaml", tiny)
    response.answers.pop("governance.board")
    assert progress(tiny, score_response(tiny, response)).text() == "6 of 8 answered · about 1 min left"
    raised = read_answers(DATA / "tiny-answers.yaml", tiny)
    raised.answers["governance.board"] = dataclasses.replace(raised.answers["governance.board"], value=3)
    shown = progress(tiny, score_response(tiny, raised))
    assert shown.text().startswith(f"{shown.answered} of 9 answered (8 + 1 follow-up) · ")


def test_the_time_left_comes_from_the_same_count(tiny):
    count = question_count(tiny)
    assert [count.minutes_for(n) for n in (0, 1, 4, 8)] == [0, 1, 1, 2]


README_COUNT = re.compile(r"`(?P<id>[a-z0-9-]+)` \((?:[^():]+: )?(?P<count>\d+ questions?[^()]*minutes?)\)")


def readme_counts() -> dict[str, str]:
    """Each questionnaire id the README states a count for, with the count as written."""
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    return {match["id"]: match["count"] for match in README_COUNT.finditer(text)}


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_the_readme_states_the_count_and_time_the_app_shows(questionnaire_id):
    expected = question_count(shipped_questionnaires()[questionnaire_id]).text()
    assert readme_counts().get(questionnaire_id) == expected, (
        f"README.md should say `{questionnaire_id}` ({expected})")


def test_the_readme_never_states_another_time_for_a_shipped_questionnaire():
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    minutes = {q.id: q.estimated_minutes for q in shipped_questionnaires().values()}
    assert re.findall(r"(\d+)-minute quick check", text) == [str(minutes["quick-check"])]
    assert re.findall(r"full (\d+)-minute assessment", text) == [str(minutes["ai-maturity"])]


def test_the_start_page_shows_the_count(app_env):
    at = open_app()
    assert any(c.value == "8 questions and up to 1 follow-up, about 2 minutes · 2 domains" for c in at.caption)


# --- no question id in the help a person reads ----------------------------------------------------------------


def every_published_question():
    library = load_library()
    return [(f"{qid} {version}", q) for qid, versions in sorted(library.versions.items())
            for version, questionnaire in sorted(versions.items()) for q in questionnaire.questions]


def test_no_help_of_any_published_version_shows_a_question_id():
    library = load_library()
    ids = {q.id for versions in library.versions.values() for questionnaire in versions.values()
           for q in questionnaire.questions}
    raw = re.compile(r"\b(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r")\b")
    shown = [(where, q.id, raw.search(q.help)[0]) for where, q in every_published_question() if raw.search(q.help)]
    assert len(every_published_question()) > 300
    assert shown == []


@pytest.mark.parametrize(("help_text", "shown"), [
    ("Whether it decides is asked in phase 2 (governance.board-decisions).", "Whether it decides is asked in phase 2."),
    ("Asked next\n(economics.kpi-baseline).", "Asked next."),
    ("The policy is asked in phase 1 (governance.shadow-ai-policy); this asks more.",
     "The policy is asked in phase 1; this asks more."),
    ("Versions (e.g. v1.2) and files (report.pdf) stay.", "Versions (e.g. v1.2) and files (report.pdf) stay."),
])
def test_a_question_id_in_help_is_left_out_and_nothing_else(help_text, shown):
    assert readable_help(help_text, ["governance", "economics", "data"]) == shown


def test_the_assessment_page_shows_the_full_assessments_help_without_ids(app_env):
    at = open_app()
    at.button(key="start:ai-maturity").click().run()
    questionnaire = shipped_questionnaires()["ai-maturity"]
    raw = re.compile(r"\b(" + "|".join(re.escape(q.id) for q in questionnaire.questions) + r")\b")
    seen = []
    for step, domain in enumerate(questionnaire.domains):
        assert at.header[0].value == domain.name
        seen += [c.value for c in at.caption]
        if step < len(questionnaire.domains) - 1:
            at.button(key="next").click().run()
    assert "This question asks whether the body and its decision rights are set up; whether it actually decides " \
           "is asked in phase 2." in " ".join(" ".join(seen).split())
    assert [text for text in seen if raw.search(text)] == []


# --- company sizes defined where they are asked ---------------------------------------------------------------


def test_each_company_size_says_how_many_people_it_means():
    from ui.profile_form import SIZES

    assert SIZES == {"": "Not given", "small": "Small: fewer than 250 people", "medium": "Medium: 250 to 999 people",
                     "large": "Large: 1,000 people or more"}


# --- downloads named by organisation, questionnaire and date; the answers file carries its date ----------------


@pytest.mark.parametrize(("organisation", "questionnaire", "extension", "kind", "name"), [
    ("Example Corp", "ai-maturity", "pdf", "", "example-corp-ai-maturity-2026-11-26.pdf"),
    ("Example Corp", "ai-maturity", "pdf", "full", "example-corp-ai-maturity-2026-11-26-full.pdf"),
    ("Café Müller & Co.", "quick-check", "pptx", "", "cafe-muller-co-quick-check-2026-11-26.pptx"),
    ("", "quick-check", "yaml", "", "organisation-quick-check-2026-11-26.yaml"),
    ("株式会社", "ai-maturity", "xlsx", "", "organisation-ai-maturity-2026-11-26.xlsx"),
    ("../../etc/passwd", "ai-maturity", "csv", "long", "etc-passwd-ai-maturity-2026-11-26-long.csv"),
])
def test_a_download_is_named_by_organisation_questionnaire_and_date(organisation, questionnaire, extension, kind,
                                                                    name):
    assert download_name(organisation, questionnaire, DAY, extension, kind) == name


def test_a_long_organisation_is_kept_short_in_a_file_name():
    assert len(slug("Northwind " * 40)) <= 60 and not slug("Northwind " * 40).endswith("-")


def test_a_file_made_from_an_assessment_is_named_with_the_day_it_was_taken(tiny):
    response = read_answers(DATA / "tiny-answers.yaml", tiny)
    assert response_name(response, "pdf") == f"example-corp-tiny-{dt.date.today().isoformat()}.pdf"
    assert response_name(dataclasses.replace(response, date=DAY), "yaml") == "example-corp-tiny-2026-11-26.yaml"


def test_the_answers_file_carries_its_date_and_loads_back_with_it(tiny, tmp_path):
    undated = read_answers(DATA / "tiny-answers.yaml", tiny)
    text = dump_answers(dated(undated, DAY))
    assert "\ndate: '2026-11-26'\n" in text or "\ndate: 2026-11-26\n" in text
    assert parse_answers(text, "answers.yaml", tiny).date == DAY
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    scored = CliRunner().invoke(main, ["score", str(path), "--questionnaire", str(DATA / "tiny.yaml"),
                                       "--format", "json"], env={"PHASEGATE_DATA_DIR": str(tmp_path / "data"),
                                                                 "DATABASE_URL": ""})
    assert scored.exit_code == 0, scored.output
    assert dated(dataclasses.replace(undated, date=DAY), dt.date(2027, 1, 1)).date == DAY  # its own date is kept


@pytest.fixture
def downloads(monkeypatch):
    """The name and bytes of every file the app offers for download, as the page hands them to Streamlit."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    offered: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            offered[filename] = path_or_data
        return keep(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return offered


def test_the_report_page_offers_the_answers_file_by_name_with_its_date_and_the_app_takes_it_back(app_env, downloads):
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Café Müller & Co.")
    repo.save_answer(engine, assessment.id, "data.inventory", 3)
    from tests.conftest import open_page

    at = open_page("app_pages/report.py", a=assessment.token)
    today = dt.date.today().isoformat()
    name = f"cafe-muller-co-tiny-{today}.yaml"
    assert name in downloads, sorted(downloads)
    text = downloads[name].decode() if isinstance(downloads[name], bytes) else downloads[name]
    assert f"date: '{today}'" in text
    back = open_app()
    back.file_uploader(key="answers_file").set_value((name, text.encode(), "application/x-yaml")).run()
    assert not back.exception and not back.error, [e.value for e in back.error]
    assert at.get("download_button")


# --- each first step once on Results ------------------------------------------------------------------------


def test_results_show_each_step_once_and_the_plan_goes_on_after_start_here(app_env):
    at = results_page()
    titles = [m.value for m in at.markdown if re.match(r"\*\*\d+\. ", m.value)]
    assert len(titles) == len(set(titles)) and titles[:3] == [
        "**1. Introduce model approval**", "**2. Add production controls**", "**3. Fund governance**"]
    plan = [c.value for c in at.caption if "under Start here" in c.value]
    # The tiny plan has three steps: two in Now, one in Next; each tab says where its first steps went.
    assert plan == ["Steps 1 and 2 are under Start here, above.", "Step 3 is under Start here, above."]


# --- the deck: nothing cut, counts that match their lists ----------------------------------------------------


def deck_texts(data: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def test_no_deck_text_is_cut_however_long_the_names_and_quotes(tiny):
    response = read_answers(DATA / "tiny-answers.yaml", tiny)
    long_name = "Northwind Logistics and Freight Forwarding International Holding " * 3
    response = dataclasses.replace(response, organisation=long_name.strip()[:200])
    result = score_response(tiny, response)
    from reports.branding import Branding

    data = render_deck(tiny, result, Branding(prepared_by="Acme Advisory and Strategy Partners " * 3), generated=DAY)
    texts = deck_texts(data)
    assert not [t for t in texts if "…" in t]
    assert sum(long_name.strip()[:200] in t for t in texts) >= 8  # the cover and every footer


def test_the_owners_item_counts_the_owners_it_lists(tiny):
    result = score_response(tiny, read_answers(DATA / "tiny-answers.yaml", tiny))
    steps = [dataclasses.replace(result.actions[0], rank=n, owner=owner)
             for n, owner in enumerate(["CDO", "CEO", "CDO", "CRO", "CFO"], start=1)]
    assert owners_item(steps) == ("Agree a date with each of the 4 owners of the 5 steps due in the next 90 days "
                                  "(CDO: steps 1 and 3; CEO: step 2; CRO: step 4; CFO: step 5).")
    assert owners_item(steps[:1]) == "Agree a date with the owner of the 1 step due in the next 90 days (CDO: step 1)."


def test_the_shipped_example_deck_lists_as_many_owners_as_it_counts(ai_maturity):
    response = read_answers(ROOT / "examples" / "ai-maturity-example.yaml", ai_maturity)
    data = render_deck(ai_maturity, score_response(ai_maturity, response), generated=DAY)
    item = next(t for t in deck_texts(data) if "Agree a date with" in t)
    counted = re.search(r"each of the (\d+) owners of the (\d+) steps", item)
    listed = re.search(r"\((.*?)\)\.", item)[1].split("; ")
    assert counted and int(counted[1]) == len(listed)
    assert int(counted[2]) == sum(len(re.findall(r"\d+", owner.split(": ")[1])) for owner in listed)


# --- the effort x impact matrix reads as a table: steps by name in each cell -----------------------------------


@pytest.fixture
def plan(tiny):
    return score_response(tiny, Response("tiny", "1.0.0", {k: Answer(v) for k, v in ANSWERS.items()})).actions


def test_the_matrix_lists_each_cells_steps_by_rank_and_name_high_impact_first(plan):
    from reports.html import matrix_cells

    rows = [(impact, [(cell.named, cell.ranks) for cell in cells]) for impact, cells in matrix_cells(plan)]
    assert rows == [
        ("High impact (3)", [((), ""), (("1. Introduce model approval",), ""), ((), "")]),
        ("Medium impact (2)", [((), ""), (("2. Add production controls",), ""), ((), "")]),
        ("Low impact (1)", [((), ""), ((), ""), (("3. Fund governance",), "")]),
    ]


def test_a_report_that_lists_fewer_steps_gives_the_others_in_the_matrix_by_rank(plan):
    from reports.html import matrix_cells

    rows = [[(cell.named, cell.ranks) for cell in cells] for _, cells in matrix_cells(plan, named=1)]
    assert rows[1][1] == ((), "2") and rows[2][2] == ((), "3")


def test_the_pdf_shows_the_matrix_as_a_table_of_step_names(tiny):
    from reports.html import render_html

    response = Response("tiny", "1.0.0", {k: Answer(v) for k, v in ANSWERS.items()})
    html = render_html(tiny, score_response(tiny, response))
    section = html[html.index('id="matrix"'):html.index('id="risks"')]
    assert "<img" not in section
    assert '<th scope="row">High impact (3)</th><td><span class="muted">–</span></td><td><span class="step-detail">' \
           '1. Introduce model approval</span></td>' in section


def test_a_long_now_list_on_the_90_day_plan_slide_fits_its_box(tiny):
    from pptx.util import Inches, Pt

    from reports.deck import text_height

    result = score_response(tiny, read_answers(DATA / "tiny-answers.yaml", tiny))
    long = "Set up a cross-functional review that checks every production model against its KPI every month"
    steps = tuple(dataclasses.replace(result.actions[0], rank=n, title=f"{long} ({n})", horizon="now")
                  for n in range(1, 9))
    deck = Presentation(io.BytesIO(render_deck(tiny, dataclasses.replace(result, actions=steps), generated=DAY)))
    plan = next(s for s in deck.slides if s.shapes.title.text == "The 90-day plan")
    box = next(shape for shape in plan.shapes if shape.has_text_frame and f"{long} (8)" in shape.text_frame.text)
    size = box.text_frame.paragraphs[0].runs[1].font.size.pt
    needed = text_height("\n".join(f"■  {p.text[3:]}" for p in box.text_frame.paragraphs), box.width - Inches(0.2),
                         int(size)) + Pt(6) * (len(box.text_frame.paragraphs) - 1)
    assert needed <= box.height and size >= 10


def test_every_answers_file_in_a_workshops_zip_carries_its_date(tiny):
    import zipfile

    from reports.exports import Participant, answers_zip

    undated = Participant("P-001", "Executive", read_answers(DATA / "tiny-answers.yaml", tiny))
    taken = Participant("P-002", None, dataclasses.replace(read_answers(DATA / "tiny-answers.yaml", tiny), date=DAY))
    archive = zipfile.ZipFile(io.BytesIO(answers_zip([undated, taken])))
    dates = [parse_answers(archive.read(name), name, tiny).date for name in ("P-001.yaml", "P-002.yaml")]
    assert dates == [dt.date.today(), DAY]

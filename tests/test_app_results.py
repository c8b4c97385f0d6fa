"""The Results page tells the summary's story: plain headline, the first three steps with their why, findings and
risks, captioned charts, and human names rather than question ids."""

from __future__ import annotations

import io
import json
import re

import pyarrow as pa

from storage import get_engine
from storage import repository as repo
from tests.test_app import ANSWERS, open_app

IDS = re.compile(r"\b(data|governance)\.[a-z-]+\b")


def results_page(answers: dict = ANSWERS):
    """The results page of the tiny questionnaire answered with `ANSWERS` (stored as the assessment page stores
    them: answering through the pages is tests/test_app.py's), opened by the assessment's link."""
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Example Corp")
    for question_id, value in answers.items():
        repo.save_answer(engine, assessment.id, question_id, value)
    return open_app(assessment.token, "app_pages/results.py")


def shown_text(at) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "subheader", "header") for e in at.get(kind)]


def test_the_results_page_opens_with_the_profile_and_the_weakest_link_rule(app_env):
    at = results_page()
    text = shown_text(at)
    headline = at.container(key="headline")
    assert headline.header[0].value == ("One of two domains has achieved all four phases; Governance holds the "
                                           "organisation at phase 2.")
    assert headline.markdown[0].value == "**Phase 2 of 4: Build the Foundation**"
    assert ("The organisation is at the phase of its weakest domain: a phase counts once every domain has achieved "
            "the one before it.") in text


def test_the_first_three_steps_come_first_with_their_plain_why_and_the_arithmetic_in_a_tooltip(app_env):
    at = results_page()
    first = [at.container(key=f"first_step_{rank}") for rank in (1, 2, 3)]
    titles = [c.markdown[0] for c in first]
    assert [t.value for t in titles] == ["**1. Introduce model approval**", "**2. Add production controls**",
                                        "**3. Fund governance**"]
    assert all(t.help.startswith("Priority ") for t in titles)
    assert [c.markdown[1].value for c in first] == [
        "Governance holds the organisation at phase 2, and this practice is not in place yet (the last in that phase "
        "below the bar).",
        "Governance needs this for its next phase, and this practice is only partly in place.",
        "Governance will need this for phase 4, once phase 2 is done.",
    ]


def test_each_domain_shows_its_index_beside_how_far_toward_its_bar_it_is(app_env):
    tables = [d.value for d in results_page().dataframe if "Toward the bar" in d.value.columns]
    rows = tables[0].to_dict("records")
    assert rows == [
        {"Domain": "Data", "Working on": "All phases achieved", "Index": "4.0 / 4",
         "Toward the bar": "all four phases achieved"},
        {"Domain": "Governance", "Working on": "Phase 2", "Index": "1.2 / 4", "Toward the bar": "36% of the phase 2 bar"},
    ]


def test_findings_risks_and_the_plan_charts_are_shown(app_env):
    at = results_page()
    headings = [s.value for s in at.subheader]
    assert {"Findings", "Risks", "The plan at a glance"} <= set(headings)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Each dot is a step, numbered by rank") for c in captions)
    assert any("- A model can go live without anyone signing off its risks. Step 1 closes this gap." in
               m.value.replace("\\", "") for m in at.markdown)  # markdown escapes removed


def test_the_results_page_shows_no_question_ids(app_env):
    at = results_page()
    assert [text for text in shown_text(at) if IDS.search(text)] == []


def test_the_pdf_is_offered_right_under_the_headline(app_env):
    at = results_page()
    box = at.container(key="pdf_box")
    offered = [b.proto.label for b in box.get("download_button")] + [b.proto.label for b in box.button]
    assert offered and offered[0] in ("Download PDF", "Preparing the PDF…")
    order = [getattr(node, "key", None) or type(node).__name__ for node in at.main.children.values()]
    assert order[:6] == ["Title", "Caption", "headline", "pdf_box", "Header", "first_step_1"]
    assert at.header[1].value == "Start here"


def test_foundation_gaps_are_one_warning_with_the_practices_folded_away(app_env):
    at = results_page()
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith("Foundation gap in ")
    assert "Which practices are missing underneath" in [e.label for e in at.expander]


def test_both_domain_charts_carry_a_caption(app_env):
    captions = [c.value for c in results_page().caption]
    assert any(c.startswith("Each bar is a domain's maturity index") for c in captions)
    assert any(c.startswith("How much of each phase's practice is in place") for c in captions)


def drawn_charts(at) -> list[tuple[str, dict[str, list[dict]]]]:
    """Each chart on the page as the browser gets it: its description and its datasets' rows by name."""
    return [(json.loads(chart.proto.spec)["description"].split(":")[0],
             {data.name: pa.ipc.open_stream(io.BytesIO(data.data.data)).read_all().to_pylist()
              for data in chart.proto.datasets})
            for chart in at.get("vega_lite_chart")]


def test_each_chart_is_drawn_from_the_figures_of_the_assessment_on_the_page(app_env):
    # The charts' specs are kept from run to run (ui/charts.py): a chart must still follow its own figures.
    for answers, governance in ((ANSWERS, 1.25), ({**ANSWERS, "governance.approval": 3}, 2.5)):
        charts = drawn_charts(results_page(answers))
        assert [name for name, _ in charts] == ["Bar chart", "Heatmap", "Matrix", "Timeline"]
        assert [(row["domain"], row["index"]) for row in charts[0][1]["domains"]] == [
            ("Data", 4.0), ("Governance", governance)]


def reassessment_results():
    """The results of a re-assessment that raised Governance's approval workflow from 1 to 3."""
    from tests.test_app_reassessment import click, reassessment

    at = click(click(reassessment(), "finish"), "confirm_all_finish")
    assert at.title[0].value == "Where the organisation stands"
    return at


def test_a_reassessment_shows_the_progress_since_its_baseline_in_one_sentence_first(app_env):
    at = reassessment_results()
    sentence = at.container(key="progress_summary").markdown[0].value.replace("\\", "")
    assert re.fullmatch(r"\*\*Since the assessment of \d{1,2} [A-Z][a-z]+ \d{4}: phase 2 → phase 3; Governance achieved "
                        r"phase 2 and now stands at 71% of its phase 3 bar; 1 step completed, no new gap\.\*\*", sentence)


def test_the_progress_table_holds_the_figures_the_report_prints_and_each_domains_bar(app_env):
    at = reassessment_results()
    # Governance's index was 1.25: printed 1.2 in the report; the table holds 1.2, not 1.25 for the browser to
    # round to 1.3. Its change is the difference of the printed indexes, 2.5 - 1.2.
    assert at.dataframe[0].value.to_dict("records") == [
        {"Domain": "Data", "Index before": 4.0, "Index now": 4.0, "Change": 0.0,
         "Bar of the working phase": "all four phases achieved"},
        {"Domain": "Governance", "Index before": 1.2, "Index now": 2.5, "Change": 1.3,
         "Bar of the working phase": "phase 2 achieved; now 71% of the phase 3 bar"},
    ]
    now = at.metric[1]
    assert (now.value, now.delta) == ("3.0 / 4", "+0.8 since then")

"""The report's pilot portfolio: the retailer's first two pages, the section after the summary, the workshop."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from questionnaires import find_questionnaire
from reports.charts import _funnel_rows, pilot_funnel, pilot_funnel_spec
from reports.html import render_html
from reports.pdf import render_pdf
from scoring import read_answers, score_response
from scoring.answers import Pilot
from tests.conftest import ROOT
from tests.pdf_text import page_texts
from tests.test_report import html_words

RETAILER = ROOT / "examples" / "retailer-pilots.yaml"
DAY = dt.date(2026, 11, 26)
STOPPED_PILOTS = ("Fraud detection at checkout", "Demand forecasting", "Shelf image recognition", "Markdown pricing",
                  "Store staffing planner", "Customer service chatbot", "Product description writer",
                  "Supplier invoice matching")


def flat(text: str) -> str:
    """Page text with line breaks and hyphenation joins undone, so sentences can be matched whole."""
    return " ".join(text.split())


def pages_of(pdf: bytes) -> list[str]:
    return [flat(text) for text in page_texts(pdf)]


@pytest.fixture(scope="module")
def retailer():
    questionnaire = find_questionnaire("quick-check")
    result = score_response(questionnaire, read_answers(RETAILER, questionnaire))
    pdf = render_pdf(questionnaire, result, generated=DAY)
    return questionnaire, result, pages_of(pdf)


def test_the_retailers_first_two_pages_say_how_many_are_stuck_which_to_stop_and_which_gate_blocks(retailer):
    _, _, pages = retailer
    first_two = " ".join(pages[:2])
    assert "8 of 12 pilots are stuck: active for more than 6 months without reaching production." in first_two
    assert "Stop 8 pilots: " + ", ".join(STOPPED_PILOTS[:-1]) + " and " + STOPPED_PILOTS[-1] + "." in first_two
    assert ("The gate that holds most stuck pilots is Governance: 3 of the 8 name “Waiting for model approval”"
            in first_two)
    assert "The one pilot to fix, Returns prediction, waits on Data." in first_two


def test_the_summary_has_one_line_on_the_pilots_and_the_portfolio_follows_it(retailer):
    _, _, pages = retailer
    summary = next(i for i, page in enumerate(pages) if "Executive summary" in page and "FINDINGS" in page)
    assert ("8 of 12 pilots are older than 6 months without reaching production; 1 reached production. "
            "Verdicts: 8 to stop, 1 to fix and 2 to continue") in pages[summary]
    portfolio = pages[summary + 1]
    assert portfolio.startswith("Pilot portfolio")


def test_the_portfolio_shows_the_funnel_the_figures_against_the_reference_and_the_value_waiting(retailer):
    _, result, pages = retailer
    start = next(i for i, page in enumerate(pages) if "Pilot portfolio" in page and "ONE VERDICT PER PILOT" in page)
    section = " ".join(pages[start:start + 2])
    # The funnel's labels: 8 at the pilot stage (6 of them stuck), 2 ready (both stuck), 1 in production, 1 stopped.
    for label in ("8 here, 6 stuck · 11 got this far", "2 here, 2 stuck · 3 got this far", "1 here", "1 stopped"):
        assert label in section
    assert ("Reached production 1 of the 10 pilots started at least 6 months ago (ideas left out) 10% about one in five "
            "(20%)") in section
    assert "Never got past the pilot stage the rest of those 10: still in pilot, ready or stopped 90% 73%" in section
    # Every stuck pilot of the retailer is to be stopped: nothing is left waiting in the others.
    assert ("Value waiting in stuck pilots expected annual value of the stuck pilots not to be stopped, as given in the "
            "register EUR 0") in section
    assert "Reference figures: “From pilot purgatory to production power" in section and "(2026)" in section
    assert "Phasegate" not in section
    for item in result.pilots.items:
        assert item.name in section
    assert "Markdown pricing Ready for production 18 mo Stop Governance, MLOps 18 months without reaching production" \
        in section
    assert "Delivery route optimiser Stopped 29 mo – MLOps Stopped: nothing left to decide." in section


def test_the_retailers_executive_report_stays_within_sixteen_pages(retailer):
    _, _, pages = retailer
    assert len(pages) <= 16


def test_the_portfolio_takes_at_most_two_pages(retailer):
    _, _, pages = retailer
    start = next(i for i, page in enumerate(pages) if page.count("Pilot portfolio") and "FIGURE" in page)
    after = next(i for i, page in enumerate(pages) if i > start and "Domain overview" in page and "Heatmap" not in page
                 and "Contents" not in page)
    assert after - start <= 2


def test_the_methodology_states_the_triage_rules(retailer):
    _, _, pages = retailer
    method = " ".join(page for page in pages if "FROM THE PILOT REGISTER TO VERDICTS" in page or "Pilot factor" in page)
    assert "Stop. Stuck, with neither a named business owner nor a KPI baseline." in method
    assert ("Merge. As for stop, but another stuck pilot pursues the same outcome (the register puts them in one "
            "group): merge the group's stuck pilots into one pilot with a named owner and one KPI.") in method
    assert "says to escalate the blocker to the executive sponsor" in method
    assert "measure its value against a holdout or control group before it is widened" in method
    assert ("Value waiting. The expected annual value of the stuck pilots that are not to be stopped, as given in the "
            "register; pilots to merge count with the value each was given. Not estimated when none of them gives a "
            "value.") in method
    assert "Scale. In production, with a business owner and a KPI baseline." in method
    assert "× (1 + 0.5 × the stuck pilots they unblock ÷ all stuck pilots)" in method


def test_without_a_register_the_report_has_no_pilot_section(tiny):
    result = score_response(tiny, read_answers(ROOT / "tests" / "data" / "tiny-answers.yaml", tiny))
    html = render_html(tiny, result, generated=DAY)
    assert result.pilots is None
    assert 'id="pilots"' not in html and "Your pilots in brief" not in html and 'class="pilot-line"' not in html
    assert "From the pilot register to verdicts" not in html


def test_pilot_names_and_notes_are_escaped(tiny):
    response = read_answers(ROOT / "tests" / "data" / "tiny-answers.yaml", tiny)
    response = dataclasses.replace(response, date=DAY, pilots=(
        Pilot("<script>alert(1)</script>", "pilot", "2025-01"), Pilot("Fine & dandy", "production", "2024-01")))
    html = render_html(tiny, score_response(tiny, response), generated=DAY)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Fine &amp; dandy" in html


# --- the funnel -------------------------------------------------------------------------------


def test_the_funnel_counts_each_stage_the_pilots_stuck_there_and_those_that_went_further(retailer):
    _, result, _ = retailer
    rows = {(row["stage"], row["part"]): row["count"] for row in _funnel_rows(result.pilots)}
    assert rows == {
        ("Idea", "Went further"): 11,
        ("Pilot", "Stuck here"): 6, ("Pilot", "At this stage"): 2, ("Pilot", "Went further"): 3,
        ("Ready for production", "Stuck here"): 2, ("Ready for production", "Went further"): 1,
        ("In production", "At this stage"): 1,
        ("Scaled", "At this stage"): 0,
        ("Stopped", "Stopped"): 1,
    }


def test_the_funnel_chart_is_one_spec_for_the_app_and_the_report(retailer):
    _, result, _ = retailer
    chart = pilot_funnel(result.pilots).to_dict()
    spec = pilot_funnel_spec(result.pilots)
    assert chart["datasets"] == spec["datasets"]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]


# --- the workshop report ----------------------------------------------------------------------


def test_a_workshop_with_a_register_shows_the_section_with_the_same_figures_as_an_answers_file(tmp_path):
    import services
    from reports import workshop_charts
    from storage import get_engine
    from storage import repository as repo
    from storage import workshops as ws
    from storage.pilots import save_workshop_register

    questionnaire = find_questionnaire("quick-check")
    given = read_answers(RETAILER, questionnaire)
    engine = get_engine(f"sqlite:///{tmp_path / 'phasegate.db'}")
    workshop = ws.create_workshop(engine, "Northwind Stores", questionnaire.id, questionnaire.version)
    for role in ("Executive", "Data & AI"):
        person = ws.join_workshop(engine, workshop, role)
        repo.save_answers(engine, person.id, given.answers)
    save_workshop_register(engine, workshop.id, given.pilots)
    _, current = services.aggregate_stored(engine, ws.get_workshop(engine, workshop.id), questionnaire)
    assert current.result.pilots is not None
    from_file = score_response(questionnaire, dataclasses.replace(given, date=dt.date.today()))
    assert current.result.pilots.verdicts() == from_file.pilots.verdicts()
    assert (current.result.pilots.stuck, current.result.pilots.total) == (from_file.pilots.stuck, 12)
    # The section's text, as the workshop's PDF is laid out from it (the portfolio's layout: the retailer's tests)
    html = render_html(questionnaire, current.result, generated=DAY,
                       workshop=workshop_charts.workshop_view(questionnaire, current, "#1f5f8b"))
    text = html_words(html, "pilots")
    assert "Pilot portfolio" in text and "One verdict per pilot" in text
    assert re.search(r"\d+ of 12 pilots are stuck", text)


def test_a_long_register_shows_the_first_forty_verdicts_and_counts_the_rest(tiny):
    response = read_answers(ROOT / "tests" / "data" / "tiny-answers.yaml", tiny)
    register = tuple(Pilot(f"Stuck {n:03d}", "pilot", "2024-01") for n in range(45)) + tuple(
        Pilot(f"Fix {n}", "pilot", "2026-09", blockers=("data.no-access",)) for n in range(5))
    html = render_html(tiny, score_response(tiny, dataclasses.replace(response, date=DAY, pilots=register)),
                       generated=DAY)
    assert "Stuck 039" in html and "Stuck 040" not in html and "Fix 0<" not in html
    assert "And 10 more pilots (5 to stop, 5 to fix among them)" in html


# --- merge verdicts and the value waiting, the same in the report, the deck and the app -------------------


def grouped_register(value_c=300000.0):
    """Two stuck pilots of one group with neither owner nor baseline (to merge), one to stop, one to fix."""
    return (Pilot("Forecast north", "pilot", "2025-01", value=200000.0, group="forecast"),
            Pilot("Forecast south", "pilot", "2025-03", value=100000.0, group="forecast"),
            Pilot("Old chatbot", "pilot", "2024-06", value=900000.0),
            Pilot("Invoice reader", "pilot", "2025-05", owner=True, value=value_c))


def scored_with(tiny, register, profile=None):
    response = read_answers(ROOT / "tests" / "data" / "tiny-answers.yaml", tiny)
    return score_response(tiny, dataclasses.replace(response, date=DAY, pilots=register,
                                                     organisation_profile=profile))


def test_merge_is_a_verdict_of_the_report_and_the_deck_and_counted_in_their_summaries(tiny):
    from reports.deck import render_deck
    from tests.test_deck import slides

    result = scored_with(tiny, grouped_register())
    html = render_html(tiny, result, generated=DAY)
    assert '<tr class="verdict-merge">' in html and '<span class="verdict">Merge</span>' in html
    assert "merge it with Forecast south into one pilot with a named owner and one KPI." in html
    assert "Verdicts: 1 to stop, 2 to merge and 1 to fix; see page" in html
    deck = slides(render_deck(tiny, result, generated=DAY))
    assert "Verdicts: 1 to stop, 2 to merge and 1 to fix." in next(s["text"] for s in deck
                                                                     if s["title"] == "The pilot portfolio")
    assert "Decide on the 4 stuck pilots: fix, merge or stop, as the triage suggests." in deck[-1]["text"]


@pytest.mark.parametrize(
    "register, currency, shown",
    [(grouped_register(), None, "EUR 600,000"), (grouped_register(), "GBP", "GBP 600,000"),
     (grouped_register(None)[3:], None, "not estimated")],
    ids=["the-setting's-currency", "the-profile's-currency", "no-value-given"],
)
def test_the_value_waiting_reads_the_same_in_the_report_the_deck_and_the_app(tiny, register, currency, shown):
    from reports.deck import render_deck
    from scoring.answers import OrganisationProfile
    from scoring.register import portfolio_figures
    from tests.test_deck import slides

    profile = OrganisationProfile(currency=currency) if currency else None
    result = scored_with(tiny, register, profile)
    html = render_html(tiny, result, generated=DAY)
    assert f'not to be stopped, as given in the register</span></th><td class="num">{shown}</td>' in html
    deck = slides(render_deck(tiny, result, generated=DAY))
    text = next(s["text"] for s in deck if s["title"] == "The pilot portfolio")
    assert f"Value waiting in stuck pilots: {shown}" in text
    figure = next(f for f in portfolio_figures(result.pilots) if f.label == "Value waiting in stuck pilots")
    assert figure.value == shown

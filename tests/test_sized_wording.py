"""A question reads as the organisation was asked it, in the wording for its size, wherever it is shown again: the
deck, the presenter view on the projector, and the unknowns to resolve of a report and of the Results page."""

from __future__ import annotations

import pytest

import services
from reports.deck import workshop_deck
from reports.html import render_html
from reports.workshop_charts import workshop_view
from scoring import Answer, Response, score_response
from scoring.answers import OrganisationProfile
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import set_workshop_profile
from tests.conftest import open_page
from tests.test_deck import slides
from tests.test_presenter import discuss, shown_question

BOARD = "governance.ai-board"
SMALL = "Has one group, such as the leadership team, been given a written mandate"
GENERAL = "Has one AI governance body been given a written mandate"
SIZES = pytest.mark.parametrize("size, shown, not_shown", [("small", SMALL, GENERAL), ("large", GENERAL, SMALL)])


@pytest.fixture
def engine(app_env):
    return get_engine()


def room(engine, size: str):
    """A workshop on ai-maturity whose client has this size; the room disputes the governance body, and one
    participant does not know."""
    workshop = ws.create_workshop(engine, "Example Corp", "ai-maturity", "3.0.0")
    for role, value in (("Executive", 4), ("Data & AI", 0), ("IT & engineering", "dont_know")):
        repo.save_answers(engine, ws.join_workshop(engine, workshop, role).id, {BOARD: Answer(value)})
    set_workshop_profile(engine, workshop.id, {"size": size})
    return workshop


def stored(engine, workshop):
    return ws.get_workshop(engine, workshop.id)


def unknowns_section(html: str) -> str:
    """The text of the report's Unknowns to resolve, on one line."""
    start = html.index('id="unknowns"')
    return " ".join(html[start:html.index("</section>", start)].split())


@SIZES
def test_the_deck_shows_a_disputed_question_as_the_client_was_asked_it(engine, ai_maturity, size, shown, not_shown):
    deck = slides(workshop_deck(engine, stored(engine, room(engine, size)), lambda *_: ai_maturity))
    disputed = next(s["text"] for s in deck if s["title"] == "Where the room disagreed")
    assert shown in disputed and not_shown not in disputed


@SIZES
def test_the_presenter_view_shows_a_disputed_question_as_the_client_was_asked_it(engine, size, shown, not_shown):
    workshop = room(engine, size)
    at = discuss(open_page("app_pages/presenter.py", f=workshop.facilitator_token))
    assert shown_question(at).startswith(shown)


@SIZES
def test_a_workshop_reports_its_unknowns_as_the_client_was_asked_them(engine, ai_maturity, size, shown, not_shown):
    _, aggregate = services.aggregate_stored(engine, stored(engine, room(engine, size)), ai_maturity)
    section = unknowns_section(render_html(ai_maturity, aggregate.result, workshop=workshop_view(ai_maturity, aggregate)))
    assert shown in section and not_shown not in section


@SIZES
def test_an_assessment_reports_its_unknowns_as_the_organisation_was_asked_them(ai_maturity, size, shown, not_shown):
    response = Response("ai-maturity", "3.0.0", {BOARD: Answer("dont_know")}, "Example Corp",
                        organisation_profile=OrganisationProfile(size=size))
    section = unknowns_section(render_html(ai_maturity, score_response(ai_maturity, response)))
    assert shown in section and not_shown not in section


@SIZES
def test_the_results_page_lists_the_unknowns_as_the_organisation_was_asked_them(engine, size, shown, not_shown):
    assessment = repo.create_assessment(engine, "ai-maturity", "3.0.0")
    repo.save_answers(engine, assessment.id, {BOARD: Answer("dont_know")})
    repo.set_profile(engine, assessment.id, {"size": size})
    at = open_page("app_pages/results.py", a=assessment.token)
    unknowns = next(m.value for m in at.markdown if "been given a written mandate" in m.value)
    assert unknowns.startswith(f"- {shown}") and not_shown not in unknowns


@SIZES
def test_the_dashboards_consensus_picker_names_a_question_as_the_client_was_asked_it(engine, size, shown, not_shown):
    workshop = room(engine, size)
    picker = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token).selectbox(key="consensus_question")
    board = next(label for label in picker.options if "been given a written mandate" in label)
    assert board.startswith(shown) and not_shown not in board

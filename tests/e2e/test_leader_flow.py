"""The leader's flow in a real browser, on a desktop (1366×900) and on a phone (390×844): every Next (on a phone,
every answer, which moves on by itself) brings the new step's first question into view, a finished assessment
reopens on its results, the report's branding survives navigation (test_results_pdf.py downloads the PDF the
Results page offers)."""

from __future__ import annotations

import re

import pytest

from scoring.answers import Answer, Response
from scoring.engine import score_response
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import screenshot, stored_quick_check, wait_idle, wait_until
from tests.e2e.test_browser import QUICK, css_key
from ui.flow import single_choice

PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.5 Mobile/15E148 Safari/604.1")
SCREENS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "user_agent": PHONE_AGENT, "is_mobile": True,
              "has_touch": True},
}
CHOICE = 2


@pytest.fixture(params=list(SCREENS))
def screen(request, fresh_page):
    """A page at desktop or phone size (a phone's browser says so in its User-Agent, as real ones do)."""
    opened = fresh_page(**SCREENS[request.param])
    opened.screen_name = request.param
    return opened


def on_screen(page, locator) -> bool:
    """The top of the element, and its first 120 pixels, are inside the viewport."""
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 120) <= page.viewport_size["height"]


def asked(page, question_id: str):
    return page.locator(css_key(f"ask:{question_id}"))


def choose(page, question_id: str) -> None:
    page.locator(css_key(f"q:{question_id}") + " [role='radiogroup'] label").nth(CHOICE).click()


def answered(page, count: int) -> None:
    page.locator("[data-testid='stProgress']").get_by_text(f"{count} of {len(QUICK.questions)} answered").wait_for()


def expected_result():
    return score_response(QUICK, Response(QUICK.id, QUICK.version, {
        q.id: Answer(QUICK.options_for(q)[CHOICE].value) for q in QUICK.questions}))


def test_every_next_brings_the_first_question_of_the_new_step_into_view_and_finish_opens_the_results(screen, server):
    page = screen
    page.goto(server.url)
    page.locator(css_key("start:quick-check") + " button").click()
    first = QUICK.questions[0].id
    asked(page, first).wait_for()
    done = 0
    if page.screen_name == "phone":  # one question per screen, the default on a phone
        # Every question of the quick check is one choice among options: on a phone the app moves on by itself once
        # it is answered, as Next would. Pressing Next as well would race that move: a Next pressed after the new
        # question has been on screen a moment is meant for the new question, and skips it.
        order = [q.id for d in QUICK.domains for q in QUICK.questions if q.domain == d.id]
        assert all(single_choice(QUICK.question(q)) for q in order)
        for index, question_id in enumerate(order):
            if index:
                asked(page, question_id).wait_for()
                # The app scrolls the question into place again once its run ends: a click made as the page
                # moves lands on whatever moved under it.
                wait_idle(page)
                wait_until(lambda: on_screen(page, asked(page, question_id)), timeout=10,
                           what=f"question {index + 1} to be on screen")
            choose(page, question_id)
            done += 1
            answered(page, done)
            if index == 5:
                screenshot(page, "phone-question")
    else:
        for index, domain in enumerate(QUICK.domains):
            questions = [q.id for q in QUICK.questions if q.domain == domain.id]
            if index:
                page.locator(css_key("next") + " button").click()
                page.get_by_role("heading", name=domain.name, exact=True).wait_for()
                wait_idle(page)
                wait_until(lambda: on_screen(page, asked(page, questions[0])), timeout=10,
                           what=f"the first question of {domain.name} to be on screen")
            for question_id in questions:
                choose(page, question_id)
                done += 1
                answered(page, done)
    page.locator(css_key("finish") + " button").click()
    page.get_by_role("heading", name="Where the organisation stands").wait_for()


def sidebar_link(page, name: str) -> None:
    """Open a page from the sidebar (on a phone, open the sidebar first)."""
    nav = page.get_by_test_id("stSidebarNavItems")
    if not nav.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
    nav.get_by_role("link", name=name).click()


def test_a_finished_assessment_resumes_on_its_results(screen, server):
    token = stored_quick_check(server)
    page = screen
    page.goto(f"{server.url}/assessment?a={token}")  # the private link, as given
    page.get_by_role("heading", name="Where the organisation stands").wait_for()
    assert "/results" in page.url and token in page.url
    sidebar_link(page, "Start")  # the start page of the same session offers it, and Continue opens the results too
    page.locator(css_key("continue") + " button").get_by_text("See the results").click()
    page.get_by_role("heading", name="Where the organisation stands").wait_for()


def test_the_report_branding_survives_navigation_and_a_reload(screen, server):
    token = stored_quick_check(server)
    page = screen
    page.goto(f"{server.url}/report?a={token}")
    field = page.locator(css_key("prepared_by") + " input")
    field.fill("Northwind Advisory")
    field.press("Enter")
    wait_idle(page)
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        wait_until(lambda: (repo.find_assessment(engine, token).branding or {}).get("prepared_by")
                   == "Northwind Advisory", what="the branding to be stored")
    finally:
        dispose_all()
    page.goto(f"{server.url}/results?a={token}")  # away, then back by the link on Results
    page.locator(css_key("pdf_box")).get_by_role("link", name="Branding, the full report and the answers file").click()
    wait_until(lambda: page.locator(css_key("prepared_by") + " input").input_value() == "Northwind Advisory",
               what="prepared-by to be shown again")
    page.reload()
    wait_until(lambda: page.locator(css_key("prepared_by") + " input").input_value() == "Northwind Advisory",
               what="prepared-by to be shown after a reload")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("opened", "expected"), [
    ("nothing", ["Start", "Join a workshop", "New workshop"]),
    ("leader", ["Start", "Assessment", "Results", "Report"]),
    ("participant", ["Assessment", "Results"]),
])
def test_the_sidebar_lists_only_the_pages_that_make_sense(page, server, opened, expected):
    if opened == "nothing":
        page.goto(server.url)
    elif opened == "leader":
        page.goto(f"{server.url}/results?a={stored_quick_check(server)}")
    else:
        from storage import workshops as ws

        engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
        try:
            workshop = ws.create_workshop(engine, "Client", QUICK.id, QUICK.version)
            participant = ws.join_workshop(engine, workshop, workshop.roles[0].name)
        finally:
            dispose_all()
        page.goto(f"{server.url}/assessment?a={participant.token}")
    wait_idle(page)
    links = page.get_by_test_id("stSidebarNavItems").get_by_role("link")
    wait_until(lambda: links.count() == len(expected), what=f"{len(expected)} sidebar entries")
    assert [links.nth(i).inner_text().split("\n")[-1].strip() for i in range(links.count())] == expected

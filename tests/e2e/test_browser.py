"""The leader's journey in a real browser: start, answer, reload, restart the server, finish (test_results_pdf.py
answers everything and downloads the PDF)."""

from __future__ import annotations

from questionnaires import find_questionnaire
from questionnaires.models import question_count
from scoring.answers import Answer
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import css_key, live_key, screenshot, wait_idle, wait_until

QUICK = find_questionnaire("quick-check")
CHOICE = 2  # the third option ("Defined") everywhere
ORGANISATION = "Example Corp <b>&</b>"


def start_quick_check(page, server, organisation: str = "") -> str:
    page.goto(server.url)
    if organisation:
        field = page.locator(css_key("start_organisation") + " input")
        field.fill(organisation)
        field.press("Enter")
    page.locator(css_key("start:quick-check") + " button").click()
    page.locator(css_key(f"q:{QUICK.questions[0].id}")).wait_for()
    return page.url.split("?a=")[1]


def wait_for_progress(page, answered: int) -> None:
    page.locator("[data-testid='stProgress']").get_by_text(f"{answered} of {len(QUICK.questions)} answered").wait_for()


def choose(page, question_id: str, index: int = CHOICE) -> None:
    page.locator(css_key(f"q:{question_id}") + " [role='radiogroup'] label").nth(index).click()


def answer_step(page, domain_id: str, done: int, limit: int | None = None) -> int:
    """Answer the questions of one domain step in order; the number answered so far."""
    for question in [q for q in QUICK.questions if q.domain == domain_id][:limit]:
        choose(page, question.id)
        done += 1
        wait_for_progress(page, done)
    return done


def next_step(page, domain_name: str) -> None:
    """Move on to the next step and wait for its run to end: the app then scrolls the step into place, and a click
    made as the page moves would land on whatever moved under it."""
    page.locator(live_key("next") + " button").click()
    page.get_by_role("heading", name=domain_name, exact=True).wait_for()
    wait_idle(page)


def checked(page, question_id: str) -> list[bool]:
    radios = page.locator(css_key(f"q:{question_id}") + " input[type='radio']")
    radios.first.wait_for(state="attached")
    return [radios.nth(i).is_checked() for i in range(radios.count())]


def stored_answers(server, token: str) -> dict[str, Answer]:
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        return repo.load_answers(engine, repo.find_assessment(engine, token).id)
    finally:
        dispose_all()


def test_the_start_page_names_the_product_and_offers_three_ways_in(page, server):
    page.goto(server.url)
    page.get_by_role("heading", name="Phasegate", exact=True).wait_for()
    page.get_by_role("link", name="Join with a code").wait_for()
    page.get_by_role("link", name="Run a workshop").wait_for()
    for questionnaire_id in ("quick-check", "ai-maturity"):
        page.locator(css_key(f"start:{questionnaire_id}") + " button").wait_for()
    screenshot(page, "start")
    count = question_count(QUICK)
    assert page.get_by_text(f"{count.text()} · {len(QUICK.domains)} domains").count() == 1
    assert count.text() == f"{len(QUICK.questions)} questions, about {QUICK.estimated_minutes} minutes"


def test_answers_are_kept_when_the_page_is_reloaded(page, server):
    token = start_quick_check(page, server)
    first = QUICK.domains[0].id
    answer_step(page, first, 0, limit=3)
    screenshot(page, "assessment")
    page.reload()
    wait_for_progress(page, 3)
    for question in [q for q in QUICK.questions if q.domain == first][:3]:
        assert checked(page, question.id)[CHOICE]
    assert {a.value for a in stored_answers(server, token).values()} == {CHOICE}


def test_finishing_too_early_lists_what_is_missing(page, server):
    start_quick_check(page, server)
    answer_step(page, QUICK.domains[0].id, 0, limit=1)
    page.locator(css_key("finish") + " button").click()
    page.get_by_text(f"{len(QUICK.questions) - 1} required questions are still open").wait_for()
    go_to_last = page.locator(css_key(f"goto:{QUICK.domains[-1].id}") + " button")
    go_to_last.wait_for()
    screenshot(page, "assessment-missing")
    go_to_last.click()
    page.get_by_role("heading", name=QUICK.domains[-1].name, exact=True).wait_for()


def finish_quick_check(page, server, organisation: str = "") -> str:
    """Start the quick check, answer every step in order, finish; the resume token."""
    token = start_quick_check(page, server, organisation)
    done = 0
    for index, domain in enumerate(QUICK.domains):
        if index:
            next_step(page, domain.name)
        done = answer_step(page, domain.id, done)
    page.locator(css_key("finish") + " button").click()
    return token


def test_an_unknown_resume_link_shows_a_friendly_page(page, server):
    page.goto(f"{server.url}/assessment?a={'x' * 43}")
    page.get_by_role("heading", name="We could not find that assessment").wait_for()
    page.locator(css_key("forget_link") + " button").wait_for()
    screenshot(page, "not-found")
    assert "Traceback" not in page.content()


def test_a_server_restart_mid_assessment_loses_nothing(page, server):
    token = start_quick_check(page, server)
    answer_step(page, QUICK.domains[0].id, 0, limit=2)
    question = QUICK.questions[0].id
    page.locator(css_key(f"q:{question}")).locator("..").get_by_text("Note (optional)").click()
    note = page.locator(css_key(f"note:{question}") + " textarea")
    note.fill("Owners known for finance data only")
    note.press("Tab")
    wait_until(lambda: stored_answers(server, token).get(question, Answer(None)).note, what="the note to be saved")
    link = page.url
    page.get_by_text("Your private resume link").click()
    assert page.locator("code").filter(has_text=token).count() == 1

    server.stop()
    server.start()
    page.goto(link)
    wait_for_progress(page, 2)
    assert checked(page, question)[CHOICE]
    assert page.locator(css_key(f"note:{question}") + " textarea").input_value() == "Owners known for finance data only"

"""One question per screen on a phone (390x844), on a machine whose cores are all busy: a single choice moves on
to the next question by itself and is stored; Back returns to it and shows the choice; a Next tapped right after a
choice never skips a question; the bar's Next or Finish is on screen without scrolling; a desktop window narrowed
to a phone's width gets the same layout."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from scoring.answers import Answer
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import css_key, live_key, wait_idle, wait_until
from tests.e2e.test_browser import CHOICE, QUICK, start_quick_check, stored_answers
from tests.e2e.test_leader_flow import SCREENS

ORDER = [q for d in QUICK.domains for q in QUICK.questions if q.domain == d.id]  # the order they are asked in
DRAWN = """(() => {
  const box = [...document.querySelectorAll("[class*='st-key-ask-']")].find((e) => !e.closest("[data-stale='true']"));
  return box ? [...box.classList].find((c) => c.startsWith("st-key-ask-")).slice("st-key-ask-".length) : null;
})()"""
# The app has finished its run, and no choice is waiting to move on, nor a move to settle.
SETTLED = """(() => {
  const app = document.querySelector("[data-testid='stApp']");
  const phone = window.phasegatePhone;
  return app.dataset.testScriptState === "notRunning" && (!phone || (!phone.pending && !phone.guard));
})()"""


@pytest.fixture
def phone(fresh_page):
    opened = fresh_page(**SCREENS["phone"])
    opened.set_default_timeout(60_000)
    return opened


def drawn(page) -> str | None:
    """The question drawn on screen now, as the class its key gives it."""
    return page.evaluate(DRAWN)


def class_of(question) -> str:
    return css_key(question.id)[len(".st-key-"):]


def wait_drawn(page, question) -> None:
    wait_until(lambda: drawn(page) == class_of(question), timeout=60, what=f"{question.id} to be drawn")


def settle(page) -> None:
    wait_until(lambda: page.evaluate(SETTLED), timeout=60, what="the app to settle")


def option(page, question, index: int = CHOICE):
    return page.locator(live_key(f"q:{question.id}") + " [role='radiogroup'] label").nth(index)


def tap(locator) -> None:
    """Tap what is drawn there now; a tap that meets nothing (the element went as the finger came) is no error."""
    try:
        locator.tap(force=True, timeout=10_000)
    except PlaywrightError:
        pass


def value_of(question, index: int = CHOICE):
    return QUICK.options_for(question)[index].value


def stored_value(server, token: str, question):
    answer = stored_answers(server, token).get(question.id)
    return answer.value if answer else None


def in_view(page, selector: str) -> bool:
    """The whole element is inside the screen as it is scrolled now."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_choice_moves_on_by_itself_is_stored_and_back_shows_it(phone, server, busy_cores):
    token = start_quick_check(phone, server)
    for index, question in enumerate(ORDER[:3]):
        wait_drawn(phone, question)
        wait_idle(phone)
        option(phone, question).tap()
        wait_drawn(phone, ORDER[index + 1])  # nothing but the choice was tapped
        wait_until(lambda: stored_value(server, token, question) == value_of(question),
                   what=f"the answer to {question.id} to be stored")
    phone.locator(live_key("previous") + " button").tap()
    wait_drawn(phone, ORDER[2])
    expect(option(phone, ORDER[2]).locator("input")).to_be_checked()
    settle(phone)
    assert drawn(phone) == class_of(ORDER[2])  # Back is no choice: the question stays until the reader moves on
    assert stored_value(server, token, ORDER[3]) is None


@pytest.mark.parametrize("when", ["at once", "as the app moves on"])
def test_next_tapped_right_after_a_choice_skips_no_question(phone, server, busy_cores, when):
    token = start_quick_check(phone, server)
    first, second = ORDER[0], ORDER[1]
    wait_drawn(phone, first)
    wait_idle(phone)
    option(phone, first).tap()
    if when == "as the app moves on":  # the app has pressed Next for the reader, who presses it too
        wait_until(lambda: phone.evaluate("!!(window.phasegatePhone && window.phasegatePhone.guard)"),
                   what="the app to move on by itself")
    tap(phone.locator(live_key("next") + " button").first)
    wait_drawn(phone, second)
    settle(phone)
    assert drawn(phone) == class_of(second)
    wait_until(lambda: stored_value(server, token, first) == value_of(first), what="the first answer to be stored")
    assert stored_value(server, token, second) is None


def stored_but_the_last(server) -> str:
    """A quick check with every question answered but the last; its resume token."""
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        created = repo.create_assessment(engine, QUICK.id, QUICK.version)
        repo.save_answers(engine, created.id, {q.id: Answer(value_of(q)) for q in ORDER[:-1]})
        return created.token
    finally:
        dispose_all()


def test_the_bars_next_and_finish_are_on_screen_without_scrolling(phone, server, busy_cores):
    start_quick_check(phone, server)
    wait_drawn(phone, ORDER[0])
    settle(phone)
    assert in_view(phone, live_key("next") + " button")
    option(phone, ORDER[0]).tap()
    wait_drawn(phone, ORDER[1])
    settle(phone)
    assert in_view(phone, live_key("next") + " button") and in_view(phone, live_key("previous") + " button")

    token = stored_but_the_last(server)
    phone.goto(f"{server.url}/assessment?a={token}")  # resumes on the last question
    wait_drawn(phone, ORDER[-1])
    settle(phone)
    assert in_view(phone, live_key("finish") + " button")
    option(phone, ORDER[-1]).tap()  # the last choice does not finish by itself
    wait_until(lambda: stored_value(server, token, ORDER[-1]) == value_of(ORDER[-1]),
               what="the last answer to be stored")
    settle(phone)
    assert drawn(phone) == class_of(ORDER[-1])


def test_a_desktop_window_narrowed_to_a_phones_width_gets_one_question_per_screen(fresh_page, server):
    page = fresh_page()
    page.set_default_timeout(60_000)
    start_quick_check(page, server)
    wait_idle(page)
    assert page.locator(css_key("focus_buttons")).count() == 0  # a desktop: one domain per step
    page.set_viewport_size({"width": 500, "height": 900})
    page.locator(live_key("focus_buttons")).wait_for()
    assert in_view(page, live_key("next") + " button")
    page.set_viewport_size({"width": 1280, "height": 900})  # widened again: back to one domain per step
    page.locator(css_key("focus_buttons")).wait_for(state="detached")

"""Answering as fast as a browser can click, on a machine whose cores are all busy, loses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM_ARGS, live_key, wait_idle  # noqa: F401 - CHROMIUM_ARGS documents the launch
from tests.e2e.test_browser import CHOICE, QUICK, css_key, start_quick_check, stored_answers

ROUNDS = 6


def answer_everything_fast(page) -> int:
    """Click one option per question and Next between domains, never waiting for the app to settle; the number
    of clicks the browser itself dropped (and that were clicked again).

    A click counts once the browser shows the option chosen, which it does at once, before the app hears of it.
    A click that moved nothing on screen (the press ended off the option while the page shifted) is made again,
    as a person would; what is asserted is that every choice the browser showed reaches the database."""
    dropped = 0
    for index, domain in enumerate(QUICK.domains):
        if index:
            page.locator(live_key("next") + " button").click()
        for question in [q for q in QUICK.questions if q.domain == domain.id]:
            option = page.locator(css_key(f"q:{question.id}") + " [role='radiogroup'] label").nth(CHOICE)
            option.click()
            try:
                expect(option.locator("input")).to_be_checked(timeout=5_000)
            except AssertionError:
                dropped += 1
                option.click()
    return dropped


@pytest.mark.parametrize("round_number", range(1, ROUNDS + 1))
def test_every_fast_click_is_saved_on_a_busy_machine(fresh_page, server, busy_cores, round_number):
    page = fresh_page()
    page.set_default_timeout(60_000)
    token = start_quick_check(page, server)
    dropped = answer_everything_fast(page)
    if dropped:
        print(f"the browser dropped {dropped} click(s); each was made again")
    total = len(QUICK.questions)
    try:
        page.locator("[data-testid='stProgress']").get_by_text(f"{total} of {total} answered").wait_for()
    except Exception:  # say which answers are missing, and what the page shows, rather than only "timed out"
        missing = sorted({q.id for q in QUICK.questions} - set(stored_answers(server, token)))
        progress = page.locator("[data-testid='stProgress']").inner_text(timeout=5_000)
        raise AssertionError(f"not saved: {missing}; the page shows {progress!r}") from None
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    saved = stored_answers(server, token)
    assert {qid: answer.value for qid, answer in saved.items()} == {
        q.id: QUICK.options_for(q)[CHOICE].value for q in QUICK.questions}

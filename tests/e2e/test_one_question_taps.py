"""One question per screen on a phone, on a machine whose cores are all busy: taps made while the screen changes
from one question to the next count for the question whose options were tapped, and that question's header is
the one drawn above those options."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import css_key, live_key, wait_idle, wait_until
from tests.e2e.test_browser import QUICK, start_quick_check, stored_answers
from tests.e2e.test_leader_flow import SCREENS

ORDER = [q for d in QUICK.domains for q in QUICK.questions if q.domain == d.id]  # the order they are asked in
PATTERN = (3, 0, 4, 1, 2)  # option per question, so that neighbouring questions get different answers
ROUNDS = 3  # passes through the questionnaire, each with other answers
QUESTION_KEYS = {css_key(f"q:{q.id}")[1:]: q for q in QUICK.questions}  # the class of a question's widget

# Records every choice the browser makes, at the moment it makes it: which question's options it was, which
# option, and which question the header drawn above those options named ("Question k of n").
RECORDER = """
(() => {
  window.headerAbove = (element) => {
    let header = null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!(node.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
      const found = /Question (\\d+) of \\d+/.exec(node.textContent);
      if (found) header = Number(found[1]);
    }
    return header;
  };
  window.taps = [];
  document.addEventListener("click", (event) => {
    const label = event.target.closest && event.target.closest("[role='radiogroup'] label");
    const widget = label && label.closest("[class*='st-key-q-']");
    if (!widget) return;
    const group = label.closest("[role='radiogroup']");
    window.taps.push({
      widget: [...widget.classList].find((name) => name.startsWith("st-key-q-")),
      option: [...group.querySelectorAll("label")].indexOf(label),
      header: window.headerAbove(group),
      stale: !!label.closest("[data-stale='true']"),
    });
  }, true);
})();
"""
OPTIONS = "[class*='st-key-q-'] [role='radiogroup']"


def header_now(page) -> int | None:
    """The question number the header above the options on screen names, as a reader would read it."""
    return page.evaluate(f"(() => {{ const g = document.querySelector(\"{OPTIONS}\"); "
                         "return g ? window.headerAbove(g) : null; })()")


def tap(locator) -> None:
    """Tap what is drawn there now; a tap that meets nothing (the element went as the finger came) is no error."""
    try:
        locator.tap(force=True, timeout=10_000)
    except PlaywrightError:
        pass


def moved_on(page, last: list) -> bool:
    """The header names another question than `last` (the one before Next was tapped) within a reader's patience."""
    try:
        wait_until(lambda: header_now(page) not in (None, *last), timeout=20, what="the header to move on")
    except AssertionError:
        return False
    return True


def answers(server, token: str) -> dict:
    """The stored answers that hold a value (a saved note alone is no answer)."""
    return {question_id: answer.value for question_id, answer in stored_answers(server, token).items()
            if answer.value is not None}


def option_for(question, round_number: int) -> int:
    return PATTERN[(ORDER.index(question) + round_number) % len(PATTERN)]


def tapped_since(page, before: int, timeout: float) -> bool:
    """A tap made after `before` taps were recorded has been recorded within `timeout` seconds. The browser makes
    the click of a tap after the touch ends, so on a busy machine it can come after the tap has returned."""
    try:
        wait_until(lambda: page.evaluate("window.taps.length") > before, timeout=timeout, what="the tap's click")
    except AssertionError:
        return False
    return True


def chosen_now(page) -> int | None:
    """The option the live options on screen show chosen (None: none is)."""
    return page.evaluate(f"""(() => {{
        const group = [...document.querySelectorAll("{OPTIONS}")].find((g) => !g.closest("[data-stale='true']"));
        if (!group) return null;
        const found = [...group.querySelectorAll("input[type='radio']")].findIndex((input) => input.checked);
        return found < 0 ? null : found; }})()""")


def took(page, number: int, option: int) -> bool:
    """The tap just recorded on question `number` shows: its option is drawn chosen, or the app has moved on (a
    chosen option leads on by itself). A tap the page swallowed shows no choice: the options it met were drawn
    anew under the finger (Streamlit redraws a question's options as its run ends) and the new ones are unchosen,
    which a reader sees, and taps again. An option drawn chosen that is then not stored is what the test catches."""
    def shows() -> bool:
        header = header_now(page)
        return header is not None and (header != number or chosen_now(page) == option)

    try:
        wait_until(shows, timeout=3, what=f"question {number}'s option {option} to show chosen")
    except AssertionError:
        wait_idle(page)
        return shows()
    return True


def tap_option(page, number: int, option: int) -> bool:
    """Tap an option of question `number` at once; a tap that met no option (the page moved under the finger), or
    that the page swallowed (see `took`), is made again once the app has settled with that question's options
    drawn, as a reader would wait and tap again. True when the app has already moved on to a later question by
    itself (a late click's answer moved it on)."""
    deadline = time.monotonic() + 90
    while True:
        before = page.evaluate("window.taps.length")
        tap(page.locator(OPTIONS).first.locator("label").nth(option))
        if tapped_since(page, before, timeout=5) and took(page, number, option):
            return False
        wait_idle(page)
        if tapped_since(page, before, timeout=0) and took(page, number, option):  # its click came as the run ended
            return False
        if time.monotonic() > deadline:
            raise AssertionError(f"no tap on question {number}'s options met an option within 90 s")
        wait_until(lambda: (header_now(page) or 0) >= number, timeout=60, what=f"question {number} or a later one")
        if header_now(page) > number:  # the app moved on by itself, after a tap whose click came late: give the
            tapped_since(page, before, timeout=10)  # click time to be recorded; whether question `number` was
            return True  # answered, with the option tapped, is what the test checks at the end


def tap_through(page, round_number: int) -> list[int]:
    """As a quick reader would: tap Next, and as soon as the header names another question, tap that question's
    option in the options drawn; then Next at once, never waiting for the app to finish its run."""
    seen = []
    for _ in range(2 * len(ORDER)):
        if not moved_on(page, seen[-1:]):  # the Next tapped took the reader nowhere: tap it again, as they would
            tap(page.locator(live_key("next") + " button").first)
            wait_until(lambda: header_now(page) not in (None, *seen[-1:]), what=f"the header to move on from {seen}")
        number = header_now(page)
        seen.append(number)
        question = ORDER[number - 1]
        moved = tap_option(page, number, option_for(question, round_number))
        if number == len(ORDER):
            return seen
        if not moved:
            tap(page.locator(live_key("next") + " button").first)  # the Next of this question
    raise AssertionError(f"the last question was never reached; the headers read: {seen}")


def read_taps(taps: list[dict]) -> tuple[dict, dict, list]:
    """The answer per question by the header drawn above the options tapped, the answer per question by the
    options tapped, and the taps made under another question's header (header, options)."""
    meant, given, mixed = {}, {}, []
    for tap in taps:
        own = QUESTION_KEYS[tap["widget"]]
        headed = ORDER[tap["header"] - 1] if tap["header"] else None
        if headed is not own:
            mixed.append((headed.id if headed else None, own.id))
        given[own.id] = [o.value for o in QUICK.options_for(own)][tap["option"]]
        if headed is not None:
            meant[headed.id] = [o.value for o in QUICK.options_for(headed)][tap["option"]]
    return meant, given, mixed


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_taps_during_transitions_count_for_the_question_tapped(fresh_page, server, busy_cores, round_number):
    page = fresh_page(**SCREENS["phone"])
    page.set_default_timeout(60_000)
    token = start_quick_check(page, server)
    page.add_script_tag(content=RECORDER)  # the questions are drawn in this same document from now on
    headers = tap_through(page, round_number)
    wait_idle(page)
    try:  # every tap made reaches the database; when one does not, the comparison below says which
        wait_until(lambda: answers(server, token) == read_taps(page.evaluate("window.taps"))[1], timeout=30,
                   what="every tapped answer to be stored")
    except AssertionError:
        pass
    # Read once the answers are stored: a click the browser made late, after its tap had returned, is among them.
    taps = page.evaluate("window.taps")
    meant, given, mixed = read_taps(taps)
    stored = answers(server, token)
    print(f"{len(taps)} taps ({sum(t['stale'] for t in taps)} on options left from the run before), "
          f"{len(stored)} answers stored, {len(mixed)} taps under another question's header, "
          f"{sum(stored.get(k) != v for k, v in meant.items())} answers differ from the option tapped")
    assert mixed == [], f"options tapped under another question's header (header, options): {mixed}"
    assert stored == given, {k: (stored.get(k), given.get(k)) for k in {*stored, *given}
                             if stored.get(k) != given.get(k)}
    assert stored == meant
    assert set(stored) == {q.id for q in ORDER}, f"the headers read after each Next: {headers}"

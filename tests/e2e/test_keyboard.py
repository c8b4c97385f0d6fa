"""A keyboard alone can do what a mouse can: the quick check answered from the start page to the PDF download with
Tab, Space, Enter and the arrow keys only, every focused control showing a visible focus ring."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from storage import repository as repo
from storage.engine import connect
from tests.e2e.conftest import css_key, wait_idle, wait_until
from tests.e2e.test_browser import QUICK
from tests.e2e.test_leader_flow import expected_result
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.pdf_workers  # its app server renders real PDFs (the others use a stand-in)

MAX_TABS = 80  # more than any screen of the quick check has controls before the one wanted

FOCUSED_IN = "(selector) => { const at = document.activeElement; return !!(at && at.closest(selector)); }"
# The focused element, or the label or box around it, is drawn differently from when it is not focused: an outline
# or a box shadow that is not "none".
FOCUS_SHOWN = """() => {
  const at = document.activeElement;
  const drawn = (element) => {
    const style = getComputedStyle(element);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  };
  for (let element = at, depth = 0; element && depth < 4; element = element.parentElement, depth += 1) {
    if (drawn(element)) return true;
  }
  return false;
}"""


def tab_to(page, selector: str, what: str) -> None:
    """Press Tab until the focus is on (or inside) `selector`; the focus must show where it is."""
    wait_idle(page)
    for _ in range(MAX_TABS):
        if page.evaluate(FOCUSED_IN, selector):
            assert page.evaluate(FOCUS_SHOWN), f"{what} has the focus but shows no focus ring"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {what}")


def answered(page, count: int) -> None:
    page.locator("[data-testid='stProgress']").get_by_text(f"{count} of {len(QUICK.questions)} answered").wait_for()


@pytest.fixture
def stored(server) -> Iterator[Callable[[str], dict]]:
    """The values stored for an assessment's answers by its token: a reader of its own that only reads, so
    waiting on it never takes the database's write lock from the app's saves."""
    engine = connect(f"sqlite:///{server.data_dir / 'phasegate.db'}")

    def values(token: str) -> dict:
        assessment = repo.find_assessment(engine, token)
        return {qid: answer.value for qid, answer in repo.load_answers(engine, assessment.id).items()}

    yield values
    engine.dispose()


def answer_by_keyboard(page, question_id: str, done: int, stored_now: Callable[[], dict]) -> None:
    """Tab into the question's choices, pick the first with Space, then move two down with the arrow key; the
    third choice is what the screen shows and, before anything else is pressed, what is stored. Waiting here,
    rather than once at the end, keeps a later full run of the page (Next saves what a widget holds and was not
    saved) from covering for an arrow key whose choice was lost."""
    tab_to(page, css_key(f"q:{question_id}") + " [role='radiogroup']", f"the choices of {question_id}")
    page.keyboard.press("Space")
    answered(page, done)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    radios = page.locator(css_key(f"q:{question_id}") + " input[type='radio']")
    wait_until(lambda: radios.nth(2).is_checked(), what=f"the third choice of {question_id} to be picked")
    third = QUICK.options_for(QUICK.question(question_id))[2].value
    try:
        wait_until(lambda: stored_now().get(question_id) == third, timeout=60,
                   what=f"the third choice of {question_id}, as the arrow keys left it, to be stored")
    except AssertionError:
        left = stored_now().get(question_id)
        raise AssertionError(f"{question_id}: {left!r} is stored, the arrow keys left {third!r}") from None
    wait_idle(page)
    assert radios.nth(2).is_checked(), f"{question_id}: the screen no longer shows the choice that was stored"


def test_the_quick_check_is_answered_and_its_pdf_downloaded_with_the_keyboard_alone(page, server, stored, busy_cores):
    page.goto(server.url)
    page.get_by_role("heading", name="Phasegate", exact=True).wait_for()
    tab_to(page, css_key("start:quick-check") + " button", "the quick check's start button")
    page.keyboard.press("Enter")
    page.locator(css_key(f"q:{QUICK.questions[0].id}")).wait_for()
    token = page.url.split("?a=")[1]
    done = 0
    for index, domain in enumerate(QUICK.domains):
        if index:
            tab_to(page, css_key("next") + " button", "Next")
            page.keyboard.press("Enter")
            page.get_by_role("heading", name=domain.name, exact=True).wait_for()
        for question in [q for q in QUICK.questions if q.domain == domain.id]:
            done += 1
            answer_by_keyboard(page, question.id, done, lambda: stored(token))
    assert stored(token) == {q.id: QUICK.options_for(q)[2].value for q in QUICK.questions}

    tab_to(page, css_key("finish") + " button", "Finish")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Where the organisation stands").wait_for()
    ready = css_key("results_pdf") + " button"
    page.locator(ready).wait_for(timeout=180_000)  # laid out in the background; the button appears when it is ready
    tab_to(page, ready, "Download PDF")
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    text = pdf_text(started.value.path())
    assert QUICK.title in text and expected_result().overall.phase_name in text

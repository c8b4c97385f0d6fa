"""A keyboard alone can do what a mouse can: the quick check answered from the start page to the PDF download with
Tab, Space, Enter and the arrow keys only, every focused control showing a visible focus ring."""

from __future__ import annotations

from pypdf import PdfReader

from tests.e2e.conftest import css_key, wait_idle, wait_until
from tests.e2e.test_browser import QUICK, stored_answers
from tests.e2e.test_leader_flow import expected_result

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


def answer_by_keyboard(page, question_id: str, done: int) -> None:
    """Tab into the question's choices, pick the first with Space, then move two down with the arrow key."""
    tab_to(page, css_key(f"q:{question_id}") + " [role='radiogroup']", f"the choices of {question_id}")
    page.keyboard.press("Space")
    answered(page, done)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    radios = page.locator(css_key(f"q:{question_id}") + " input[type='radio']")
    wait_until(lambda: radios.nth(2).is_checked(), what=f"the third choice of {question_id} to be picked")


def test_the_quick_check_is_answered_and_its_pdf_downloaded_with_the_keyboard_alone(page, server, busy_cores):
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
            answer_by_keyboard(page, question.id, done)
    picked = {q.id: QUICK.options_for(q)[2].value for q in QUICK.questions}

    def stored() -> dict:
        return {qid: a.value for qid, a in stored_answers(server, token).items()}

    try:
        wait_until(lambda: stored() == picked, timeout=60, what="every answer, as the arrow keys left it, to be stored")
    except AssertionError:
        now = stored()
        raise AssertionError({qid: (now.get(qid), value) for qid, value in picked.items() if now.get(qid) != value})

    tab_to(page, css_key("finish") + " button", "Finish")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Where the organisation stands").wait_for()
    ready = css_key("results_pdf") + " button"
    page.locator(ready).wait_for(timeout=180_000)  # laid out in the background; the button appears when it is ready
    tab_to(page, ready, "Download PDF")
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    text = "\n".join(p.extract_text() for p in PdfReader(started.value.path()).pages)
    assert QUICK.title in text and expected_result().overall.phase_name in text

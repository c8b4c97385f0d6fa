"""A leader re-assesses in a real browser, on a machine whose cores are all busy: the second quick check starts
from the first, two answers change, and the PDF shows both domains' progress."""

from __future__ import annotations

import re

import pytest

from scoring.answers import Answer, Response
from scoring.compare import compare_results
from scoring.engine import score_response
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import screenshot, stored_quick_check, wait_idle, wait_until
from tests.e2e.test_browser import CHOICE, QUICK, choose, css_key, next_step
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.pdf_workers  # its app server renders real PDFs (the others use a stand-in)

RAISED = {"data.ownership": 4, "governance.ai-inventory": 4}  # "Optimised": both phase-1 questions reach the bar
CONFIRMED = "data.quality-standards"


def stored(server, token: str) -> tuple[dict[str, Answer], set[str], repo.Assessment]:
    """The answers, the still carried-over question ids and the row of the assessment with this token."""
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        found = repo.find_assessment(engine, token)
        return repo.load_answers(engine, found.id), repo.carried_over_ids(engine, found.id), found
    finally:
        dispose_all()


def expected_progress():
    first = {q.id: Answer(QUICK.options_for(q)[CHOICE].value) for q in QUICK.questions}
    second = {**first, **{qid: Answer(value) for qid, value in RAISED.items()}}
    before, now = (score_response(QUICK, Response(QUICK.id, QUICK.version, answers)) for answers in (first, second))
    return compare_results(QUICK, before, QUICK, now)


def finished_and_on_results(page, server) -> str:
    """The first quick check, finished (stored directly: answering is driven in test_browser), open on Results."""
    token = stored_quick_check(server)
    page.goto(f"{server.url}/results?a={token}")
    page.get_by_role("heading", name="Where the organisation stands").wait_for()
    return token


def test_a_leader_reassesses_changes_two_answers_and_the_pdf_shows_both_deltas(page, server, busy_cores):
    page.set_default_timeout(60_000)
    first = finished_and_on_results(page, server)
    page.locator(css_key("start_reassessment") + " button").click()
    page.locator(css_key(f"confirm:{QUICK.questions[0].id}") + " button").wait_for()
    second = page.url.split("?a=")[1]
    assert second != first
    total = len(QUICK.questions)
    page.locator("[data-testid='stProgress']").get_by_text(f"{total} of {total} answered").wait_for()
    first_step = [q.id for q in QUICK.questions if q.domain == QUICK.domains[0].id]
    for question_id in first_step:
        page.locator(css_key(f"confirm:{question_id}") + " button").wait_for()
    wait_idle(page)
    assert page.get_by_text("Carried over — confirm or change").count() == len(first_step)
    screenshot(page, "reassessment-carried-over")

    everything = {q.id for q in QUICK.questions}
    page.locator(css_key(f"confirm:{CONFIRMED}") + " button").click()
    wait_until(lambda: stored(server, second)[1] == everything - {CONFIRMED}, what="the confirmed answer's mark to go")
    page.locator(css_key(f"confirm:{CONFIRMED}")).wait_for(state="detached")
    wait_idle(page)
    choose(page, "data.ownership", RAISED["data.ownership"])  # above the confirmed one: nothing moved under it
    wait_until(lambda: stored(server, second)[1] == everything - {CONFIRMED, "data.ownership"},
               what="the changed answer's mark to go")
    page.locator(css_key("confirm:data.ownership")).wait_for(state="detached")
    wait_idle(page)  # a click while the page is being redrawn can land on a button that moved under it
    next_step(page, "Governance")
    wait_idle(page)
    choose(page, "governance.ai-inventory", RAISED["governance.ai-inventory"])
    wait_until(lambda: stored(server, second)[0]["governance.ai-inventory"].value == 4,
               what="the second changed answer to be saved")
    answers, carried, row = stored(server, second)
    assert {qid: answers[qid].value for qid in RAISED} == RAISED
    assert carried == everything - {*RAISED, CONFIRMED}
    assert row.baseline_id == stored(server, first)[2].id

    wait_idle(page)
    page.locator(css_key("finish") + " button").click()
    left = len(everything - {*RAISED, CONFIRMED})  # still carried over: Finish asks to confirm them first
    page.locator(css_key("confirm_all_finish") + " button").get_by_text(f"Confirm all {left} and see results").wait_for()
    screenshot(page, "reassessment-finish-prompt")
    page.locator(css_key("confirm_all_finish") + " button").click()
    progress = expected_progress()
    page.get_by_role("heading", name=re.compile(r"^Progress since \d+ \w+ \d{4}$")).wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "reassessment-results")

    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Report").click()
    download_button = page.locator(css_key("download_pdf") + " button")
    download_button.wait_for(timeout=240_000)
    with page.expect_download() as download:
        download_button.click()
    text = pdf_text(download.value.path())
    assert re.search(r"Progress since \d+ \w+ \d{4}", text)
    for domain in progress.domains:
        if domain.change:
            row = rf"{domain.name}\s+{domain.index_before:.1f}\s+{domain.index_now:.1f}\s+\+{domain.change:.1f}"
            assert re.search(row, text), row
    assert [d.name for d in progress.domains if d.change] == ["Data", "Governance"]
    flat = " ".join(text.split())
    for step in progress.closed_steps:
        assert step.action in flat

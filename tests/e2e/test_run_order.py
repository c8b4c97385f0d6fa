"""A question answered while its step is still being drawn leaves the step drawn whole (ui/run_order.py), with the
race that loses a run's end forced by the server (tests/e2e/late_pieces.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Server, live_key
from tests.e2e.test_browser import CHOICE, QUICK, css_key, start_quick_check, stored_answers, wait_for_progress

STEPS = 2  # each step is drawn while its first question is answered


@pytest.fixture(scope="module")
def late_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("late") / "data"
    data.mkdir()
    server = Server(data, env={"LATE_PIECES": "1"}, pdf_workers=False)
    server.start()
    yield server
    server.stop()


def test_a_question_answered_while_its_step_is_drawn_leaves_the_whole_step_on_screen(fresh_page, late_server):
    page = fresh_page()
    token = start_quick_check(page, late_server)
    answered = []
    for index, domain in enumerate(QUICK.domains[:STEPS]):
        if index:
            page.locator(live_key("next") + " button").click()
        questions = [q for q in QUICK.questions if q.domain == domain.id]
        first = page.locator(css_key(f"q:{questions[0].id}") + " [role='radiogroup'] label").nth(CHOICE)
        first.click()  # at once, while the rest of the step is still on its way
        answered.append(questions[0].id)
        for question in questions[1:]:  # every question of the step arrives, not only those above the answered one
            page.locator(live_key(f"q:{question.id}")).wait_for(timeout=20_000)
    wait_for_progress(page, len(answered))
    saved = {qid: answer.value for qid, answer in stored_answers(late_server, token).items() if answer.value is not None}
    assert saved == {qid: QUICK.options_for(QUICK.question(qid))[CHOICE].value for qid in answered}

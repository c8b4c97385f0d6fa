"""Finish judges the answers as they are stored when it is pressed, not as the page last drew them: an answer given
in the same moment as the click (its widget's change and Finish reach the app in one run) is never missed, and a
question it makes required is never overlooked."""

from __future__ import annotations

import pytest

from storage import get_engine
from storage import repository as repo
from tests.test_app import answer, start_tiny, stored

BEFORE = {  # every required question but the budget, which the board's answer decides on
    "data.inventory": 4, "data.pipelines": 4, "data.monitoring": "yes", "data.products": "products",
    "governance.approval": 1, "governance.controls": ["audit"],
}


def on_governance(board: int):
    """A new assessment with everything answered but the board and the budget, the board then answered, the
    Governance step on screen."""
    at = start_tiny()
    for question_id in ("data.inventory", "data.pipelines", "data.monitoring", "data.products"):
        answer(at, question_id, BEFORE[question_id])
    at.button(key="next").click().run()
    for question_id in ("governance.approval", "governance.controls"):
        answer(at, question_id, BEFORE[question_id])
    answer(at, "governance.board", board)
    return at


def finished(at) -> bool:
    return repo.find_assessment(get_engine(), at.query_params["a"]).finished


def given_by_its_widget(at) -> None:
    at.radio(key="q:governance.budget").set_value(3)


def held_its_callback_not_run(at) -> None:  # Finish's callback may run before the answer's own
    at.session_state["q:governance.budget"] = 3


@pytest.mark.parametrize("give", [given_by_its_widget, held_its_callback_not_run])
def test_the_last_answer_given_as_finish_is_pressed_counts(app_env, give):
    at = on_governance(board=4)  # the budget is asked, and open
    give(at)
    at.button(key="finish").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Where the organisation stands"
    assert finished(at)
    assert stored(at)["governance.budget"].value == 3


def test_a_question_made_required_as_finish_is_pressed_is_listed_not_skipped(app_env):
    at = on_governance(board=1)  # the budget is not asked: the page drew nothing open
    at.radio(key="q:governance.board").set_value(4)  # now it is asked, and open
    at.button(key="finish").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Tiny test questionnaire"
    assert "1 required question is still open" in at.error[0].value
    assert not finished(at)


def test_finish_the_database_refuses_says_so_and_keeps_the_page(app_env, monkeypatch):
    import services
    from storage.errors import StorageError

    at = on_governance(board=1)

    def unreachable(*_args, **_kwargs):
        raise StorageError("the database is down", reason="OperationalError")

    monkeypatch.setattr(services, "finish_assessment", unreachable)
    at.button(key="finish").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Tiny test questionnaire"
    shown = at.error[0].value.replace("\\", "")  # as read: the message is escaped to show as text
    assert shown.startswith("The database did not answer (OperationalError). Try again in a moment")
    assert not finished(at)

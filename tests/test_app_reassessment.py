"""A re-assessment in the app: Finish, while answers carried over from the baseline are still unconfirmed, asks to
confirm them all or review them before the results; nothing saved is lost either way."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from storage import get_engine
from storage import repository as repo
from tests.test_app import ANSWERS, answer, finished_tiny, open_app, stored

RAISED = {**ANSWERS, "governance.approval": 3}  # Governance reaches phase 2: the organisation moves to phase 3


def reassessment() -> AppTest:
    """A re-assessment of a finished tiny assessment, started on its results, with one answer raised."""
    at = open_app(finished_tiny(), "app_pages/results.py")
    at.button(key="start_reassessment").click().run()
    assert at.title[0].value == "Tiny test questionnaire"
    at.switch_page("app_pages/assessment.py").run()  # the test's own page follows the switch
    at.button(key="next").click().run()
    answer(at, "governance.approval", 3)
    return at


def carried(at: AppTest) -> set[str]:
    engine = get_engine()
    return repo.carried_over_ids(engine, repo.find_assessment(engine, at.query_params["a"]).id)


def finished(at: AppTest) -> bool:
    return repo.find_assessment(get_engine(), at.query_params["a"]).finished


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def prompt(at: AppTest) -> tuple[str, str, str]:
    """The Finish prompt's question and its two buttons."""
    box = at.container(key="finish_prompt")
    return box.markdown[0].value, at.button(key="confirm_all_finish").proto.label, \
        at.button(key="review_carried").proto.label


def test_finish_with_carried_over_answers_unconfirmed_asks_to_confirm_them_before_the_results(app_env):
    at = click(reassessment(), "finish")
    assert at.title[0].value == "Tiny test questionnaire"
    assert prompt(at) == ("**7 carried-over answers are not confirmed yet.**",
                          "Confirm all 7 and see results", "Review them")
    assert not finished(at) and len(carried(at)) == 7


def test_confirming_all_opens_the_results_with_every_answer_kept(app_env):
    at = click(click(reassessment(), "finish"), "confirm_all_finish")
    assert at.title[0].value == "Where the organisation stands"
    assert finished(at) and carried(at) == set()
    assert {qid: a.value for qid, a in stored(at).items()} == RAISED


def test_review_shows_the_first_unconfirmed_answer_and_finish_asks_again_with_the_new_count(app_env):
    at = click(click(reassessment(), "finish"), "review_carried")
    assert at.header[0].value == "Data"  # the first carried-over answer, data.inventory, is on this step
    assert at.session_state["scroll_key"] == "ask:data.inventory"
    assert not _has_prompt(at) and not finished(at)
    at = click(at, "confirm:data.inventory")
    at = click(at, "finish")
    assert prompt(at)[:2] == ("**6 carried-over answers are not confirmed yet.**",
                              "Confirm all 6 and see results")
    assert {qid: a.value for qid, a in stored(at).items()} == RAISED


def test_review_one_question_per_screen_shows_the_unconfirmed_question(app_env):
    at = reassessment()
    at.toggle(key="one_at_a_time").set_value(True).run()
    at = click(click(at, "finish" if _has_button(at, "finish") else "finish_early"), "review_carried")
    assert [w.key for w in [*at.radio, *at.pills] if w.key.startswith("q:")] == ["q:data.inventory"]


def test_one_answer_left_is_asked_about_in_the_singular(app_env):
    at = reassessment()  # on the Governance step
    for question_id in ("governance.board", "governance.controls"):
        at = click(at, f"confirm:{question_id}")
    at = click(click(click(at, "previous"), "confirm_step"), "next")  # the four of Data confirmed at once
    at = click(at, "finish")
    assert prompt(at) == ("**1 carried-over answer is not confirmed yet.**",
                          "Confirm it and see results", "Review it")
    at = click(at, "review_carried")
    assert at.header[0].value == "Governance" and at.session_state["scroll_key"] == "ask:governance.budget"


def test_with_every_carried_answer_confirmed_finish_goes_straight_to_the_results(app_env):
    at = click(reassessment(), "confirm_step")  # the three of Governance left
    at = click(click(click(at, "previous"), "confirm_step"), "next")
    assert carried(at) == set()
    at = click(at, "finish")
    assert at.title[0].value == "Where the organisation stands" and finished(at)
    assert {qid: a.value for qid, a in stored(at).items()} == RAISED


def _has_prompt(at: AppTest) -> bool:
    return _has_button(at, "confirm_all_finish")


def _has_button(at: AppTest, key: str) -> bool:
    return any(b.key == key for b in at.button)

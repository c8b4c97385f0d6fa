"""Each question's answer widget, in both layouts, is named by the question it answers, and one question per
screen draws its heading, text and a bar of Back, position and Next."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from questionnaires.loader import load_questionnaire
from tests.conftest import APP_TIMEOUT, DATA, ROOT
from ui import flow

TINY = load_questionnaire(DATA / "tiny.yaml")


def start_tiny(one_at_a_time: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.run()
    at.button(key="start:tiny").click().run()
    if one_at_a_time:
        at.toggle(key="one_at_a_time").set_value(True).run()
    assert not at.exception, at.exception
    return at


def answer_widgets(at: AppTest) -> dict[str, str]:
    """The label of every answer widget on screen, by question id."""
    widgets = [*at.radio, *at.pills, *at.text_area, *at.number_input]
    return {w.key[2:]: w.label for w in widgets if w.key and w.key.startswith("q:")}


@pytest.mark.parametrize("one_at_a_time", [False, True])
def test_every_answer_widget_is_named_by_its_question_in_plain_words(app_env, one_at_a_time):
    at = start_tiny(one_at_a_time)
    seen = {}
    for _ in range(len(TINY.questions) + 2):
        seen.update(answer_widgets(at))
        forward = [b for b in at.button if b.key == "next" and not b.disabled]
        if not forward or not answer_widgets(at):  # the last question, or the Pilot portfolio step after it
            break
        forward[0].click().run()
        assert not at.exception, at.exception
    assert set(seen) >= {q.id for q in TINY.questions if q.visible_if is None}
    for question_id, label in seen.items():
        assert TINY.question(question_id).text in label
        assert not any(markup in label for markup in ("**", ":gray[", "Answer"))  # read aloud as it is written
        if not one_at_a_time:
            assert label == TINY.question(question_id).text


def test_the_question_is_drawn_above_its_answers_whose_label_is_hidden_one_domain_per_step(app_env):
    at = start_tiny(one_at_a_time=False)
    first = TINY.questions[0]
    assert f"**1. {first.text}**" in [m.value for m in at.markdown]
    radios = [r for r in at.radio if r.key.startswith("q:")]
    assert radios and {r.proto.label_visibility.value for r in radios} == {r.proto.label_visibility.COLLAPSED
                                                                           for r in radios}


def test_one_question_per_screen_shows_heading_question_and_help_as_the_label_and_a_bar_with_back_and_next(app_env):
    at = start_tiny(one_at_a_time=True)
    first = TINY.questions[0]
    label = at.radio(key=f"q:{first.id}").label
    assert label.startswith("Data · Question 1 of ") and f"\n\n1. {first.text}" in label
    assert at.button(key="previous").label == "Back" and at.button(key="previous").disabled
    assert at.button(key="next").label == "Next"
    assert any(m.value.startswith("**1**\u00a0of\u00a0") for m in at.markdown)


@pytest.mark.parametrize(("kind", "expected"), [
    ("scale", True), ("single", True), ("yes_no", True), ("multi", False), ("number", False), ("text", False),
])
def test_only_a_single_choice_moves_on_by_itself(kind, expected):
    question = next((q for q in TINY.questions if q.type == kind), None)
    if question is None:
        question = TINY.questions[0].model_copy(update={"type": kind})
    assert flow.single_choice(question) is expected

"""The plan: prerequisites first, Now capped, large steps only as prerequisites, ranks that read as the order to act.

All cases use tests/data/plan.yaml: Governance with seven phase 1 practices (two pairs
linked by `requires`, one large platform, one quick win worded per level) and one
practice per later phase; Economics with two phase 1 practices and one per later phase.
Every weight is 1, the threshold 0.7 everywhere, answers on a 0-4 scale.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires import load_questionnaire
from questionnaires.errors import QuestionnaireError
from questionnaires.loader import parse_questionnaire
from scoring import Answer, Response, result_to_dict, score_response
from tests.conftest import DATA

PLAN = load_questionnaire(DATA / "plan.yaml")
GOVERNANCE_AT_ZERO = {q.id: 0 for q in PLAN.questions if q.domain == "governance"}
ECONOMICS_DONE = {q.id: 4 for q in PLAN.questions if q.domain == "economics"}


def plan_of(answers: dict, targets: dict | None = None, capacity: int | None = None) -> list[tuple]:
    response = Response("plan", "1.0.0", {k: Answer(v) for k, v in answers.items()}, "Example", targets=targets or {})
    result = score_response(PLAN, response)
    from scoring.steps import next_steps

    steps = next_steps(PLAN, result.questions, result.domains, result.overall, capacity=capacity) if capacity else result.actions
    return [(s.rank, s.question.split(".")[1], s.horizon) for s in steps]


def test_prerequisites_come_first_and_now_holds_five_steps():
    assert plan_of({**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}) == [
        (1, "register", "now"),   # 1.8 = gap 1 x limiting 1.5 x impact 1.2
        (2, "classify", "now"),   # 1.8, requires register
        (3, "sponsor", "now"),    # 1.5, M, but takes the 1.8 of gate, which waits on it
        (4, "gate", "now"),       # 1.8, S, requires sponsor
        (5, "quickwin", "now"),   # 1.2: the one slot left; platform and adopt need two
        (6, "platform", "next"),  # 1.8 but L: in Now only with adopt, which needs it
        (7, "adopt", "next"),     # 1.5, requires platform
        (8, "phase2", "next"),    # one phase on
        (9, "phase3", "later"),
        (10, "phase4", "later"),
    ]


def test_a_smaller_capacity_pushes_a_step_with_its_large_prerequisite_to_next():
    assert plan_of({**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}, capacity=3)[:6] == [
        (1, "register", "now"), (2, "classify", "now"), (3, "sponsor", "now"),
        (4, "gate", "next"), (5, "platform", "next"), (6, "adopt", "next"),
    ]


def test_a_prerequisite_already_above_its_threshold_does_not_hold_back_the_step_that_needs_it():
    answers = {**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE, "governance.register": 3}
    plan = [name for _, name, _ in plan_of(answers)]
    assert plan.index("classify") < plan.index("register")


def test_a_large_step_nobody_needs_waits_in_next():
    answers = {**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE, "governance.adopt": 4}
    assert ("platform", "next") in [(name, horizon) for _, name, horizon in plan_of(answers)]


def test_a_domain_at_its_target_yields_nothing_in_now():
    answers = {**{k: 4 for k in GOVERNANCE_AT_ZERO}, "economics.budget": 4, "economics.costs": 2,
               "economics.phase2": 0, "economics.phase3": 0, "economics.phase4": 0}
    assert plan_of(answers, targets={"economics": 1}) == [(1, "costs", "later")]


def test_a_practice_at_the_threshold_yields_no_step_unless_its_domain_limits():
    answers = {**{k: 4 for k in GOVERNANCE_AT_ZERO}, "governance.register": 3, **ECONOMICS_DONE, "economics.phase4": 0}
    assert [name for _, name, _ in plan_of(answers)] == ["phase4"]
    limiting = {**answers, "governance.phase2": 0}
    assert "register" in [name for _, name, _ in plan_of(limiting)]


@pytest.mark.parametrize(("answer", "level", "title"), [
    (0, "establish", "Start quickwin"), (1, "establish", "Start quickwin"),
    (2, "extend", "Extend quickwin"), (3, "optimise", "Tune quickwin"),
])
def test_the_wording_follows_how_far_the_practice_already_is(answer, level, title):
    answers = {**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE, "governance.quickwin": answer}
    step = next(s for s in score_response(PLAN, Response("plan", "1.0.0", {k: Answer(v) for k, v in answers.items()}))
                .actions if s.question == "governance.quickwin")
    assert (step.level, step.title) == (level, title)


def test_the_json_has_requires_a_plain_why_and_the_arithmetic():
    answers = {**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}
    data = result_to_dict(score_response(PLAN, Response("plan", "1.0.0", {k: Answer(v) for k, v in answers.items()})))
    classify = next(a for a in data["actions"] if a["question"] == "governance.classify")
    register = next(a for a in data["actions"] if a["question"] == "governance.register")
    assert classify["requires"] == ["governance.register"]
    assert register["why"] == ("Governance holds the organisation at phase 1, and this practice is not in place yet "
                               "(one of 7 in that phase still below the bar); one other step in the plan builds on it.")
    assert register["reason"].startswith("Priority 1.80 = gap 100% × question weight 1 × domain weight 1 × phase "
                                         "factor 1")
    assert "impact factor 1.2" in register["reason"] and "×1.5 because Governance limits" in register["reason"]


@pytest.mark.parametrize(("size", "owner"), [(None, "Head of Risk"), ("small", "CTO"), ("medium", "Head of Risk"),
                                             ("large", "Chief Risk Officer")])
def test_owners_are_titled_for_the_organisations_size(size, owner):
    from scoring.steps import owner_title

    assert owner_title(PLAN, "risk", size) == owner
    assert owner_title(PLAN, "Head of AI", size) == "Head of AI"


@pytest.mark.parametrize(("requires", "message"), [
    ("[governance.nosuch]", "'governance.nosuch' is unknown question; name a question that has an action"),
    ("[governance.register]", "'governance.register' is this question itself; remove it"),
])
def test_bad_prerequisites_are_load_errors(requires, message):
    text = (DATA / "plan.yaml").read_text().replace(
        "kpi: governance.register done}", f"kpi: governance.register done, requires: {requires}}}")
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(text, "plan.yaml")
    assert any(line.endswith(message) for line in raised.value.lines()), raised.value.lines()


def test_prerequisites_in_a_circle_are_a_load_error():
    text = (DATA / "plan.yaml").read_text().replace(
        "kpi: governance.register done}", "kpi: governance.register done, requires: [governance.classify]}")
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(text, "plan.yaml")
    assert "prerequisites run in a circle: governance.register -> governance.classify -> governance.register" in \
        raised.value.lines()[0]


LEVELS = [0, 1, 2, 3, 4, "dont_know"]
QUESTION_IDS = [q.id for q in PLAN.questions]
# One byte picks each question's level, all drawn at once: a draw per question cost more than scoring the example.
# With six levels the remainder favours none by more than one in 42, so answers spread over the levels as a draw per
# question spread them, and shrinking lowers every byte, so every answer, towards 0.
RESPONSES = st.binary(min_size=len(QUESTION_IDS), max_size=len(QUESTION_IDS)).map(
    lambda picks: {qid: LEVELS[pick % len(LEVELS)] for qid, pick in zip(QUESTION_IDS, picks)})


def _actions(answers: dict):
    return score_response(PLAN, Response("plan", "1.0.0", {k: Answer(v) for k, v in answers.items()})).actions


@settings(max_examples=200, deadline=None)
@given(RESPONSES)
def test_a_required_step_always_ranks_before_the_step_that_requires_it(answers):
    actions = _actions(answers)
    rank = {s.question: s.rank for s in actions if s.level != "optimise"}  # polish is no prerequisite
    for step in actions:
        for required in step.requires:
            if required in rank:
                assert rank[required] < step.rank
    assert [s.rank for s in actions] == list(range(1, len(actions) + 1))
    horizons = [s.horizon for s in actions]
    assert horizons == sorted(horizons, key=["now", "next", "later"].index)
    assert horizons.count("now") <= 5


@settings(max_examples=200, deadline=None)
@given(RESPONSES, st.sampled_from(QUESTION_IDS))
def test_raising_an_answer_never_adds_a_step_for_that_question(answers, question_id):
    before = {s.question for s in _actions(answers)}
    value = answers[question_id]
    if value == "dont_know" or value == 4:
        return
    raised = _actions({**answers, question_id: value + 1})
    if question_id not in before:
        assert question_id not in {s.question for s in raised}

"""Workshop maths: per-question statistics, disputes, role gaps, the median answer and consensus."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from scoring import Answer, Response, score_response
from scoring.workshop import (
    NO_ROLE,
    SOURCE_CONSENSUS,
    SOURCE_MEDIAN,
    Role,
    aggregate_workshop,
    domain_indices,
    median_answer,
)


def response(**answers) -> Response:
    """A tiny response; keyword `data_inventory=3` answers `data.inventory`."""
    return Response("tiny", "1.0.0", {key.replace("_", ".", 1): Answer(value) for key, value in answers.items()})


def room(values: list, question: str = "data_inventory") -> list[tuple[str, Response]]:
    return [("Executive", response(**{question: value})) for value in values]


@pytest.mark.parametrize(
    "values, n, mean, median, std, low, high, dont_know",
    [
        ([0, 2, 4], 3, 2.0, 2.0, math.sqrt(8 / 3), 0, 4, 0),
        ([2, 2, 3, "dont_know"], 3, 7 / 3, 2.0, math.sqrt(2 / 9), 2, 3, 1),
        ([1, 3], 2, 2.0, 2.0, 1.0, 1, 3, 0),
        ([1, 2, 3, 4], 4, 2.5, 2.5, math.sqrt(1.25), 1, 4, 0),
        (["dont_know", "dont_know"], 0, None, None, None, None, None, 2),
    ],
)
def test_per_question_statistics_are_computed_over_real_answers_on_the_option_scale(
    tiny, values, n, mean, median, std, low, high, dont_know
):
    stats = aggregate_workshop(tiny, room(values)).question("data.inventory")
    assert (stats.n, stats.dont_know, stats.max_points) == (n, dont_know, 4.0)
    for got, expected in ((stats.mean, mean), (stats.median, median), (stats.std, std), (stats.min, low), (stats.max, high)):
        assert got == pytest.approx(expected) if expected is not None else got is None


def test_a_question_hidden_by_visible_if_is_not_counted_for_that_participant(tiny):
    participants = [("Executive", response(governance_board=1, governance_budget=4)),
                    ("Executive", response(governance_board=3, governance_budget=2))]
    stats = aggregate_workshop(tiny, participants).question("governance.budget")
    assert (stats.n, stats.mean, stats.unanswered) == (1, 2.0, 0)


def test_distribution_counts_each_option_and_each_special_answer(tiny):
    stats = aggregate_workshop(tiny, room([2, 2, 4, "dont_know", "na"])).question("data.inventory")
    assert [(c.value, c.count) for c in stats.distribution] == [
        (0, 0), (1, 0), (2, 2), (3, 0), (4, 1), ("dont_know", 1), ("na", 1)]


def test_multi_choice_distribution_counts_every_chosen_option(tiny):
    participants = room([["bias", "audit"], ["audit"], ["none"]], "governance_controls")
    stats = aggregate_workshop(tiny, participants).question("governance.controls")
    assert [(c.value, c.count) for c in stats.distribution][:4] == [("bias", 1), ("explain", 0), ("audit", 2), ("none", 1)]
    assert (stats.mean, stats.max_points) == pytest.approx((5 / 3, 4.0))


@pytest.mark.parametrize(
    "question, values, spread, disputed",
    [
        ("data_inventory", [2, 2, 2], 0.0, False),
        ("data_inventory", [2, 3, 3], 1.0, False),
        ("data_inventory", [1, 1, 1, 3], 2.0, True),  # two levels apart, std 0.87
        ("data_inventory", [0, 4], 4.0, True),
        ("data_inventory", [2] * 18 + [0], 2.0, True),  # 19 answers: nothing set aside
        ("data_inventory", [2] * 19 + [0], 0.0, False),  # 20 answers: one set aside at each end
        ("data_inventory", [2] * 18 + [0, 4], 0.0, False),
        ("data_inventory", [2] * 10 + [0] * 5 + [4] * 5, 4.0, True),
        ("data_monitoring", ["yes", "no", "no", "no"], 1.0, True),  # std 0.43 of 1 = 1.73 on 0-4
        ("data_monitoring", ["yes"] * 9 + ["no"], 1.0, True),  # std 0.30 = 1.2 on 0-4
        ("data_monitoring", ["yes"] * 19 + ["no"], 0.0, False),  # std 0.22 = 0.87 on 0-4
        ("data_products", ["email", "products"], 2.0, True),
        ("data_products", ["lake", "products", "products"], 1.0, False),
    ],
)
def test_a_question_is_disputed_at_two_levels_of_spread_or_a_standard_deviation_of_one(tiny, question, values, spread, disputed):
    stats = aggregate_workshop(tiny, room(values, question)).question(question.replace("_", ".", 1))
    assert (stats.spread, stats.disagreement) == (pytest.approx(spread), disputed)


def test_disagreements_are_listed_widest_spread_first(tiny):
    participants = [
        ("Executive", response(data_inventory=0, data_pipelines=1, governance_board=2)),
        ("Data & AI", response(data_inventory=4, data_pipelines=3, governance_board=2)),
    ]
    result = aggregate_workshop(tiny, participants)
    assert [q.id for q in result.disagreements] == ["data.inventory", "data.pipelines"]


@pytest.mark.parametrize(
    "question, values, expected",
    [
        ("data.inventory", [0, 1, 3, 4], 1),
        ("data.inventory", [0, 1, 3], 1),
        ("data.inventory", [3, 3, 0, 1], 1),
        ("data.inventory", [3, 3, 0], 3),
        ("data.inventory", [2], 2),
        ("data.inventory", [2, "dont_know"], 2),
        ("data.inventory", [2, "dont_know", "dont_know"], "dont_know"),
        ("data.inventory", ["na", "na", "dont_know", 4], "na"),
        ("data.inventory", ["na", "dont_know"], "dont_know"),
        ("data.inventory", [], None),
        ("data.monitoring", ["yes", "yes", "no"], "yes"),
        ("data.monitoring", ["yes", "no"], "no"),
        ("data.products", ["lake", "products", "products"], "products"),
        ("data.products", ["email", "products"], "email"),
        ("governance.controls", [["bias", "audit"], ["audit"], ["bias"]], ["bias", "audit"]),
        ("governance.controls", [["bias"], ["audit"]], []),
        ("governance.notes", ["one", "two"], None),
    ],
)
def test_the_median_answer_is_the_highest_level_more_than_half_the_room_reached(tiny, question, values, expected):
    assert median_answer(tiny, tiny.question(question), values) == expected


def test_the_workshop_result_scores_the_median_answers(tiny):
    participants = room([1, 3, 4]) + room([2, 4], "data_pipelines")
    result = aggregate_workshop(tiny, participants)
    assert result.response.answers["data.inventory"] == Answer(3)
    assert result.response.answers["data.pipelines"] == Answer(2)
    assert result.sources["data.inventory"] == SOURCE_MEDIAN
    assert result.result.domain("data").index == pytest.approx(1.5)  # phase 1 at 0.75, phase 2 at 0.5


def test_consensus_overrides_the_median_and_is_listed_as_a_decision(tiny):
    participants = room([1, 3, 4])
    consensus = {"data.inventory": Answer(1, "Only finance keeps an inventory"), "no.such-question": Answer(4)}
    result = aggregate_workshop(tiny, participants, consensus)
    stats = result.question("data.inventory")
    assert (stats.workshop_value, stats.source, stats.note) == (1, SOURCE_CONSENSUS, "Only finance keeps an inventory")
    assert result.response.answers["data.inventory"] == Answer(1, "Only finance keeps an inventory")
    assert result.result.domain("data").index == pytest.approx(0.25)
    [decision] = result.decisions
    assert (decision.question, decision.label, decision.median_value, decision.median_label) == (
        "data.inventory", "Ad hoc", 3, "Managed")


def test_consensus_can_answer_a_question_nobody_answered(tiny):
    result = aggregate_workshop(tiny, room([2]), {"governance.board": Answer(4)})
    assert result.sources == {"data.inventory": SOURCE_MEDIAN, "governance.board": SOURCE_CONSENSUS}
    assert result.result.domain("governance").index == pytest.approx(1.0)


# Data: phase 1 inventory (weight 1), phase 2 pipelines (weight 2), phase 3 monitoring, phase 4 products.
# Governance (domain weight 2): phase 1 board.
ROLE_ROOM = [
    ("Executive", dict(data_inventory=4, data_pipelines=4, data_monitoring="yes", data_products="lake", governance_board=4)),
    ("Executive", dict(data_inventory=3, data_pipelines=2)),
    ("Data & AI", dict(data_inventory=1, governance_board=2)),
    ("IT & engineering", dict(data_inventory=2)),
    ("Business", dict(data_inventory=4, data_pipelines=3, data_monitoring="no")),
]


@pytest.mark.parametrize(
    "domain, by_role, executive, practitioner, gap, flagged",
    [
        # Data indices: 3.5 (phases 1-3 attained, phase 4 at 0.5), 1.5, 0.25, 0.5, 2.0
        ("data", {"Executive": 2.5, "Business": 2.0, "Data & AI": 0.25, "IT & engineering": 0.5, "Risk & legal": None},
         2.5, 0.375, None, False),
        # Governance indices: 1.0 (phase 1 attained, phase 2 unanswered), 0.5; others not assessed
        ("governance", {"Executive": 1.0, "Business": None, "Data & AI": 0.5, "IT & engineering": None, "Risk & legal": None},
         1.0, 0.5, None, False),
    ],
)
def test_the_perception_gap_averages_participant_indices_per_role_and_waits_for_finished_answers(tiny, domain, by_role, executive, practitioner, gap, flagged):
    participants = [(role, response(**answers)) for role, answers in ROLE_ROOM]
    result = aggregate_workshop(tiny, participants).role_gap(domain)
    assert result.by_role == pytest.approx(by_role)
    assert (result.executive, result.practitioner) == pytest.approx((executive, practitioner))
    assert (result.gap, result.flagged, result.too_few) == (gap, flagged, True)  # nobody on either side finished


def test_overall_index_by_role_weights_domains_and_skips_unassessed_ones(tiny):
    participants = [(role, response(**answers)) for role, answers in ROLE_ROOM]
    overall = aggregate_workshop(tiny, participants).overall_by_role
    # Executive A: (3.5 + 2 x 1.0) / 3; Executive B: data only, 1.5
    assert overall["Executive"] == pytest.approx((5.5 / 3 + 1.5) / 2)
    assert overall["Data & AI"] == pytest.approx((0.25 + 2 * 0.5) / 3)


def test_domain_spread_summarises_participant_indices(tiny):
    participants = [(role, response(**answers)) for role, answers in ROLE_ROOM]
    spread = aggregate_workshop(tiny, participants).domain_spreads[0]
    assert (spread.n, spread.min, spread.median, spread.max) == (5, 0.25, 1.5, 3.5)
    assert spread.mean == pytest.approx(7.75 / 5)


def test_participation_counts_joined_and_finished_by_role(tiny):
    full = dict(data_inventory=2, data_pipelines=2, data_monitoring="no", data_products="lake",
                governance_board=1, governance_approval="dont_know", governance_controls=["none"])
    participants = [("Executive", response(**full)), ("Executive", response(data_inventory=2)),
                    ("Board", response(**full, governance_budget=None)), (None, response())]
    result = aggregate_workshop(tiny, participants)
    counts = {c.role: (c.joined, c.finished) for c in result.participation}
    assert counts == {"Executive": (2, 1), "Business": (0, 0), "Data & AI": (0, 0), "IT & engineering": (0, 0),
                      "Risk & legal": (0, 0), "Board": (1, 1), NO_ROLE: (1, 0)}
    assert (result.participants, result.finished) == (4, 2)


def test_custom_roles_decide_who_counts_as_executive_and_practitioner(tiny):
    roles = (Role("Board", "executive"), Role("Engineers", "practitioner"))
    participants = [("Board", response(data_inventory=4)), ("Engineers", response(data_inventory=1))]
    gap = aggregate_workshop(tiny, participants, roles=roles).role_gap("data")
    assert (gap.executive, gap.practitioner) == (pytest.approx(1.0), pytest.approx(0.25))
    assert (gap.executives_finished, gap.practitioners_finished) == (0, 0)


def test_an_empty_workshop_has_no_statistics_and_no_result(tiny):
    result = aggregate_workshop(tiny, [])
    assert result.participants == 0
    assert all(q.n == 0 and not q.disagreement for q in result.questions)
    assert result.result.overall.index == 0.0


def _random_response(questionnaire, rng: random.Random) -> Response:
    answers = {}
    for question in questionnaire.questions:
        if not question.scored or rng.random() < 0.15:
            continue
        options = [o.value for o in questionnaire.options_for(question)]
        specials = ["dont_know"] * question.allow_dont_know + ["na"] * question.allow_na
        if specials and rng.random() < 0.1:
            answers[question.id] = Answer(rng.choice(specials))
        elif question.type == "multi":
            answers[question.id] = Answer(rng.sample(options, rng.randint(0, len(options))))
        else:
            answers[question.id] = Answer(rng.choice(options))
    return Response(questionnaire.id, questionnaire.version, answers)


@pytest.mark.parametrize("name", ["tiny", "ai_maturity"])
def test_vectorised_domain_indices_match_scoring_each_response(request, name):
    questionnaire = request.getfixturevalue(name)
    rng = random.Random(7)
    responses = [_random_response(questionnaire, rng) for _ in range(300)]
    fast = domain_indices(questionnaire, responses)
    for row, one in zip(fast, responses):
        expected = [d.index if d.assessed else np.nan for d in score_response(questionnaire, one).domains]
        np.testing.assert_allclose(row, expected, atol=1e-12)


@pytest.mark.parametrize("name", ["tiny", "ai_maturity"])
def test_question_statistics_match_scoring_each_response(request, name):
    questionnaire = request.getfixturevalue(name)
    rng = random.Random(11)
    responses = [_random_response(questionnaire, rng) for _ in range(120)]
    result = aggregate_workshop(questionnaire, [("Executive", r) for r in responses])
    scored = [score_response(questionnaire, r).questions for r in responses]
    for stats in result.questions:
        scores = [q[stats.id].score for q in scored if q[stats.id].visible and q[stats.id].score is not None]
        dont_know = sum(1 for q in scored if q[stats.id].visible and q[stats.id].dont_know)
        assert (stats.n, stats.dont_know) == (len(scores), dont_know)
        if scores:
            assert stats.mean == pytest.approx(np.mean(scores) * stats.max_points)
            assert stats.std == pytest.approx(np.std(scores) * stats.max_points)


# --- the room's confidence and answers by role ----------------------------------------

# Every scored question the tiny questionnaire shows with board at 1 (budget stays hidden): seven.
FULL = dict(data_inventory=2, data_pipelines=2, data_monitoring="no", data_products="lake",
            governance_board=1, governance_approval=3, governance_controls=["audit"])


@pytest.mark.parametrize(
    "room_answers, confidence",
    [
        ([FULL], 1.0),
        ([FULL, {}], 0.5),  # one finished, one who has not started: half the room's questions are open
        ([FULL, {}, {}, {}], 0.25),
        ([FULL, dict(data_inventory=3)], 8 / 14),
        ([{**FULL, "data_inventory": "na"}], 1.0),  # "not applicable" is left out, as for one response
        ([{**FULL, "data_inventory": "dont_know"}, FULL], 13 / 14),  # "don't know" is not an answer
        ([], 0.0),
    ],
)
def test_the_rooms_confidence_counts_every_participant_who_has_not_answered(tiny, room_answers, confidence):
    result = aggregate_workshop(tiny, [("Executive", response(**answers)) for answers in room_answers])
    assert result.confidence == pytest.approx(confidence)
    assert result.result.overall.confidence == pytest.approx(confidence)


def test_half_the_room_unfinished_is_not_full_confidence_though_every_median_exists(tiny):
    result = aggregate_workshop(tiny, [("Executive", response(**FULL)), ("Data & AI", response())])
    assert all(result.sources.get(q.id) for q in tiny.questions if q.scored and q.id != "governance.budget")
    assert score_response(tiny, result.response).overall.confidence == 1.0  # the medians alone would say 100%
    assert result.result.overall.confidence == 0.5
    [warning] = [w for w in result.result.warnings if w.startswith("Confidence is")]
    assert warning.startswith("Confidence is 50%: the room has answered 50% of the questions it sees, and 1 of 2 "
                              "participants have finished")


def test_a_full_room_raises_no_confidence_warning(tiny):
    result = aggregate_workshop(tiny, [("Executive", response(**FULL)), ("Data & AI", response(**FULL))])
    assert result.confidence == 1.0
    assert not [w for w in result.result.warnings if w.startswith("Confidence is")]


def test_each_roles_answers_to_a_question_are_counted_in_the_workshops_role_order(tiny):
    participants = [(role, response(**answers)) for role, answers in ROLE_ROOM]
    stats = aggregate_workshop(tiny, participants).question("data.inventory")
    by_role = {r.role: (r.answered, {c.value: c.count for c in r.counts if c.count}) for r in stats.by_role}
    assert list(by_role) == ["Executive", "Business", "Data & AI", "IT & engineering"]  # nobody from Risk & legal
    assert by_role == {"Executive": (2, {3: 1, 4: 1}), "Business": (1, {4: 1}), "Data & AI": (1, {1: 1}),
                       "IT & engineering": (1, {2: 1})}
    assert [c.value for c in stats.by_role[0].counts] == [c.value for c in stats.distribution]


def test_answers_by_role_count_each_chosen_option_and_each_participant_once(tiny):
    participants = [("Executive", response(governance_controls=["bias", "audit"])),
                    ("Executive", response(governance_controls=["audit"])),
                    ("Data & AI", response(governance_controls="dont_know"))]
    stats = aggregate_workshop(tiny, participants).question("governance.controls")
    executive, data = stats.by_role
    assert (executive.role, executive.answered) == ("Executive", 2)
    assert {c.value: c.count for c in executive.counts if c.count} == {"bias": 1, "audit": 2}
    assert (data.role, data.answered, {c.value: c.count for c in data.counts if c.count}) == (
        "Data & AI", 1, {"dont_know": 1})

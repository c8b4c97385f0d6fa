"""Scoring tables: hand-computed attainment, gating, index, overall phase and ranking.

All cases use tests/data/tiny.yaml: Data (weight 1) and Governance (weight 2), one scored
question per phase, a five-level scale scored 0-4, threshold 0.7 everywhere.
"""

from __future__ import annotations

import pytest

from scoring import Answer, Response, result_to_dict, score_response
from scoring.engine import achieved_phases, domain_index, seen_value

TOP = {
    "data.inventory": 4, "data.pipelines": 4, "data.monitoring": "yes", "data.products": "products",
    "governance.board": 4, "governance.approval": 4, "governance.controls": ["bias", "explain", "audit"],
    "governance.budget": 4,
}


def respond(answers: dict, targets: dict | None = None) -> Response:
    return Response("tiny", "1.0.0", {k: Answer(v) for k, v in answers.items()}, "Example Corp", targets=targets or {})


def scored(tiny, **changes):
    answers = {**TOP, **{k.replace("__", "."): v for k, v in changes.items()}}
    return score_response(tiny, respond({k: v for k, v in answers.items() if v is not None}))


@pytest.mark.parametrize(
    "changes, attainment, achieved, index, gap",
    [
        ({}, [1.0, 1.0, 1.0, 1.0], 4, 4.0, False),
        ({"data__inventory": 3}, [0.75, 1.0, 1.0, 1.0], 4, 4.0, False),
        ({"data__pipelines": 2}, [1.0, 0.5, 1.0, 1.0], 1, 1.5, False),  # one answer short: a near miss
        ({"data__pipelines": 1}, [1.0, 0.25, 1.0, 1.0], 1, 1.25, True),
        ({"data__inventory": 0}, [0.0, 1.0, 1.0, 1.0], 0, 0.0, True),
        ({"data__inventory": 2, "data__pipelines": 2}, [0.5, 0.5, 1.0, 1.0], 0, 0.5, True),
        ({"data__monitoring": "no"}, [1.0, 1.0, 0.0, 1.0], 2, 2.0, False),  # one yes away
        ({"data__products": "lake"}, [1.0, 1.0, 1.0, 0.5], 3, 3.5, False),
        ({"data__products": "email", "data__monitoring": "no"}, [1.0, 1.0, 0.0, 0.0], 2, 2.0, False),
        ({"data__inventory": "na"}, [None, 1.0, 1.0, 1.0], 4, 4.0, False),
        ({"data__inventory": "na", "data__pipelines": 3, "data__monitoring": "no"}, [None, 0.75, 0.0, 1.0], 2, 2.0, False),
        ({"data__pipelines": "dont_know"}, [1.0, None, 1.0, 1.0], 1, 1.0, True),
    ],
    ids=["all-top", "phase-one-just-above-threshold", "phase-two-one-answer-short", "phase-two-low",
         "phase-three-without-phase-one",
         "two-low-phases", "phase-three-low", "phase-four-halfway", "foundation-solid-later-low", "na-phase-counts-as-attained",
         "na-then-gated-at-three", "dont-know-is-not-done"],
)
def test_data_domain_attainment_gating_and_index(tiny, changes, attainment, achieved, index, gap):
    data = scored(tiny, **changes).domain("data")
    assert [p.attainment for p in data.phases] == attainment
    assert (data.achieved, data.index, data.foundation_gap) == (achieved, index, gap)


def test_phase_three_gets_no_credit_without_phase_one(tiny):
    data = scored(tiny, data__inventory=1).domain("data")
    assert data.phases[2].attained and data.phases[3].attained
    assert data.achieved == 0 and data.index == 0.25


def test_multi_choice_scores_the_sum_of_chosen_over_the_sum_of_all(tiny):
    result = scored(tiny, governance__controls=["bias", "audit"])
    assert result.questions["governance.controls"].score == 0.75


def test_a_domain_with_only_dont_know_is_not_assessed_and_left_out(tiny):
    unknown = {q: "dont_know" for q in TOP if q.startswith("governance.")}
    result = scored(tiny, data__pipelines=2, **{k.replace(".", "__"): v for k, v in unknown.items()})
    governance = result.domain("governance")
    assert (governance.assessed, governance.index) == (False, None)
    assert result.overall.index == 1.5 and result.overall.limiting_domains == ("data",)
    assert any("Governance is not assessed" in w for w in result.warnings)


@pytest.mark.parametrize(
    "changes, phase, achieved, index, limiting, complete",
    [
        ({}, 4, 4, 4.0, (), True),
        ({"data__pipelines": 2}, 2, 1, (1.5 + 2 * 4) / 3, ("data",), False),
        ({"governance__approval": 1}, 2, 1, (4 + 2 * 1.25) / 3, ("governance",), False),
        ({"data__pipelines": 2, "governance__approval": 2}, 2, 1, (1.5 + 2 * 1.5) / 3, ("data", "governance"), False),
        ({"data__monitoring": "no", "governance__board": 0}, 1, 0, (2 + 0) / 3, ("governance",), False),
    ],
    ids=["complete", "held-back-by-data", "held-back-by-governance", "two-limiting-domains", "weakest-link-is-zero"],
)
def test_overall_phase_is_the_weakest_link(tiny, changes, phase, achieved, index, limiting, complete):
    overall = scored(tiny, **changes).overall
    assert (overall.phase, overall.achieved, overall.limiting_domains, overall.complete) == (phase, achieved, limiting, complete)
    assert overall.index == pytest.approx(index)


def test_overall_summary_reads_as_a_sentence(tiny):
    overall = scored(tiny, governance__approval=1).overall
    assert overall.summary == "Phase 2 — Build the Foundation (phase 1 achieved, index 2.2 / 4), held back by Governance"


def test_confidence_is_the_share_of_visible_questions_with_a_real_answer(tiny):
    result = scored(tiny, data__pipelines="dont_know", governance__approval=None)
    assert result.overall.confidence == pytest.approx(6 / 8)
    assert result.unknowns == ("data.pipelines",)
    assert any("Confidence is 75%" in w for w in result.warnings)
    assert any("1 required question(s) unanswered: “Do models pass an approval workflow?”" in w for w in result.warnings)


def test_visible_if_hides_a_question_and_its_answer_is_ignored(tiny):
    result = scored(tiny, governance__board=1, governance__budget=0)
    assert result.questions["governance.budget"].visible is False
    assert result.domain("governance").phases[3].status == "not_applicable"
    assert any("hidden question(s) were ignored: “Is governance funded as a standing function?”" in w for w in result.warnings)


def test_next_steps_rank_by_weighted_gap_with_phase_discount_limiting_boost_and_impact(tiny):
    result = score_response(tiny, respond({
        "data.inventory": 3, "data.pipelines": 2, "data.monitoring": "yes", "data.products": "products",
        "governance.board": 1, "governance.approval": "dont_know", "governance.controls": ["bias", "audit"],
    }))
    steps = [(s.rank, s.question, s.horizon, s.priority) for s in result.actions]
    assert steps == [
        (1, "governance.board", "now", 2.7),        # gap .75 x weight 1 x domain 2 x phase 1 x limiting 1.5 x impact 1.2
        (2, "data.pipelines", "now", 1.0),          # gap .5 x weight 2 x domain 1 x phase 1 x impact 1
        (3, "governance.controls", "later", 0.1875),  # gap .25 x 2 x 0.25 (two phases ahead) x 1.5 x impact 1
    ]  # data.inventory at 3 of 4 is above the threshold in a domain that does not limit: no step
    assert result.actions[0].reason.startswith("Priority 2.70 = gap 75% × question weight 1 × domain weight 2 × phase factor 1")
    assert "Governance limits the overall phase" in result.actions[0].reason


def test_actions_beyond_a_domains_target_are_out_of_scope(tiny):
    answers = {**TOP, "governance.approval": 2, "governance.controls": ["bias"], "governance.budget": 1}
    everything = score_response(tiny, respond(answers))
    targeted = score_response(tiny, respond(answers, targets={"governance": 2}))
    assert [s.question for s in everything.actions] == ["governance.approval", "governance.controls", "governance.budget"]
    assert [s.question for s in targeted.actions] == ["governance.approval"]
    assert targeted.domain("governance").target == 2


def test_explicit_targets_override_the_responses_own(tiny):
    result = score_response(tiny, respond({**TOP, "governance.budget": 1}, targets={"governance": 3}), {"governance": 4})
    assert [s.question for s in result.actions] == ["governance.budget"]


def test_next_steps_horizons_follow_the_working_phase(tiny):
    result = scored(tiny, data__inventory=2, data__pipelines=2, data__monitoring="no", data__products="email")
    # Governance has achieved every phase, so Data's next phase is the organisation's: it may start now
    assert {s.question: s.horizon for s in result.actions} == {
        "data.inventory": "now", "data.pipelines": "now", "data.monitoring": "later", "data.products": "later"}


def test_json_contract_has_every_documented_field(tiny):
    data = result_to_dict(scored(tiny, data__pipelines=2))
    assert set(data["overall"]) >= {"phase", "phase_name", "achieved", "complete", "index", "limiting_domains", "confidence"}
    assert set(data["domains"][0]) >= {"id", "assessed", "achieved", "index", "attainment", "foundation_gap", "target"}
    assert set(data["actions"][0]) >= {"rank", "question", "domain", "phase", "horizon", "title", "priority"}
    assert data["domains"][0]["attainment"] == {"1": 1.0, "2": 0.5, "3": 1.0, "4": 1.0}
    assert data["unknowns"] == [] and isinstance(data["warnings"], list)


def test_not_applicable_answers_do_not_lower_confidence(tiny):
    result = scored(tiny, data__inventory="na")
    assert result.overall.confidence == 1.0 and result.domain("data").confidence == 1.0


def test_foundation_gap_warning_names_the_phases_and_the_questions_behind_it(tiny):
    result = scored(tiny, data__inventory=1, data__pipelines=1)
    assert ("Foundation gap in Data: phase 3 is attained while phases 1 and 2 are not; below the bar there: "
            "“Is there an inventory of data sets?”; “Are data pipelines automated?”.") in result.warnings


@pytest.mark.parametrize(
    "attained, achieved",
    [((True, True, False, True), 2), ((False, True, True, True), 0), ((True, True, True, True), 4), ((), 0)],
    ids=["gated-at-three", "nothing-without-phase-one", "all-four", "no-phases"],
)
def test_phases_count_as_achieved_only_up_to_the_first_unattained_one(attained, achieved):
    assert achieved_phases(attained) == achieved


@pytest.mark.parametrize(
    "achieved, next_attainment, index",
    [(0, None, 0.0), (1, 0.6, 1.6), (3, 0.0, 3.0), (4, None, 4.0)],
    ids=["nothing", "sixty-percent-into-phase-two", "nothing-into-phase-four", "complete"],
)
def test_the_domain_index_is_phases_achieved_plus_the_attainment_of_the_next(achieved, next_attainment, index):
    assert domain_index(achieved, next_attainment) == pytest.approx(index)


@pytest.mark.parametrize(
    "visible, value, seen",
    [(True, 3, 3), (True, ["a"], ["a"]), (False, 3, None), (True, "dont_know", None), (True, "na", None),
     (True, None, None)],
    ids=["real", "multi", "hidden", "dont-know", "not-applicable", "unanswered"],
)
def test_visible_if_sees_only_real_answers_to_questions_that_show(visible, value, seen):
    assert seen_value(visible, value) == seen

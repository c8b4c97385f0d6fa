"""Progress since a baseline: hand-computed tables on tests/data/tiny.yaml (Data weight 1, Governance weight 2,
one scored question per phase, threshold 0.7) and tiny-quick.yaml, which shares six of its questions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionnaires import load_questionnaire
from scoring import Answer, Response, score_response
from scoring.compare import (
    change_text, compare_results, comparison_to_dict, compared_text, shown_delta, shown_index, since_text,
)
from tests.conftest import DATA

TOP = {
    "data.inventory": 4, "data.pipelines": 4, "data.monitoring": "yes", "data.products": "products",
    "governance.board": 4, "governance.approval": 4, "governance.controls": ["bias", "explain", "audit"],
    "governance.budget": 4,
}
QUICK = {
    "data.inventory": 3, "data.pipelines": 2, "data.monitoring": "yes", "data.sharing": 4,
    "governance.board": 4, "governance.approval": 1, "governance.audit": "yes", "governance.budget": 4,
}


@pytest.fixture(scope="module")
def tiny_quick():
    return load_questionnaire(DATA / "tiny-quick.yaml")


def scored(questionnaire, answers: dict, **changes):
    merged = {**answers, **{k.replace("__", "."): v for k, v in changes.items()}}
    given = {k: Answer(v) for k, v in merged.items() if v is not None}
    response = Response(questionnaire.id, questionnaire.version, given, "Example Corp")
    return score_response(questionnaire, response)


def progress(before_questionnaire, before, questionnaire, now, date=None) -> dict:
    return comparison_to_dict(compare_results(before_questionnaire, before, questionnaire, now, date))


@pytest.mark.parametrize(
    "before, now, overall, domains",
    [
        ({"data__pipelines": 2, "governance__board": 1}, {},
         {"phase_before": 1, "phase_now": 4, "index_before": 0.6667, "index_now": 4.0},
         [("data", 1.5, 4.0, 2.5, 1, 4), ("governance", 0.25, 4.0, 3.75, 0, 4)]),
        ({}, {"data__inventory": 2, "governance__approval": "dont_know"},
         {"phase_before": 4, "phase_now": 1, "index_before": 4.0, "index_now": 0.8333},
         [("data", 4.0, 0.5, -3.5, 4, 0), ("governance", 4.0, 1.0, -3.0, 4, 1)]),
        ({}, {}, {"phase_before": 4, "phase_now": 4, "index_before": 4.0, "index_now": 4.0},
         [("data", 4.0, 4.0, 0.0, 4, 4), ("governance", 4.0, 4.0, 0.0, 4, 4)]),
        ({"data__inventory": None, "data__pipelines": None, "data__monitoring": None, "data__products": None}, {},
         {"phase_before": 4, "phase_now": 4, "index_before": 4.0, "index_now": 4.0},
         [("data", None, 4.0, None, 0, 4), ("governance", 4.0, 4.0, 0.0, 4, 4)]),
    ],
    ids=["both-domains-rise", "both-domains-fall", "nothing-moved", "domain-not-assessed-before"],
)
def test_domains_and_overall_are_compared_before_and_now(tiny, before, now, overall, domains):
    result = progress(tiny, scored(tiny, TOP, **before), tiny, scored(tiny, TOP, **now))
    assert result["overall"] == overall
    assert [(d["id"], d["index_before"], d["index_now"], d["delta"], d["achieved_before"], d["achieved_now"])
            for d in result["domains"]] == domains
    assert result["compared_questions"] == 8 and result["shared_only"] is False and result["note"] == ""


@pytest.mark.parametrize(
    "before, now, closed, gaps",
    [
        ({"data__pipelines": 2, "governance__board": 1}, {},
         [("data.pipelines", 0.5, 1.0), ("governance.board", 0.25, 1.0)], []),
        ({}, {"data__inventory": 2, "governance__approval": "dont_know"},
         [], [("data.inventory", 1.0, 0.5), ("governance.approval", 1.0, None)]),
        ({"governance__approval": "dont_know"}, {}, [("governance.approval", None, 1.0)], []),
        ({"data__inventory": 3}, {"data__inventory": 2}, [], [("data.inventory", 0.75, 0.5)]),
        ({"data__inventory": 1}, {"data__inventory": 2}, [], []),
        ({"data__inventory": "na"}, {}, [], []),
        ({"governance__board": 1, "governance__budget": 0}, {}, [("governance.board", 0.25, 1.0)], []),
    ],
    ids=["two-closed", "two-new-gaps", "unknown-resolved-counts-as-closed", "fell-just-below", "rose-but-still-below",
         "not-applicable-before-is-neither", "hidden-before-is-neither"],
)
def test_questions_that_crossed_the_threshold_are_closed_steps_or_new_gaps(tiny, before, now, closed, gaps):
    old = scored(tiny, {}, **_with_top(before))
    result = progress(tiny, old, tiny, scored(tiny, {}, **_with_top(now)))
    assert [(c["question"], c["score_before"], c["score_now"]) for c in result["closed_steps"]] == closed
    assert [(c["question"], c["score_before"], c["score_now"]) for c in result["new_gaps"]] == gaps


def _with_top(changes: dict) -> dict:
    return {**{k.replace(".", "__"): v for k, v in TOP.items()}, **changes}


def test_a_closed_step_names_its_question_and_action(tiny):
    result = progress(tiny, scored(tiny, TOP, data__pipelines=2), tiny, scored(tiny, TOP))
    assert result["closed_steps"] == [{
        "question": "data.pipelines", "domain": "data", "phase": 2, "text": "Are data pipelines automated?",
        "action": "Automate pipelines", "score_before": 0.5, "score_now": 1.0,
    }]


def test_a_quick_check_baseline_is_compared_on_the_shared_questions_only(tiny, tiny_quick):
    result = progress(tiny_quick, scored(tiny_quick, QUICK), tiny, scored(tiny, TOP), dt.date(2026, 3, 1))
    assert result["baseline"] == {"date": "2026-03-01", "questionnaire": "tiny-quick", "version": "1.0.0"}
    assert result["compared_questions"] == 6 and result["shared_only"] is True
    assert result["overall"] == {"phase_before": 2, "phase_now": 4, "index_before": 1.3333, "index_now": 4.0}
    assert [(d["id"], d["index_before"], d["index_now"], d["delta"]) for d in result["domains"]] == [
        ("data", 1.5, 4.0, 2.5), ("governance", 1.25, 4.0, 2.75)]
    assert [c["question"] for c in result["closed_steps"]] == ["data.pipelines", "governance.approval"]
    assert result["note"] == ("Compared on the 6 questions both assessments share; "
                              "the indexes below are scored on those questions alone.")


def test_questions_only_one_side_asks_are_never_closed_steps_or_gaps(tiny, tiny_quick):
    low = scored(tiny_quick, QUICK, data__sharing=0, governance__audit="no")
    result = progress(tiny_quick, low, tiny, scored(tiny, TOP))
    listed = {c["question"] for c in result["closed_steps"] + result["new_gaps"]}
    assert not listed & {"data.sharing", "governance.audit", "data.products", "governance.controls"}


def test_a_phase_the_two_share_no_question_of_blocks_neither_side(tiny, tiny_quick):
    # tiny-quick asks nothing of governance phase 3 that tiny asks: both sides pass it, so phase 4 still counts
    result = progress(tiny_quick, scored(tiny_quick, QUICK, governance__approval=4), tiny, scored(tiny, TOP))
    assert [(d["id"], d["achieved_before"], d["achieved_now"]) for d in result["domains"]] == [
        ("data", 1, 4), ("governance", 4, 4)]


def test_the_full_questionnaire_is_left_as_it_was_after_a_shared_comparison(tiny, tiny_quick):
    progress(tiny_quick, scored(tiny_quick, QUICK), tiny, scored(tiny, TOP))
    assert scored(tiny, TOP, data__pipelines=2).domain("data").index == 1.5
    assert len(tiny.questions) == 9


def test_the_shared_sentence_reads_the_same_for_the_shipped_quick_check(ai_maturity, quick_check):
    quick = Response(quick_check.id, quick_check.version, {}, "")
    full = Response(ai_maturity.id, ai_maturity.version, {}, "")
    comparison = compare_results(quick_check, score_response(quick_check, quick), ai_maturity,
                                 score_response(ai_maturity, full))
    assert compared_text(comparison).startswith("Compared on the 26 questions both assessments share")


@pytest.mark.parametrize(
    "date, text",
    [(dt.date(2026, 11, 26), "Progress since 26 November 2026"), (dt.date(2027, 2, 3), "Progress since 3 February 2027"),
     (None, "Progress since the baseline")],
)
def test_the_section_title_names_the_baseline_date_when_known(date, text):
    assert since_text(date) == text


def test_the_same_results_always_compare_the_same(tiny):
    before, now = scored(tiny, TOP, data__pipelines=2), scored(tiny, TOP)
    assert progress(tiny, before, tiny, now) == progress(tiny, before, tiny, now)


@pytest.mark.parametrize(
    "before, now, bars",
    [
        ({"data__pipelines": 2, "governance__board": 1}, {},
         [("data", 0.7143, 1.0), ("governance", 0.3571, 1.0)]),
        ({}, {"data__inventory": 2, "governance__approval": "dont_know"},
         [("data", 1.0, 0.7143), ("governance", 1.0, None)]),
        ({"data__inventory": None, "data__pipelines": None, "data__monitoring": None, "data__products": None}, {},
         [("data", None, 1.0), ("governance", 1.0, 1.0)]),
    ],
    ids=["both-rise-to-the-top", "a-quarter-down-and-only-dont-know-left", "not-assessed-before"],
)
def test_each_domains_bar_before_and_now_is_in_the_json(tiny, before, now, bars):
    result = progress(tiny, scored(tiny, TOP, **before), tiny, scored(tiny, TOP, **now))
    assert [(d["id"], d["bar_before"], d["bar_now"]) for d in result["domains"]] == bars


@pytest.mark.parametrize(
    "before, now, change, text",
    [
        (1.26, 1.44, 0.1, "+0.1"),  # printed 1.3 → 1.4: +0.1, although the exact change rounds to 0.2
        (1.25, 1.5, 0.3, "+0.3"),  # printed 1.2 → 1.5
        (1.44, 1.26, -0.1, "−0.1"),
        (2.0, 1.96, 0.0, "+0.0"),  # printed 2.0 → 2.0
        (1.96, 2.0, 0.0, "+0.0"),
        (0.6667, 4.0, 3.3, "+3.3"),
        (None, 1.2, None, "–"),
        (1.2, None, None, "–"),
    ],
)
def test_the_printed_change_is_the_difference_of_the_printed_indexes(before, now, change, text):
    assert shown_delta(before, now) == change
    assert change_text(shown_delta(before, now)) == text


@given(st.floats(0, 4), st.floats(0, 4))
def test_a_printed_row_always_adds_up(before, now):
    printed = [f"{shown_index(before):.1f}", f"{shown_index(now):.1f}", f"{shown_delta(before, now):+.1f}"]
    assert printed[:2] == [f"{before:.1f}", f"{now:.1f}"]  # printed as every other index in the report
    assert f"{float(printed[0]) + float(printed[2]):.1f}" == printed[1]
    assert shown_delta(before, now) == float(printed[2])  # one decimal already: the app's format has nothing to round

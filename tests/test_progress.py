"""Progress: where a respondent is (steps, carried-over answers to confirm), and how far each domain has come
toward its working phase's bar since a baseline, said in one sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaires import load_questionnaire
from scoring import Answer, Response, progress, score_response
from scoring.compare import Comparison, DomainChange, QuestionChange
from tests.conftest import DATA

TINY = load_questionnaire(DATA / "tiny.yaml")


@pytest.mark.parametrize(("asked", "expected"), [
    (0, 0), (1, 1), ("data", 0), ("governance", 1),
    (2, None), (-1, None), (True, None), (None, None), ("Data 1/4", None), ("Governance ✓", None), (1.0, None),
])
def test_a_step_is_an_index_in_range_or_a_domain_id_and_nothing_else(asked, expected):
    assert progress.step_index(TINY, asked) == expected


# --- carried-over answers still to confirm -------------------------------------------------

TOP = {
    "data.inventory": 4, "data.pipelines": 4, "data.monitoring": "yes", "data.products": "products",
    "governance.board": 4, "governance.approval": 4, "governance.controls": ["bias", "explain", "audit"],
    "governance.budget": 4,
}


def scored(**changes):
    answers = {**TOP, **{k.replace("__", "."): v for k, v in changes.items()}}
    given = {k: Answer(v) for k, v in answers.items() if v is not None}
    return score_response(TINY, Response("tiny", "1.0.0", given, "Example Corp"))


@pytest.mark.parametrize(("carried", "changes", "expected"), [
    ({"governance.board", "data.pipelines", "data.inventory"}, {},
     ("data.inventory", "data.pipelines", "governance.board")),
    ({"governance.budget", "data.products"}, {"governance__board": 1}, ("data.products",)),  # budget hidden
    ({"data.retired-question", "governance.approval"}, {}, ("governance.approval",)),
    (set(), {}, ()),
], ids=["in-the-order-asked", "hidden-ones-left-out", "ids-no-longer-asked-left-out", "none"])
def test_the_answers_to_confirm_are_the_carried_ones_shown_in_the_order_asked(carried, changes, expected):
    assert progress.unconfirmed(TINY, scored(**changes), frozenset(carried)) == expected


@pytest.mark.parametrize(("count", "text"), [
    (1, "1 carried-over answer is not confirmed yet."),
    (7, "7 carried-over answers are not confirmed yet."),
])
def test_the_answers_to_confirm_are_counted_in_plain_english(count, text):
    assert progress.unconfirmed_text(count) == text


# --- the bar of the working phase (tiny: one question per cell, threshold 0.7) --------------

@pytest.mark.parametrize(("changes", "domain", "bar"), [
    ({}, "data", 1.0),
    ({"data__pipelines": 2}, "data", 0.5 / 0.7),
    ({"data__inventory": 2}, "data", 0.5 / 0.7),
    ({"data__pipelines": 0}, "data", 0.0),
    ({"governance__board": 1}, "governance", 0.25 / 0.7),
    ({"data__pipelines": "dont_know"}, "data", None),
    ({"data__inventory": None, "data__pipelines": None, "data__monitoring": None, "data__products": None}, "data", None),
], ids=["all-four-achieved", "half-way-in-phase-2", "half-way-in-phase-1", "nothing-in-place", "a-quarter-of-phase-1",
        "only-dont-know-in-the-working-phase", "not-assessed"])
def test_the_bar_compared_is_the_working_phases_attainment_over_its_threshold(changes, domain, bar):
    shown = scored(**changes).domain(domain).bar
    assert shown == (pytest.approx(bar) if bar is not None else None)


def change(before: tuple, now: tuple, name: str = "Governance", index=(1.5, 1.5)) -> DomainChange:
    """A domain's change from (achieved, bar) before to (achieved, bar) now."""
    return DomainChange(name.lower(), name, index[0], index[1], before[0], now[0], before[1], now[1])


@pytest.mark.parametrize(("domain", "text"), [
    (change((1, 0.4), (1, 0.85)), "40% → 85% of the phase 2 bar"),
    (change((1, 0.85), (1, 0.4)), "85% → 40% of the phase 2 bar"),
    (change((1, 0.9), (2, 0.35)), "phase 2 achieved; now 35% of the phase 3 bar"),
    (change((1, 0.9), (3, 0.35)), "phases 2 and 3 achieved; now 35% of the phase 4 bar"),
    (change((0, 0.2), (3, 0.35)), "phases 1, 2 and 3 achieved; now 35% of the phase 4 bar"),
    (change((3, 0.9), (4, 1.0)), "phase 4 achieved; all four phases complete"),
    (change((4, 1.0), (4, 1.0)), "all four phases achieved"),
    (change((3, 0.9), (2, 0.6)), "phase 3 no longer achieved; now 60% of the phase 3 bar"),
    (change((1, 0.4), (1, None)), "40% → – of the phase 2 bar"),
    (change((0, None), (1, 0.35), index=(None, 1.2)), "not assessed then; now 35% of the phase 2 bar"),
    (change((1, 0.4), (0, None), index=(1.3, None)), "not assessed now"),
], ids=["rose", "fell", "phase-achieved", "two-phases", "three-phases", "all-four-reached", "all-four-kept",
        "phase-lost", "no-real-answer-now", "not-assessed-then", "not-assessed-now"])
def test_a_domains_bar_before_and_now_says_when_its_working_phase_changed(domain, text):
    assert progress.bar_change_text(domain) == text
    assert domain.bar_text == text


# --- the progress since the baseline in one sentence ---------------------------------------

def comparison(domains, phases=(1, 2), closed=0, gaps=0, date=dt.date(2026, 3, 2)) -> Comparison:
    step = QuestionChange("data.inventory", "data", 1, "Is there an inventory?", "Build one", 0.25, 1.0)
    return Comparison(date, "tiny", "1.0.0", phases[0], phases[1], 1.0, 1.5, tuple(domains),
                      (step,) * closed, (step,) * gaps, 8, False)


@pytest.mark.parametrize(("moved", "sentence"), [
    (comparison([change((1, 0.6), (1, 0.7), "Data"), change((1, 0.4), (1, 0.85)),
                 change((0, 0.9), (1, 0.1), "Economics")],
                closed=4, gaps=1),
     "Since the assessment of 2 March 2026: phase 1 → phase 2; Governance rose from 40% to 85% of its phase 2 bar; "
     "4 steps completed, 1 new gap."),
    (comparison([change((1, 0.5), (1, 0.5), "Data"), change((1, 0.4), (1, 0.4))], phases=(2, 2), date=None),
     "Since the baseline: still in phase 2; Data and Governance have not moved toward their phase 2 bar; "
     "no step completed, no new gap."),
    (comparison([change((1, 0.5), (1, 0.5), "Data"), change((2, 0.4), (2, 0.4))], phases=(2, 2)),
     "Since the assessment of 2 March 2026: still in phase 2; Data has not moved from 50% of its phase 2 bar; "
     "no step completed, no new gap."),
    (comparison([change((1, 0.9), (2, 0.35), "Data"), change((2, 0.4), (2, 0.5))], phases=(2, 3), closed=1, gaps=2,
                date=dt.date(2026, 11, 26)),
     "Since the assessment of 26 November 2026: phase 2 → phase 3; Data achieved phase 2 and now stands at 35% of "
     "its phase 3 bar; 1 step completed, 2 new gaps."),
    (comparison([change((2, 0.2), (1, 0.6)), change((1, 0.5), (1, 0.5), "Data")], phases=(3, 2), gaps=1),
     "Since the assessment of 2 March 2026: phase 3 → phase 2; Governance no longer achieves phase 2 and now stands "
     "at 60% of its phase 2 bar; no step completed, 1 new gap."),
    (comparison([change((1, 0.85), (1, 0.4))], phases=(2, 2), gaps=3),
     "Since the assessment of 2 March 2026: still in phase 2; Governance fell from 85% to 40% of its phase 2 bar; "
     "no step completed, 3 new gaps."),
    (comparison([change((3, 0.9), (4, 1.0), "Data"), change((0, 0.5), (0, 0.79), "Economics")], phases=(1, 1),
                closed=2),
     "Since the assessment of 2 March 2026: still in phase 1; Economics rose from 50% to 79% of its phase 1 bar; "
     "2 steps completed, no new gap."),
    (comparison([change((3, 0.9), (4, 1.0), "Data"), change((4, 1.0), (4, 1.0))], phases=(4, 4), closed=1),
     "Since the assessment of 2 March 2026: still in phase 4; every domain has achieved all four phases; "
     "1 step completed, no new gap."),
    (comparison([change((1, None), (1, None))], phases=(2, 2)),
     "Since the assessment of 2 March 2026: still in phase 2; Governance still has no real answer in phase 2; "
     "no step completed, no new gap."),
    (comparison([change((1, 0.4), (1, 0.6), "Data"), change((1, 0.5), (1, 0.7))], phases=(2, 2), closed=1),
     "Since the assessment of 2 March 2026: still in phase 2; Data rose from 40% to 60% of its phase 2 bar; "
     "1 step completed, no new gap."),
    (comparison([change((0, None), (3, 0.1), "Data", index=(None, 3.1)), change((1, 0.4), (1, 0.5))], phases=(2, 2)),
     "Since the assessment of 2 March 2026: still in phase 2; Governance rose from 40% to 50% of its phase 2 bar; "
     "no step completed, no new gap."),
    (comparison([change((1, None), (1, 0.5))], phases=(2, 2)),
     "Since the assessment of 2 March 2026: still in phase 2; Governance now stands at 50% of its phase 2 bar; "
     "no step completed, no new gap."),
], ids=["the-largest-rise-is-named", "nothing-moved-no-date", "the-one-domain-holding-back-did-not-move",
        "a-phase-achieved", "a-phase-lost-and-nothing-rose", "a-fall-within-the-phase", "the-domain-holding-the-organisation-back-is-named", "every-domain-complete",
        "no-real-answer-either-time", "a-tie-goes-to-the-first-domain", "not-assessed-then-left-out",
        "no-real-answer-then"])
def test_the_progress_since_the_baseline_is_one_plain_sentence(moved, sentence):
    assert progress.progress_sentence(moved) == sentence

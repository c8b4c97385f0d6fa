"""The story a client reads: findings, risks, quotes, RACI, risk register and timeline, by fixed rules.

tests/data/tiny.yaml (Data and Governance, one question per cell) with tiny-answers.yaml, and
tests/data/plan.yaml (Governance with linked phase 1 practices, Economics) with Governance at
nothing and Economics fully in place.
"""

from __future__ import annotations

import pytest

from questionnaires import load_questionnaire
from scoring import Answer, Response, read_answers, score_response
from scoring.answers import OrganisationProfile
from scoring.narrative import after_text, exposure, narrate, practice_state, severity, timeline
from tests.conftest import DATA

TINY = load_questionnaire(DATA / "tiny.yaml")
PLAN = load_questionnaire(DATA / "plan.yaml")
GOVERNANCE_AT_ZERO = {q.id: 0 for q in PLAN.questions if q.domain == "governance"}
ECONOMICS_DONE = {q.id: 4 for q in PLAN.questions if q.domain == "economics"}


def tiny_story():
    return narrate(TINY, score_response(TINY, read_answers(DATA / "tiny-answers.yaml", TINY)))


def plan_result(answers: dict, size: str | None = None, notes: dict | None = None):
    notes = notes or {}
    response = Response("plan", "1.0.0", {k: Answer(v, notes.get(k, "")) for k, v in answers.items()}, "Example",
                        organisation_profile=OrganisationProfile(size=size) if size else None)
    return score_response(PLAN, response)


def plan_story(answers: dict | None = None, size: str | None = None, notes: dict | None = None):
    return narrate(PLAN, plan_result(answers or {**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}, size, notes))


# --- findings -----------------------------------------------------------------------------------


def test_findings_name_the_limiting_domain_the_strongest_and_a_near_miss():
    assert tiny_story().findings == (
        "Governance holds the organisation at phase 1: its phase 1 practices stand at 25%, against the 70% the "
        "phase asks for.",
        "Data is the strongest domain, with phase 1 achieved and phase 2 under way: a base the other domains can "
        "build on.",
        "Data is one answer from completing phase 2: raising a single practice by one level would do it.",
    )


def test_a_fully_answered_plan_finds_the_limit_the_leader_and_no_unknowns():
    assert plan_story().findings == (
        "Governance holds the organisation at phase 1: its phase 1 practices stand at 0%, against the 70% the phase "
        "asks for.",
        "Economics is the strongest domain, with all four phases achieved: a way of working the other domains can copy.",
        "Every question shown has a real answer, so the result rests on no unknowns.",
    )


def test_unknowns_become_a_finding_when_nothing_stronger_applies():
    answers = {**{q.id: 4 for q in PLAN.questions}, "governance.register": "dont_know"}
    findings = plan_story(answers).findings
    assert findings[-1] == ("One question was answered “don't know”; until someone checks, the result counts it as "
                            "not in place.")


def test_a_finished_organisation_is_told_what_remains():
    assert plan_story({q.id: 4 for q in PLAN.questions}).findings == (
        "Every assessed domain has achieved all four phases; what remains is keeping the practices at that level as "
        "the portfolio grows.",
        "Every question shown has a real answer, so the result rests on no unknowns.",
    )


# --- risks and the register -----------------------------------------------------------------------


def test_risks_come_from_governance_gaps_a_foundation_gap_and_unknown_approval():
    assert tiny_story().risks == (
        "AI decisions have no body with the authority to take them, so they stall or are taken by default. "
        "Step 1 closes this gap.",
        "Governance has phase 3 practices in place without the phase 1 foundation under them; work built that way "
        "tends to stall before it reaches production.",
        "A model can go live without anyone signing off its risks.",
    )


def test_risks_follow_the_register_in_rank_order():
    assert plan_story().risks == (
        "Nobody can say which AI systems are in use, so none of them can be governed. Step 1 closes this gap.",
        "High-risk use cases get the same light handling as harmless ones. Step 2 closes this gap.",
        "Teams build and run AI on different stacks, duplicating effort and controls. Step 3 closes this gap.",
    )


def test_the_register_lists_governance_gaps_most_severe_first():
    register = plan_story().register
    assert [(e.question, e.severity, e.state, e.step.rank if e.step else None) for e in register] == [
        ("governance.register", "High", "Not in place", 1),
        ("governance.classify", "High", "Not in place", 2),
        ("governance.platform", "High", "Not in place", 3),
        ("governance.adopt", "High", "Not in place", 4),
        ("governance.sponsor", "High", "Not in place", 5),
        ("governance.gate", "High", "Not in place", 6),
        ("governance.quickwin", "High", "Not in place", 7),
        ("governance.phase2", "Medium", "Not in place", 8),
        ("governance.phase3", "Low", "Not in place", 9),
        ("governance.phase4", "Low", "Not in place", 10),
    ]


def test_an_unknown_practice_is_in_the_register_without_a_step():
    entry = next(e for e in tiny_story().register if e.question == "governance.approval")
    assert (entry.severity, entry.state, entry.step, entry.owner) == ("Medium", "Unknown", None, "CRO")


@pytest.mark.parametrize("state, phase, working, expected", [
    ("missing", 1, 1, "High"),
    ("unknown", 1, 2, "High"),
    ("partial", 2, 2, "Medium"),
    ("missing", 3, 2, "Medium"),
    ("partial", 3, 2, "Low"),
    ("missing", 4, 2, "Low"),
])
def test_severity_follows_the_answer_and_the_phase(state, phase, working, expected):
    domain = score_response(PLAN, Response("plan", "1.0.0", {})).domain("governance")
    domain = type(domain)(**{**{f: getattr(domain, f) for f in domain.__slots__}, "achieved": working - 1})
    assert severity(state, phase, domain) == expected


@pytest.mark.parametrize("score, threshold, expected", [(0.0, 0.7, "missing"), (0.25, 0.7, "missing"),
                                                         (0.5, 0.7, "partial"), (0.75, 0.7, "polish")])
def test_a_practice_state_reads_from_its_score(score, threshold, expected):
    from scoring.engine import QuestionResult

    assert practice_state(QuestionResult("q", "d", 1, True, 1, score, True), threshold) == expected


@pytest.mark.parametrize("question_id, domain, expected", [
    ("governance.model-approval", "governance", "A model can go live without anyone signing off its risks."),
    ("mlops.drift-monitoring", "mlops", "A model that degrades in production goes unnoticed until customers notice."),
    ("mlops.model-registry", "mlops", "A production model cannot be traced to its version, owner or approval."),
    ("governance.something-new", "governance", "An AI risk the organisation should control is left uncontrolled."),
])
def test_what_can_go_wrong_is_matched_on_the_practice(question_id, domain, expected):
    assert exposure(question_id, domain) == expected


# --- quotes ---------------------------------------------------------------------------------------


def test_quotes_come_from_the_lowest_scores_then_the_longest_note():
    notes = {"economics.budget": "A fine budget.", "governance.register": "Short.",
             "governance.classify": "Nobody has ever listed the models we run.",
             "governance.sponsor": "<script>alert(1)</script>"}
    quotes = plan_story(notes=notes).quotes
    assert [q.text for q in quotes] == ["Nobody has ever listed the models we run.", "<script>alert(1)</script>",
                                        "Short."]
    assert quotes[0].question == "Is governance.classify in place?"


def test_a_note_longer_than_240_characters_is_not_quoted_in_the_summary():
    quotes = plan_story(notes={"governance.register": "word " * 100, "governance.classify": "Short."}).quotes
    assert [q.text for q in quotes] == ["Short."]


# --- RACI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size, accountable, informed", [
    (None, "Chief Risk Officer", ("AI steering group", "Business unit leads")),
    ("small", "CEO", ("Leadership team",)),
    ("large", "Chief Risk Officer", ("AI steering committee", "Business unit leads")),
])
def test_raci_names_an_executive_sized_to_the_organisation(size, accountable, informed):
    rows = plan_story(size=size).raci
    assert [(r.step.rank, r.accountable, r.informed) for r in rows] == [(n, accountable, informed) for n in range(1, 6)]


def test_raci_consults_the_owners_of_linked_steps_or_the_domain_partner():
    rows = plan_story(size="large").raci
    assert [(r.responsible, r.consulted) for r in rows] == [
        ("Head of AI", ("Legal counsel",)),        # classify needs it, but its owner is already accountable
        ("Chief Risk Officer", ("Head of AI",)),   # classify requires the register, owned by Head of AI
        ("Head of AI", ("Legal counsel",)),        # the platform: adopt's owner is the same person
        ("Head of AI", ("Legal counsel",)),
        ("Head of AI", ("Legal counsel",)),
    ]


def test_a_step_the_ceo_owns_is_accountable_to_the_ceo():
    row = tiny_story().raci[0]
    assert (row.step.title, row.responsible, row.accountable) == ("Set up an AI board", "CEO", "CEO")


# --- timeline -------------------------------------------------------------------------------------


def test_a_step_starts_after_the_step_it_requires_and_next_starts_at_month_three():
    slots = plan_story().timeline
    assert [(s.step.rank, s.start, s.end, s.after) for s in slots] == [
        (1, 0, 1, ()), (2, 1, 2, (1,)), (3, 0, 3, ()), (4, 3, 4, (3,)), (5, 0, 2, ()),
        (6, 3, 4, (5,)), (7, 3, 4, ()), (8, 3, 5, ()),
    ]


def test_no_more_steps_run_at_once_than_the_capacity_allows():
    slots = timeline(plan_result({**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}).actions, capacity=2)
    assert [(s.step.rank, s.start, s.end) for s in slots][:5] == [(1, 0, 1), (2, 1, 2), (3, 1, 4), (4, 4, 5),
                                                                  (5, 2, 4)]


def test_after_names_the_ranks_a_step_waits_for():
    steps = plan_result({**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}).actions
    assert [after_text(s, steps) for s in steps[:6]] == ["", "after 1", "", "after 3", "", "after 5"]


def test_the_same_answers_tell_the_same_story():
    assert plan_story() == plan_story()

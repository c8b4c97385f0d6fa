"""The story a client reads: findings, RACI, quotes, timeline and the pilots in words, by fixed rules.

tests/data/tiny.yaml (Data and Governance, one question per cell) with tiny-answers.yaml, and
tests/data/plan.yaml (Governance with linked phase 1 practices, Economics) with Governance at
nothing and Economics fully in place. The risk register and the three risks are in
tests/test_risk_register.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires import load_questionnaire, parse_questionnaire
from questionnaires.loader import LIBRARY
from scoring import Answer, Response, read_answers, score_response
from scoring.answers import OrganisationProfile, Pilot
from scoring.engine import Step
from scoring.narrative import (ACCOUNTABLE, BOARD, INFORMED, after_text, findings, narrate, pilot_brief, plural, raci,
                               timeline)
from scoring.pilots import pilot_metrics, pilot_portfolio
from scoring.steps import TRIAGE_ID
from tests.conftest import DATA

TINY = load_questionnaire(DATA / "tiny.yaml")
PLAN_TEXT = (DATA / "plan.yaml").read_text(encoding="utf-8")
PLAN = parse_questionnaire(PLAN_TEXT, "plan.yaml")
AI = load_questionnaire(LIBRARY / "ai-maturity.yaml")
GOVERNANCE_AT_ZERO = {q.id: 0 for q in PLAN.questions if q.domain == "governance"}
ECONOMICS_DONE = {q.id: 4 for q in PLAN.questions if q.domain == "economics"}
ON = dt.date(2026, 11, 26)


def tiny_story():
    return narrate(TINY, score_response(TINY, read_answers(DATA / "tiny-answers.yaml", TINY)))


def plan_result(answers: dict, size: str | None = None, notes: dict | None = None, questionnaire=PLAN):
    notes = notes or {}
    response = Response("plan", "1.0.0", {k: Answer(v, notes.get(k, "")) for k, v in answers.items()}, "Example",
                        organisation_profile=OrganisationProfile(size=size) if size else None)
    return score_response(questionnaire, response)


def plan_story(answers: dict | None = None, size: str | None = None, notes: dict | None = None):
    return narrate(PLAN, plan_result(answers or {**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}, size, notes))


@functools.cache  # several tables mark the same questions: each variant is parsed once
def with_critical(*question_ids: str):
    """plan.yaml with the given questions marked critical."""
    text = PLAN_TEXT
    for qid in question_ids:
        text = text.replace(f"  - id: {qid}\n", f"  - id: {qid}\n    critical: true\n", 1)
    return parse_questionnaire(text, "plan.yaml")


def ai_result(value=0, **answers):
    """The shipped questionnaire with every question at `value` but those given."""
    given_answers = {q.id: Answer(answers.get(q.id.replace(".", "__").replace("-", "_"), value)) for q in AI.questions
                     if q.scored and q.type == "scale"}
    return score_response(AI, Response(AI.id, AI.version, given_answers, "Example"))


def overall_as(result, **changes):
    """The result with its headline fields set by hand: the findings read them, the engine's rules are tested
    elsewhere."""
    return dataclasses.replace(result, overall=dataclasses.replace(result.overall, **changes))


# --- plurals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count, one, many, expected", [(1, "pilot", None, "pilot"), (0, "pilot", None, "pilots"),
                                                        (3, "pilot", None, "pilots"), (1, "is", "are", "is"),
                                                        (2, "is", "are", "are")])
def test_plural_agrees_with_the_count(count, one, many, expected):
    assert plural(count, one, many) == expected


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


@pytest.mark.parametrize("unknown, expected", [
    (["governance.register"],
     "One question was answered “don't know”. The scoring leaves it out of the averages, counting it neither as in "
     "place nor as missing; it lowers the confidence to 93% and is listed among the unknowns to resolve."),
    (["governance.register", "economics.budget"],
     "Two questions were answered “don't know”. The scoring leaves them out of the averages, counting them neither "
     "as in place nor as missing; they lower the confidence to 87% and are listed among the unknowns to resolve."),
])
def test_the_dont_know_finding_says_what_the_scoring_does_with_them(unknown, expected):
    answers = {**{q.id: 4 for q in PLAN.questions}, **{qid: "dont_know" for qid in unknown}}
    assert plan_story(answers).findings[-1] == expected


def test_a_finished_organisation_is_told_what_remains():
    assert plan_story({q.id: 4 for q in PLAN.questions}).findings == (
        "Every assessed domain has achieved all four phases; what remains is keeping the practices at that level as "
        "the portfolio grows.",
        "Every question shown has a real answer, so the result rests on no unknowns.",
    )


@pytest.mark.parametrize("gaps, answers, expected", [
    (("governance.phase4",), {"governance.phase4": 0},
     "One critical practice is not in place: “Do governance.phase4”."),
    (("governance.phase4", "economics.phase3"), {"governance.phase4": 0, "economics.phase3": 0},
     "Two critical practices are not in place: “Do governance.phase4” and “Do economics.phase3”."),
    (("governance.phase4", "economics.phase3"), {"governance.phase4": 0, "economics.phase3": "dont_know"},
     "Two critical practices are not in place or not known to be: “Do governance.phase4” and “Do economics.phase3”."),
    (("governance.phase4",), {"governance.phase4": "dont_know"},
     "One critical practice is not known to be in place: “Do governance.phase4”."),
])
def test_critical_gaps_come_first_among_the_findings(gaps, answers, expected):
    questionnaire = with_critical(*gaps)
    result = plan_result({**{q.id: 4 for q in PLAN.questions}, **answers}, questionnaire=questionnaire)
    assert findings(result, questionnaire)[0] == expected


def test_no_critical_finding_without_a_critical_gap():
    questionnaire = with_critical("governance.phase4")
    result = plan_result({q.id: 4 for q in PLAN.questions}, questionnaire=questionnaire)
    assert not any("critical" in text for text in findings(result, questionnaire))


# Every domain at nothing: all five hold the organisation at phase 1 (critical gaps left to their own test).
ALL_LIMIT = overall_as(ai_result(0), critical_gaps=())


@pytest.mark.parametrize("limiting, primary, tied, released, expected", [
    (("governance", "mlops", "economics"), None, ("governance", "mlops", "economics"), (),
     "Governance, MLOps and Economics hold the organisation at phase 1, each about as far from the bar."),
    (("data", "governance", "mlops", "economics"), None, ("governance", "mlops", "economics"), ("data",),
     "Governance, MLOps and Economics hold the organisation at phase 1, each about as far from the bar. Data is one "
     "answer from the bar."),
    (("data", "governance", "mlops"), None, ("data", "governance"), (),
     "Data and Governance hold the organisation at phase 1, each about as far from the bar. MLOps also holds it "
     "back, though closer to the bar."),
    (("data", "mlops"), None, ("data", "mlops"), ("data", "mlops"),
     "Data and MLOps hold the organisation at phase 1, each one answer from the bar."),
    (("governance", "mlops", "organization"), "governance", (), ("mlops", "organization"),
     "Three domains hold the organisation at phase 1; Governance is furthest from the bar: its phase 1 practices "
     "stand at 0%, against the 70% the phase asks for. MLOps and Organization are each one answer from the bar."),
    (("economics",), "economics", (), (),
     "Economics holds the organisation at phase 1: its phase 1 practices stand at 0%, against the 70% the phase "
     "asks for."),
], ids=["tie", "tie-and-released", "tie-and-closer", "all-released", "furthest-and-released", "one-domain"])
def test_the_limiting_finding_says_a_tie_as_a_tie_and_domains_one_answer_away_apart(limiting, primary, tied,
                                                                                     released, expected):
    result = overall_as(ALL_LIMIT, limiting_domains=limiting, primary_limiting_domain=primary, tied=tied,
                        released=released)
    assert findings(result, AI)[0] == expected


@settings(max_examples=60, deadline=None, derandomize=True)
@given(limiting=st.lists(st.sampled_from([d.id for d in AI.domains]), min_size=2, max_size=5, unique=True),
       flags=st.binary(min_size=5, max_size=5))  # per domain: released (low bit), else tied (next bit); one draw
def test_a_tie_never_names_a_single_domain_as_furthest(limiting, flags):
    order = [d.id for d in AI.domains]
    limiting = tuple(sorted(limiting, key=order.index))
    released = tuple(d for d, flag in zip(limiting, flags) if flag & 1)
    tied = tuple(d for d, flag in zip(limiting, flags) if not flag & 1 and flag & 2)
    result = overall_as(ALL_LIMIT, limiting_domains=limiting, primary_limiting_domain=None, tied=tied,
                        released=released)
    text = findings(result, AI)[0]
    assert "furthest" not in text
    names = {d.id: d.name for d in AI.domains}
    assert all(names[d] in text for d in limiting)


def test_a_domain_said_one_answer_away_is_not_said_again_as_a_near_miss():
    result = overall_as(ALL_LIMIT, limiting_domains=("data", "mlops"), primary_limiting_domain=None,
                        tied=("data", "mlops"), released=("data", "mlops"))
    assert not any("one answer from completing" in text for text in findings(result, AI))


# --- RACI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size, accountable, informed", [
    (None, "Chief Risk Officer", ("AI steering group", "Business unit leads")),
    ("small", "CEO", ("Leadership team",)),
    ("large", "Chief Risk Officer", ("AI steering committee", "Business unit leads")),
])
def test_raci_names_an_executive_sized_to_the_organisation(size, accountable, informed):
    rows = plan_story(size=size).raci
    assert [(r.step.rank, r.accountable, r.informed) for r in rows if r.responsible != accountable] == [
        (r.step.rank, accountable, informed) for r in rows if r.responsible != accountable]
    assert len(rows) == 5


def test_raci_consults_the_owners_of_linked_steps_or_the_domain_partner():
    rows = plan_story(size="large").raci
    assert [(r.responsible, r.accountable, r.consulted) for r in rows] == [
        ("Head of AI", "Chief Risk Officer", ("Legal counsel",)),    # classify needs it, its owner is accountable
        ("Chief Risk Officer", "Chief Executive Officer", ("Head of AI",)),  # the executive's own step goes up
        ("Head of AI", "Chief Risk Officer", ("Legal counsel",)),    # gate needs it, same owner
        ("Head of AI", "Chief Risk Officer", ("Legal counsel",)),
        ("Head of AI", "Chief Risk Officer", ("Legal counsel",)),
    ]


def step(rank: int, question: str, domain: str, owner: str, requires=()) -> Step:
    return Step(rank=rank, question=question, domain=domain, phase=1, horizon="now", title=f"Do {question}",
                detail="", owner=owner, effort="S", impact=2, kpi="", priority=1.0, score=0.0,
                requires=tuple(requires))


@functools.cache
def unanswered_plan(size: str | None):
    """The plan scored with no answers, once for each size: the RACI tests replace only its steps."""
    return plan_result({}, size)


def rows_for(steps, size):
    result = dataclasses.replace(unanswered_plan(size), actions=tuple(steps))
    return [(r.responsible, r.accountable, r.consulted, r.informed) for r in raci(result)]


@pytest.mark.parametrize("size, owner, expected", [
    ("medium", "Executive AI sponsor",
     ("Executive AI sponsor", "Chief Executive Officer", ("Chief Financial Officer", "Pilot business owners"),
      ("AI steering group", "Business unit leads"))),
    ("large", "Executive AI sponsor",
     ("Executive AI sponsor", "Chief Executive Officer", ("Chief Financial Officer", "Pilot business owners"),
      ("AI steering committee", "Business unit leads"))),
    ("small", "CEO", ("CEO", "CEO", ("Pilot business owners",), ("Leadership team",))),
])
def test_the_portfolio_triage_answers_to_the_chief_executive_and_consults_finance_and_the_pilot_owners(
        size, owner, expected):
    assert rows_for([step(1, TRIAGE_ID, "economics", owner)], size) == [expected]


@pytest.mark.parametrize("size, owner, domain, accountable, consulted", [
    ("medium", "Chief Executive Officer", "organization", BOARD, ("Chief Operating Officer",)),
    ("large", "Chief Financial Officer", "economics", "Chief Executive Officer", ("Business owners of the use cases",)),
    ("large", "Head of FinOps", "economics", "Chief Financial Officer", ("Business owners of the use cases",)),
    ("medium", "Chief Human Resources Officer", "organization", "Chief Operating Officer", ("Finance",)),
    ("small", "CEO", "organization", "CEO", ("HR",)),
    ("small", "CTO", "mlops", "CTO", ("Information security",)),
], ids=["ceo-to-board", "executive-to-ceo", "finops-to-cfo", "hr-owner-consults-finance", "small-ceo", "small-cto"])
def test_accountable_moves_up_when_it_would_be_the_owner_except_in_a_small_organisation(size, owner, domain,
                                                                                      accountable, consulted):
    [(responsible, answers, asked, _)] = rows_for([step(1, f"{domain}.x", domain, owner)], size)
    assert (responsible, answers, asked) == (owner, accountable, consulted)


OWNERS = sorted({title for titles in ACCOUNTABLE.values() for title in titles} | {
    "CEO", "Chief Executive Officer", "Executive AI sponsor", "Head of AI", "Head of FinOps", "Legal counsel",
    "Head of Legal & Compliance", "Chief Information Security Officer", "Business owner of the use case", "HR",
    "Finance", "Information security", "Data protection officer", "Business unit leads", "AI steering group",
    "Leadership team", "Chief Human Resources Officer", "Lead ML engineer"})
DOMAINS = [*ACCOUNTABLE, "security"]


MAX_STEPS = 7
STEP_BYTES = 6  # domain, owner (two bytes: 24 titles), up to three prerequisites


def steps_from(picks: bytes) -> list[Step]:
    """Steps read from bytes: the first gives how many, the next whether the first step is the portfolio triage,
    then six for each step."""
    count = 1 + picks[0] % MAX_STEPS
    questions = [f"q{n}" for n in range(count)]
    steps = []
    for rank, question in enumerate(questions, start=1):
        domain, owner_high, owner_low, *slots = picks[2 + (rank - 1) * STEP_BYTES:2 + rank * STEP_BYTES]
        # a slot under 128 stays empty: about one and a half prerequisites a step, as a list of at most three drew
        requires = dict.fromkeys(questions[slot % count] for slot in slots if slot >= 128)
        qid = TRIAGE_ID if rank == 1 and picks[1] % 2 else question
        owner = OWNERS[(owner_high * 256 + owner_low) % len(OWNERS)]
        steps.append(step(rank, qid, DOMAINS[domain % len(DOMAINS)], owner, [q for q in requires if q != question]))
    return steps


# All of a plan drawn as one byte string: a draw per field made generating an example cost more than checking it.
# Every pick is a remainder that favours no choice by more than one in 40, the count is spread over one to seven
# steps, and shrinking lowers every byte, so towards one step, the first domain and owner and no prerequisites.
plans = st.binary(min_size=2 + MAX_STEPS * STEP_BYTES, max_size=2 + MAX_STEPS * STEP_BYTES).map(steps_from)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(steps=plans, size=st.sampled_from(["medium", "large", None]))
def test_in_a_medium_or_large_organisation_nobody_appears_twice_in_a_row(steps, size):
    for responsible, accountable, consulted, informed in rows_for(steps, size):
        assert responsible != accountable
        assert accountable not in consulted
        people = [responsible, accountable, *consulted, *informed]
        assert len(people) == len(set(people))
        assert consulted


@settings(max_examples=100, deadline=None, derandomize=True)
@given(steps=plans)
def test_in_a_small_organisation_only_responsible_and_accountable_may_be_one_person(steps):
    for responsible, accountable, consulted, informed in rows_for(steps, "small"):
        people = [accountable, *consulted, *informed]
        assert len(people) == len(set(people)) and responsible not in (*consulted, *informed)
        assert informed == INFORMED["small"] or set(informed) < set(INFORMED["small"])


def test_a_step_the_ceo_owns_answers_to_the_board():
    row = tiny_story().raci[0]
    assert (row.step.title, row.responsible, row.accountable, row.consulted) == (
        "Set up an AI board", "CEO", BOARD, ("Chief Risk Officer",))


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


# --- timeline -------------------------------------------------------------------------------------


def test_a_step_starts_after_the_open_step_it_requires_and_next_starts_at_month_three():
    slots = plan_story().timeline
    assert [(s.step.question, s.start, s.end, s.after) for s in slots] == [
        ("governance.register", 0, 1, ()), ("governance.classify", 1, 2, (1,)), ("governance.sponsor", 0, 2, ()),
        ("governance.gate", 2, 3, (3,)), ("governance.quickwin", 0, 1, ()), ("governance.platform", 3, 6, ()),
        ("governance.adopt", 6, 7, (6,)), ("governance.phase2", 3, 5, ()),
    ]


def test_no_more_steps_run_at_once_than_the_capacity_allows():
    slots = timeline(plan_result({**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}).actions, capacity=2)
    assert [(s.step.rank, s.start, s.end) for s in slots][:5] == [(1, 0, 1), (2, 1, 2), (3, 1, 3), (4, 3, 4),
                                                                  (5, 0, 1)]


def test_after_names_the_ranks_of_open_prerequisites_only():
    steps = plan_result({**GOVERNANCE_AT_ZERO, **ECONOMICS_DONE}).actions
    assert [after_text(s, steps) for s in steps[:7]] == ["", "after 1", "", "after 3", "", "", "after 6"]
    done = tuple(dataclasses.replace(s, is_open=False) if s.rank == 1 else s for s in steps)
    assert after_text(done[1], done) == ""  # polish on the prerequisite holds nothing back
    assert [s.after for s in timeline(done)][:2] == [(), ()]


def test_the_same_answers_tell_the_same_story():
    assert plan_story() == plan_story()


# --- the pilot portfolio in words -----------------------------------------------------------------


def pilot(name: str, stage: str = "pilot", started: str = "2025-01", owner: bool = False, kpi: bool = False,
          blockers=(), value=None, group=None) -> Pilot:
    return Pilot(name, stage, started, None, owner, kpi, tuple(blockers), value, group=group)


def brief_of(*register, steps=(), currency="EUR", remedies=None):
    metrics = pilot_metrics(pilot_portfolio(TINY, tuple(register), ON), steps, currency)
    if remedies is not None:
        metrics = dataclasses.replace(metrics, blocker_remedies=remedies)
    return pilot_brief(metrics, steps)


@pytest.mark.parametrize("register, summary, stuck", [
    ((pilot("A", owner=True, value=120000), pilot("B", started="2026-10"), pilot("C", started="2026-10")),
     "1 of 3 pilots is older than 6 months without reaching production; none reached production.",
     "1 of 3 pilots is stuck: active for more than 6 months without reaching production. 0% of the pilots started "
     "at least 6 months ago reached production; the reference is 20%, about one in five. The one stuck pilot carries "
     "EUR 120,000 of expected value a year."),
    ((pilot("A", owner=True), pilot("B", owner=True), pilot("C", "production", owner=True, kpi=True)),
     "2 of 3 pilots are older than 6 months without reaching production; 1 reached production.",
     "2 of 3 pilots are stuck: active for more than 6 months without reaching production. 33% of the pilots started "
     "at least 6 months ago reached production; the reference is 20%, about one in five. The value waiting in the "
     "2 stuck pilots is not estimated: the register gives none."),
    ((pilot("A", owner=True, value=250000),),
     "The one pilot is older than 6 months without reaching production; none reached production.",
     "The one pilot is stuck: active for more than 6 months without reaching production. 0% of the pilots started at "
     "least 6 months ago reached production; the reference is 20%, about one in five. The one stuck pilot carries "
     "EUR 250,000 of expected value a year."),
    ((pilot("A", started="2026-10"), pilot("B", started="2026-09")),
     "No pilot is older than 6 months without reaching production; none reached production.",
     "No pilot is stuck: none has been active for more than 6 months without reaching production."),
], ids=["one-of-three", "two-of-three", "the-one", "none"])
def test_the_brief_counts_pilots_with_the_verb_that_agrees(register, summary, stuck):
    brief = brief_of(*register)
    assert (brief.summary, brief.stuck) == (summary, stuck)


def test_the_value_waiting_leaves_out_the_pilots_to_stop_and_carries_the_currency():
    brief = brief_of(pilot("A", value=900000), pilot("B", owner=True, value=300000),
                     pilot("C", kpi=True, value=200000), currency="GBP")
    assert brief.stuck.endswith("The 2 stuck pilots not to be stopped carry GBP 500,000 of expected value a year.")


def test_merged_pilots_are_not_told_to_stop_and_the_merge_sentence_names_them():
    brief = brief_of(pilot("A", group="Pricing"), pilot("B", group="Pricing"), pilot("C"))
    assert brief.stop.startswith("Stop 1 pilot: C.")
    assert "A" not in brief.stop.split(".")[0]
    assert brief.merge.startswith("Merge 2 stuck pilots ") and "A and B" in brief.merge


def test_the_merge_sentence_names_each_group_with_its_pilots():
    metrics = pilot_metrics(pilot_portfolio(TINY, (pilot("A"),), ON), (), "EUR")
    items = tuple(SimpleNamespace(name=name, verdict="merge", group=group, blocking_domains=(), age_months=20,
                                  stage="pilot", reason="") for name, group in
                  (("A", "Pricing"), ("B", "Pricing"), ("C", "Service desk"), ("D", "Service desk"),
                   ("E", "Service desk")))
    assert pilot_brief(dataclasses.replace(metrics, items=items)).merge == (
        "Merge 5 stuck pilots into one per outcome: Pricing (A and B); Service desk (C, D and E). Each merged pilot "
        "gets a named business owner and one KPI; free the budget and teams of the rest.")


def test_with_only_pilots_to_merge_no_pilot_is_told_to_stop():
    brief = brief_of(pilot("A", group="Pricing"), pilot("B", group="Pricing"))
    assert brief.stop == ("No pilot needs stopping on its own: the stuck pilots with neither a business owner nor a "
                          "KPI baseline share their outcome with other stuck pilots, and are to be merged.")


def test_a_register_without_merges_has_no_merge_sentence():
    assert brief_of(pilot("A"), pilot("B")).merge == ""


@pytest.mark.parametrize("register, gate", [
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]),
      pilot("B", owner=True, blockers=["governance.approval-queue"])),
     "The gate that holds most stuck pilots is Governance: all 2 name “Waiting for model approval”; the plan has no "
     "open step that removes it: escalate it to the executive sponsor. Of the 2 pilots to fix, A and B wait on "
     "Governance."),
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]), pilot("B", owner=True)),
     "The gate that holds most stuck pilots is Governance: 1 of the 2 names “Waiting for model approval”; the plan "
     "has no open step that removes it: escalate it to the executive sponsor. Of the 2 pilots to fix, A waits on "
     "Governance; 1 names no blocker."),
], ids=["all-name-it", "one-names-it"])
def test_the_gate_sentence_agrees_with_its_counts(register, gate):
    assert brief_of(*register).gate == gate


OTHER = step(1, "governance.other", "governance", "CRO")  # Governance's first step, but no remedy of any blocker
APPROVAL = step(2, "governance.approval", "governance", "CRO")
INVENTORY = step(3, "data.inventory", "data", "CDO")
FAST_LANE = step(4, "governance.fast-lane", "governance", "CRO")
REMEDIES = {"governance.approval-queue": ("governance.approval", "governance.fast-lane"),
            "data.no-access": ("data.inventory",), "governance.no-risk-review": ()}


@pytest.mark.parametrize("register, steps, removal", [
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]),), (OTHER, APPROVAL),
     "; the plan removes it with step 2, “Do governance.approval”."),
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]),
      pilot("B", owner=True, blockers=["data.no-access"])), (OTHER, APPROVAL, INVENTORY),
     "; the plan removes the first with step 2, “Do governance.approval”, and the second with step 3, "
     "“Do data.inventory”."),
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]),
      pilot("B", owner=True, blockers=["data.no-access"])), (OTHER, INVENTORY),
     "; the plan removes the second with step 3, “Do data.inventory”; it has no open step that removes the first: "
     "escalate it to the executive sponsor."),
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]),
      pilot("B", owner=True, blockers=["data.no-access"])), (OTHER,),
     "; the plan has no open step that removes either: escalate them to the executive sponsor."),
    ((pilot("A", owner=True, blockers=["governance.approval-queue"]),), (OTHER, APPROVAL, INVENTORY, FAST_LANE),
     "; the plan removes it with steps 2 and 4, “Do governance.approval” and “Do governance.fast-lane”."),
    ((pilot("A", owner=True, blockers=["governance.no-risk-review"]),), (INVENTORY, OTHER, APPROVAL),
     "; the plan removes it with step 1, “Do governance.other”."),  # no remedy list: the domain's first step
], ids=["remedy-not-domain", "two-gates", "one-of-two", "neither", "two-remedy-steps", "no-remedy-list"])
def test_the_gate_sentence_names_the_step_that_removes_the_blocker_not_the_domains_first(register, steps, removal):
    gate = brief_of(*register, steps=steps, remedies=REMEDIES).gate
    assert removal in gate

"""The risk register and the three risks of the executive summary: every domain read, no fixed slot.

tests/data/plan.yaml (Governance and Economics), tests/data/tiny.yaml (Data and Governance, with a
pilots section) and the shipped ai-maturity questionnaire.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires import load_questionnaire, parse_questionnaire
from questionnaires.loader import LIBRARY, shipped_paths
from scoring import DONT_KNOW, Answer, Response, read_answers, score_response
from scoring.answers import Pilot
from scoring.narrative import (DOMAIN_EXPOSURES, EXPOSURES, entry_risk, exposure, narrate, practice_state,
                               risk_register, severity)
from tests.conftest import DATA

PLAN_TEXT = (DATA / "plan.yaml").read_text(encoding="utf-8")
PLAN = parse_questionnaire(PLAN_TEXT, "plan.yaml")
TINY = load_questionnaire(DATA / "tiny.yaml")
AI = load_questionnaire(LIBRARY / "ai-maturity.yaml")
SHIPPED = [load_questionnaire(path) for path in shipped_paths()]
ON = dt.date(2026, 11, 26)


def plan_variant(old: str, new: str):
    assert old in PLAN_TEXT
    return parse_questionnaire(PLAN_TEXT.replace(old, new, 1), "plan.yaml")


def scored(questionnaire, answers: dict, **changes):
    response = Response(questionnaire.id, questionnaire.version, {k: Answer(v) for k, v in answers.items()}, "Example")
    result = score_response(questionnaire, response)
    return dataclasses.replace(result, **changes) if changes else result


def levels(questionnaire, **by_domain):
    """Every scale question of a domain at the level given for it."""
    return {q.id: by_domain[q.domain] for q in questionnaire.questions if q.domain in by_domain and q.type == "scale"}


def entries(questionnaire, result):
    return [(e.question, e.severity, e.state) for e in risk_register(questionnaire, result)]


# --- what can go wrong ------------------------------------------------------------------------------


@pytest.mark.parametrize("questionnaire", SHIPPED, ids=lambda q: f"{q.id}-{q.version}")
def test_every_shipped_practice_has_its_own_sentence_of_what_goes_wrong(questionnaire):
    practices = [q.id for q in questionnaire.questions if q.scored]
    assert [qid for qid in practices if qid not in EXPOSURES] == []
    sentences = [EXPOSURES[qid] for qid in practices]
    assert len(set(sentences)) == len(sentences)


@pytest.mark.parametrize("question_id, domain, expected", [
    ("economics.unit-costs", "economics",
     "AI and generative AI spend is not metered: a popular use case can run up costs before anyone notices."),
    ("economics.value-measurement", "economics",
     "The value of AI cannot be proven to Finance, so its budget is the first to go when money is tight."),
    ("organization.model-ownership", "organization",
     "Models have nobody who owns them after launch: when results slip, nobody answers for them."),
    ("data.prediction-logging", "data",
     "Predictions cannot be audited: when a decision is challenged, there is no record of what the model said, on "
     "which inputs."),
    ("mlops.drift-monitoring", "mlops", "A model that degrades in production goes unnoticed until customers notice."),
    ("governance.model-approval", "governance", "A model can go live without anyone signing off its risks."),
    ("mlops.vendor-dependency", "mlops", "Dependence on a single AI vendor can lock in cost and leave no way out."),
    # other questionnaires: a fragment of the same domain first, then any, then the domain's sentence
    ("data.pipelines", "data",
     "Production models run on manual extracts that arrive late or break without anyone noticing."),
    ("mlops.pipelines", "mlops", "Every release depends on manual hand-offs, which are slow and error-prone."),
    ("economics.budget", "economics",
     "Production AI lives on project money, so a model can lose its funding when the project ends."),
    ("governance.something-new", "governance", "An AI risk the organisation should control is left uncontrolled."),
    ("organization.something-new", "organization",
     "Nobody is clearly responsible for AI once it leaves the pilot team."),
    ("economics.something-new", "economics", "AI money is spent without anyone able to show what it returns."),
    ("data.something-new", "data", "Models are built and run on data nobody vouches for."),
    ("risk.something-new", "risk", "A practice the current phase depends on is missing."),
])
def test_what_can_go_wrong_is_matched_on_the_full_id_then_a_fragment_then_the_domain(question_id, domain, expected):
    assert exposure(question_id, domain) == expected


def test_every_domain_of_the_shipped_questionnaire_has_a_fallback_sentence():
    assert set(DOMAIN_EXPOSURES) == {d.id for d in AI.domains}


# --- the register -----------------------------------------------------------------------------------


def test_an_organisation_limited_by_economics_gets_its_economics_risks_not_a_fixed_slot():
    result = scored(PLAN, levels(PLAN, governance=4, economics=0))
    assert entries(PLAN, result) == [
        ("economics.budget", "High", "Not in place"), ("economics.costs", "High", "Not in place"),
        ("economics.phase2", "Medium", "Not in place"), ("economics.phase3", "Low", "Not in place"),
        ("economics.phase4", "Low", "Not in place")]
    assert narrate(PLAN, result).risks == (
        "Production AI lives on project money, so a model can lose its funding when the project ends. Step 1 closes "
        "this gap.",
        "Nobody knows what each AI use case really costs, so compute, token and licence spend grows unchecked. Step 2 "
        "closes this gap.",
        "AI money is spent without anyone able to show what it returns. Step 3 closes this gap.",
    )


def test_the_register_reads_every_domain_not_only_governance_and_mlops():
    result = scored(TINY, {"data.inventory": 0, "governance.board": 4, "governance.approval": 4,
                           "governance.controls": ["bias", "explain", "audit"], "governance.budget": 4})
    assert {e.domain_id for e in risk_register(TINY, result)} == {"data"}


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


CRITICAL_PHASE4 = plan_variant("  - id: governance.phase4\n", "  - id: governance.phase4\n    critical: true\n")


@pytest.mark.parametrize("questionnaire, value, expected", [
    (PLAN, 0, ("governance.phase4", "Low", "Not in place")),
    (CRITICAL_PHASE4, 0, ("governance.phase4", "High", "Not in place")),
    (CRITICAL_PHASE4, DONT_KNOW, ("governance.phase4", "High", "Unknown")),
    (CRITICAL_PHASE4, 1, ("governance.phase4", "Low", "Not in place")),  # above the lowest level: not a critical gap
], ids=["ordinary", "critical", "critical-unknown", "critical-at-level-one"])
def test_a_critical_practice_not_in_place_is_high_whatever_its_phase(questionnaire, value, expected):
    result = scored(questionnaire, {**levels(PLAN, governance=0, economics=4), "governance.phase4": value})
    found = entries(questionnaire, result)
    assert expected in found
    if expected[1] == "High":
        assert found[0] == expected  # raised entries lead the High ones


AI_ACT_LATE = plan_variant("  - id: governance.phase3\n", "  - id: governance.eu-ai-act-role\n")
REGULATORY = plan_variant("  - id: governance.phase3\n", "  - id: governance.phase3\n    track: regulatory\n"
                                                             "    source: Regulation (EU) 2024/1689, Art. 26\n")


@pytest.mark.parametrize("questionnaire, question, value, high_risk, expected", [
    (AI_ACT_LATE, "governance.eu-ai-act-role", 0, False, "Low"),
    (AI_ACT_LATE, "governance.eu-ai-act-role", 0, True, "High"),
    (AI_ACT_LATE, "governance.eu-ai-act-role", DONT_KNOW, True, "High"),
    (REGULATORY, "governance.phase3", 0, True, "High"),
    (REGULATORY, "governance.phase3", 2, True, "Medium"),
    (REGULATORY, "governance.phase3", 2, False, "Low"),
], ids=["role-not-exposed", "role-exposed", "role-unknown-exposed", "regulatory-exposed", "regulatory-partial",
        "regulatory-not-exposed"])
def test_a_likely_high_risk_organisation_has_its_regulatory_gaps_rated_by_exposure(questionnaire, question, value,
                                                                                  high_risk, expected):
    result = scored(questionnaire, {**levels(PLAN, governance=0, economics=4), question: value},
                    likely_high_risk=high_risk)
    assert next(e.severity for e in risk_register(questionnaire, result) if e.question == question) == expected


def test_an_unknown_practice_is_in_the_register_without_a_step_and_its_risk_names_none():
    story = narrate(TINY, score_response(TINY, read_answers(DATA / "tiny-answers.yaml", TINY)))
    entry = next(e for e in story.register if e.question == "governance.approval")
    assert (entry.severity, entry.state, entry.step, entry.owner) == ("Medium", "Unknown", None, "CRO")
    assert entry_risk(entry) == "A model can go live without anyone signing off its risks."


# --- the three risks ----------------------------------------------------------------------------------


def test_risks_come_from_the_limiting_domain_a_foundation_gap_and_other_gaps():
    assert narrate(TINY, score_response(TINY, read_answers(DATA / "tiny-answers.yaml", TINY))).risks == (
        "AI decisions have no body with the authority to take them, so they stall or are taken by default. "
        "Step 1 closes this gap.",
        "Governance has phase 3 practices in place without the phase 1 foundation under them; work built that way "
        "tends to stall before it reaches production.",
        "Production models run on manual extracts that arrive late or break without anyone noticing. Step 2 closes "
        "this gap.",
    )


def test_each_limiting_domain_gets_a_risk_before_the_rest_of_the_register():
    result = scored(PLAN, levels(PLAN, governance=0, economics=0))
    assert result.overall.limiting_domains == ("governance", "economics")
    assert narrate(PLAN, result).risks == (
        "Nobody can say which AI systems are in use, so none of them can be governed. Step 1 closes this gap.",
        "Production AI lives on project money, so a model can lose its funding when the project ends. Step 5 closes "
        "this gap.",
        "High-risk use cases get the same light handling as harmless ones. Step 2 closes this gap.",
    )


def test_five_limiting_domains_give_three_risks_from_three_domains():
    result = scored(AI, levels(AI, data=0, governance=0, mlops=0, organization=0, economics=0))
    story = narrate(AI, result)
    by_sentence = {entry_risk(e): e.domain_id for e in story.register}
    assert len({by_sentence[text] for text in story.risks}) == 3


def tiny_with(register, **answers):
    response = read_answers(DATA / "tiny-answers.yaml", TINY)
    response.answers.update({k: Answer(v) for k, v in answers.items()})
    return score_response(TINY, dataclasses.replace(response, pilots=tuple(register), date=ON))


FOUNDATION = ("Governance has phase 3 practices in place without the phase 1 foundation under them; work built that "
              "way tends to stall before it reaches production.")
LIVE = Pilot("Live", "production", "2024-01", None, True, True)
STUCK = Pilot("Stuck", "pilot", "2025-01", None, True, False)


@pytest.mark.parametrize("register, raised", [((), True), ((STUCK,), True), ((LIVE,), False), ((LIVE, STUCK), False)],
                         ids=["no-register", "nothing-live", "one-live", "live-and-stuck"])
def test_pilots_in_production_prove_a_later_phase_so_no_foundation_gap_is_raised(register, raised):
    result = tiny_with(register)
    assert result.domain("governance").foundation_gap
    assert (FOUNDATION in narrate(TINY, result).risks) is raised


def test_pilots_in_production_do_not_prove_a_phase_two_built_on_sand():
    result = tiny_with((LIVE,), **{"governance.approval": 4, "governance.controls": ["bias"]})
    domain = result.domain("governance")
    assert domain.foundation_gap and max(p.number for p in domain.phases if p.status == "attained") == 2
    assert any("phase 2 practices in place without the phase 1 foundation" in text
               for text in narrate(TINY, result).risks)


def test_dont_know_on_a_practice_the_phase_needs_is_a_risk_that_says_what_the_scoring_does():
    result = scored(PLAN, {**levels(PLAN, governance=4, economics=4), "governance.register": DONT_KNOW,
                           "governance.classify": DONT_KNOW})
    assert ("Nobody could say whether two practices the current phase needs are in place. The scoring leaves them "
            "out, so the phase may be weaker than it looks until someone checks.") in narrate(PLAN, result).risks


# --- properties over random answers ---------------------------------------------------------------------


def choices(question) -> list:
    values = [o.value for o in AI.options_for(question)]
    if question.type == "multi":
        values = [[v] for v in values] + [values[:2]]
    return values + [DONT_KNOW] * question.allow_dont_know + [None]


ASKED = [(question.id, choices(question)) for question in AI.questions if question.scored]


def response_of(picks: bytes) -> Response:
    """A response with one byte picking each scored question's choice (None leaves it out)."""
    answers = {qid: Answer(options[pick % len(options)]) for (qid, options), pick in zip(ASKED, picks)
               if options[pick % len(options)] is not None}
    return Response(AI.id, AI.version, answers)


# One byte picks each question's choice, all drawn at once, as tests/test_scoring_properties.py does: a draw per
# question made generating an example cost more than checking it. The remainder favours no choice by more than one
# in 23, and shrinking lowers every byte, so every answer, towards its first choice.
responses = st.binary(min_size=len(ASKED), max_size=len(ASKED)).map(response_of)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(response=responses)
def test_every_limiting_domain_with_an_open_practice_is_in_the_register_and_among_the_risks(response):
    result = score_response(AI, response)
    story = narrate(AI, result)
    limiting = result.overall.limiting_domains
    registered = {e.question for e in story.register}
    for question in AI.questions:  # every open practice of a limiting domain's working phase is in the register
        answer = result.questions[question.id]
        domain = result.domain(question.domain)
        below = answer.dont_know or (answer.score is not None
                                     and answer.score < AI.phase(question.phase).threshold - 1e-12)
        if question.domain in limiting and answer.visible and question.scored and below \
                and question.phase == domain.working_phase:
            assert question.id in registered
    with_entries = [d for d in limiting if any(e.domain_id == d for e in story.register)]
    of = {}
    for entry in story.register:
        of.setdefault(entry_risk(entry), entry.domain_id)
    drawn = [of.get(text) for text in story.risks]
    if len(with_entries) <= 3:
        assert all(d in drawn for d in with_entries)
    else:
        assert len(set(drawn)) == 3 and set(drawn) <= set(limiting)
    assert len(set(story.risks)) == len(story.risks)
    ranks = {s.rank: s.question for s in result.actions}
    for text in story.risks:
        closes = re.search(r"Step (\d+) closes this gap\.$", text)
        if closes:
            assert int(closes.group(1)) in ranks


def test_an_unknown_critical_practice_is_said_as_its_own_risk_not_among_the_unknowns():
    questionnaire = plan_variant("  - id: governance.register\n", "  - id: governance.register\n    critical: true\n")
    result = scored(questionnaire, {**levels(PLAN, governance=4, economics=4), "governance.register": DONT_KNOW})
    risks_told = narrate(questionnaire, result).risks
    assert risks_told[0].startswith("Nobody can say which AI systems are in use, so none of them can be governed.")
    assert not any(text.startswith("Nobody could say whether") for text in risks_told)

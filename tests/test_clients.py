"""Four realistic clients read as an adviser would: the plan, the pilot verdicts and the risk register each must
give the remedy that fits, in the order that fits (examples/golden-*.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaires import find_questionnaire
from scoring.answers import read_answers
from scoring.engine import score_response
from scoring.narrative import after_text, narrate
from scoring.steps import HORIZON_RANK, TRIAGE_ID

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CLIENTS = ("golden-bank", "golden-startup", "golden-retailer", "golden-manufacturer")
METHOD_SPEAK = ("for after phase", "the phases between", "in place but not yet at its best",
                "polishes a practice", "this phase 1 practice", "this phase 2 practice")


def client(name: str):
    questionnaire = find_questionnaire("ai-maturity")
    result = score_response(questionnaire, read_answers(EXAMPLES / f"{name}.yaml", questionnaire))
    return questionnaire, result


def steps_by_question(result) -> dict:
    return {s.question: s for s in result.actions}


@pytest.mark.parametrize("name", CLIENTS)
def test_every_why_is_one_plain_sentence_and_no_step_comes_after_a_higher_rank(name):
    _, result = client(name)
    for step in result.actions:
        assert step.why.endswith(".") and ". " not in step.why[:-1], step.why
        assert not any(phrase in step.why for phrase in METHOD_SPEAK), step.why
        assert not re.search(r"\b1 of (your )?\d+ (stuck )?pilots (are|wait)\b", step.why), step.why
        marks = [int(n) for n in re.findall(r"\d+", after_text(step, result.actions))]
        assert all(mark < step.rank for mark in marks), (step.rank, marks)
    ranks = [HORIZON_RANK[s.horizon] for s in result.actions]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("name", CLIENTS)
def test_only_remedy_steps_cite_the_stuck_pilots(name):
    questionnaire, result = client(name)
    remedies = {qid for blocker in questionnaire.pilot_section().blockers for qid in blocker.remedy}
    for step in result.actions:
        if "stuck pilot" in step.why and step.question != TRIAGE_ID:
            assert step.question in remedies, (step.question, step.why)


def test_the_bank_speeds_up_approvals_first_and_sends_each_waiting_pilot_to_the_fast_lane():
    _, result = client("golden-bank")
    steps = steps_by_question(result)
    assert steps[TRIAGE_ID].horizon == "now"
    for remedy in ("governance.model-approval", "governance.approval-lead-time"):
        assert steps[remedy].horizon == "now"
        assert "all 5 of your stuck pilots wait on it (“Waiting for model approval”)" in steps[remedy].why
    waiting = [item for item in result.pilots.items if "Waiting for model approval" in item.reason]
    assert len(waiting) == 5
    assert all(item.verdict == "fix" and "“Open a fast lane for model approval”" in item.reason for item in waiting)
    live = next(item for item in result.pilots.items if item.name == "Complaint classification")
    assert "holdout or control group" in live.reason and "baseline before scaling" not in live.reason
    assert result.pilots.currency == "EUR"


def test_the_medical_triage_startup_classifies_its_ai_first_and_rates_the_breach_high():
    questionnaire, result = client("golden-startup")
    assert result.likely_high_risk
    steps = steps_by_question(result)
    assert steps["governance.eu-ai-act-role"].horizon == "now"
    assert steps["governance.eu-ai-act"].rank <= 5
    assert "critical gap" in result.overall.profile
    assert result.overall.complete is False
    register = {entry.question: entry for entry in narrate(questionnaire, result).register}
    assert register["governance.eu-ai-act-role"].severity == "High"
    assert register["governance.eu-ai-act"].severity == "High"


def test_the_retailer_decides_on_its_portfolio_first_and_merges_the_regional_forecasts():
    _, result = client("golden-retailer")
    assert result.actions[0].question == TRIAGE_ID
    assert result.actions[0].horizon == "now"
    verdicts = {item.name: item.verdict for item in result.pilots.items}
    assert [v for n, v in verdicts.items() if n.startswith("Demand forecast")] == ["merge"] * 3
    stopped = {item.name for item in result.pilots.items if item.verdict == "stop"}
    assert stopped and not stopped & {n for n in verdicts if n.startswith("Demand forecast")}
    values = {p.name: p.value or 0 for p in read_answers(EXAMPLES / "golden-retailer.yaml").pilots}
    assert result.pilots.value_waiting == sum(values[item.name] for item in result.pilots.items
                                              if item.verdict in ("merge", "fix") and item.age_months > 6)
    assert result.pilots.currency == "GBP"


def test_the_manufacturer_fixes_its_economics_before_polishing_anything_else():
    questionnaire, result = client("golden-manufacturer")
    assert result.overall.limiting_domains == ("economics",)
    assert result.overall.profile.endswith("Economics holds the organisation at phase 1")
    now = [s for s in result.actions if s.horizon == "now"]
    assert [s.domain for s in now[:3]] == ["economics"] * 3  # its phase-1 basics open the plan
    assert all(s.domain == "economics" or s.kind == "regulatory" or s.level != "optimise" for s in now)
    rank = {s.question: s.rank for s in result.actions}
    later = [s.rank for s in result.actions if s.domain != "economics" and (s.phase == 4 or s.level == "optimise")]
    assert max(rank["economics.value-measurement"], rank["economics.cost-transparency"]) < min(later)
    assert all(s.level != "optimise" for s in result.actions[:5])
    story = narrate(questionnaire, result)
    assert story.register[0].domain == "Economics"
    assert all("vendor" not in risk.lower() for risk in story.risks)
    assert sum(1 for entry in story.register if entry.domain == "Economics") >= 3

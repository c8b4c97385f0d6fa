"""Every pilot blocker names its remedy: the questions whose steps unblock it, checked when a questionnaire loads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires import QuestionnaireError, parse_questionnaire
from questionnaires.loader import shipped_library
from questionnaires.models import DEFAULT_BLOCKERS, DEFAULT_TRIAGE
from tests.conftest import DATA

TINY = (DATA / "tiny.yaml").read_text(encoding="utf-8")
APPROVAL_QUEUE = ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: [governance.approval, "
                  "governance.board, governance.controls, governance.budget], domain: governance}\n")
TINY_ACTIONS = ("data.inventory, data.pipelines, data.monitoring, data.products, governance.board, governance.approval, "
                "governance.controls, governance.budget")

# The shipped remedies, literally: what a stuck pilot's blocker asks the plan for.
REMEDIES = {
    "ai-maturity": {
        "data.no-access": ["data.source-inventory"],
        "data.poor-quality": ["data.quality-standards"],
        "governance.approval-queue": ["governance.model-approval", "governance.approval-lead-time"],
        "governance.legal-unclear": ["governance.eu-ai-act-role", "governance.ai-inventory"],
        "mlops.no-integration": ["mlops.production-path", "mlops.system-integration"],
        "mlops.no-monitoring": ["mlops.drift-monitoring"],
        "organization.no-owner": ["organization.model-ownership", "organization.executive-sponsor"],
        "organization.no-team": ["organization.ai-ops-team"],
        "economics.no-business-case": ["economics.kpi-baseline", "economics.outcome-kpis"],
        "economics.no-run-budget": ["economics.run-budget"],
        "organization.no-engineers": ["organization.engineering-capacity", "organization.ai-ops-team"],
        "mlops.degraded-live": ["mlops.live-evaluation", "mlops.drift-monitoring"],
        "economics.unit-cost-too-high": ["economics.unit-costs", "economics.cost-transparency"],
        "organization.no-adoption": ["organization.change-management", "organization.workflow-redesign"],
        "governance.security-review": ["governance.security-testing"],
    },
    "quick-check": {
        "data.no-access": ["data.ownership", "data.production-feeds"],
        "data.poor-quality": ["data.quality-standards"],
        "governance.approval-queue": ["governance.model-approval", "governance.ai-board"],
        "governance.legal-unclear": ["governance.eu-ai-act-role"],
        "mlops.no-integration": ["mlops.production-path", "mlops.system-integration"],
        "mlops.no-monitoring": ["mlops.drift-monitoring"],
        "organization.no-owner": ["organization.model-ownership", "organization.executive-sponsor"],
        "organization.no-team": ["organization.model-ownership"],
        "economics.no-business-case": ["economics.outcome-kpis"],
        "economics.no-run-budget": ["economics.run-budget"],
        "organization.no-engineers": ["organization.skills-baseline", "organization.model-ownership"],
        "mlops.degraded-live": ["mlops.drift-monitoring"],
        "economics.unit-cost-too-high": ["economics.cost-transparency"],
        "organization.no-adoption": ["organization.human-in-the-loop", "organization.model-ownership"],
        "governance.security-review": ["governance.security-testing"],
    },
}
# The remedies of 2.2.0, which the archived 2.1.0 names from the questions it has.
REMEDIES_2_2 = {
    "ai-maturity": {
        "data.no-access": ["data.source-inventory"],
        "data.poor-quality": ["data.quality-standards"],
        "governance.approval-queue": ["governance.model-approval", "governance.approval-lead-time"],
        "governance.legal-unclear": ["governance.eu-ai-act-role", "governance.risk-classification"],
        "mlops.no-integration": ["mlops.production-path", "mlops.system-integration"],
        "mlops.no-monitoring": ["mlops.drift-monitoring"],
        "organization.no-owner": ["organization.model-ownership", "organization.executive-sponsor"],
        "organization.no-team": ["organization.ai-ops-team"],
        "economics.no-business-case": ["economics.kpi-baseline", "economics.outcome-kpis"],
        "economics.no-run-budget": ["economics.run-budget"],
    },
    "quick-check": {
        "data.no-access": ["data.ownership", "data.production-feeds"],
        "data.poor-quality": ["data.quality-standards"],
        "governance.approval-queue": ["governance.model-approval", "governance.approval-lead-time"],
        "governance.legal-unclear": ["governance.eu-ai-act-role"],
        "mlops.no-integration": ["mlops.production-path", "mlops.system-integration"],
        "mlops.no-monitoring": ["mlops.drift-monitoring"],
        "organization.no-owner": ["organization.model-ownership", "organization.executive-sponsor"],
        "organization.no-team": ["organization.model-ownership"],
        "economics.no-business-case": ["economics.outcome-kpis"],
        "economics.no-run-budget": ["economics.run-budget"],
    },
}
TABLE = [(questionnaire, blocker, remedy) for questionnaire, blockers in REMEDIES.items()
         for blocker, remedy in blockers.items()]


def newest(questionnaire_id: str):
    return shipped_library().newest()[questionnaire_id]


def problems_of(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "broken.yaml")
    return caught.value.lines()


def edited(old: str, new: str) -> str:
    assert old in TINY, f"fixture text not found: {old}"
    return TINY.replace(old, new, 1)


# --- the shipped remedies ---------------------------------------------------------------------


@pytest.mark.parametrize("questionnaire_id, blocker, remedy", TABLE, ids=[f"{q}:{b}" for q, b, _ in TABLE])
def test_every_shipped_blocker_names_its_remedy(questionnaire_id, blocker, remedy):
    assert newest(questionnaire_id).pilot_section().blocker(blocker).remedy == remedy


@pytest.mark.parametrize("questionnaire_id", REMEDIES)
def test_the_table_lists_every_blocker_the_questionnaire_ships(questionnaire_id):
    assert [b.id for b in newest(questionnaire_id).pilot_section().blockers] == list(REMEDIES[questionnaire_id])


@pytest.mark.parametrize("questionnaire_id", REMEDIES)
def test_a_remedy_is_a_practice_of_the_blockers_own_domain_with_a_step(questionnaire_id):
    questionnaire = newest(questionnaire_id)
    for blocker in questionnaire.pilot_section().blockers:
        for qid in blocker.remedy:
            question = questionnaire.question(qid)
            assert (question.domain, question.action is not None) == (blocker.domain, True), (blocker.id, qid)


@pytest.mark.parametrize("questionnaire_id, owner, baseline", [
    ("ai-maturity", ["organization.model-ownership", "organization.executive-sponsor"], ["economics.kpi-baseline"]),
    ("quick-check", ["organization.model-ownership", "organization.executive-sponsor"], ["economics.outcome-kpis"]),
])
def test_pilots_without_an_owner_or_a_baseline_lift_the_ownership_and_baseline_steps(questionnaire_id, owner,
                                                                                      baseline):
    section = newest(questionnaire_id).pilot_section()
    assert (section.owner_remedy, section.baseline_remedy) == (owner, baseline)


@pytest.mark.parametrize("questionnaire_id", REMEDIES)
def test_the_shipped_triage_step_reads_as_the_built_in_one_so_it_can_be_translated(questionnaire_id):
    section = newest(questionnaire_id).pilot_section()
    assert section.triage == DEFAULT_TRIAGE and section.triage_action() == DEFAULT_TRIAGE


@pytest.mark.parametrize("questionnaire_id", REMEDIES)
def test_the_archived_2_1_0_names_the_same_remedies_from_the_questions_it_has(questionnaire_id):
    older = shipped_library().get(questionnaire_id, "2.1.0")
    asked = {q.id for q in older.questions}
    assert "governance.approval-lead-time" not in asked
    assert {b.id: b.remedy for b in older.pilot_section().blockers} == {
        blocker: [qid for qid in remedy if qid in asked] for blocker, remedy in REMEDIES_2_2[questionnaire_id].items()}


def test_the_built_in_blockers_name_no_remedy_so_every_step_of_their_domain_unblocks_them():
    section = shipped_library().get("ai-maturity", "2.0.0").pilot_section()  # 2.0.0 declares no `pilots:`
    assert [(b.id, b.remedy) for b in section.blockers] == [(b.id, []) for b in DEFAULT_BLOCKERS]
    assert (section.owner_remedy, section.baseline_remedy, section.triage) == ([], [], None)
    assert section.triage_action().title == "Decide scale, merge or stop for every active pilot within 60 days"
    assert (section.triage_action().owner, section.triage_action().effort) == ("sponsor", "S")


# --- what the loader refuses ------------------------------------------------------------------


@pytest.mark.parametrize("new, expected", [
    ("    - {id: governance.approval-queue, label: Waiting for model approval, domain: governance}\n",
     "broken.yaml:107 pilots.blockers[0].remedy: required field is missing; name the questions whose steps unblock "
     "this blocker, e.g. remedy: [governance.model-approval]"),
    ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: [], domain: governance}\n",
     "broken.yaml:107 pilots.blockers[0].remedy: is empty; name at least one question whose step unblocks this "
     "blocker, e.g. [governance.model-approval]"),
    ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: [governance.approval, "
     "governance.fast-lane], domain: governance}\n",
     "broken.yaml:107 pilots.blockers[0].remedy[1]: unknown question 'governance.fast-lane' (known: governance.board, "
     "governance.approval, governance.controls, governance.budget)"),
    ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: [legal.review], "
     "domain: governance}\n",
     f"broken.yaml:107 pilots.blockers[0].remedy[0]: unknown question 'legal.review' (known: {TINY_ACTIONS})"),
    ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: [governance.notes], "
     "domain: governance}\n",
     "broken.yaml:107 pilots.blockers[0].remedy[0]: 'governance.notes' is a question without an action, so it yields "
     "no step; name a question that has an action"),
    ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: [governance.approval, "
     "governance.approval], domain: governance}\n",
     "broken.yaml:107 pilots.blockers[0].remedy[1]: 'governance.approval' is listed twice; list each question once"),
    ("    - {id: governance.approval-queue, label: Waiting for model approval, remedy: governance.approval, "
     "domain: governance}\n",
     "broken.yaml:107 pilots.blockers[0].remedy: input should be a valid list, got 'governance.approval'"),
], ids=["missing", "empty", "unknown-in-domain", "unknown-domain", "without-action", "twice", "not-a-list"])
def test_a_blocker_without_a_known_remedy_is_refused_with_its_line(new, expected):
    assert problems_of(edited(APPROVAL_QUEUE, new)) == [expected]


@pytest.mark.parametrize("field, value, expected", [
    ("owner_remedy", "[governance.sponsor]",
     "broken.yaml:111 pilots.owner_remedy[0]: unknown question 'governance.sponsor' (known: governance.board, "
     "governance.approval, governance.controls, governance.budget)"),
    ("baseline_remedy", "[data.inventory, governance.notes]",
     "broken.yaml:111 pilots.baseline_remedy[1]: 'governance.notes' is a question without an action, so it yields no "
     "step; name a question that has an action"),
])
def test_owner_and_baseline_remedies_are_checked_like_a_blockers(field, value, expected):
    assert problems_of(edited("  stuck_after_months: 6\n", f"  stuck_after_months: 6\n  {field}: {value}\n")) == [
        expected]


def test_a_declared_triage_step_is_used_and_needs_every_field():
    triage = "  triage: {title: Decide now, detail: One meeting., owner: ceo, kpi: Decisions recorded, effort: M}\n"
    section = parse_questionnaire(edited("  stuck_after_months: 6\n", "  stuck_after_months: 6\n" + triage)).pilots
    assert (section.triage_action().title, section.triage_action().owner, section.triage_action().effort) == (
        "Decide now", "ceo", "M")
    broken = triage.replace(", effort: M", "")
    assert problems_of(edited("  stuck_after_months: 6\n", "  stuck_after_months: 6\n" + broken)) == [
        "broken.yaml:111 pilots.triage.effort: required field is missing"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(TINY_ACTIONS.split(", ") + ["governance.fast-lane", "data.lake"]),
                min_size=1, max_size=4, unique=True))
def test_a_remedy_loads_exactly_when_every_id_is_a_question_with_a_step(remedy):
    text = edited(APPROVAL_QUEUE, "    - {id: governance.approval-queue, label: Waiting for model approval, "
                                  f"remedy: [{', '.join(remedy)}], domain: governance}}\n")
    unknown = [qid for qid in remedy if qid not in TINY_ACTIONS.split(", ")]
    if unknown:
        said = " ".join(problems_of(text))
        assert all(f"unknown question '{qid}'" in said for qid in unknown)
    else:
        assert parse_questionnaire(text).pilots.blocker("governance.approval-queue").remedy == remedy

"""The shipped content: the quick check is a subset of the full assessment, and the content rules hold."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.migrate import migrate_response
from questionnaires.loader import shipped_library
from scoring import Answer, Response

DOMAINS = ("data", "governance", "mlops", "organization", "economics")


def options(questionnaire, question) -> list[tuple]:
    return [(o.value, o.label, o.score, o.description) for o in questionnaire.options_for(question)]


def test_every_quick_check_question_is_a_question_of_the_full_assessment(ai_maturity, quick_check):
    full = {q.id: q for q in ai_maturity.questions}
    missing = [q.id for q in quick_check.questions if q.id not in full]
    assert not missing, f"not in ai-maturity: {missing}"


@pytest.mark.parametrize("field", ["domain", "phase", "type", "text", "help", "evidence", "allow_na", "critical",
                                   "track", "source", "checked", "deadline", "by_size"])
def test_a_shared_question_reads_the_same_in_both(ai_maturity, quick_check, field):
    full = {q.id: q for q in ai_maturity.questions}
    differing = [q.id for q in quick_check.questions if getattr(q, field) != getattr(full[q.id], field)]
    assert not differing, f"{field} differs for {differing}"


def test_a_shared_question_offers_the_same_options_with_the_same_anchors(ai_maturity, quick_check):
    full = {q.id: q for q in ai_maturity.questions}
    differing = [q.id for q in quick_check.questions
                 if options(quick_check, q) != options(ai_maturity, full[q.id])]
    assert not differing, f"options differ for {differing}"


def test_a_shared_question_recommends_the_same_step_in_both(ai_maturity, quick_check):
    """Title, detail, KPI, effort, owner and the wording per level; prerequisites follow the questions each asks."""
    full = {q.id: q for q in ai_maturity.questions}
    differing = [q.id for q in quick_check.questions
                 if q.action.model_dump(exclude={"requires"}) != full[q.id].action.model_dump(exclude={"requires"})]
    assert not differing, f"actions differ for {differing}"


LEVELS = ("establish", "extend", "optimise")
# How a title starts when it founds something: what an organisation at the optimise level already has.
FOUNDING = ("Introduce", "Appoint", "Name a", "Name an", "Name one", "Publish a", "Publish an", "Fund a", "Fund one",
            "Build one", "Build a", "Build the first", "Create", "Set up", "Define", "Write", "Establish", "Give one",
            "Agree a", "Approve a", "Select", "Decide and staff", "Map")


def wording(action, level: str):
    """What a step at this level prints: the level's variant, else the action's own wording."""
    variant = getattr(action.by_level, level, None) if action.by_level else None
    return variant or action


def founds(title: str) -> bool:
    return any(title == verb or title.startswith(verb + " ") for verb in FOUNDING)


def founding_optimise_titles(questionnaire) -> list[tuple[str, str]]:
    return [(q.id, wording(q.action, "optimise").title) for q in questionnaire.questions
            if q.action and founds(wording(q.action, "optimise").title)]


@pytest.mark.parametrize("name", ["ai_maturity", "quick_check"])
def test_each_level_of_a_step_asks_for_a_different_move(request, name):
    questionnaire = request.getfixturevalue(name)
    repeated = [q.id for q in questionnaire.questions if q.action and q.action.by_level
                and len({wording(q.action, level).title for level in LEVELS}) < len(LEVELS)]
    assert not repeated


@pytest.mark.parametrize("name", ["ai_maturity", "quick_check"])
def test_a_practice_in_place_is_never_asked_to_be_founded(request, name):
    """Optimise means the practice works (answer 3): its step measures and improves, it does not set it up."""
    assert founding_optimise_titles(request.getfixturevalue(name)) == []


@pytest.mark.parametrize("title, founding", [
    ("Fund a team to run production models", True),
    ("Introduce a tiered model approval workflow", True),
    ("Select use cases on scored, agreed criteria", True),
    ("Name an owner for every data set behind priority use cases", True),
    ("Build one register of all AI initiatives", True),
    ("Plan run capacity each year and report the team's service figures", False),
    ("Build validated AI benefits into financial plans", False),
    ("Mapping", False),
])
def test_a_founding_title_is_recognised(title, founding):
    assert founds(title) is founding


def test_a_founding_optimise_title_put_back_is_caught(ai_maturity):
    question = ai_maturity.question("organization.ai-ops-team")
    by_level = question.action.by_level.model_copy(update={"optimise": None})
    action = question.action.model_copy(update={"by_level": by_level})
    broken = ai_maturity.model_copy(update={"questions": [
        q.model_copy(update={"action": action}) if q.id == question.id else q for q in ai_maturity.questions]})
    assert founding_optimise_titles(broken) == [("organization.ai-ops-team", "Fund a team to run production models")]


@pytest.mark.parametrize("name", ["ai_maturity", "quick_check"])
def test_every_domain_and_phase_has_a_scored_question_that_cannot_be_waived(request, name):
    """A cell of only n/a questions would count as attained for everyone who answers n/a."""
    questionnaire = request.getfixturevalue(name)
    for domain in DOMAINS:
        for phase in range(1, 5):
            cell = [q for q in questionnaire.questions if q.domain == domain and q.phase == phase and q.scored]
            assert any(not q.allow_na and not q.visible_if for q in cell), (domain, phase)


@pytest.mark.parametrize("name", ["ai_maturity", "quick_check"])
def test_every_owner_is_a_role_titled_for_each_size(request, name):
    questionnaire = request.getfixturevalue(name)
    unknown = [q.id for q in questionnaire.questions if q.action and q.action.owner not in questionnaire.roles]
    assert not unknown


@pytest.mark.parametrize("name", ["ai_maturity", "quick_check"])
def test_level_four_anchors_describe_something_an_auditor_could_see(request, name):
    questionnaire = request.getfixturevalue(name)
    vague = ("succession planning", "culture", "mindset", "changes behaviour")
    for question in questionnaire.questions:
        top = (question.anchors or {}).get(4, "")
        assert not any(word in top.lower() for word in vague), question.id


@pytest.mark.parametrize("required, dependent", [
    ("governance.ai-inventory", "governance.vendor-due-diligence"),
    ("governance.ai-inventory", "governance.eu-ai-act-role"),
    ("governance.eu-ai-act-role", "governance.eu-ai-act"),
    ("organization.executive-sponsor", "economics.pilot-gates"),
    ("governance.ai-board", "governance.board-decisions"),
    ("governance.shadow-ai-policy", "governance.shadow-ai"),
])
def test_a_practice_that_must_come_first_is_required(ai_maturity, required, dependent):
    assert required in ai_maturity.question(dependent).action.requires


@pytest.mark.parametrize("moved, phase", [
    ("governance.eu-ai-act-role", 1), ("governance.shadow-ai-policy", 1),
    ("economics.shortlist-deployed", 3), ("economics.portfolio-expansion", 4),
])
def test_the_eu_ai_act_baseline_and_the_shadow_ai_policy_come_in_phase_one(ai_maturity, moved, phase):
    assert ai_maturity.question(moved).phase == phase


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_answers_to_version_one_carry_to_version_two(questionnaire_id):
    library = shipped_library()
    old = library.get(questionnaire_id, "1.0.0")
    answers = {q.id: Answer(old.options_for(q)[-1].value if q.scored else None, "kept") for q in old.questions}
    response = Response(questionnaire_id, "1.0.0", answers, "Example Corp")
    carried, notes = migrate_response(response, library, "2.0.0")
    new = library.get(questionnaire_id, "2.0.0")
    assert set(carried.answers) <= {q.id for q in new.questions}
    assert not [n for n in notes if "was not carried" in n and "dropped" not in n], notes
    assert len(carried.answers) >= len(old.questions) - 1


# --- critical practices, the regulatory track and the fast lane ---------------------------------


@pytest.mark.parametrize("name, critical", [
    ("ai_maturity", ["data.prediction-logging-coverage", "governance.shadow-ai-policy", "governance.eu-ai-act-role",
                     "mlops.drift-monitoring", "economics.run-budget"]),
    ("quick_check", ["governance.eu-ai-act-role", "mlops.drift-monitoring", "economics.run-budget"]),
])
def test_the_critical_practices_are_the_knock_outs_an_adviser_names(request, name, critical):
    questionnaire = request.getfixturevalue(name)
    assert [q.id for q in questionnaire.questions if q.critical] == critical


@pytest.mark.parametrize("name, regulatory", [
    ("ai_maturity", {"governance.eu-ai-act-role": "2026-08-02", "governance.ai-literacy": "2025-02-02",
                     "governance.fria": "2026-08-02", "governance.eu-ai-act": "2026-08-02",
                     "governance.ai-transparency": "2026-08-02", "governance.post-market-monitoring": "2026-08-02",
                     "governance.serious-incidents": "2026-08-02"}),
    ("quick_check", {"governance.eu-ai-act-role": "2026-08-02"}),
])
def test_the_eu_ai_act_questions_are_on_the_regulatory_track_with_their_articles_and_dates(request, name, regulatory):
    tracked = [q for q in request.getfixturevalue(name).questions if q.track == "regulatory"]
    assert {q.id: q.deadline.isoformat() for q in tracked} == regulatory
    for question in tracked:
        assert question.source.startswith("Regulation (EU) 2024/1689 (AI Act), Art. "), question.id
        assert "Art. 113" in question.source and question.checked == dt.date(2026, 12, 5), question.id


@pytest.mark.parametrize("name", ["ai_maturity", "quick_check"])
def test_the_help_of_a_regulatory_question_holds_whether_or_not_the_high_risk_dates_move(request, name):
    """The dates as published in Art. 113, and the 2026 amendment proposal named as a reason to check the current text."""
    for question in request.getfixturevalue(name).questions:
        if question.track == "regulatory" and question.id != "governance.ai-literacy":
            assert "2 August 2026" in question.help and "Official Journal" in question.help, question.id


def test_the_industries_under_which_ai_is_likely_high_risk(ai_maturity, quick_check):
    industries = set(ai_maturity.regulation.high_risk_industries)
    assert quick_check.regulation == ai_maturity.regulation
    assert {"healthcare", "medical-devices", "banking", "insurance", "credit", "hr-services", "education",
            "public-sector", "critical-infrastructure", "energy-utilities"} <= industries
    assert not {"retail", "manufacturing", "logistics"} & industries


def test_the_fast_lane_for_model_approval_is_asked_once_approval_is_defined_and_until_it_is_optimised(ai_maturity):
    question = ai_maturity.question("governance.approval-lead-time")
    assert (question.domain, question.phase, question.action.title, question.action.kpi, question.action.requires,
            question.visible_if) == (
        "governance", 2, "Open a fast lane for model approval",
        "Median days from ready-for-validation to decision, target ≤ 30", ["governance.ai-inventory"],
        "governance.model-approval >= 2 and governance.model-approval < 4")

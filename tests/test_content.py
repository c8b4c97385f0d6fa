"""The shipped content: the quick check is a subset of the full assessment, and the content rules hold."""

from __future__ import annotations

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


@pytest.mark.parametrize("field", ["domain", "phase", "type", "text", "help", "evidence", "allow_na"])
def test_a_shared_question_reads_the_same_in_both(ai_maturity, quick_check, field):
    full = {q.id: q for q in ai_maturity.questions}
    differing = [q.id for q in quick_check.questions if getattr(q, field) != getattr(full[q.id], field)]
    assert not differing, f"{field} differs for {differing}"


def test_a_shared_question_offers_the_same_options_with_the_same_anchors(ai_maturity, quick_check):
    full = {q.id: q for q in ai_maturity.questions}
    differing = [q.id for q in quick_check.questions
                 if options(quick_check, q) != options(ai_maturity, full[q.id])]
    assert not differing, f"options differ for {differing}"


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
    ("governance.ai-inventory", "governance.risk-classification"),
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

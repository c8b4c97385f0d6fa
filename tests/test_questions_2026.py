"""ai-maturity 3.0.0 and quick-check 3.0.0: the quick check agrees with the full assessment for every golden
organisation, the modules for generative AI, agents, providers and live systems appear only where they apply, and
every earlier answers file carries forward with nothing lost."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from questionnaires.loader import shipped_library
from questionnaires.models import Questionnaire
from scoring import Answer, Response, score_response
from scoring.answers import Pilot, read_answers
from scoring.migrate import carry

ROOT = Path(__file__).parent.parent
GOLDEN = sorted((ROOT / "examples").glob("golden-*.yaml"))


def golden(path: Path, questionnaire) -> Response:
    return read_answers(path, questionnaire)


def restricted(response: Response, questionnaire) -> Response:
    """The same answers, restricted to the questions this questionnaire asks."""
    asked = {q.id for q in questionnaire.questions}
    return Response(questionnaire.id, questionnaire.version,
                    {qid: answer for qid, answer in response.answers.items() if qid in asked},
                    response.organisation, date=response.date, pilots=response.pilots)


def visible(questionnaire, response: Response) -> list[str]:
    result = score_response(questionnaire, response)
    return [q.id for q in questionnaire.questions if result.questions[q.id].visible]


# --- the quick check agrees with the full assessment ------------------------------------------------------


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_the_quick_check_gives_the_full_assessments_phase_and_limiting_domains(path, ai_maturity, quick_check):
    response = golden(path, ai_maturity)
    assert response.questionnaire_version == ai_maturity.version
    full = score_response(ai_maturity, response).overall
    quick = score_response(quick_check, restricted(response, quick_check)).overall
    assert (quick.achieved, quick.phase, quick.limiting_domains) == (full.achieved, full.phase, full.limiting_domains)


def without(questionnaire, question_id: str):
    """The questionnaire without one question (built anew, so nothing derived from the full one is reused)."""
    data = questionnaire.model_dump(by_alias=True, exclude_none=True)
    data["questions"] = [q for q in data["questions"] if q["id"] != question_id]
    for question in data["questions"]:
        question["action"]["requires"] = [r for r in question["action"]["requires"] if r != question_id]
    data["pilots"]["blockers"] = [{**b, "remedy": [r for r in b["remedy"] if r != question_id] or ["economics.run-budget"]}
                                  for b in data["pilots"]["blockers"]]
    data["pilots"]["owner_remedy"] = [r for r in data["pilots"]["owner_remedy"] if r != question_id]
    data["pilots"]["baseline_remedy"] = [r for r in data["pilots"]["baseline_remedy"] if r != question_id]
    return Questionnaire.model_validate(data)


def test_without_the_scale_or_stop_gate_the_quick_check_would_miss_what_holds_the_manufacturer(ai_maturity,
                                                                                              quick_check):
    response = golden(ROOT / "examples" / "golden-manufacturer.yaml", ai_maturity)
    full = score_response(ai_maturity, response).overall
    thinner = without(quick_check, "economics.pilot-gates")
    quick = score_response(thinner, restricted(response, thinner)).overall
    assert (full.achieved, quick.achieved) == (0, 1)


# --- modules that appear only where they apply --------------------------------------------------------------

FOOTPRINT = "governance.ai-footprint"
MODULES = {"genai": ["mlops.genai-evaluation", "mlops.genai-guardrails", "mlops.genai-grounding",
                     "governance.retrieval-permissions", "governance.red-teaming", "governance.ai-transparency"],
           "agents": ["governance.agent-inventory", "governance.agent-permissions", "governance.agent-identity",
                      "organization.agent-approval", "mlops.agent-stop"],
           "provider": ["governance.safety-evaluation", "governance.post-market-monitoring",
                        "governance.serious-incidents", "mlops.release-governance", "organization.customer-assurance"],
           "live": ["governance.stress-test", "organization.workflow-redesign", "organization.change-management",
                    "economics.roi-tracking"]}


@pytest.mark.parametrize("kind, module", MODULES.items(), ids=list(MODULES))
def test_a_module_is_asked_only_when_the_organisation_says_it_has_that_kind_of_ai(ai_maturity, kind, module):
    everything = {FOOTPRINT: Answer(list(MODULES))}
    with_it = visible(ai_maturity, Response(ai_maturity.id, ai_maturity.version, everything))
    others = {FOOTPRINT: Answer([k for k in MODULES if k != kind])}
    without = visible(ai_maturity, Response(ai_maturity.id, ai_maturity.version, others))
    assert set(module) <= set(with_it)
    assert not set(module) & set(without)


def test_with_none_ticked_no_module_is_asked(ai_maturity):
    shown = visible(ai_maturity, Response(ai_maturity.id, ai_maturity.version, {FOOTPRINT: Answer(["none"])}))
    assert not {qid for module in MODULES.values() for qid in module} & set(shown)


def test_the_screening_question_is_not_scored_and_cannot_be_left_as_dont_know(ai_maturity):
    question = ai_maturity.question(FOOTPRINT)
    assert (question.type, question.scored, question.allow_dont_know, question.phase, question.action) == (
        "multi", False, False, 1, None)
    assert [o.value for o in ai_maturity.options_for(question)] == [*MODULES, "none"]
    result = score_response(ai_maturity, Response(ai_maturity.id, ai_maturity.version,
                                                  {FOOTPRINT: Answer(["genai", "live"])}))
    assert result.questions[FOOTPRINT].score is None


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_each_golden_organisation_answers_every_question_it_is_shown(path, ai_maturity):
    response = golden(path, ai_maturity)
    shown = visible(ai_maturity, response)
    assert [qid for qid in shown if qid not in response.answers] == []
    assert [qid for qid in response.answers if qid not in shown] == []


# --- the AI Act by role ------------------------------------------------------------------------------------


@pytest.mark.parametrize("question_id, article", [
    ("governance.ai-literacy", "Art. 4"), ("governance.ai-transparency", "Art. 50"), ("governance.fria", "Art. 27"),
    ("governance.post-market-monitoring", "Art. 72"), ("governance.serious-incidents", "Art. 73"),
])
def test_each_obligation_by_role_names_its_article(ai_maturity, question_id, article):
    question = ai_maturity.question(question_id)
    assert question.track == "regulatory" and article in question.source and question.action.owner in ai_maturity.roles


def test_the_help_gives_the_published_dates_and_says_to_check_the_amendment(ai_maturity):
    help_text = " ".join(ai_maturity.question("governance.fria").help.split())
    for date in ("2 February 2025", "2 August 2025", "2 August 2026", "2 August 2027"):
        assert date in help_text
    assert "amendment proposal" in help_text and "check the current consolidated text in the Official Journal" in \
        help_text


# --- nothing answered is lost -------------------------------------------------------------------------------


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
@pytest.mark.parametrize("version, to", [("1.0.0", "3.0.0"), ("2.0.0", "3.0.0"), ("2.1.0", "3.0.0"),
                                         ("2.2.0", "3.0.0"), ("1.0.0", "3.1.0"), ("2.2.0", "3.1.0"),
                                         ("3.0.0", "3.1.0")])
def test_every_earlier_answer_is_carried_or_listed_as_dropped(questionnaire_id, version, to):
    library = shipped_library()
    old = library.get(questionnaire_id, version)
    answers = {q.id: Answer(old.options_for(q)[1].value if q.scored else None, "kept") for q in old.questions}
    carried = carry(Response(questionnaire_id, version, answers, "Example Corp"), library, to)
    new = {q.id for q in library.get(questionnaire_id, to).questions}
    assert set(carried.response.answers) <= new
    lost = [qid for qid in answers if qid not in carried.origin.values()]
    listed = [line.split(":")[0] for line in carried.notes if "dropped in" in line]
    assert sorted(lost) == sorted(listed)


# --- at most 70 questions for a typical organisation (ai-maturity 3.1.0) ---------------------------------------


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_a_typical_organisation_sees_at_most_seventy_questions(path, ai_maturity):
    assert len(visible(ai_maturity, golden(path, ai_maturity))) <= 70


MERGED = {"data.readiness-assessment": "data.source-inventory", "data.labelling": "data.quality-standards",
          "governance.risk-classification": "governance.ai-inventory", "mlops.rollback": "mlops.service-levels-coverage",
          "organization.adoption": "organization.change-management",
          "economics.genai-unit-cost": "economics.unit-costs"}


@pytest.mark.parametrize("dropped, successor", MERGED.items(), ids=list(MERGED))
def test_a_merged_practice_is_still_asked_and_its_successor_is_marked_to_confirm(ai_maturity, dropped, successor):
    library = shipped_library()
    older = library.get("ai-maturity", "3.0.0")
    answers = {dropped: Answer(3), successor: Answer(2)}
    carried = carry(Response("ai-maturity", "3.0.0", answers, "Example Corp"), library, ai_maturity.version)
    assert dropped not in carried.response.answers and f"{dropped}: dropped in ai-maturity 3.1.0" in " ".join(
        carried.notes)
    assert successor in carried.confirm and older.question(dropped).id not in {q.id for q in ai_maturity.questions}
    assert carried.response.answers[successor].value == 2


def test_the_four_counts_of_3_0_0_are_listed_and_the_screening_question_is_named_new(ai_maturity):
    library = shipped_library()
    answers = {"governance.genai-use": Answer(2), "governance.live-systems": Answer(3)}
    carried = carry(Response("ai-maturity", "3.0.0", answers, "Example Corp"), library, ai_maturity.version)
    assert carried.response.answers == {}
    assert "governance.ai-footprint: new in ai-maturity 3.1.0, not answered yet" in carried.notes


def test_a_narrowed_question_answered_on_2_2_0_is_marked_to_confirm(ai_maturity):
    library = shipped_library()
    answers = {"organization.incentives": Answer(2), "economics.unit-costs": Answer(3), "data.lineage": Answer(2)}
    carried = carry(Response("ai-maturity", "2.2.0", answers, "Example Corp"), library, "3.0.0")
    assert set(carried.confirm) == {"organization.incentives", "economics.unit-costs"}
    assert carried.confirm["organization.incentives"] == \
        "targets on activity, such as pilots launched, now sit at level 1 rather than 2"


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_a_pilot_register_for_2_2_0_carries_to_3_0_0_unchanged(questionnaire_id):
    library = shipped_library()
    pilots = (Pilot("Chatbot", "pilot", "2025-01", blockers=("governance.approval-queue",)),
              Pilot("Churn", "production", "2024-01", production_since="2024-09", owner=True, kpi_baseline=True))
    carried = carry(Response(questionnaire_id, "2.2.0", {}, "Example Corp", pilots=pilots), library, "3.0.0")
    assert carried.response.pilots == pilots
    newer = library.get(questionnaire_id, "3.0.0").pilot_section()
    older = library.get(questionnaire_id, "2.2.0").pilot_section()
    assert {b.id for b in older.blockers} < {b.id for b in newer.blockers}


@pytest.mark.parametrize("blocker", ["organization.no-engineers", "mlops.degraded-live", "economics.unit-cost-too-high",
                                     "organization.no-adoption", "governance.security-review"])
@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_the_new_causes_of_pilot_purgatory_can_be_named_with_a_remedy(questionnaire_id, blocker):
    questionnaire = shipped_library().get(questionnaire_id, "3.0.0")
    found = questionnaire.pilot_section().blocker(blocker)
    assert found.remedy and all(questionnaire.question(qid).action for qid in found.remedy)


# --- wording that fits a small organisation ------------------------------------------------------------------


@pytest.mark.parametrize("size, starts", [
    ("small", "Has one group, such as the leadership team, been given a written mandate"),
    ("medium", "Has one AI governance body been given a written mandate"),
    ("large", "Has one AI governance body been given a written mandate"),
    (None, "Has one AI governance body been given a written mandate"),
])
def test_a_small_organisation_is_asked_in_its_own_words(ai_maturity, size, starts):
    assert ai_maturity.question("governance.ai-board").text_for(size).startswith(starts)
    assert ai_maturity.for_size(size).question("governance.ai-board").text.startswith(starts)


def test_sizing_changes_only_the_wording(ai_maturity):
    small = ai_maturity.for_size("small")
    assert ai_maturity.for_size(None) is ai_maturity and ai_maturity.for_size("small") is small
    assert [q.id for q in small.questions] == [q.id for q in ai_maturity.questions]
    changed = [q.id for q, sized in zip(ai_maturity.questions, small.questions) if q.text != sized.text]
    assert changed == [q.id for q in ai_maturity.questions if q.by_size and "small" in q.by_size]
    response = golden(ROOT / "examples" / "golden-startup.yaml", ai_maturity)
    assert score_response(small, response).overall == score_response(ai_maturity, response).overall


def test_the_report_of_a_small_organisation_shows_the_question_as_it_was_asked(ai_maturity):
    from reports.html import render_html

    response = golden(ROOT / "examples" / "golden-startup.yaml", ai_maturity)
    html = " ".join(render_html(ai_maturity, score_response(ai_maturity, response), full=True).split())
    assert "Has one group, such as the leadership team, been given a written mandate" in html
    assert "Has one AI governance body been given a written mandate" not in html


def test_a_workshop_for_a_small_client_shows_the_questions_in_its_words(engine, quick_check):
    import services
    from storage import workshops as ws
    from storage.benchmark import set_workshop_profile

    workshop = ws.create_workshop(engine, "Kestrel Health", quick_check.id, quick_check.version)
    ws.join_workshop(engine, workshop, "Executive")
    texts = {}
    for profile in ({"size": "large"}, {"size": "small"}):
        set_workshop_profile(engine, workshop.id, profile)
        again = dataclasses.replace(workshop, profile=profile)
        _, result = services.aggregate_stored(engine, again, quick_check)
        texts[profile["size"]] = {q.id: q.text for q in result.questions}["governance.ai-board"]
    assert texts["small"].startswith("Has one group, such as the leadership team")
    assert texts["large"].startswith("Has one AI governance body")


# --- the business model in the organisation profile ----------------------------------------------------------


@pytest.mark.parametrize("model", ["ai-product", "ai-in-operations"])
def test_an_answers_file_may_say_whether_ai_is_the_product_or_runs_the_operations(model, ai_maturity):
    from scoring.answers import parse_answers

    text = (f"format: phasegate-answers/1\nquestionnaire: ai-maturity\nquestionnaire_version: {ai_maturity.version}\n"
            f"organisation: Kestrel Health\norganisation_profile: {{size: small, business_model: {model}}}\n"
            "answers: {}\n")
    response = parse_answers(text, "kestrel.yaml", ai_maturity)
    assert response.organisation_profile.business_model == model


def test_another_business_model_is_refused_with_what_to_write(ai_maturity):
    from questionnaires import AnswersError
    from scoring.answers import parse_answers
    from storage.repository import checked_profile

    text = ("format: phasegate-answers/1\nquestionnaire: ai-maturity\nquestionnaire_version: 3.0.0\n"
            "organisation: Kestrel Health\norganisation_profile: {business_model: saas}\nanswers: {}\n")
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "kestrel.yaml", ai_maturity)
    assert "must be ai-product (AI is what you sell) or ai-in-operations" in str(caught.value)
    with pytest.raises(AnswersError) as caught:
        checked_profile({"business_model": "saas"})
    assert str(caught.value) == ("The organisation profile was not saved: give the business model as ai-product or "
                                 "ai-in-operations.")


# --- what the business model leaves out -----------------------------------------------------------------------

ROLL_OUT = ("organization.federated-delivery", "economics.chargeback")  # to business units


def _developed(model: str | None) -> Response:
    """An organisation whose operating model and unit costs are in place (the roll-out questions' own gates)."""
    from scoring.answers import OrganisationProfile

    profile = OrganisationProfile(size="medium", business_model=model) if model else None
    return Response("ai-maturity", "3.0.0", {"organization.operating-model": Answer(3), "economics.unit-costs": Answer(3)},
                    organisation_profile=profile)


@pytest.mark.parametrize("model, asked", [("ai-product", False), ("ai-in-operations", True), (None, True)])
def test_an_ai_product_company_is_not_asked_about_rolling_ai_out_to_business_units(ai_maturity, model, asked):
    shown = visible(ai_maturity, _developed(model))
    assert [qid in shown for qid in ROLL_OUT] == [asked, asked]
    assert "organization.incentives" in shown and "economics.strategic-planning" in shown  # their cells still ask


def test_a_room_for_an_ai_product_company_is_not_asked_about_business_units_either(engine, ai_maturity):
    import services
    from storage import repository as repo
    from storage import workshops as ws
    from storage.benchmark import set_workshop_profile

    workshop = ws.create_workshop(engine, "Kestrel Health", ai_maturity.id, ai_maturity.version)
    person = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answers(engine, person.id, {"organization.operating-model": Answer(3), "economics.unit-costs": Answer(3),
                                          "organization.federated-delivery": Answer(2)})
    shown = {}
    for model in ("ai-in-operations", "ai-product"):
        set_workshop_profile(engine, workshop.id, {"size": "small", "business_model": model})
        again = dataclasses.replace(workshop, profile={"size": "small", "business_model": model})
        _, result = services.aggregate_stored(engine, again, ai_maturity)
        shown[model] = [qid for qid in ROLL_OUT if result.result.questions[qid].visible]
        shown[model + " counted"] = result.question("organization.federated-delivery").n
    assert shown == {"ai-in-operations": list(ROLL_OUT), "ai-in-operations counted": 1,
                     "ai-product": [], "ai-product counted": 0}


def test_a_participant_is_asked_in_the_words_for_the_clients_size(app_env, quick_check):
    import shutil

    from storage import get_engine
    from storage import workshops as ws
    from storage.benchmark import set_workshop_profile
    from tests.conftest import open_page

    library = app_env / "questionnaires"
    shutil.copy(ROOT / "questionnaires" / "library" / "quick-check.yaml", library / "quick-check.yaml")
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Kestrel Health", quick_check.id, quick_check.version)
    set_workshop_profile(engine, workshop.id, {"size": "small"})
    person = ws.join_workshop(engine, workshop, "Executive")
    at = open_page("app_pages/assessment.py", a=person.token)
    at.radio(key="step_picker").set_value("governance").run()
    texts = " ".join(m.value for m in at.markdown)
    assert "Has one group, such as the leadership team" in texts
    assert "Has one AI governance body" not in texts


# --- owners titled for the business model -------------------------------------------------------------------


@pytest.mark.parametrize("model, expected, not_expected", [
    ("ai-product", {"Product manager", "Head of Quality & Regulatory"},
     {"Business owner of the use case", "AI governance lead"}),
    ("ai-in-operations", {"Business owner of the use case", "AI governance lead"},
     {"Product manager", "Head of Quality & Regulatory"}),
])
def test_the_plan_names_the_owners_a_company_of_that_business_model_has(ai_maturity, model, expected, not_expected):
    response = golden(ROOT / "examples" / "golden-startup.yaml", ai_maturity)
    profile = response.organisation_profile.model_copy(update={"size": "medium", "business_model": model})
    result = score_response(ai_maturity, dataclasses.replace(response, organisation_profile=profile))
    owners = {step.owner for step in result.actions}
    assert expected <= owners and not owners & not_expected


def test_a_role_without_titles_of_its_own_for_an_ai_product_company_keeps_its_sized_titles(ai_maturity):
    from scoring.steps import owner_title

    assert owner_title(ai_maturity, "cfo", "large", "ai-product") == "Chief Financial Officer"
    assert owner_title(ai_maturity, "business-owner", "large", "ai-product") == "Head of Product"
    assert owner_title(ai_maturity, "business-owner", "large", None) == "Business owner of the use case"

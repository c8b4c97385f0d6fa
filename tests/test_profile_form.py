"""About your organisation: a self-assessment's size, industry, currency and EU AI Act role, given on Results (and a
workshop's client profile, given by its facilitator), kept with it, checked like an answers file's profile, carried by
the answers file, and used by the benchmark, the plan and the pilots' values."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

import services
from questionnaires import AnswersError, load_questionnaire
from scoring import Answer, Response, score_response
from scoring.answers import OrganisationProfile, Pilot, dump_answers, parse_answers
from scoring.narrative import raci
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import assessment_benchmark, set_workshop_profile
from tests.conftest import DATA, ROOT, open_page
from tests.test_app import open_app
from ui.profile_form import summary

RETAIL_LARGE = {"size": "large", "industry": "retail"}
WHOLE = {"size": "large", "industry": "retail", "currency": "GBP", "ai_role": "provider"}
NOT_SAVED = "The organisation profile was not saved: "
INDUSTRY_HINT = "give the industry as a short id in lower case (letters, digits, - or _), e.g. retail"
CURRENCY_HINT = "give the currency as a three-letter code such as EUR, USD or GBP"
ROLE_HINT = "give the role under the EU AI Act as provider, deployer or both"


@pytest.fixture
def any_database(app_env, database_url, monkeypatch):
    """The app on SQLite, then on PostgreSQL."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    yield database_url
    dispose_all()


def find(questionnaire_id: str, version: str):
    return load_questionnaire(DATA / "tiny.yaml")


def peer(engine, organisation: str, level: int, industry: str):
    """A finished self-assessment of another organisation on the tiny questionnaire."""
    stored = repo.import_response(engine, Response(
        "tiny", "1.0.0", organisation=organisation, organisation_profile=OrganisationProfile(industry=industry),
        answers={"data.inventory": Answer(level), "governance.board": Answer(level)}))
    services.finish_assessment(engine, stored.id)
    return stored


# --- storage --------------------------------------------------------------------------------------------------


def test_a_saved_profile_is_kept_read_back_and_written_to_the_answers_file(engine):
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    repo.set_profile(engine, own.id, WHOLE)
    found = repo.find_assessment(engine, own.token)
    assert found.profile == WHOLE
    text = dump_answers(repo.load_response(engine, found))
    assert "organisation_profile:\n  size: large\n  industry: retail\n  currency: GBP\n  ai_role: provider\n" in text
    again = repo.import_response(engine, parse_answers(text))
    assert repo.get_assessment(engine, again.id).profile == WHOLE


@pytest.mark.parametrize("given, stored", [
    ({"size": "medium", "industry": None}, {"size": "medium"}),
    ({"size": None, "industry": "financial-services"}, {"industry": "financial-services"}),
    ({"currency": "CHF", "ai_role": None}, {"currency": "CHF"}),
    ({"currency": "chf"}, {"currency": "CHF"}),
    ({"currency": " sek "}, {"currency": "SEK"}),
    ({"ai_role": "deployer"}, {"ai_role": "deployer"}),
    ({"size": "small", "industry": "healthcare", "currency": "eur", "ai_role": "both"},
     {"size": "small", "industry": "healthcare", "currency": "EUR", "ai_role": "both"}),
    ({"size": None, "industry": None, "currency": None, "ai_role": None}, None),
])
def test_a_profile_may_give_any_field_or_none(engine, given, stored):
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_profile(engine, own.id, RETAIL_LARGE)
    repo.set_profile(engine, own.id, given)
    assert repo.get_assessment(engine, own.id).profile == stored


@pytest.mark.parametrize("given, expected", [
    ({"size": "huge", "industry": "retail"}, "give the size as small, medium or large."),
    ({"size": "large", "industry": "Retail banking"}, f"{INDUSTRY_HINT} (for 'Retail banking', write retail-banking)."),
    ({"size": "large", "industry": "retail & travel"}, f"{INDUSTRY_HINT}."),
    ({"size": "large", "industry": "r" * 61}, f"{INDUSTRY_HINT}."),
    ({"currency": "EURO"}, f"{CURRENCY_HINT}."),
    ({"currency": "€"}, f"{CURRENCY_HINT}."),
    ({"currency": 978}, f"{CURRENCY_HINT}."),
    ({"ai_role": "user"}, f"{ROLE_HINT}."),
    ({"ai_role": "Provider"}, f"{ROLE_HINT}."),
    ({"size": "huge", "currency": "E1", "ai_role": "importer"},
     f"give the size as small, medium or large; {CURRENCY_HINT}; {ROLE_HINT}."),
    ({"sector": "retail"}, "leave out sector (a profile gives size, industry, currency, ai_role, business_model)."),
])
def test_a_bad_profile_is_refused_with_what_to_fix_and_the_saved_one_kept(engine, given, expected):
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_profile(engine, own.id, WHOLE)
    with pytest.raises(AnswersError) as refused:
        repo.set_profile(engine, own.id, given)
    assert str(refused.value) == NOT_SAVED + expected
    assert repo.get_assessment(engine, own.id).profile == WHOLE


def test_a_workshop_keeps_its_clients_currency_and_ai_act_role_and_refuses_a_bad_one_with_the_same_message(engine):
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    set_workshop_profile(engine, workshop.id, {"industry": "banking", "currency": "chf", "ai_role": "deployer"})
    kept = {"industry": "banking", "currency": "CHF", "ai_role": "deployer"}
    assert ws.get_workshop(engine, workshop.id).profile == kept
    with pytest.raises(AnswersError) as refused:
        set_workshop_profile(engine, workshop.id, {"industry": "banking", "currency": "Swiss francs"})
    assert str(refused.value) == f"The client profile was not saved: {CURRENCY_HINT}."
    assert ws.get_workshop(engine, workshop.id).profile == kept
    assert ws.rerun_workshop(engine, ws.get_workshop(engine, workshop.id)).profile == kept


def test_a_workshop_participant_keeps_no_profile_of_their_own(engine):
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    with pytest.raises(AnswersError, match="the workshop's client profile"):
        repo.set_profile(engine, participant.id, RETAIL_LARGE)
    assert repo.get_assessment(engine, participant.id).profile is None


def test_the_benchmark_compares_with_the_industry_given_in_the_app(engine, monkeypatch):
    monkeypatch.setenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true")  # the peers are self-assessments
    for number, level in enumerate((0, 1, 1, 2, 2)):
        peer(engine, f"Shop {number}", level, "retail")
    for number in range(5):
        peer(engine, f"Bank {number}", 4, "banking")
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    repo.save_answers(engine, own.id, {"data.inventory": Answer(2), "governance.board": Answer(2)})
    result = score_response(find("tiny", "1.0.0"), repo.load_response(engine, own))
    everyone = assessment_benchmark(engine, repo.get_assessment(engine, own.id), result, find)
    assert (everyone.n, everyone.filters) == (10, {})
    repo.set_profile(engine, own.id, {"industry": "retail", "currency": "GBP", "ai_role": "deployer"})
    retail = assessment_benchmark(engine, repo.get_assessment(engine, own.id), result, find)
    assert (retail.n, retail.filters) == (5, {"industry": "retail"})  # currency and role do not narrow it


# --- the form on Results ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile, line", [
    ({}, "size, industry, currency and EU AI Act role"),
    (RETAIL_LARGE, "large · retail"),
    ({"currency": "GBP"}, "GBP"),
    (WHOLE, "large · retail · GBP · provider under the EU AI Act"),
    ({"industry": "healthcare", "ai_role": "deployer"}, "healthcare · deployer under the EU AI Act"),
    ({"ai_role": "both"}, "provider and deployer under the EU AI Act"),
])
def test_the_folded_form_names_what_was_given(profile, line):
    assert summary(profile) == line


def results_of(stored) -> AppTest:
    return open_page("app_pages/results.py", a=stored.token)


def fill(at: AppTest, stored, size=None, industry=None, currency=None, ai_role=None) -> AppTest:
    """Set the fields given (None: leave as it is) and press Save."""
    for name, value in {"size": size, "currency": currency, "ai_role": ai_role}.items():
        if value is not None:
            at.selectbox(key=f"org_{name}:{stored.id}").set_value(value)
    if industry is not None:
        at.text_input(key=f"org_industry:{stored.id}").set_value(industry)
    at.button(key="save_org_profile").click().run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest, stored) -> dict:
    """What the form's fields hold."""
    return {name: at.selectbox(key=f"org_{name}:{stored.id}").value for name in ("size", "currency", "ai_role")} | {
        "industry": at.text_input(key=f"org_industry:{stored.id}").value}


def profile_label(at: AppTest) -> str:
    return next(e.label for e in at.expander if e.label.startswith("About your organisation"))


def test_a_leader_saves_industry_and_size_on_results_and_finds_them_after_reopening(any_database):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    at = fill(results_of(own), own, "large", "retail")
    assert [s.value for s in at.success] == ["Saved: the comparison and the plan use it now."]
    assert repo.get_assessment(engine, own.id).profile == RETAIL_LARGE
    # The page's own answers carry it at once: the report and "Download answers" are made from them.
    assert at.session_state["loaded"].response.organisation_profile == OrganisationProfile(**RETAIL_LARGE)
    again = results_of(own)
    assert profile_label(again) == "About your organisation: large · retail"
    assert shown(again, own) == {**RETAIL_LARGE, "currency": "", "ai_role": ""}
    assert not again.success


def test_a_leader_saves_the_currency_and_the_ai_act_role_and_finds_them_after_reopening(any_database):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    at = results_of(own)
    role = at.selectbox(key=f"org_ai_role:{own.id}")
    assert (role.label, role.options) == ("Role under the EU AI Act", [
        "Not given", "We build AI systems others use (provider)", "We use AI systems others build (deployer)", "Both"])
    assert role.help == ("It decides which EU AI Act obligations apply; a system that is likely high-risk gets its "
                         "classification step first in the plan.")
    currency = at.selectbox(key=f"org_currency:{own.id}")
    assert currency.options[:5] == ["Not given", "EUR", "USD", "GBP", "CHF"]
    assert currency.help == "Of the pilots' values; EUR when not given."
    fill(at, own, currency="GBP", ai_role="provider")
    assert not at.error
    assert [s.value for s in at.success] == ["Saved without industry or size: the comparison is with every "
                                             "organisation that took this questionnaire."]
    assert repo.get_assessment(engine, own.id).profile == {"currency": "GBP", "ai_role": "provider"}
    assert profile_label(at) == "About your organisation: GBP · provider under the EU AI Act"
    assert at.session_state["scored"][1].profile == {"currency": "GBP", "ai_role": "provider"}
    fill(at, own, "large", "retail")
    assert repo.get_assessment(engine, own.id).profile == WHOLE
    assert at.session_state["loaded"].response.organisation_profile == OrganisationProfile(**WHOLE)
    again = results_of(own)
    assert profile_label(again) == "About your organisation: large · retail · GBP · provider under the EU AI Act"
    assert shown(again, own) == WHOLE
    fill(again, own, currency="", ai_role="")  # "Not given" takes them back out
    assert repo.get_assessment(engine, own.id).profile == RETAIL_LARGE


def test_an_industry_typed_as_words_is_kept_as_its_id_and_shown_so(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    at = fill(results_of(own), own, "medium", "Retail banking")
    assert not at.error
    assert repo.get_assessment(engine, own.id).profile == {"size": "medium", "industry": "retail-banking"}
    assert at.text_input(key=f"org_industry:{own.id}").value == "retail-banking"
    fill(at, own, "medium", "Énergie & Utilities")
    assert repo.get_assessment(engine, own.id).profile == {"size": "medium", "industry": "energie-utilities"}


def test_a_refused_profile_shows_what_to_fix_keeps_what_was_saved_and_leaves_the_fields_to_correct(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    saved = {"industry": "banking", "currency": "CHF", "ai_role": "deployer"}
    repo.set_profile(engine, own.id, saved)
    at = fill(results_of(own), own, "medium", "&&&", "USD", "both")
    assert [e.value.replace("\\", "") for e in at.error] == [NOT_SAVED + INDUSTRY_HINT + "."]  # markdown escapes off
    assert not at.success
    assert repo.get_assessment(engine, own.id).profile == saved
    assert at.session_state["loaded"].response.organisation_profile == OrganisationProfile(**saved)
    assert profile_label(at) == "About your organisation: banking · CHF · deployer under the EU AI Act"
    assert shown(at, own) == {"size": "medium", "industry": "&&&", "currency": "USD", "ai_role": "both"}
    fill(at, own, industry="retail-banking")
    assert not at.error
    assert repo.get_assessment(engine, own.id).profile == {"size": "medium", "industry": "retail-banking",
                                                           "currency": "USD", "ai_role": "both"}
    assert shown(results_of(own), own) == {"size": "medium", "industry": "retail-banking", "currency": "USD",
                                           "ai_role": "both"}


def test_a_currency_an_answers_file_gave_outside_the_list_is_offered_and_kept(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_profile(engine, own.id, {"currency": "krw"})
    at = results_of(own)
    assert at.selectbox(key=f"org_currency:{own.id}").options[-1] == "KRW"
    fill(at, own, ai_role="deployer")
    assert repo.get_assessment(engine, own.id).profile == {"currency": "KRW", "ai_role": "deployer"}


def test_results_compare_with_the_industry_given_in_the_form(app_env, monkeypatch):
    monkeypatch.setenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true")  # the peers are self-assessments
    engine = get_engine()
    for number, level in enumerate((0, 1, 1, 2, 2)):
        peer(engine, f"Shop {number}", level, "retail")
    peer(engine, "Bank 0", 4, "banking")
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    repo.save_answers(engine, own.id, {"data.inventory": Answer(2), "governance.board": Answer(2)})
    at = results_of(own)
    assert "Compared with 6 organisations that finished the same questionnaire." in " ".join(c.value for c in at.caption)
    fill(at, own, "", "retail")
    assert "Compared with 5 organisations in retail that finished the same questionnaire." in " ".join(
        c.value for c in at.caption)
    from ui import pdf_worker

    in_the_pdf = pdf_worker.inputs_of(at.session_state["loaded"]).benchmark
    assert (in_the_pdf["n"], in_the_pdf["filters"]) == (5, {"industry": "retail"})
    fill(at, own, "", "banking")
    assert ("No benchmark yet: 1 comparable organisation in banking has finished the same questionnaire"
            in " ".join(c.value for c in at.caption))


def test_the_size_given_in_the_form_titles_the_owners_in_the_plan(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answers(engine, own.id, {"governance.board": Answer(0)})
    at = results_of(own)
    before = at.session_state["scored"][1]
    fill(at, own, "small", "")
    after = at.session_state["scored"][1]
    tiny = find("tiny", "1.0.0")
    small = score_response(tiny, Response("tiny", "1.0.0", answers={"governance.board": Answer(0)},
                                          organisation_profile=OrganisationProfile(size="small")))
    assert after.size == "small" and before.size is None
    assert raci(after) == raci(small) != raci(before)
    assert raci(after)[0].informed == ("Leadership team",)


def with_the_full_questionnaire(app_env) -> object:
    """The shipped AI maturity questionnaire offered beside the tiny one."""
    shutil.copy(ROOT / "questionnaires" / "library" / "ai-maturity.yaml", app_env / "questionnaires")
    return load_questionnaire(ROOT / "questionnaires" / "library" / "ai-maturity.yaml")


def test_a_provider_in_healthcare_saved_in_the_form_is_scored_as_likely_high_risk_with_its_role_step_now(app_env):
    full = with_the_full_questionnaire(app_env)
    engine = get_engine()
    own = repo.create_assessment(engine, full.id, full.version, organisation="Triage Health")
    repo.save_answers(engine, own.id, {"governance.eu-ai-act-role": Answer("dont_know")})
    at = results_of(own)
    assert at.session_state["scored"][1].likely_high_risk is False
    fill(at, own, "small", "healthcare", "EUR", "provider")
    scored = at.session_state["scored"][1]
    assert scored.profile == {"size": "small", "industry": "healthcare", "currency": "EUR", "ai_role": "provider"}
    assert scored.likely_high_risk is True
    role_step = next(step for step in scored.actions if step.question == "governance.eu-ai-act-role")
    assert role_step.horizon == "now"


def test_the_pilots_values_carry_the_currency_saved_in_the_form(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_pilots(engine, own.id, (Pilot("Claims triage", "pilot", "2023-01", owner=True, kpi_baseline=True,
                                            blockers=("governance.approval-queue",), value=250000.0),))
    at = results_of(own)
    assert at.session_state["scored"][1].pilots.currency == "EUR"  # the default setting
    fill(at, own, currency="GBP")
    metrics = at.session_state["scored"][1].pilots
    assert (metrics.currency, metrics.value_waiting) == ("GBP", 250000.0)


def test_the_profile_goes_out_in_the_answers_file_and_comes_back_with_an_import(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    at = fill(results_of(own), own, "small", "logistics", "SEK", "both")
    text = dump_answers(at.session_state["loaded"].response)  # what "Download answers" hands over
    assert "organisation_profile:\n  size: small\n  industry: logistics\n  currency: SEK\n  ai_role: both\n" in text
    imported = open_app()
    imported.file_uploader(key="answers_file").set_value(("acme.yaml", text.encode(), "application/x-yaml")).run()
    imported.button(key="import_answers").click().run()
    imported.button(key="import_copy").click().run()
    assert not imported.exception, imported.exception
    copy = repo.find_assessment(engine, imported.query_params["a"])
    whole = {"size": "small", "industry": "logistics", "currency": "SEK", "ai_role": "both"}
    assert copy.id != own.id and copy.profile == whole
    assert shown(results_of(copy), copy) == whole


def test_a_workshop_participant_gets_no_profile_form(app_env):
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    at = open_page("app_pages/results.py", a=participant.token)
    assert not [w for w in [*at.text_input, *at.selectbox] if str(w.key).startswith("org_")]
    assert not [e for e in at.expander if e.label.startswith("About your organisation")]


# --- the client profile on the workshop dashboard -------------------------------------------------------------


def dashboard(workshop) -> AppTest:
    return open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)


def fill_client(at: AppTest, workshop, size=None, industry=None, currency=None, ai_role=None) -> AppTest:
    """Set the client profile's fields given (None: leave as it is) and press Save profile."""
    for name, value in {"size": size, "currency": currency, "ai_role": ai_role}.items():
        if value is not None:
            at.selectbox(key=f"profile_{name}:{workshop.id}").set_value(value)
    if industry is not None:
        at.text_input(key=f"profile_industry:{workshop.id}").set_value(industry)
    at.button(key="save_workshop_profile").click().run()
    assert not at.exception, at.exception
    return at


def profile_errors(at: AppTest) -> list[str]:
    """The dashboard's errors about the profile, as shown (without markdown escapes); the PDF the dashboard prepares
    meanwhile is another test's business."""
    return [e.value.replace("\\", "") for e in at.error if "profile" in e.value]


def client_shown(at: AppTest, workshop) -> dict:
    return {name: at.selectbox(key=f"profile_{name}:{workshop.id}").value for name in ("size", "currency", "ai_role")
            } | {"industry": at.text_input(key=f"profile_industry:{workshop.id}").value}


def test_the_facilitator_gives_the_clients_currency_and_ai_act_role_and_the_room_is_scored_with_them(app_env):
    engine = get_engine()
    tiny = load_questionnaire(DATA / "tiny.yaml")
    workshop = ws.create_workshop(engine, "Acme", "tiny", tiny.version)
    ws.join_workshop(engine, workshop, "Executive")
    at = dashboard(workshop)
    role = at.selectbox(key=f"profile_ai_role:{workshop.id}")
    assert role.options[1:3] == ["We build AI systems others use (provider)", "We use AI systems others build (deployer)"]
    fill_client(at, workshop, "medium", "Health care", "CHF", "both")
    whole = {"size": "medium", "industry": "health-care", "currency": "CHF", "ai_role": "both"}
    assert not profile_errors(at)
    assert [s.value for s in at.success if "Client profile" in s.value] == [
        "Client profile saved: the comparison and the room's plan use it now."]
    assert ws.get_workshop(engine, workshop.id).profile == whole
    assert client_shown(at, workshop) == whole  # the industry as it is kept
    assert client_shown(dashboard(workshop), workshop) == whole
    _, room = services.aggregate_stored(engine, ws.get_workshop(engine, workshop.id), tiny)
    assert room.result.profile == whole


def test_a_refused_client_profile_says_what_to_fix_and_keeps_the_saved_one_and_the_rest_of_the_dashboard(app_env):
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    saved = {"industry": "banking", "currency": "CHF", "ai_role": "deployer"}
    set_workshop_profile(engine, workshop.id, saved)
    at = fill_client(dashboard(workshop), workshop, industry="&&&", currency="USD", ai_role="provider")
    assert profile_errors(at) == [f"The client profile was not saved: {INDUSTRY_HINT}."]
    assert ws.get_workshop(engine, workshop.id).profile == saved
    assert client_shown(at, workshop) == {"size": "", "industry": "&&&", "currency": "USD", "ai_role": "provider"}
    assert "Downloads" in [h.value for h in at.subheader]  # the rest of the dashboard is drawn too

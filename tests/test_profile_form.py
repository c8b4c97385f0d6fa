"""About your organisation: a self-assessment's industry and size, given on Results, kept with it, checked like an
answers file's profile, carried by the answers file, and used by the benchmark."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from questionnaires import AnswersError, load_questionnaire
from scoring import Answer, Response, score_response
from scoring.answers import OrganisationProfile, dump_answers, parse_answers
from scoring.narrative import raci
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import assessment_benchmark
from tests.conftest import DATA, open_page
from tests.test_app import open_app

RETAIL_LARGE = {"size": "large", "industry": "retail"}


@pytest.fixture
def engine(database_url):
    yield get_engine(database_url)
    dispose_all()


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
    repo.finish_assessment(engine, stored.id)
    return stored


# --- storage --------------------------------------------------------------------------------------------------


def test_a_saved_profile_is_kept_read_back_and_written_to_the_answers_file(engine):
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    repo.set_profile(engine, own.id, RETAIL_LARGE)
    found = repo.find_assessment(engine, own.token)
    assert found.profile == RETAIL_LARGE
    text = dump_answers(repo.load_response(engine, found))
    assert "organisation_profile:\n  size: large\n  industry: retail\n" in text
    again = repo.import_response(engine, parse_answers(text))
    assert repo.get_assessment(engine, again.id).profile == RETAIL_LARGE


@pytest.mark.parametrize("given, stored", [
    ({"size": "medium", "industry": None}, {"size": "medium"}),
    ({"size": None, "industry": "financial-services"}, {"industry": "financial-services"}),
    ({"size": None, "industry": None}, None),
])
def test_a_profile_may_give_either_field_or_neither(engine, given, stored):
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_profile(engine, own.id, RETAIL_LARGE)
    repo.set_profile(engine, own.id, given)
    assert repo.get_assessment(engine, own.id).profile == stored


@pytest.mark.parametrize("given, expected", [
    ({"size": "huge", "industry": "retail"}, "give the size as small, medium or large"),
    ({"size": "large", "industry": "Retail banking"}, "(for 'Retail banking', write retail-banking)"),
    ({"size": "large", "industry": "retail & travel"}, "the industry as a short id in lower case"),
    ({"size": "large", "industry": "r" * 61}, "the industry as a short id in lower case"),
])
def test_a_bad_profile_is_refused_with_what_to_fix_and_the_saved_one_kept(engine, given, expected):
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_profile(engine, own.id, RETAIL_LARGE)
    with pytest.raises(AnswersError) as refused:
        repo.set_profile(engine, own.id, given)
    assert str(refused.value).startswith("The organisation profile was not saved: ")
    assert expected in str(refused.value)
    assert repo.get_assessment(engine, own.id).profile == RETAIL_LARGE


def test_a_workshop_participant_keeps_no_profile_of_their_own(engine):
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    with pytest.raises(AnswersError, match="the workshop's client profile"):
        repo.set_profile(engine, participant.id, RETAIL_LARGE)
    assert repo.get_assessment(engine, participant.id).profile is None


def test_the_benchmark_compares_with_the_industry_given_in_the_app(engine):
    for number, level in enumerate((0, 1, 1, 2, 2)):
        peer(engine, f"Shop {number}", level, "retail")
    for number in range(5):
        peer(engine, f"Bank {number}", 4, "banking")
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    repo.save_answers(engine, own.id, {"data.inventory": Answer(2), "governance.board": Answer(2)})
    result = score_response(find("tiny", "1.0.0"), repo.load_response(engine, own))
    everyone = assessment_benchmark(engine, repo.get_assessment(engine, own.id), result, find)
    assert (everyone.n, everyone.filters) == (10, {})
    repo.set_profile(engine, own.id, {"industry": "retail"})
    retail = assessment_benchmark(engine, repo.get_assessment(engine, own.id), result, find)
    assert (retail.n, retail.filters) == (5, {"industry": "retail"})


# --- the form on Results ----------------------------------------------------------------------------------------


def results_of(stored) -> AppTest:
    return open_page("app_pages/results.py", a=stored.token)


def fill(at: AppTest, stored, size, industry: str) -> AppTest:
    at.selectbox(key=f"org_size:{stored.id}").set_value(size)
    at.text_input(key=f"org_industry:{stored.id}").set_value(industry)
    at.button(key="save_org_profile").click().run()
    assert not at.exception, at.exception
    return at


def test_a_leader_saves_industry_and_size_on_results_and_finds_them_after_reopening(any_database):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    at = fill(results_of(own), own, "large", "retail")
    assert [s.value for s in at.success] == ["Saved: the comparison and the plan use it now."]
    assert repo.get_assessment(engine, own.id).profile == RETAIL_LARGE
    # The page's own answers carry it at once: the report and "Download answers" are made from them.
    assert at.session_state["loaded"].response.organisation_profile == OrganisationProfile(**RETAIL_LARGE)
    again = results_of(own)
    assert "About your organisation: large · retail" in [e.label for e in again.expander]
    assert again.selectbox(key=f"org_size:{own.id}").value == "large"
    assert again.text_input(key=f"org_industry:{own.id}").value == "retail"
    assert not again.success


def test_an_industry_typed_as_words_is_kept_as_its_id_and_shown_so(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    at = fill(results_of(own), own, "medium", "Retail banking")
    assert not at.error
    assert repo.get_assessment(engine, own.id).profile == {"size": "medium", "industry": "retail-banking"}
    assert at.text_input(key=f"org_industry:{own.id}").value == "retail-banking"
    fill(at, own, "medium", "Énergie & Utilities")
    assert repo.get_assessment(engine, own.id).profile == {"size": "medium", "industry": "energie-utilities"}


def test_an_industry_without_letters_is_refused_on_the_page_with_what_to_write_and_nothing_saved(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_profile(engine, own.id, {"industry": "banking"})
    at = fill(results_of(own), own, "medium", "&&&")
    assert len(at.error) == 1
    message = at.error[0].value.replace("\\", "")  # shown as typed: markdown escapes removed
    assert message.startswith("The organisation profile was not saved: give the size as small, medium or large")
    assert "the industry as a short id in lower case" in message
    assert at.text_input(key=f"org_industry:{own.id}").value == "&&&"  # kept to correct
    assert repo.get_assessment(engine, own.id).profile == {"industry": "banking"}
    fill(at, own, "medium", "retail-banking")
    assert not at.error
    assert repo.get_assessment(engine, own.id).profile == {"size": "medium", "industry": "retail-banking"}


def test_results_compare_with_the_industry_given_in_the_form(app_env):
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
    from app_pages import pdf_worker

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


def test_the_profile_goes_out_in_the_answers_file_and_comes_back_with_an_import(app_env):
    engine = get_engine()
    own = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    at = fill(results_of(own), own, "small", "logistics")
    text = dump_answers(at.session_state["loaded"].response)  # what "Download answers" hands over
    assert "organisation_profile:\n  size: small\n  industry: logistics\n" in text
    imported = open_app()
    imported.file_uploader(key="answers_file").set_value(("acme.yaml", text.encode(), "application/x-yaml")).run()
    imported.button(key="import_answers").click().run()
    imported.button(key="import_copy").click().run()
    assert not imported.exception, imported.exception
    copy = repo.find_assessment(engine, imported.query_params["a"])
    assert copy.id != own.id and copy.profile == {"size": "small", "industry": "logistics"}


def test_a_workshop_participant_gets_no_profile_form(app_env):
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    at = open_page("app_pages/results.py", a=participant.token)
    assert not [t for t in at.text_input if str(t.key).startswith("org_industry")]
    assert "About your organisation: industry and size" not in [e.label for e in at.expander]

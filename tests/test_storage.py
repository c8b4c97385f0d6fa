"""Storage: the same tests on SQLite and PostgreSQL (via the `database_url` fixture)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect, text

from questionnaires.errors import AnswersError
from scoring.answers import MAX_NOTE, Answer, Response
from storage import repository as repo
from storage.engine import dispose_all, get_engine
from tests.conftest import ROOT


@pytest.fixture
def assessment(engine):
    return repo.create_assessment(engine, "tiny", "1.0.0", organisation="Example Corp")


def test_first_use_creates_every_table(engine):
    assert set(inspect(engine).get_table_names()) >= {"assessments", "answers", "workshops", "consensus"}


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'data' / 'phasegate.db'}")
    with engine.connect() as conn:
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in
                   ("journal_mode", "foreign_keys", "busy_timeout")}
    dispose_all()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}


def test_the_data_folder_is_created_on_first_run(tmp_path):
    get_engine(f"sqlite:///{tmp_path / 'new' / 'deeper' / 'phasegate.db'}")
    dispose_all()
    assert (tmp_path / "new" / "deeper" / "phasegate.db").exists()


def test_a_new_assessment_has_a_long_random_token(engine):
    first = repo.create_assessment(engine, "tiny", "1.0.0")
    second = repo.create_assessment(engine, "tiny", "1.0.0")
    assert first.token != second.token
    assert len(first.token) >= 43  # 32 bytes, base64: 256 bits


def test_an_assessment_is_found_by_its_token(engine, assessment):
    found = repo.find_assessment(engine, assessment.token)
    assert (found.id, found.questionnaire_id, found.organisation) == (assessment.id, "tiny", "Example Corp")


@pytest.mark.parametrize("token", ["", None, "no-such-token", "x" * 500, "' OR 1=1 --"])
def test_an_unknown_token_finds_nothing(engine, assessment, token):
    assert repo.find_assessment(engine, token) is None


@pytest.mark.parametrize("value", [2, "products", ["bias", "audit"], "dont_know", "na", 3.5, "free text"])
def test_a_saved_value_reads_back_unchanged(engine, assessment, value):
    repo.save_answer(engine, assessment.id, "data.inventory", value)
    assert repo.load_answers(engine, assessment.id) == {"data.inventory": Answer(value)}


def test_saving_again_replaces_the_answer_instead_of_adding_one(engine, assessment):
    for value in (1, 2, 3):
        repo.save_answer(engine, assessment.id, "data.inventory", value)
    assert repo.load_answers(engine, assessment.id) == {"data.inventory": Answer(3)}
    assert repo.count_answers(engine, assessment.id) == 1


def test_a_note_and_a_value_are_saved_independently(engine, assessment):
    repo.save_note(engine, assessment.id, "data.inventory", "Only in finance")
    repo.save_answer(engine, assessment.id, "data.inventory", 2)
    repo.save_note(engine, assessment.id, "data.pipelines", "Ask IT")
    assert repo.load_answers(engine, assessment.id) == {
        "data.inventory": Answer(2, "Only in finance"),
        "data.pipelines": Answer(None, "Ask IT"),
    }


def test_a_note_without_an_answer_is_left_out_of_the_response(engine, assessment):
    repo.save_note(engine, assessment.id, "data.pipelines", "Ask IT")
    repo.save_answer(engine, assessment.id, "data.inventory", 2)
    response = repo.load_response(engine, repo.find_assessment(engine, assessment.token))
    assert response.answers == {"data.inventory": Answer(2)}
    assert response.organisation == "Example Corp"


def test_a_note_over_the_limit_is_refused_and_the_saved_note_kept(engine, assessment):
    repo.save_note(engine, assessment.id, "data.inventory", "short")
    with pytest.raises(AnswersError, match="5,001 characters"):
        repo.save_note(engine, assessment.id, "data.inventory", "x" * (MAX_NOTE + 1))
    assert repo.load_answers(engine, assessment.id)["data.inventory"].note == "short"


def test_a_note_at_the_limit_is_saved(engine, assessment):
    repo.save_note(engine, assessment.id, "data.inventory", "x" * MAX_NOTE)
    assert len(repo.load_answers(engine, assessment.id)["data.inventory"].note) == MAX_NOTE


def test_user_text_is_stored_as_data(engine, assessment):
    note = "'); DROP TABLE answers; -- <script>alert(1)</script> **bold**"
    repo.save_note(engine, assessment.id, "data.inventory", note)
    assert repo.load_answers(engine, assessment.id)["data.inventory"].note == note


def test_targets_organisation_and_finish_are_kept(engine, assessment):
    repo.set_targets(engine, assessment.id, {"governance": 3})
    repo.set_organisation(engine, assessment.id, "  Acme   Ltd ")
    repo.finish_assessment(engine, assessment.id)
    found = repo.find_assessment(engine, assessment.token)
    assert (found.targets, found.organisation, found.finished) == ({"governance": 3}, "Acme Ltd", True)


def test_an_imported_response_is_stored_whole(engine):
    response = Response("tiny", "1.0.0", {"data.inventory": Answer(2, "note"), "governance.board": Answer("dont_know")},
                        organisation="Imported", role="executive", targets={"data": 2})
    assessment = repo.import_response(engine, response)
    assert repo.load_response(engine, repo.find_assessment(engine, assessment.token)) == response


def test_answers_of_one_assessment_are_not_seen_by_another(engine, assessment):
    other = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answer(engine, assessment.id, "data.inventory", 2)
    assert repo.load_answers(engine, other.id) == {}


def test_an_answer_needs_an_existing_assessment(engine):
    with pytest.raises(Exception, match="(?i)foreign key"):
        repo.save_answer(engine, 999_999, "data.inventory", 2)


def test_a_restart_keeps_everything(database_url):
    engine = get_engine(database_url)
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answers(engine, assessment.id, {"data.inventory": Answer(2, "kept")})
    dispose_all()
    engine = get_engine(database_url)
    assert repo.load_answers(engine, repo.find_assessment(engine, assessment.token).id) == {"data.inventory": Answer(2, "kept")}
    dispose_all()


def test_eight_writers_at_once_store_every_answer_exactly_once(engine):
    # Eight threads writing at once meet every lock; how much each writes changes only how long they take.
    threads, responses, questions = 8, 20, 10
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer(number: int) -> None:
        try:
            start.wait()
            for _ in range(responses):
                assessment = repo.create_assessment(engine, "tiny", "1.0.0", organisation=f"writer {number}")
                given = {f"domain.q{i}": Answer(i % 5) for i in range(questions)}
                repo.save_answers(engine, assessment.id, given)
                repo.save_answer(engine, assessment.id, "domain.q0", 4)  # a change after the fact
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with engine.connect() as conn:
        duplicates = conn.execute(text(
            "SELECT count(*) FROM (SELECT assessment_id, question_id FROM answers "
            "GROUP BY assessment_id, question_id HAVING count(*) > 1) AS d")).scalar_one()
        changed = conn.execute(text("SELECT count(*) FROM answers WHERE question_id = 'domain.q0'")).scalar_one()
    assert repo.count_answers(engine) == threads * responses * questions
    assert duplicates == 0
    assert changed == threads * responses


UNSTORABLE = ["nul \x00 inside", "lone \ud800 surrogate"]


@pytest.mark.parametrize("text", UNSTORABLE)
def test_text_no_database_can_store_is_refused_with_a_message_and_nothing_saved_is_lost(database_url, text):
    from storage import workshops as ws

    engine = get_engine(database_url)
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answer(engine, assessment.id, "data.inventory", 2)
    repo.save_note(engine, assessment.id, "data.inventory", "kept")
    attempts = [
        lambda: repo.save_note(engine, assessment.id, "data.inventory", text),
        lambda: repo.save_answer(engine, assessment.id, "data.inventory", text),
        lambda: repo.save_answer(engine, assessment.id, "data.inventory", ["a", text]),
        lambda: repo.save_answer(engine, assessment.id, text, 1),
        lambda: repo.set_organisation(engine, assessment.id, text),
        lambda: repo.create_assessment(engine, "quick-check", "1.0.0", organisation=text),
        lambda: ws.create_workshop(engine, text, "quick-check", "1.0.0"),
    ]
    for attempt in attempts:
        with pytest.raises(AnswersError):
            attempt()
    assert repo.load_answers(engine, assessment.id) == {"data.inventory": Answer(2, "kept")}


def test_an_imported_file_keeps_its_organisation_profile_and_pilot_register(database_url):
    from scoring.answers import read_answers, response_to_dict

    engine = get_engine(database_url)
    response = read_answers(ROOT / "examples" / "retailer-pilots.yaml")
    assert len(response.pilots) == 12
    stored = repo.import_response(engine, response)
    again = repo.load_response(engine, repo.find_assessment(engine, stored.token))
    assert again.pilots == response.pilots
    assert again.organisation_profile == response.organisation_profile
    assert response_to_dict(again)["pilots"] == response_to_dict(response)["pilots"]


def test_a_register_keeps_its_groups_and_the_profile_its_currency_and_ai_role(database_url):
    from scoring.answers import read_answers

    engine = get_engine(database_url)
    response = read_answers(ROOT / "examples" / "golden-retailer.yaml")
    assert [p.group for p in response.pilots].count("demand-forecasting") == 3
    stored = repo.import_response(engine, response)
    again = repo.load_response(engine, repo.find_assessment(engine, stored.token))
    assert [p.group for p in again.pilots] == [p.group for p in response.pilots]
    assert (again.organisation_profile.currency, again.organisation_profile.ai_role) == ("GBP", "deployer")


def test_branding_is_kept_with_the_assessment_and_the_workshop(database_url):
    from reports.branding import Branding
    from storage import workshops as ws

    engine = get_engine(database_url)
    branding = Branding("Northwind Advisory", "#7A3B8F", None, "logo", "Start with the approval queue.")
    assessment = repo.create_assessment(engine, "quick-check", "2.0.0")
    repo.set_branding(engine, assessment.id, branding.to_stored())
    assert Branding.from_stored(repo.find_assessment(engine, assessment.token).branding) == branding
    workshop = ws.create_workshop(engine, "Acme", "quick-check", "2.0.0")
    ws.set_branding(engine, workshop.id, branding.to_stored())
    assert Branding.from_stored(ws.get_workshop(engine, workshop.id).branding) == branding

"""Retention and erasure: links that expire, deletions that really remove, purges that keep what is recent or open."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from storage import dispose_all, get_engine
from storage import repository as repo
from storage import retention
from storage import workshops as ws
from storage.engine import writing
from storage.tables import answers, assessments, consensus, workshops

SECRET_NOTE = "Confidential: the merger with Initech closes in March"
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)


def count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def age(engine, assessment_id: int, days: int, finished: bool = True) -> None:
    """Pretend the assessment was last changed (and finished) `days` before NOW."""
    moment = NOW - dt.timedelta(days=days)
    with writing(engine) as conn:
        conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                     .values(updated_at=moment, finished_at=moment if finished else None))


@pytest.mark.parametrize(("days", "idle_days", "expired"), [
    (0, 10_000, False), (30, 29, False), (30, 30, True), (30, 31, True), (1, 0, False),
])
def test_a_resume_link_expires_the_set_number_of_days_after_the_last_change(days, idle_days, expired):
    assessment = repo.Assessment(1, "t", "quick-check", "1.0.0", updated_at=NOW - dt.timedelta(days=idle_days))
    assert retention.link_expired(assessment, NOW, days) is expired


def test_deleting_an_assessment_removes_its_answers_and_notes(engine):
    kept = repo.create_assessment(engine, "quick-check", "1.0.0")
    repo.save_answer(engine, kept.id, "data.ownership", 3)
    doomed = repo.create_assessment(engine, "quick-check", "1.0.0")
    repo.save_answer(engine, doomed.id, "data.ownership", 2)
    repo.save_note(engine, doomed.id, "data.ownership", SECRET_NOTE)
    assert retention.delete_assessment(engine, doomed.id)
    assert repo.find_assessment(engine, doomed.token) is None
    assert count(engine, answers, answers.c.assessment_id == doomed.id) == 0
    assert repo.load_answers(engine, kept.id)["data.ownership"].value == 3
    assert not retention.delete_assessment(engine, doomed.id)


def test_a_deleted_note_is_gone_from_the_sqlite_files_too(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'data' / 'phasegate.db'}")
    doomed = repo.create_assessment(engine, "quick-check", "1.0.0")
    repo.save_note(engine, doomed.id, "data.ownership", SECRET_NOTE)
    repo.save_note(engine, doomed.id, "data.quality-standards", "kept for a while")  # the note's page is rewritten once
    with engine.connect() as conn:  # the note now sits in the database file itself, not only in the log
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    files = lambda: b"".join(path.read_bytes() for path in (tmp_path / "data").iterdir())  # noqa: E731
    assert SECRET_NOTE.encode() in (tmp_path / "data" / "phasegate.db").read_bytes()
    retention.delete_assessment(engine, doomed.id)
    assert SECRET_NOTE.encode() not in files()
    dispose_all()
    assert SECRET_NOTE.encode() not in files()


def test_a_facilitator_removes_one_participant_of_their_own_workshop_only(engine):
    workshop = ws.create_workshop(engine, "Client", "quick-check", "1.0.0")
    other = ws.create_workshop(engine, "Other", "quick-check", "1.0.0")
    stray, staying = ws.join_workshop(engine, workshop, "Executive"), ws.join_workshop(engine, workshop, "Executive")
    elsewhere = ws.join_workshop(engine, other, "Executive")
    repo.save_note(engine, stray.id, "data.ownership", SECRET_NOTE)
    assert not retention.remove_participant(engine, workshop.id, elsewhere.id)
    assert retention.remove_participant(engine, workshop.id, stray.id)
    assert [p.assessment.id for p in ws.list_participants(engine, workshop.id)] == [staying.id]
    assert count(engine, answers, answers.c.assessment_id == stray.id) == 0
    assert len(ws.list_participants(engine, other.id)) == 1


def test_deleting_a_workshop_removes_participants_answers_and_consensus(engine):
    workshop = ws.create_workshop(engine, "Client", "quick-check", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, participant.id, "data.ownership", 1)
    ws.save_consensus(engine, workshop.id, "data.ownership", 2, "agreed")
    assert retention.delete_workshop(engine, workshop.id)
    assert ws.find_by_token(engine, workshop.facilitator_token) is None
    assert count(engine, assessments, assessments.c.workshop_id == workshop.id) == 0
    assert count(engine, answers, answers.c.assessment_id == participant.id) == 0
    assert count(engine, consensus, consensus.c.workshop_id == workshop.id) == 0


def test_purge_deletes_finished_data_past_the_age_and_keeps_the_rest(engine):
    old_done = repo.create_assessment(engine, "quick-check", "1.0.0")
    old_open = repo.create_assessment(engine, "quick-check", "1.0.0")
    new_done = repo.create_assessment(engine, "quick-check", "1.0.0")
    for assessment in (old_done, old_open, new_done):
        repo.save_answer(engine, assessment.id, "data.ownership", 2)
    age(engine, old_done.id, 400)
    age(engine, old_open.id, 400, finished=False)
    age(engine, new_done.id, 10)
    closed_long_ago = ws.create_workshop(engine, "Old client", "quick-check", "1.0.0")
    still_open = ws.create_workshop(engine, "Open client", "quick-check", "1.0.0")
    repo.save_answer(engine, ws.join_workshop(engine, closed_long_ago, "Executive").id, "data.ownership", 4)
    ws.join_workshop(engine, still_open, "Executive")
    with writing(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == closed_long_ago.id)
                     .values(closed_at=NOW - dt.timedelta(days=400)))

    assert str(retention.purge_preview(engine, 365, at=NOW)) == "1 assessment, 1 workshop and 2 answers"
    purged = retention.purge(engine, 365, at=NOW)

    assert (purged.assessments, purged.workshops, purged.answers) == (1, 1, 2)
    assert repo.find_assessment(engine, old_done.token) is None
    assert repo.find_assessment(engine, old_open.token) is not None
    assert repo.find_assessment(engine, new_done.token) is not None
    assert ws.find_by_token(engine, closed_long_ago.facilitator_token) is None
    assert len(ws.list_participants(engine, still_open.id)) == 1
    assert retention.purge(engine, 365, at=NOW).assessments == 0


def test_purge_on_the_command_line_counts_then_deletes(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cli import main

    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = get_engine()
    done = repo.create_assessment(engine, "quick-check", "1.0.0")
    repo.save_answer(engine, done.id, "data.ownership", 2)
    age(engine, done.id, 100)
    runner = CliRunner()
    assert runner.invoke(main, ["purge", "--older-than", "90", "--dry-run"]).output == \
        "would delete 1 assessment, 0 workshops and 1 answer\n"
    assert repo.find_assessment(engine, done.token) is not None
    assert runner.invoke(main, ["purge", "--older-than", "90", "--yes"]).output == \
        "will delete 1 assessment, 0 workshops and 1 answer\ndeleted 1 assessment, 0 workshops and 1 answer\n"
    assert repo.find_assessment(engine, done.token) is None
    assert runner.invoke(main, ["purge", "--older-than", "-1"]).exit_code == 2

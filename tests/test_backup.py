"""Backups taken while answers are being saved restore whole; a restore never overwrites data unasked and leaves the
database at this release's schema. On SQLite and on PostgreSQL."""

from __future__ import annotations

import secrets
import stat
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, select, text

import services
from cli import main
from questionnaires import find_questionnaire
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import schema
from storage.backup import BackupError, backup, restore
from tests.conftest import ROOT
from tests.test_schema import OLD_TOKEN, first_release_database  # noqa: F401 - a fixture used below

WRITERS = 4
SAVED_BEFORE_BACKUP = 15  # answers each writer has saved when the backup starts
SAVED_AFTER_BACKUP = 15  # ... and more it saves while or after the backup runs
LOAD_SECONDS = 120  # a limit on a machine whose cores are all busy, never a pause


@contextmanager
def empty_database(source_url: str, tmp_path: Path):
    """The URL of another empty database of the same kind: an SQLite file, or a scratch PostgreSQL database (with
    the source's schema name in its search_path, as a restored schema-scoped backup needs), dropped afterwards."""
    if source_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'restored-{secrets.token_hex(3)}.db'}"
        return
    import psycopg

    name = f"scratch_{secrets.token_hex(6)}"
    admin = "postgresql://postgres@127.0.0.1:5432/test"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield source_url.replace("/test?", f"/{name}?")
    finally:
        dispose_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def tables(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, in primary-key order (all columns)."""
    engine = create_engine(url)
    try:
        reflected = MetaData()
        reflected.reflect(engine)
        found = {}
        with engine.connect() as conn:
            for name, table in reflected.tables.items():
                order = list(table.primary_key.columns) or list(table.columns)
                found[name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
        return found
    finally:
        engine.dispose()


def wait_until(condition, state, seconds: float = LOAD_SECONDS):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"the writers did not get there in time: {state}"
        time.sleep(0.01)


def test_a_backup_taken_while_answers_are_saved_restores_whole(engine, database_url, tmp_path):
    questionnaire = find_questionnaire("ai-maturity")
    asked = [(q.id, [o.value for o in questionnaire.options_for(q)]) for q in questionnaire.questions if q.type == "scale"]
    order = {question_id: number for number, (question_id, _) in enumerate(asked)}
    ids = [repo.create_assessment(engine, questionnaire.id, questionnaire.version, organisation=f"Client {n}").id
           for n in range(WRITERS)]
    saved = {assessment_id: 0 for assessment_id in ids}
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer(assessment_id: int) -> None:
        """Answers the questions in order, one transaction each, until stopped or all are answered."""
        try:
            while not stop.is_set() and saved[assessment_id] < len(asked):
                number = saved[assessment_id]
                question_id, values = asked[number]
                repo.save_answer(engine, assessment_id, question_id, values[number % len(values)])
                saved[assessment_id] = number + 1
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(assessment_id,)) for assessment_id in ids]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: min(saved.values()) >= SAVED_BEFORE_BACKUP or errors, saved)
        out = tmp_path / "under-load.backup"
        backup(database_url, out)
        at_backup = dict(saved)
        wait_until(lambda: all(saved[i] - at_backup[i] >= SAVED_AFTER_BACKUP or saved[i] == len(asked) for i in ids)
                   or errors, saved)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    source = tables(database_url)
    with empty_database(database_url, tmp_path) as target:
        restored_with = restore(target, out)
        assert restored_with.revision_now == schema.head()
        restored = tables(target)
    assert set(restored) == set(source)
    # The answers are those of one moment: each client's first k answers, none missing between, each row exactly
    # as stored, and the load went on after it (the backup did not wait for the writers to stop).
    by_key = {(row.assessment_id, row.question_id): row for row in _rows(database_url, "answers")}
    kept = _rows_of(restored["answers"], database_url, "answers")
    for assessment_id in ids:
        numbers = sorted(order[row.question_id] for row in kept if row.assessment_id == assessment_id)
        assert numbers == list(range(len(numbers))) and len(numbers) >= SAVED_BEFORE_BACKUP
    assert sum(1 for row in kept) < sum(saved.values())
    assert all(tuple(row) == tuple(by_key[(row.assessment_id, row.question_id)]) for row in kept)
    # Every other table, row for row; an assessment differs only in when it was last touched.
    for name in set(source) - {"answers", "assessments"}:
        assert restored[name] == source[name], name
    updated = list(_columns(database_url, "assessments")).index("updated_at")
    strip = lambda rows: [row[:updated] + row[updated + 1:] for row in rows]  # noqa: E731
    assert strip(restored["assessments"]) == strip(source["assessments"])


def test_a_quiet_database_restores_row_for_row_and_data_is_replaced_only_when_forced(engine, database_url, tmp_path):
    questionnaire = find_questionnaire("quick-check")
    question = next(q for q in questionnaire.questions if q.type == "scale")
    first = repo.create_assessment(engine, questionnaire.id, questionnaire.version, organisation="Acme")
    repo.save_answer(engine, first.id, question.id, questionnaire.options_for(question)[1].value)
    repo.save_note(engine, first.id, question.id, "A spreadsheet, kept by finance")
    services.finish_assessment(engine, first.id)
    out = tmp_path / "quiet.backup"
    backup(database_url, out)
    source = tables(database_url)
    with empty_database(database_url, tmp_path) as target:
        restore(target, out)
        assert tables(target) == source
        other = get_engine(target)
        repo.create_assessment(other, questionnaire.id, questionnaire.version, organisation="Someone else")
        with pytest.raises(BackupError, match="already holds data .*--force"):
            restore(target, out)
        assert len(tables(target)["assessments"]) == 2  # nothing touched
        restore(target, out, force=True)
        assert tables(target) == source
        assert repo.find_assessment(get_engine(target), first.token).organisation == "Acme"


def test_a_backup_of_the_first_release_is_restored_at_this_schema(first_release_database, tmp_path):  # noqa: F811
    out = tmp_path / "first-release.backup"
    backup(first_release_database, out)
    with empty_database(first_release_database, tmp_path) as target:
        restored = restore(target, out)
        assert (restored.revision_before, restored.revision_now) == (None, schema.head())
        engine = get_engine(target)
        assert schema.current(engine) == schema.head()
        assert repo.find_assessment(engine, OLD_TOKEN).organisation == "Example Corp"


def test_a_backup_of_a_newer_release_is_refused_with_nothing_touched(engine, database_url, tmp_path):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    out = tmp_path / "newer.backup"
    backup(database_url, out)
    with empty_database(database_url, tmp_path) as target:
        with pytest.raises(schema.NewerDatabaseError, match="newer release"):
            restore(target, out)


def _rows(url: str, name: str):
    engine = create_engine(url)
    try:
        reflected = MetaData()
        reflected.reflect(engine, only=[name])
        with engine.connect() as conn:
            return list(conn.execute(select(reflected.tables[name])))
    finally:
        engine.dispose()


def _columns(url: str, name: str):
    engine = create_engine(url)
    try:
        reflected = MetaData()
        reflected.reflect(engine, only=[name])
        return [column.name for column in reflected.tables[name].columns]
    finally:
        engine.dispose()


def _rows_of(plain: list[tuple], url: str, name: str):
    from collections import namedtuple

    Row = namedtuple("Row", _columns(url, name))
    return [Row(*row) for row in plain]


# --- the command line -----------------------------------------------------------------------------------------


def cli(*arguments: str, env: dict[str, str | None]) -> subprocess.CompletedProcess:
    """The command as `python cli.py` runs it (`env`: the variables set, or unset with None), run in this process:
    its exit code and what it wrote. An exception it lets out fails the test, as a traceback would show; the engines
    it opened are closed afterwards, as at the end of its process."""
    try:
        done = CliRunner().invoke(main, list(arguments), env=env, catch_exceptions=False)
    finally:
        dispose_all()
    return subprocess.CompletedProcess(["cli.py", *arguments], done.exit_code, done.stdout, done.stderr)


def test_backup_and_restore_on_the_command_line(tmp_path):
    source = {"PHASEGATE_DATA_DIR": str(tmp_path / "source"), "DATABASE_URL": None}
    engine = get_engine(f"sqlite:///{tmp_path / 'source' / 'phasegate.db'}")
    repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")
    dispose_all()
    out = tmp_path / "nightly.backup"
    done = cli("backup", "--out", str(out), env=source)
    assert done.returncode == 0 and done.stderr.strip() == f"wrote {out} (SQLite backup)", done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = cli("backup", "--out", str(out), env=source)
    assert again.returncode == 1 and "already exists; give --force" in again.stderr
    over_database = cli("backup", "--out", str(tmp_path / "source" / "phasegate.db"), "--force", env=source)
    assert over_database.returncode == 1 and "is the configured database" in over_database.stderr

    target = {**source, "PHASEGATE_DATA_DIR": str(tmp_path / "target")}
    done = cli("restore", str(out), env=target)
    assert done.returncode == 0 and f"database at {schema.head()}" in done.stderr, done.stderr
    refused = cli("restore", str(out), env=target)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "--force" in refused.stderr
    assert cli("restore", str(out), "--force", env=target).returncode == 0
    assert stat.S_IMODE((tmp_path / "target" / "phasegate.db").stat().st_mode) == 0o600
    assert tables(f"sqlite:///{tmp_path / 'target' / 'phasegate.db'}") == tables(
        f"sqlite:///{tmp_path / 'source' / 'phasegate.db'}")

    for bad, expected in [(ROOT / "cli.py", "is not a Phasegate backup"), (tmp_path / "missing", "cannot read the backup")]:
        done = cli("restore", str(bad), env=target)
        assert done.returncode == 1 and expected in done.stderr and "Traceback" not in done.stderr, done.stderr

    on_postgres = {**source, "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test"}
    done = cli("restore", str(out), env=on_postgres)
    assert done.returncode == 1 and "backup of an SQLite database" in done.stderr, done.stderr


def test_without_pg_dump_the_backup_says_what_to_install(tmp_path):
    env = {"PATH": str(tmp_path), "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test"}
    done = cli("backup", "--out", str(tmp_path / "x.backup"), env=env)
    assert done.returncode == 1 and done.stderr.startswith("error: pg_dump is not installed; install"), done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "x.backup").exists()

"""A database that fails while in use raises the storage layer's own StorageError, in one located line that says
what to check; a mistake in a statement or its data stays SQLAlchemy's, so code that catches it still can."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from storage.engine import connect, writing
from storage.errors import StorageError
from tests.conftest import POSTGRES

DOWN = "postgresql+psycopg://postgres:secret@127.0.0.1:1/test"


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    """An SQLite database holding one table, whose writers give up on a lock after a moment."""
    monkeypatch.setenv("PHASEGATE_SQLITE_BUSY_TIMEOUT_MS", "50")
    url = f"sqlite:///{tmp_path / 'data' / 'phasegate.db'}"
    with writing(connect(url)) as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    return url


def write_read_only(engine) -> None:
    with writing(engine) as conn:
        conn.exec_driver_sql("PRAGMA query_only = ON")
        conn.execute(text("INSERT INTO notes (body) VALUES ('x')"))


def write_past_a_full_disk(engine) -> None:
    with writing(engine) as conn:
        conn.exec_driver_sql("PRAGMA max_page_count = 3")  # the file may grow no further: as a full disk stops it
        conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": "x" * 20_000})


def write_while_another_writes(engine) -> None:
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with writing(engine) as conn:
            conn.execute(text("INSERT INTO notes (body) VALUES ('x')"))
    finally:
        holder.close()


@pytest.mark.parametrize(("failure", "reason"), [
    (write_read_only, "attempt to write a readonly database"),
    (write_past_a_full_disk, "database or disk is full"),
    (write_while_another_writes, "database is locked"),
], ids=["read-only", "disk full", "locked"])
def test_an_sqlite_file_that_cannot_be_written_raises_a_storage_error_saying_what_to_check(sqlite_url, tmp_path,
                                                                                          failure, reason):
    with pytest.raises(StorageError) as raised:
        failure(connect(sqlite_url))
    assert str(raised.value) == (f"The database file in {tmp_path / 'data'} cannot be opened or written ({reason}). "
                                 "Give the app's user write access to that folder, or set PHASEGATE_DATA_DIR to a "
                                 "folder it can write.")
    assert raised.value.reason == "OperationalError"


def test_a_server_that_does_not_answer_raises_a_storage_error_without_the_password():
    with pytest.raises(StorageError) as raised, connect(DOWN).connect() as conn:
        conn.execute(text("SELECT 1"))
    message = str(raised.value)
    assert message.startswith("The database at 127.0.0.1:1/test did not answer (") and "secret" not in message
    assert message.endswith("Check DATABASE_URL and that the database server is running; nothing saved is lost.")


def test_a_server_that_drops_the_connection_raises_a_storage_error():
    engine = connect(POSTGRES)
    with pytest.raises(StorageError) as raised, engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))  # this session's own connection only
    assert str(raised.value).startswith("The database at 127.0.0.1:5432/test did not answer (terminating connection")
    engine.dispose()


@pytest.mark.parametrize("statement", ["INSERT INTO notes (id, body) VALUES (1, 'again')", "SELECT * FROM no_such"],
                         ids=["duplicate key", "no such table"])
def test_a_mistake_in_the_statement_stays_sqlalchemys_error(sqlite_url, statement):
    engine = connect(sqlite_url)
    with writing(engine) as conn:
        conn.execute(text("INSERT INTO notes (id, body) VALUES (1, 'first')"))
    with pytest.raises(SQLAlchemyError) as raised, writing(engine) as conn:
        conn.execute(text(statement))
    assert not isinstance(raised.value, StorageError)


def test_a_duplicate_stays_an_integrity_error_on_postgresql():
    engine = connect(POSTGRES)
    with pytest.raises(IntegrityError), engine.connect() as conn:
        conn.execute(text("CREATE TEMPORARY TABLE once (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO once VALUES (1), (1)"))
    engine.dispose()

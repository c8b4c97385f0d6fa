"""The database engine from settings: SQLite by default (WAL, busy_timeout, foreign keys), or PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from config import database_url, setting
from storage import schema
from storage.errors import StorageError

WRITE = "phasegate_write"
PRIVATE_FOLDER = 0o700  # only the app's own user may list or read the data folder
PRIVATE_FILE = 0o600  # ... or read and write the database; SQLite gives its -wal and -shm files the same mode
# SQLite's primary result codes for a database file that cannot be opened, written or waited for. Its
# OperationalError also stands for mistakes in the statement (no such table, a syntax error): those are not these.
SQLITE_FAILURES = {sqlite3.SQLITE_PERM, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY,
                   sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN}
READ_ONLY_TRANSACTION = "25006"  # PostgreSQL on a standby, or with writes switched off; its driver calls it internal


_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the configured database), schema created on first use."""
    url = url or database_url()
    with _lock:
        if url not in _engines:
            _engines[url] = _new_engine(url)
        return _engines[url]


def _new_engine(url: str) -> Engine:
    try:
        engine = connect(url)
        schema.upgrade(engine, writing)
    except (OSError, SQLAlchemyError) as exc:
        raise StorageError(unreachable(url, exc), reason=exc.__class__.__name__) from None
    return engine


def connect(url: str) -> Engine:
    """A new engine for `url`, with the SQLite settings where it applies; the schema is left as it is. A database
    that cannot be reached, went away, is full, read-only or locked raises StorageError from any of its uses."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)

    @event.listens_for(engine, "handle_error", retval=True)
    def _storage_error(context: ExceptionContext) -> StorageError | None:
        if not failed(context):
            return None  # a mistake in the statement or the data: the code that sent it handles it, or must be fixed
        cause = context.sqlalchemy_exception or context.original_exception
        return StorageError(unreachable(url, cause), reason=cause.__class__.__name__)

    return engine


def failed(context: ExceptionContext) -> bool:
    """Whether the database itself failed: it cannot be reached, went away, is full, read-only or locked."""
    if context.is_pre_ping:
        return False  # the pool asks whether to connect again; that answer is the driver's to give
    if context.is_disconnect:
        return True
    code = getattr(context.original_exception, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_FAILURES  # the extended codes keep the primary one in the low byte
    return (isinstance(context.sqlalchemy_exception, OperationalError)
            or getattr(context.original_exception, "sqlstate", None) == READ_ONLY_TRANSACTION)


def unreachable(url: str, exc: BaseException) -> str:
    """One line saying which database failed, why, and what to check (never the password)."""
    parsed = make_url(url)
    reason = _reason(exc)
    if parsed.get_backend_name() == "sqlite":
        folder = Path(parsed.database or ".").parent
        return (f"The database file in {folder} cannot be opened or written ({reason}). Give the app's user write "
                "access to that folder, or set PHASEGATE_DATA_DIR to a folder it can write.")
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
    return (f"The database at {where} did not answer ({reason}). Check DATABASE_URL and that the database "
            "server is running; nothing saved is lost.")


def _reason(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror.lower()
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    text = lines[0] if lines else cause.__class__.__name__
    return text.split(": ")[-1][:160]


def _private_file(database: str) -> None:
    """Create the SQLite file and its folder readable by the app's user alone (and tighten older ones)."""
    path = Path(database)
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=PRIVATE_FOLDER)
    if _holds_only(folder, path.name) and folder.stat().st_uid == os.getuid():
        folder.chmod(PRIVATE_FOLDER)  # an older release made it 0755; a shared folder is left as it is
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE))
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists() and companion.stat().st_uid == os.getuid():
            companion.chmod(PRIVATE_FILE)


def _holds_only(folder: Path, database_name: str) -> bool:
    # The questionnaire cache (questionnaires/compiled.py) lives in the data folder too.
    return all(entry.name.startswith(database_name) or entry.name == "cache" for entry in folder.iterdir())


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        _private_file(database)
    timeout_ms = int(setting("PHASEGATE_SQLITE_BUSY_TIMEOUT_MS"))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # The driver's own transaction handling is switched off so that `_begin` decides
        # how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # secure_delete: deleted answers are overwritten in the file, not just unlinked. The busy
        # timeout comes first, so that switching a new file to WAL waits for a concurrent opener too.
        for pragma in (f"busy_timeout={timeout_ms}", "journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                       "secure_delete=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # Writers take the write lock up front, so busy_timeout applies and two writers
        # never deadlock upgrading a read lock ("database is locked").
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def writing(engine: Engine):
    """A transaction that will write: `with writing(engine) as conn: ...`."""
    return engine.execution_options(**{WRITE: True}).begin()


def dispose_all() -> None:
    """Close every pooled connection and forget the engines (tests, shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.timezone.utc)

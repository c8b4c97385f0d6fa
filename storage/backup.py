"""Backups of the configured database, taken while the app runs, and their restore.

SQLite: the online backup API copies the database as of one moment (one read transaction: writers carry on, and
the copy never holds half of a transaction) into a single self-contained file. PostgreSQL: `pg_dump` in its
custom format (a consistent snapshot too), restored by `pg_restore` in one transaction. The connection settings
reach the PostgreSQL tools through their environment, never their command line, so no password shows in the
process list. A URL whose `options` set a `search_path` (one schema per app, or per test) backs up that schema only.

A restore refuses a database that holds data unless it is forced, refuses a backup written by a newer release,
and leaves the database at this release's schema (the migrations run after it, for a backup of an older release).
Backup files hold client data: they are written 0600, like the database, and appear whole or not at all.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from questionnaires.errors import PhasegateError
from storage import schema
from storage.engine import PRIVATE_FILE, _private_file, connect, dispose_all, unreachable, writing
from storage.errors import StorageError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"
TOOL_SECONDS = 3600  # a dump or restore of a very large database; a hung server is reported, not waited on for ever


class BackupError(PhasegateError):
    """A backup or a restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the kind of backup, its schema revision, and the revision the database is at now."""

    kind: str
    revision_before: str | None
    revision_now: str


# --- backup -------------------------------------------------------------------------------------------------


def backup(url: str, out: Path) -> str:
    """Write a consistent copy of the database at `url` to `out` (0600, atomically); the kind written ("SQLite" or
    "PostgreSQL"). BackupError when it cannot be done."""
    parsed = make_url(url)
    temporary = out.with_name(f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        if parsed.get_backend_name() == "sqlite":
            _backup_sqlite(_sqlite_path(parsed), temporary)
            kind = "SQLite"
        elif parsed.get_backend_name() == "postgresql":
            _backup_postgres(parsed, temporary)
            kind = "PostgreSQL"
        else:
            raise BackupError(f"backups of {parsed.get_backend_name()} databases are not supported; "
                              "use SQLite or PostgreSQL")
        os.replace(temporary, out)
    except OSError as exc:
        raise BackupError(f"{out}: cannot write the backup ({exc.strerror or exc}); check the folder") from None
    finally:
        temporary.unlink(missing_ok=True)
    return kind


def _sqlite_path(parsed: URL) -> Path:
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("the configured SQLite database is in memory; there is nothing on disk to back up")
    return Path(parsed.database)


def _backup_sqlite(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"there is no database file at {database}; check PHASEGATE_DATA_DIR or DATABASE_URL")
    os.close(_private_new_file(target))
    try:
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open the database file {database} ({exc}); check its permissions") from None
    copy = sqlite3.connect(target)
    try:
        # One step: one read transaction, so the copy is the database as of one moment.
        source.backup(copy)
        # A single self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"the backup of {database} failed ({exc}); try again") from None
    finally:
        copy.close()
        source.close()
    _flush(target)


def _backup_postgres(parsed: URL, target: Path) -> None:
    tool = _tool("pg_dump")
    where = _schema(parsed)
    arguments = [tool, "--format=custom", "--no-owner", "--no-privileges"]
    if where:
        arguments.append(f"--schema={where}")
    descriptor = _private_new_file(target)
    with os.fdopen(descriptor, "wb") as handle:
        done = _run(arguments, parsed, stdout=handle)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {_first_line(done.stderr)}; check DATABASE_URL and that the server runs")
    _flush(target)


# --- restore ------------------------------------------------------------------------------------------------


def restore(url: str, backup_file: Path, force: bool = False) -> Restored:
    """Restore `backup_file` into the database at `url`, then bring it to this release's schema. Refuses a database
    that holds data unless `force`; BackupError (or a StorageError) when it cannot be done."""
    kind = backup_kind(backup_file)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    wanted = {"SQLite": "sqlite", "PostgreSQL": "postgresql"}[kind]
    if backend != wanted:
        raise BackupError(f"{backup_file.name} is a backup of an {kind} database, but the configured database is "
                          f"{_kind_name(backend)}; set DATABASE_URL to a {kind} database to restore it")
    revision = _sqlite_revision(backup_file) if kind == "SQLite" else _postgres_revision(backup_file, parsed)
    schema.check_known(revision)  # a backup of a newer release: NewerDatabaseError, nothing touched
    engine = connect(url)
    try:
        held = holds_data(engine)
    except StorageError as exc:  # down, or cannot be read: its message already says what to check
        raise BackupError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - whatever else the driver raises
        raise BackupError(unreachable(url, exc)) from None
    finally:
        engine.dispose()
    if held and not force:
        raise BackupError(f"the configured database already holds data ({held}); give --force to replace it with "
                          "the backup, or set DATABASE_URL to an empty database")
    dispose_all()  # no pooled connection of this process keeps the old database open
    if kind == "SQLite":
        _restore_sqlite(backup_file, _sqlite_path(parsed))
    else:
        _restore_postgres(backup_file, parsed)
    engine = connect(url)
    try:
        _, now = schema.upgrade(engine, writing)
    finally:
        engine.dispose()
    return Restored(kind, revision, now)


def backup_kind(path: Path) -> str:
    """"SQLite" or "PostgreSQL" from the file's first bytes; BackupError when it is neither."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"{path}: cannot read the backup ({exc.strerror or exc}); check the path") from None
    if head.startswith(SQLITE_MAGIC):
        return "SQLite"
    if head.startswith(PG_MAGIC):
        return "PostgreSQL"
    raise BackupError(f"{path.name} is not a Phasegate backup (neither an SQLite file nor a pg_dump archive); "
                      "give a file written by `cli.py backup`")


def holds_data(engine) -> str:
    """What the database holds, e.g. "3 assessments, 1 workshop" (the first tables with rows), or "" when empty."""
    found = []
    with engine.connect() as conn:
        names = [name for name in inspect(conn).get_table_names() if name != VERSION_TABLE]
        for name in sorted(names, key=lambda n: (n not in ("assessments", "workshops"), n)):
            count = conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            if count:
                found.append(f"{count} rows in {name}")
    return ", ".join(found[:3])


def _sqlite_revision(path: Path) -> str | None:
    """The schema revision recorded in an SQLite backup; BackupError when it is not a readable Phasegate database."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path.name}: cannot open the backup ({exc})") from None
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path.name} is damaged (SQLite's check failed); restore another backup")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if VERSION_TABLE in tables:
            row = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
            if row is not None:
                return row[0]
        if "assessments" in tables:
            return None  # the first release kept no revision; the migrations stamp it
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} is damaged ({exc}); restore another backup") from None
    finally:
        conn.close()
    raise BackupError(f"{path.name} is an SQLite file but not a Phasegate database; give a file written by "
                      "`cli.py backup`")


def _restore_sqlite(backup_file: Path, database: Path) -> None:
    _private_file(str(database))  # the folder and the file, private, as the app makes them
    source = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)  # page by page under the target's write lock: all of it or none
    except sqlite3.Error as exc:
        raise BackupError(f"the restore into {database} failed ({exc}); stop the app and try again") from None
    finally:
        target.close()
        source.close()


def _postgres_revision(path: Path, parsed: URL) -> str | None:
    """The schema revision in a pg_dump archive (its alembic_version rows); BackupError when pg_restore cannot read it."""
    done = _run([_tool("pg_restore"), "--data-only", f"--table={VERSION_TABLE}", "--file=-", str(path)], parsed,
                stdout=subprocess.PIPE)
    if done.returncode != 0:
        raise BackupError(f"{path.name} cannot be read by pg_restore ({_first_line(done.stderr)}); give a file "
                          "written by `cli.py backup`")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and VERSION_TABLE in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return None if value in ("", "\\.") else value
    return None


def _restore_postgres(backup_file: Path, parsed: URL) -> None:
    arguments = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                 "--exit-on-error", f"--dbname={parsed.database or 'postgres'}", str(backup_file)]
    done = _run(arguments, parsed)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was changed: {_first_line(done.stderr)}")


# --- helpers ------------------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; install PostgreSQL's client tools (Debian: apt-get install "
                          "postgresql-client, the same major version as the server or newer) and try again")
    return found


def _schema(parsed: URL) -> str | None:
    """The first schema of a search_path set in the URL's `options`, if any."""
    options = parsed.query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    found = re.search(r"-c\s*search_path\s*=\s*([^\s,]+)", options)
    return found.group(1).strip('"') if found else None


def _run(arguments: list[str], parsed: URL, stdout=None) -> subprocess.CompletedProcess:
    """A PostgreSQL client tool, connected through its environment (never a password on its command line)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({"PGHOST": parsed.host or "localhost", "PGPORT": str(parsed.port or 5432),
                "PGDATABASE": parsed.database or "postgres"})
    if parsed.username:
        env["PGUSER"] = parsed.username
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    for key, variable in (("options", "PGOPTIONS"), ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                          ("connect_timeout", "PGCONNECT_TIMEOUT")):
        value = parsed.query.get(key)
        if value:
            env[variable] = " ".join(value) if isinstance(value, tuple) else value
    try:
        return subprocess.run(arguments, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=TOOL_SECONDS,
                              check=False)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{Path(arguments[0]).name} took more than {TOOL_SECONDS // 60} minutes; check the "
                          "database server") from None


def _first_line(stderr: bytes | None) -> str:
    lines = [line.strip() for line in (stderr or b"").decode("utf-8", "replace").splitlines() if line.strip()]
    line = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "no message")
    return line.removeprefix("pg_dump: ").removeprefix("pg_restore: ")[:200]


def _private_new_file(path: Path) -> int:
    """Create `path` readable by its owner only; its descriptor, open for writing."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)  # whatever the umask
    return descriptor


def _flush(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _kind_name(backend: str) -> str:
    return {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL database"}.get(backend, backend)

"""The database schema's version: upgrade to the newest migration, say which one is applied.

Alembic does the work. An empty database gets the newest tables at once, built from their definitions in
`storage/tables.py` and stamped with the newest revision (Alembic's recipe for a new database; a test holds
those definitions and the migrations to the same schema). A database made by the first release (tables, no
version) is recognised and stamped as revision 0001, then upgraded; it is never recreated. Upgrades
run in one transaction under a lock (PostgreSQL: an advisory lock; SQLite: the write
lock), so replicas starting together upgrade once and the others find it done.

A database at a revision this code does not know was written by a newer release (this one
was rolled back, say): it is never touched, and every entry point says so in one line.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from storage.errors import StorageError
from storage.tables import metadata

MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_RELEASE = "0001"
UPGRADE_LOCK = 0x50_68_61_73_65  # any fixed number, the same in every replica


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class NewerDatabaseError(StorageError):
    """The database is at a schema revision this release does not know: a newer release wrote it."""

    def __init__(self, revision: str):
        self.revision = revision
        super().__init__(f"This database was written by a newer release of Phasegate (schema revision {revision}); "
                         f"this release knows up to {head()}. Upgrade Phasegate, or restore a backup made before "
                         "the upgrade.")


@functools.lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    """This release's migrations, read once per process."""
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest migration's revision."""
    return _scripts().get_current_head()


@functools.lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision this release's migrations define."""
    return frozenset(script.revision for script in _scripts().walk_revisions())


def check_known(revision: str | None) -> str | None:
    """The revision, when this release knows it (or there is none yet); NewerDatabaseError otherwise."""
    if revision is not None and revision not in known_revisions():
        raise NewerDatabaseError(revision)
    return revision


def current(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database (or one of the first release, not yet stamped).
    NewerDatabaseError when a newer release wrote it."""
    with engine.connect() as conn:
        return check_known(MigrationContext.configure(conn).get_current_revision())


def upgrade(engine: Engine, writing) -> tuple[str | None, str]:
    """Bring the database to the newest revision; (revision before, revision after)."""
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        migrations = MigrationContext.configure(conn)
        before = check_known(migrations.get_current_revision())
        if before is None and not inspect(conn).has_table("assessments"):
            metadata.create_all(conn)
            migrations.stamp(_scripts(), "head")
            return None, head()
        if before is None:
            command.stamp(_config(conn), FIRST_RELEASE)
            before = FIRST_RELEASE
        if before != head():
            command.upgrade(_config(conn), "head")
    return before, head()

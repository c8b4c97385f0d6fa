"""The database schema's version: upgrade to the newest migration, say which one is applied.

Alembic does the work. A database made by the first release (tables, no version) is
recognised and stamped as revision 0001, then upgraded; it is never recreated. Upgrades
run in one transaction under a lock (PostgreSQL: an advisory lock; SQLite: the write
lock), so replicas starting together upgrade once and the others find it done.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_RELEASE = "0001"
UPGRADE_LOCK = 0x50_68_61_73_65  # any fixed number, the same in every replica


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest migration's revision."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database (or one of the first release, not yet stamped)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, writing) -> tuple[str | None, str]:
    """Bring the database to the newest revision; (revision before, revision after)."""
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        before = MigrationContext.configure(conn).get_current_revision()
        if before is None and inspect(conn).has_table("assessments"):
            command.stamp(_config(conn), FIRST_RELEASE)
            before = FIRST_RELEASE
        if before != head():
            command.upgrade(_config(conn), "head")
    return before, head()

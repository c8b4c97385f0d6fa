"""Every setting, declared once: name, default, help. Read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        """The value from the environment, or the default."""
        return os.environ.get(self.name, "") or self.default


SETTINGS = (
    Setting("DATABASE_URL", "", "SQLAlchemy URL of the database. Empty: an SQLite file in PHASEGATE_DATA_DIR. "
            "PostgreSQL: postgresql+psycopg://user:password@host:5432/dbname"),
    Setting("PHASEGATE_DATA_DIR", str(ROOT / "data"), "Folder for the embedded SQLite database; created on first run"),
    Setting("PHASEGATE_PUBLIC_URL", "", "Public base URL of the app (e.g. https://assess.example.com) used in "
            "resume and join links; empty: links are relative to the page the user is on"),
    Setting("PHASEGATE_QUESTIONNAIRES", "", "Extra folder of questionnaire YAML files offered besides the shipped ones"),
    Setting("PHASEGATE_REPORT_WORKERS", "2", "Worker processes that render PDFs (app and batch reports)"),
    Setting("PHASEGATE_RESUME_DAYS", "0", "Days a private resume link stays valid after the assessment's last "
            "change; 0: links never expire. An expired link opens nothing, and nothing is deleted by expiry"),
    Setting("PHASEGATE_MAX_PARTICIPANTS", "500", "Most participants one workshop accepts; further joins are refused"),
    Setting("PHASEGATE_CLIENT_IP_HEADER", "", "Behind a reverse proxy: the request header that carries the client's "
            "address (e.g. X-Forwarded-For; its first address is used) for join-code throttling; empty: the "
            "connection's own address"),
    Setting("PLAN_NOW_CAPACITY", "5", "Most steps the plan puts in Now (0–3 months); the rest wait in Next"),
    Setting("PHASEGATE_SQLITE_BUSY_TIMEOUT_MS", "30000", "How long an SQLite writer waits for another to finish "
            "before giving up, in milliseconds"),
)


def setting(name: str) -> str:
    """The current value of one setting by name."""
    for entry in SETTINGS:
        if entry.name == name:
            return entry.value()
    raise KeyError(f"unknown setting {name}")


def database_url() -> str:
    """DATABASE_URL, or the default SQLite file in the data folder."""
    url = setting("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(setting('PHASEGATE_DATA_DIR')) / 'phasegate.db'}"

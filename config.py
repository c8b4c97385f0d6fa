"""Every setting, declared once: name, type, default, help. Read from the environment.

Values are read when they are asked for, so a changed environment is seen at once; an
empty variable means the default. A value of the wrong type or out of range is a
`SettingsError` with one line per setting: its name, the value and what is expected.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from questionnaires.errors import PhasegateError

ROOT = Path(__file__).resolve().parent


class SettingsError(PhasegateError):
    """A setting in the environment has a value of the wrong type or out of range."""


class Settings(BaseSettings):
    """The settings, each named as its environment variable."""

    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True, extra="ignore",
                                      validate_default=True)

    DATABASE_URL: str = Field("", description="SQLAlchemy URL of the database. Empty: an SQLite file in "
                              "PHASEGATE_DATA_DIR. PostgreSQL: postgresql+psycopg://user:password@host:5432/dbname")
    PHASEGATE_DATA_DIR: str = Field(str(ROOT / "data"), description="Folder for the embedded SQLite database; "
                                    "created on first run")
    PHASEGATE_PUBLIC_URL: str = Field("", description="Public base URL of the app (e.g. https://assess.example.com) "
                                      "used in resume and join links; empty: links are relative to the page the "
                                      "user is on")
    PHASEGATE_QUESTIONNAIRES: str = Field("", description="Extra folder of questionnaire YAML files offered besides "
                                          "the shipped ones")
    PHASEGATE_REPORT_WORKERS: int = Field(2, ge=1, le=32, description="Worker processes that render PDFs (app and "
                                          "batch reports)")
    PHASEGATE_RESUME_DAYS: int = Field(0, ge=0, description="Days a private resume link stays valid after the "
                                       "assessment's last change; 0: links never expire. An expired link opens "
                                       "nothing, and nothing is deleted by expiry")
    PHASEGATE_MAX_PARTICIPANTS: int = Field(500, ge=1, description="Most participants one workshop accepts; further "
                                            "joins are refused")
    PHASEGATE_CLIENT_IP_HEADER: str = Field("", description="Behind a reverse proxy: the request header that carries "
                                            "the client's address (e.g. X-Forwarded-For; its first address is used) "
                                            "for join-code throttling; empty: the connection's own address")
    PLAN_NOW_CAPACITY: int = Field(5, ge=1, description="Most steps the plan puts in Now (0–3 months); the rest wait "
                                   "in Next")
    PHASEGATE_SQLITE_BUSY_TIMEOUT_MS: int = Field(30000, ge=0, description="How long an SQLite writer waits for "
                                                  "another to finish before giving up, in milliseconds")


NAMES = tuple(Settings.model_fields)


@dataclass(frozen=True)
class Setting:
    """One setting as documented: name, default (as written in the environment), help."""

    name: str
    default: str
    help: str

    def value(self) -> Any:
        """The current value, typed."""
        return setting(self.name)


SETTINGS = tuple(Setting(name, str(field.default), field.description or "")
                 for name, field in Settings.model_fields.items())


def current_settings() -> Settings:
    """Every setting from the environment as it is now, or a SettingsError listing the bad ones."""
    return _settings_for(tuple(os.environ.get(name) for name in NAMES))


@functools.lru_cache(maxsize=16)
def _settings_for(environment: tuple[str | None, ...]) -> Settings:
    # Keyed on the variables themselves: a changed environment is read again, an unchanged one is not.
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError([_problem(error) for error in exc.errors(include_url=False)]) from None


def _problem(error: dict) -> str:
    name = str(error["loc"][0]) if error["loc"] else "a setting"
    field = Settings.model_fields.get(name)
    return f"{name} must be {_expected(field)}, got {error.get('input')!r}"


def _expected(field) -> str:
    if field is None or field.annotation is not int:
        return "text"
    bounds = {type(m).__name__: m for m in field.metadata}
    low = getattr(bounds.get("Ge"), "ge", None)
    high = getattr(bounds.get("Le"), "le", None)
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    return f"a whole number of at least {low}" if low is not None else "a whole number"


def check_settings() -> None:
    """Raise SettingsError when any setting in the environment is bad; for start-up."""
    current_settings()


def setting(name: str) -> Any:
    """The current value of one setting by name, typed as declared."""
    if name not in Settings.model_fields:
        raise KeyError(f"unknown setting {name}")
    return getattr(current_settings(), name)


def database_url() -> str:
    """DATABASE_URL, or the default SQLite file in the data folder."""
    url = setting("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(setting('PHASEGATE_DATA_DIR')) / 'phasegate.db'}"

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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from errors import PhasegateError

ROOT = Path(__file__).resolve().parent


class SettingsError(PhasegateError):
    """A setting in the environment has a value of the wrong type or out of range."""


MAX_RESUME_DAYS = 3650  # ten years: a resume link's last day stays a date any database can hold


class Settings(BaseModel):
    """The settings, each named as its environment variable (`current_settings` reads them). A plain model rather
    than pydantic-settings' BaseSettings, whose import alone costs every command about 0.08 s of CPU for
    reading a dozen variables by name."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    DATABASE_URL: str = Field("", description="SQLAlchemy URL of the database. Empty: an SQLite file in "
                              "`PHASEGATE_DATA_DIR`. PostgreSQL: `postgresql+psycopg://user:password@host:5432/dbname`. "
                              "A URL that cannot be read, or names a kind of database Phasegate does not know, is "
                              "refused at start-up in one line (the URL itself is never repeated)")
    PHASEGATE_DATA_DIR: str = Field(str(ROOT / "data"), description="Folder for the embedded SQLite database; "
                                    "created on first run", json_schema_extra={"shown": "`data/` in the project"})
    PHASEGATE_CACHE_DIR: str = Field("", description="Folder for what Phasegate can make again: parsed "
                                     "questionnaires, chart structures and pictures, compiled templates, font "
                                     "coverage (private; deleting it costs speed only). Empty: `cache/` in "
                                     "`PHASEGATE_DATA_DIR`")
    PHASEGATE_PUBLIC_URL: str = Field("", description="Public base URL of the app (e.g. `https://assess.example.com`) "
                                      "used in resume and join links and the QR code; empty: the address the "
                                      "browser used. On `localhost` the dashboard and the projector say that "
                                      "phones cannot reach it")
    PHASEGATE_QUESTIONNAIRES: str = Field("", description="Extra folder of questionnaire YAML files offered besides "
                                          "the shipped ones; a folder that does not exist (or is a file) is refused "
                                          "at start-up")
    PHASEGATE_REPORT_WORKERS: int = Field(2, ge=1, le=32, description="Worker processes that render PDFs (app and "
                                          "batch reports)")
    PHASEGATE_RESUME_DAYS: int = Field(0, ge=0, le=MAX_RESUME_DAYS, description="Days (0 to 3650) a private resume "
                                       "link stays valid after the assessment's last change; `0`: links never "
                                       "expire. An expired link opens a page saying so; expiry deletes nothing")
    PHASEGATE_MAX_PARTICIPANTS: int = Field(500, ge=1, description="Most participants one workshop accepts; further "
                                            "joins are refused")
    PHASEGATE_TRUSTED_PROXIES: int = Field(0, ge=0, le=10, description="How many reverse proxies stand in front of "
                                           "the app. The client's address (for join-code throttling) is the one "
                                           "that many hops from the right of the forwarding header, so a client "
                                           "cannot choose it by sending a header of its own. `0`: the header is "
                                           "ignored and the connection's own address is used")
    PHASEGATE_CLIENT_IP_HEADER: str = Field("", description="The forwarding header the proxies write (a "
                                            "comma-separated list of addresses); empty: `X-Forwarded-For`. Read only "
                                            "when `PHASEGATE_TRUSTED_PROXIES` is 1 or more")
    PLAN_NOW_CAPACITY: int = Field(5, ge=1, description="Most steps the plan puts in Now (0–3 months); the rest wait "
                                   "in Next")
    PHASEGATE_SQLITE_BUSY_TIMEOUT_MS: int = Field(30000, ge=0, description="How long an SQLite writer waits for "
                                                  "another to finish before giving up, in milliseconds")
    PHASEGATE_BENCHMARK_SELF_ASSESSMENTS: bool = Field(False, description="Whether finished self-assessments, which "
                                                       "anyone can make up, count as comparable organisations in "
                                                       "the benchmark; by default only closed workshops do")
    PHASEGATE_CURRENCY: str = Field("EUR", pattern=r"^[A-Z]{3}$", description="Currency of the pilots' values (a "
                                    "three-letter ISO 4217 code such as `EUR`, `USD` or `GBP`) when the answers' "
                                    "`organisation_profile` names none")

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url_readable(cls, value: str) -> str:
        if value and not _readable_database_url(value):
            raise ValueError("not a database URL")
        return value

    @field_validator("PHASEGATE_QUESTIONNAIRES")
    @classmethod
    def _questionnaire_folder_exists(cls, value: str) -> str:
        if value and not Path(value).expanduser().is_dir():
            raise ValueError("no such folder")
        return value

    @field_validator("PHASEGATE_CURRENCY", mode="before")
    @classmethod
    def _currency_in_capitals(cls, value):
        # 'usd' is read as USD; anything else is left as typed, for the message to quote
        code = value.strip() if isinstance(value, str) else ""
        return code.upper() if len(code) == 3 and code.isascii() and code.isalpha() else value


def _readable_database_url(url: str) -> bool:
    """Whether SQLAlchemy can read the URL and knows its kind of database (nothing is connected)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        return False
    return True


NAMES = tuple(Settings.model_fields)


@dataclass(frozen=True)
class Setting:
    """One setting as documented: name, default (as the docs show it), help (Markdown)."""

    name: str
    default: str
    help: str

    def value(self) -> Any:
        """The current value, typed."""
        return setting(self.name)


def _shown_default(field) -> str:
    shown = (field.json_schema_extra or {}).get("shown")  # a default that depends on where the project lies
    if shown:
        return shown
    if field.default == "":
        return "*(empty)*"
    return f"`{str(field.default).lower() if isinstance(field.default, bool) else field.default}`"


SETTINGS = tuple(Setting(name, _shown_default(field), field.description or "")
                 for name, field in Settings.model_fields.items())


def current_settings() -> Settings:
    """Every setting from the environment as it is now, or a SettingsError listing the bad ones."""
    return _settings_for(tuple(os.environ.get(name) for name in NAMES))


@functools.lru_cache(maxsize=16)
def _settings_for(environment: tuple[str | None, ...]) -> Settings:
    # Keyed on the variables themselves: a changed environment is read again, an unchanged one is not. Each is read
    # as written (typed by the model), an empty one as unset.
    try:
        return Settings(**{name: value for name, value in zip(NAMES, environment) if value})
    except ValidationError as exc:
        raise SettingsError([_problem(error) for error in exc.errors(include_url=False)]) from None


def _problem(error: dict) -> str:
    name = str(error["loc"][0]) if error["loc"] else "a setting"
    # The database URL may hold a password: it is never repeated in a message.
    shown = "a value that cannot be read" if name == "DATABASE_URL" else repr(error.get("input"))
    return f"{name} must be {_EXPECTED.get(name) or _expected(Settings.model_fields.get(name))}, got {shown}"


_EXPECTED = {
    "PHASEGATE_CURRENCY": "a three-letter currency code such as EUR, USD or GBP",
    "DATABASE_URL": "empty or a database URL such as postgresql+psycopg://user:password@host:5432/dbname "
                    "or sqlite:////var/lib/phasegate/phasegate.db",
    "PHASEGATE_QUESTIONNAIRES": "empty or a folder that exists",
}


def _expected(field) -> str:
    if field is not None and field.annotation is bool:
        return "true or false"
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


def environment() -> dict[str, str | None]:
    """Every setting as written in the environment now (None when unset): what a worker process applies before a
    job, so that it works with the settings of the process that asked, not those it started with."""
    return {name: os.environ.get(name) for name in NAMES}


def applied_environment(given: dict[str, str | None]) -> None:
    """Set (or unset) each setting as given (in a worker, before a job)."""
    for name, value in given.items():
        if name not in Settings.model_fields:
            raise KeyError(f"unknown setting {name}")
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
    return f"sqlite:///{default_database_file()}"


def default_database_file() -> Path:
    """The SQLite file used when DATABASE_URL is empty."""
    return Path(setting("PHASEGATE_DATA_DIR")) / "phasegate.db"

"""Settings that would fail later are refused at start-up in one line: a database URL that cannot be read, a
resume period no date can hold, a questionnaire folder that is not there."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from cli import main
from config import MAX_RESUME_DAYS, SettingsError, check_settings, setting
from storage import repository as repo
from storage import retention
from tests.conftest import ROOT

URL_EXPECTED = ("DATABASE_URL must be empty or a database URL such as "
                "postgresql+psycopg://user:password@host:5432/dbname or sqlite:////var/lib/phasegate/phasegate.db, "
                "got a value that cannot be read")

REFUSED = [
    ("DATABASE_URL", "not a url", URL_EXPECTED),
    ("DATABASE_URL", "postgresql+psycopg://phasegate:s3cret@db:port/phasegate", URL_EXPECTED),
    ("DATABASE_URL", "postgres://phasegate:s3cret@db:5432/phasegate", URL_EXPECTED),
    ("DATABASE_URL", "nosuchdb://db/phasegate", URL_EXPECTED),
    ("PHASEGATE_RESUME_DAYS", "3000000", "PHASEGATE_RESUME_DAYS must be a whole number from 0 to 3650, got '3000000'"),
    ("PHASEGATE_RESUME_DAYS", "3651", "PHASEGATE_RESUME_DAYS must be a whole number from 0 to 3650, got '3651'"),
    ("PHASEGATE_QUESTIONNAIRES", "/nonexistent/phasegate/questionnaires",
     "PHASEGATE_QUESTIONNAIRES must be empty or a folder that exists, got '/nonexistent/phasegate/questionnaires'"),
    ("PHASEGATE_TRUSTED_PROXIES", "-1", "PHASEGATE_TRUSTED_PROXIES must be a whole number from 0 to 10, got '-1'"),
    ("PHASEGATE_TRUSTED_PROXIES", "two", "PHASEGATE_TRUSTED_PROXIES must be a whole number from 0 to 10, got 'two'"),
    ("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "maybe",
     "PHASEGATE_BENCHMARK_SELF_ASSESSMENTS must be true or false, got 'maybe'"),
]
IDS = ["url-words", "url-bad-port", "url-unknown-scheme-alias", "url-unknown-database", "resume-days-millions",
       "resume-days-just-over", "questionnaires-missing", "proxies-negative", "proxies-word", "benchmark-word"]


@pytest.mark.parametrize(("name", "value", "expected"), REFUSED, ids=IDS)
def test_a_setting_that_cannot_work_is_refused_in_one_line(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        check_settings()
    assert caught.value.lines() == [expected]


def test_a_refused_database_url_never_repeats_its_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://phasegate:s3cret@db:port/phasegate")
    with pytest.raises(SettingsError) as caught:
        check_settings()
    assert "s3cret" not in str(caught.value)


def test_a_questionnaire_file_is_not_a_questionnaire_folder(monkeypatch, tmp_path):
    file = tmp_path / "extra.yaml"
    file.write_text("id: x\n", encoding="utf-8")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(file))
    with pytest.raises(SettingsError, match="PHASEGATE_QUESTIONNAIRES must be empty or a folder that exists"):
        check_settings()


@pytest.mark.parametrize(("name", "value"), [
    ("DATABASE_URL", "sqlite:///phasegate.db"), ("DATABASE_URL", "postgresql+psycopg://user:pw@db.internal:5432/pg"),
    ("PHASEGATE_RESUME_DAYS", str(MAX_RESUME_DAYS)), ("PHASEGATE_TRUSTED_PROXIES", "2"),
    ("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true"),
], ids=["sqlite", "postgresql", "resume-days-ten-years", "two-proxies", "benchmark-on"])
def test_a_setting_that_works_is_accepted(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    check_settings()


def test_an_existing_questionnaire_folder_is_accepted(monkeypatch, tmp_path):
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(tmp_path))
    assert setting("PHASEGATE_QUESTIONNAIRES") == str(tmp_path)


def test_the_longest_resume_period_is_still_a_date_a_link_can_expire_on(monkeypatch):
    monkeypatch.setenv("PHASEGATE_RESUME_DAYS", str(MAX_RESUME_DAYS))
    last_change = dt.datetime(2999, 12, 31, tzinfo=dt.timezone.utc)
    stored = repo.Assessment(1, "", "tiny", "1.0.0", updated_at=last_change)
    assert retention.link_expired(stored, at=last_change) is False
    assert retention.link_expired(stored, at=last_change + dt.timedelta(days=MAX_RESUME_DAYS)) is True


@pytest.mark.parametrize(("name", "value", "expected"), REFUSED[::3], ids=IDS[::3])
def test_the_command_line_refuses_it_in_one_line_and_exit_one(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["schema"], catch_exceptions=False)
    assert (result.exit_code, result.output) == (1, f"error: {expected}\n")


@pytest.mark.parametrize(("name", "value", "expected"), [REFUSED[0], REFUSED[4], REFUSED[6]],
                         ids=["url", "resume-days", "questionnaires"])
def test_the_app_shows_it_in_one_line_and_runs_no_page(app_env, monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [str(e.value).replace("\\", "") for e in at.error] == [expected]
    assert not at.button and not at.text_input

"""Settings: typed, read from the environment when asked, and one clear line for a bad value."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from cli import main
from config import SETTINGS, SettingsError, check_settings, setting
from tests.conftest import DATA, ROOT


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("PHASEGATE_REPORT_WORKERS", "abc", "PHASEGATE_REPORT_WORKERS must be a whole number from 1 to 32, got 'abc'"),
        ("PHASEGATE_REPORT_WORKERS", "0", "PHASEGATE_REPORT_WORKERS must be a whole number from 1 to 32, got '0'"),
        ("PHASEGATE_REPORT_WORKERS", "33", "PHASEGATE_REPORT_WORKERS must be a whole number from 1 to 32, got '33'"),
        ("PHASEGATE_MAX_PARTICIPANTS", "-3", "PHASEGATE_MAX_PARTICIPANTS must be a whole number of at least 1, got '-3'"),
        ("PHASEGATE_MAX_PARTICIPANTS", "1e3", "PHASEGATE_MAX_PARTICIPANTS must be a whole number of at least 1, got '1e3'"),
        ("PHASEGATE_SQLITE_BUSY_TIMEOUT_MS", "30s",
         "PHASEGATE_SQLITE_BUSY_TIMEOUT_MS must be a whole number of at least 0, got '30s'"),
        ("PHASEGATE_RESUME_DAYS", "-1", "PHASEGATE_RESUME_DAYS must be a whole number from 0 to 3650, got '-1'"),
        ("PHASEGATE_RESUME_DAYS", "1.5", "PHASEGATE_RESUME_DAYS must be a whole number from 0 to 3650, got '1.5'"),
        ("PLAN_NOW_CAPACITY", "none", "PLAN_NOW_CAPACITY must be a whole number of at least 1, got 'none'"),
        ("PHASEGATE_CURRENCY", "euro",
         "PHASEGATE_CURRENCY must be a three-letter currency code such as EUR, USD or GBP, got 'euro'"),
        ("PHASEGATE_CURRENCY", "€", "PHASEGATE_CURRENCY must be a three-letter currency code such as EUR, USD or GBP, "
                                    "got '€'"),
    ],
    ids=["workers-not-a-number", "workers-zero", "workers-too-many", "participants-negative", "participants-float-text",
         "busy-timeout-with-unit", "resume-days-negative", "resume-days-fraction", "now-capacity-word",
         "currency-a-word", "currency-a-symbol"],
)
def test_a_bad_setting_gets_one_line_naming_it_its_value_and_what_is_expected(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        check_settings()
    assert caught.value.lines() == [expected]


def test_every_bad_setting_is_listed_not_only_the_first(monkeypatch):
    monkeypatch.setenv("PHASEGATE_REPORT_WORKERS", "abc")
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", "-3")
    with pytest.raises(SettingsError) as caught:
        setting("DATABASE_URL")
    assert len(caught.value.lines()) == 2


@pytest.mark.parametrize(
    "name, value, expected",
    [("PHASEGATE_REPORT_WORKERS", "4", 4), ("PHASEGATE_REPORT_WORKERS", "", 2), ("PHASEGATE_MAX_PARTICIPANTS", None, 500),
     ("PHASEGATE_SQLITE_BUSY_TIMEOUT_MS", "0", 0), ("PHASEGATE_PUBLIC_URL", "https://assess.example.com",
                                                   "https://assess.example.com"),
     ("PHASEGATE_CURRENCY", None, "EUR"), ("PHASEGATE_CURRENCY", "usd", "USD"), ("PHASEGATE_CURRENCY", " GBP ", "GBP"),
     ("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true", True), ("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "0", False),
     ("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "", False)],
    ids=["number", "empty-is-the-default", "unset-is-the-default", "zero-allowed", "text", "currency-default",
         "currency-lower-case", "currency-with-spaces", "yes-no-true", "yes-no-zero", "yes-no-empty-is-the-default"],
)
def test_a_setting_is_read_typed_from_the_environment_when_asked(monkeypatch, name, value, expected):
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)
    assert setting(name) == expected


def test_a_changed_environment_is_seen_at_once(monkeypatch):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", "7")
    assert setting("PHASEGATE_MAX_PARTICIPANTS") == 7
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", "8")
    assert setting("PHASEGATE_MAX_PARTICIPANTS") == 8


def test_reading_the_settings_loads_no_settings_library():
    """Every command reads its settings first: pydantic-settings' import alone cost each about 0.08 s of CPU."""
    import subprocess
    import sys

    code = "import sys, config; config.check_settings(); print('pydantic_settings' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False"]


def test_every_setting_is_declared_with_a_help_text():
    assert all(entry.help for entry in SETTINGS)
    assert {"DATABASE_URL", "PHASEGATE_REPORT_WORKERS", "PHASEGATE_MAX_PARTICIPANTS"} <= {e.name for e in SETTINGS}


def test_an_unknown_setting_name_is_a_programming_error():
    with pytest.raises(KeyError):
        setting("PHASEGATE_NOSUCH")


@pytest.mark.parametrize(
    "args",
    [("validate",), ("schema",), ("score", str(DATA / "tiny-answers.yaml"), "--questionnaire", str(DATA / "tiny.yaml"))],
    ids=["validate", "schema", "score"],
)
def test_every_command_refuses_a_bad_setting_with_one_line_and_exit_one(monkeypatch, args):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", "-3")
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output == "error: PHASEGATE_MAX_PARTICIPANTS must be a whole number of at least 1, got '-3'\n"


def test_the_app_shows_a_bad_setting_in_one_line_and_runs_no_page(app_env, monkeypatch):
    monkeypatch.setenv("PHASEGATE_REPORT_WORKERS", "abc")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    shown = [str(e.value).replace("\\", "") for e in at.error]
    assert shown == ["PHASEGATE_REPORT_WORKERS must be a whole number from 1 to 32, got 'abc'"]
    assert not at.button and not at.text_input


def test_every_setting_is_in_the_readme_settings_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [entry.name for entry in SETTINGS if f"| `{entry.name}` |" not in readme] == []

"""`cli.py db`: upgrade a database by hand and say which revision it is at."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main
from storage import dispose_all, repository as repo, schema
from storage.engine import connect
from tests.test_schema import OLD_TOKEN, first_release_database  # noqa: F401 - a fixture

HEAD = schema.head()


def run(*args: str, url: str):
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": url}, catch_exceptions=False)
    dispose_all()
    return result


def test_db_upgrade_brings_a_first_release_database_to_the_newest_revision(first_release_database):
    assert run("db", "current", url=first_release_database).output.startswith("none")
    upgraded = run("db", "upgrade", url=first_release_database)
    assert upgraded.exit_code == 0 and upgraded.output == f"database upgraded from 0001 to {HEAD}\n"
    assert run("db", "current", url=first_release_database).output == f"{HEAD} (up to date)\n"
    assert run("db", "upgrade", url=first_release_database).output == f"database at {HEAD}\n"
    assert repo.find_assessment(connect(first_release_database), OLD_TOKEN).organisation == "Example Corp"


@pytest.mark.parametrize("command", [("db", "upgrade"), ("db", "current"), ("export", "--format", "json", "--out", "x.json")])
def test_a_database_that_is_down_gets_one_line_and_exit_code_1(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*command, url="postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
    assert result.exit_code == 1
    assert result.output.startswith("error: The database at 127.0.0.1:1/test did not answer (")
    assert result.output.count("\n") == 1 and "secret" not in result.output and "Traceback" not in result.output

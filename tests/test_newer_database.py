"""A database written by a newer release (this one rolled back): one line everywhere, nothing touched."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from cli import main
from storage import dispose_all, get_engine, schema
from storage.engine import StorageError, connect
from tests.conftest import DATA

FUTURE = "0099_future"
MESSAGE = (f"This database was written by a newer release of Phasegate (schema revision {FUTURE}); this release "
           f"knows up to {schema.head()}. Upgrade Phasegate, or restore a backup made before the upgrade.")


@pytest.fixture
def newer_database(database_url):
    """A database upgraded by this release, then stamped with a revision only a newer release knows."""
    get_engine(database_url)
    dispose_all()
    engine = connect(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :future"), {"future": FUTURE})
    engine.dispose()
    yield database_url
    dispose_all()


def revision_of(url: str) -> str:
    engine = connect(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    return found


@pytest.mark.parametrize("command", [
    ("db", "upgrade"),
    ("db", "current"),
    ("export", "--format", "csv", "--out", "{tmp}/out.csv"),
    ("purge", "--older-than", "30", "--yes"),
    ("purge", "--older-than", "30", "--dry-run"),
    ("score", str(DATA / "tiny-answers.yaml"), "--questionnaire", str(DATA / "tiny.yaml"), "--benchmark"),
    ("readout", "--workshop", "1", "--out", "{tmp}/deck.pptx"),
])
def test_every_command_says_in_one_line_which_release_the_database_needs(newer_database, tmp_path, command):
    args = [arg.format(tmp=tmp_path) for arg in command]
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": newer_database})
    assert result.exit_code == 1, result.output
    assert result.output == f"error: {MESSAGE}\n"
    assert "permission" not in result.output and "write access" not in result.output
    assert revision_of(newer_database) == FUTURE


def test_the_engine_refuses_a_newer_database_with_the_same_line(newer_database):
    with pytest.raises(StorageError) as caught:
        get_engine(newer_database)
    assert caught.value.lines() == [MESSAGE]


def test_a_known_revision_is_accepted():
    assert schema.check_known(schema.head()) == schema.head()
    assert schema.check_known(None) is None


def test_the_app_shows_the_same_line_and_no_traceback(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'phasegate.db'}"
    get_engine(url)
    dispose_all()
    engine = connect(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :future"), {"future": FUTURE})
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.query_params["a"] = "x" * 43  # a resume link: the database is asked at once
        at.run()
        assert not at.exception, at.exception
        assert [e.value.replace("\\", "") for e in at.error] == [MESSAGE]
    finally:
        dispose_all()

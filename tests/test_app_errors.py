"""A database that is down or cannot be written: every page says what is wrong in one line, never a traceback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["app_pages/start.py", "app_pages/assessment.py", "app_pages/results.py", "app_pages/report.py",
         "app_pages/workshop_new.py", "app_pages/workshop_join.py", "app_pages/workshop_dashboard.py"]
PARAMS = {"a": "x" * 43, "f": "y" * 43, "code": "0000-0000-0000"}


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in PARAMS.items():
        at.query_params[name] = value
    at.switch_page(page).run()
    return at


@pytest.fixture(params=["server down", "data folder is a file"])
def broken_database(request, app_env, monkeypatch):
    if request.param == "server down":
        monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
        return "The database at 127.0.0.1:1/test did not answer ("
    (app_env / "blocked").write_text("a file where the data folder should be")
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(app_env / "blocked"))
    return "The database file in "


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_the_database_cannot_be_reached_in_one_line(broken_database, page):
    at = open_page(page)
    assert not at.exception, at.exception
    shown = [str(e.value).replace("\\", "") for e in at.error]
    assert len(shown) == 1 and shown[0].startswith(broken_database), shown
    assert "\n" not in shown[0] and "secret" not in shown[0]


@pytest.mark.parametrize("page", ["app_pages/workshop_dashboard.py", "app_pages/presenter.py"])
def test_the_live_panels_say_the_database_went_away_in_one_line(app_env, monkeypatch, page):
    import services
    from storage import get_engine
    from storage import workshops as ws
    from storage.engine import connect
    from tests.conftest import open_page as open_on

    workshop = ws.create_workshop(get_engine(), "Example Corp", "tiny", "1.0.0")
    at = open_on(page, f=workshop.facilitator_token)
    assert not at.exception and not at.error, [e.value for e in at.error]

    aggregate, down = services.aggregate_stored, connect("postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
    # The database goes away while the page is open: the panel's next read meets a server that does not answer.
    monkeypatch.setattr(services, "aggregate_stored", lambda _engine, *args, **kwargs: aggregate(down, *args, **kwargs))
    at.run()
    assert not at.exception, at.exception
    shown = [str(e.value).replace("\\", "") for e in at.error]
    assert len(shown) == 1 and shown[0].startswith("The database at 127.0.0.1:1/test did not answer ("), shown
    assert "\n" not in shown[0] and "secret" not in shown[0]


def test_an_answer_the_database_cannot_take_is_reported_as_not_saved(app_env, monkeypatch):
    import sqlite3

    from tests.test_app import answer, start_tiny, stored

    monkeypatch.setenv("PHASEGATE_SQLITE_BUSY_TIMEOUT_MS", "50")
    at = start_tiny()
    holder = sqlite3.connect(app_env / "data" / "phasegate.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database for longer than the app waits
    try:
        answer(at, "data.inventory", 2)
    finally:
        holder.close()
    shown = [str(e.value).replace("\\", "") for e in at.error]
    assert shown == ["Your last change could not be saved (OperationalError). Please try again; everything saved "
                     "before is kept."]
    assert "data.inventory" not in stored(at)

"""Small shared fixtures: questionnaires, answers, and databases to store them in."""

from __future__ import annotations

import gc
import os
import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from questionnaires import load_questionnaire
from questionnaires.loader import LIBRARY
from tests.stand_in import StandInWorkers

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
APP_TIMEOUT = 120  # seconds one app run may take on a machine whose cores are all busy: a limit, never a pause
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


CACHE_MADE_HERE = "_phasegate_cache_made_here"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The order in which xdist hands the files out (pytest.ini keeps it): a browser test file, which mostly waits on
    Chromium and an app server, then a few of the others, which keep the cores busy meanwhile, and so on. Every
    browser file starts in the first two thirds of the run, so none is left to run alone at the end."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    browser = [name for name in files if name.startswith("tests/e2e/")]
    others = [name for name in files if name not in browser]
    step = max(1, 2 * len(others) // (3 * len(browser))) if browser else 0
    order = []
    for index, name in enumerate(browser):
        order += [name, *others[index * step:(index + 1) * step]]
    order += others[len(browser) * step:]
    items[:] = [item for name in order for item in files[name]]


def pytest_collection_finish(session):
    """What the test process holds once it has collected (the product's modules, the libraries', every test item)
    stays for the whole run: moved out of the collector's sight, so its full collections, and pytest's own at the
    end, walk only what the tests made since."""
    gc.collect()
    gc.freeze()


def pytest_configure(config):
    """One cache folder (`PHASEGATE_CACHE_DIR`) for the test run, shared by every test process and every app server,
    command and worker they start, and kept from run to run in pytest's cache: a questionnaire parsed or a chart
    drawn once is read by every later test, as on a server that has run for a while (entries are keyed by content,
    so a changed file is parsed again). Tests of the cache itself set a folder of their own. The xdist workers
    inherit the folder from the process that starts them, which fills it with the shipped questionnaires first."""
    # Compiled modules are kept in __pycache__ even where the environment asks Python not to write them
    # (PYTHONDONTWRITEBYTECODE): the test modules' rewritten assertions, and the product's modules in every app
    # server, worker and command a test starts, are then compiled once, not in every process of every run (a test
    # process collects in 6 s rather than 10).
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # One PDF worker per app a test starts, not the default two: each warms up on a report of its own, and the
    # tests already keep every core busy. The tests of several workers set their number themselves.
    os.environ.setdefault("PHASEGATE_REPORT_WORKERS", "1")
    if os.environ.get("PHASEGATE_CACHE_DIR"):
        return
    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider: a folder for this run alone
    folder = cache.mkdir("phasegate") if cache is not None else Path(tempfile.mkdtemp(prefix="phasegate-test-cache-"))
    os.environ["PHASEGATE_CACHE_DIR"] = str(folder)
    if cache is None:
        setattr(config, CACHE_MADE_HERE, folder)
    if not hasattr(config, "workerinput"):
        from questionnaires.loader import shipped_library

        shipped_library()  # parsed here once, not by every worker as it collects the test modules


def pytest_unconfigure(config):
    made = getattr(config, CACHE_MADE_HERE, None)
    if made:
        shutil.rmtree(made, ignore_errors=True)


@pytest.fixture(autouse=True)
def stand_in_pdf_workers(request, monkeypatch):
    """Tests not marked `pdf_workers` get `StandInWorkers`: the assessment, results, report and dashboard pages would
    otherwise start real workers, each warming up on a report of its own, for a test that never opens a PDF. Workers
    and renders are let go after each test, so no later test is handed a stand-in's render or another's workers."""
    from ui import pdf_worker

    if request.node.get_closest_marker("pdf_workers") is None:
        monkeypatch.setattr(pdf_worker, "pool", StandInWorkers())
    yield
    pdf_worker.shutdown()


class KeptScripts:
    """In place of AppTest's `ScriptCache`, which it makes anew for every run and so compiles app.py and the page
    again each time (Streamlit's magic parses every script): one compiled copy per script file and its state, for
    every run in this process. A file changed on disk is compiled again."""

    def __init__(self) -> None:
        self._kept: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def __call__(self) -> KeptScripts:
        return self

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def get_bytecode(self, script_path: str):
        from streamlit.runtime.scriptrunner.script_cache import ScriptCache

        state = os.stat(script_path)
        key = (os.path.abspath(script_path), state.st_mtime_ns, state.st_size)
        with self._lock:
            if key not in self._kept:
                self._kept[key] = ScriptCache().get_bytecode(script_path)
            return self._kept[key]


KEPT_SCRIPTS = KeptScripts()


def _scanned_once(scan):
    """Streamlit's scan of every installed package for components, which AppTest runs for each new test app (a
    fifth of an AppTest test's time: it parses the metadata of every distribution): done once per process, as
    the packages installed do not change while the tests run."""
    kept = []

    def scan_component_manifests(*args, **kwargs):
        if not kept:
            kept.append(scan(*args, **kwargs))
        return list(kept[0])

    return scan_component_manifests


def _wait_for_the_run(runner, timeout: float = 3) -> None:
    """In place of AppTest's wait for a run, which wakes every millisecond to look through every event the run has
    sent, taking the interpreter from the script it waits for: the same wait, on the script's thread ending (it ends
    right after the run's last event), and the same error after `timeout` seconds."""
    thread = getattr(runner, "_script_thread", None)
    if thread is not None:
        thread.join(timeout)
    if thread is None or thread.is_alive():
        runner.request_stop()
        runner.join()
        raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


@pytest.fixture(autouse=True)
def app_tests_made_light():
    """Once a test module has imported Streamlit's AppTest, its runs share `KEPT_SCRIPTS`, scan the installed
    packages once, and wait for a run without polling."""
    app_test = sys.modules.get("streamlit.testing.v1.app_test")
    if app_test is not None and app_test.ScriptCache is not KEPT_SCRIPTS:
        from streamlit.components.v2 import manifest_scanner
        from streamlit.testing.v1 import local_script_runner

        app_test.ScriptCache = KEPT_SCRIPTS
        manifest_scanner.scan_component_manifests = _scanned_once(manifest_scanner.scan_component_manifests)
        local_script_runner.require_widgets_deltas = _wait_for_the_run
    yield


@pytest.fixture(scope="session")
def tiny():
    """Two domains, one question per cell: small enough to compute by hand."""
    return load_questionnaire(DATA / "tiny.yaml")


@pytest.fixture(scope="session")
def ai_maturity():
    return load_questionnaire(LIBRARY / "ai-maturity.yaml")


@pytest.fixture(scope="session")
def quick_check():
    return load_questionnaire(LIBRARY / "quick-check.yaml")


def _postgres_schema_url() -> tuple[str, str]:
    """A fresh schema on the local PostgreSQL, so parallel runs never share tables."""
    import psycopg

    schema = f"test_{secrets.token_hex(6)}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{POSTGRES}?options=-csearch_path%3D{schema}", schema


def _drop_postgres_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path):
    """The URL of an empty database: an SQLite file, then a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'phasegate.db'}"
        return
    url, schema = _postgres_schema_url()
    try:
        yield url
    finally:
        _drop_postgres_schema(schema)


class KeptSchemas:
    """PostgreSQL schemas at the newest revision, kept from test to test in one test process and emptied between
    them. Making a schema and its tables, then dropping them, costs PostgreSQL about half a second a test; emptying
    the tables costs a hundredth of that. A schema a test changed (a table more or less, another revision) is
    dropped rather than kept. One connection, kept for the test process, does the emptying in three round trips."""

    def __init__(self):
        self.kept: list[tuple[str, str]] = []
        self._cleaner = None

    def take(self) -> tuple[str, str]:
        """(URL, schema) of an empty schema at the newest revision."""
        from storage import dispose_all, get_engine

        if self.kept:
            return self.kept.pop()
        url, schema = _postgres_schema_url()
        get_engine(url)  # the tables made and the revision stamped
        dispose_all()
        return url, schema

    def give_back(self, url: str, schema: str) -> None:
        if self._emptied(schema):
            self.kept.append((url, schema))
        else:
            _drop_postgres_schema(schema)

    def _emptied(self, schema: str) -> bool:
        """Empty every table and restart every id of an unchanged schema; False for a changed one."""
        import psycopg

        from storage.schema import head
        from storage.tables import metadata

        if self._cleaner is None or self._cleaner.closed:
            self._cleaner = psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True)
        conn, tables = self._cleaner, [table.name for table in reversed(metadata.sorted_tables)]
        try:
            with conn.transaction():
                found = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s",
                                                        (schema,))}
                if found != {*tables, "alembic_version"}:
                    return False
                if conn.execute(f'SELECT version_num FROM "{schema}".alembic_version').fetchall() != [(head(),)]:
                    return False
                conn.execute("; ".join([  # no parameters: one round trip for every statement
                    *(f'DELETE FROM "{schema}"."{table}"' for table in tables),
                    "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    f"WHERE c.relkind = 'S' AND n.nspname = '{schema}'"]))
            return True
        except psycopg.Error:
            conn.close()
            return False

    def close(self) -> None:
        if self._cleaner is not None:
            self._cleaner.close()
        for _url, schema in self.kept:
            _drop_postgres_schema(schema)


@pytest.fixture(scope="session")
def kept_schemas():
    schemas = KeptSchemas()
    yield schemas
    schemas.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty SQLite database at the newest revision, made once per test process: a test's own database is a copy
    of it, which costs a fraction of making the tables and stamping the revision again."""
    from storage.engine import connect, writing
    from storage.schema import upgrade

    path = tmp_path_factory.mktemp("template") / "phasegate.db"
    made = connect(f"sqlite:///{path}")
    upgrade(made, writing)
    made.dispose()  # the write-ahead log checkpointed into the file
    return path


@pytest.fixture
def sqlite_engine(sqlite_template, tmp_path):
    """The engine of an empty SQLite database at the newest revision (a copy of `sqlite_template`), for a test that
    needs one database and not both; its connections closed afterwards."""
    from storage import dispose_all, get_engine

    database = tmp_path / "phasegate.db"
    shutil.copyfile(sqlite_template, database)
    yield get_engine(f"sqlite:///{database}")
    dispose_all()


@pytest.fixture
def engine(request, backend, kept_schemas, tmp_path):
    """The engine of the test's database (SQLite and PostgreSQL in turn), empty at the newest revision; its
    connections closed afterwards. On SQLite a copy of `sqlite_template`; on PostgreSQL a kept schema; unless the test
    also asks for `database_url`: then that database."""
    from storage import dispose_all, get_engine

    if "database_url" in request.fixturenames:
        yield get_engine(request.getfixturevalue("database_url"))
        dispose_all()
        return
    if backend == "sqlite":
        yield request.getfixturevalue("sqlite_engine")
        return
    url, schema = kept_schemas.take()
    yield get_engine(url)
    dispose_all()
    kept_schemas.give_back(url, schema)


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """The app's settings pointed at an empty SQLite folder, offering the tiny questionnaire too."""
    from storage import dispose_all

    library = tmp_path / "questionnaires"
    library.mkdir()
    shutil.copy(DATA / "tiny.yaml", library / "tiny.yaml")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(library))
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield tmp_path
    dispose_all()


def open_page(page: str, *, prepare=None, **params):
    """The app opened on one page with these query parameters (a first run registers the pages); no exception.
    `prepare(at)` sets up the test app (secrets, a signed-in user) before its first run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    if prepare is not None:
        prepare(at)
    at.run()
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def writes():
    """The write statements sent to any database while the test runs."""
    from sqlalchemy import Engine, event

    seen: list[str] = []

    def look(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in WRITES:
            seen.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", look)
    yield seen
    event.remove(Engine, "before_cursor_execute", look)


@pytest.fixture
def shipped_app(monkeypatch, tmp_path):
    """The app on an empty SQLite folder, offering the shipped questionnaires and their translations."""
    from storage import dispose_all

    monkeypatch.delenv("PHASEGATE_QUESTIONNAIRES", raising=False)
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield tmp_path
    dispose_all()

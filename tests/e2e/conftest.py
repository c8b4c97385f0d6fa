"""Browser tests: a real `streamlit run app.py` (one per test process and kind of PDF workers, shared by its modules)
and headless Chromium (Debian's, not a download)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import services
from questionnaires import find_questionnaire
from scoring.answers import Answer
from scripts.busy import burners_needed, burning
from storage import dispose_all, get_engine
from storage import repository as repo

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = os.environ.get("PHASEGATE_SCREENSHOTS", "")
# A test asks for one PDF at a time: one report worker lays it out, where a second would only start and warm up
# (seconds of CPU on every server start).
REPORT_WORKERS = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free port with its own data folder; can be stopped and started again. Its PDF
    workers are real with `pdf_workers`, else a stand-in that lays out no report (tests/e2e/serve.py)."""

    def __init__(self, data_dir: Path, options: tuple[str, ...] = (), env: dict[str, str] | None = None,
                 pdf_workers: bool = True):
        self.data_dir = data_dir
        self.pdf_workers = pdf_workers
        self.port = free_port()
        self.options = options  # further `streamlit run` options, e.g. ("--secrets.files", PATH)
        self.env = env or {}  # settings of its own, e.g. {"DATABASE_URL": ...}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PHASEGATE_QUESTIONNAIRES")}
        env["PHASEGATE_DATA_DIR"] = str(self.data_dir)
        env["PHASEGATE_REPORT_WORKERS"] = str(REPORT_WORKERS)
        env.update(self.env)
        log = open(self.data_dir.parent / f"server-{self.port}.log", "ab")
        streamlit = "streamlit" if self.pdf_workers else "tests.e2e.serve"
        self.process = subprocess.Popen(
            [sys.executable, "-m", streamlit, "run", "app.py", "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false", *self.options],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not become healthy in time")

    def kill(self) -> None:
        """End the server and its PDF workers at once, as a crash or a lost machine would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # the server and its PDF workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def real_pdf_workers(request) -> bool:
    """True in a module marked `pdf_workers` (`pytestmark = pytest.mark.pdf_workers`): one that opens a real PDF."""
    return request.node.get_closest_marker("pdf_workers") is not None


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """The app servers a test process shares among its modules, one of each kind (real PDF workers or the
    stand-in), each started when first asked for: a server costs seconds of CPU to start and warm up."""
    running: dict[bool, Server] = {}

    def kind(pdf_workers: bool) -> Server:
        if pdf_workers not in running:
            data = tmp_path_factory.mktemp("server") / "data"
            data.mkdir()
            running[pdf_workers] = Server(data, pdf_workers=pdf_workers)
        if running[pdf_workers].process is None or running[pdf_workers].process.poll() is not None:
            running[pdf_workers].start()  # first asked for, or stopped by a module that tested a restart
        return running[pdf_workers]

    yield kind
    for each in running.values():
        each.stop()


@pytest.fixture(scope="module")
def server(request, servers) -> Server:
    """`streamlit run app.py` with its own data folder, shared with the other modules of this test process that
    ask for the same PDF workers; each test works on assessments and workshops of its own."""
    return servers(real_pdf_workers(request))


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed; run scripts/install.sh --test first")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


DESKTOP = {"width": 1280, "height": 900}


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


class Tabs:
    """Browser tabs kept from test to test, each in a browser of its own (a context: its own cookies), and handed
    out clean. A tab that opens the app for the first time costs Chromium about 2.5 s of CPU, as a new renderer
    compiles Streamlit's frontend; a kept tab opens it again for about a third of that. Kept tabs are grouped by
    the context's options (a phone's User-Agent, touch); the viewport is set on each hand-out."""

    def __init__(self, browser):
        self.browser = browser
        self.kept: dict[str, list] = {}

    def take(self, viewport: dict | None = None, **options):
        """A clean tab in a browser of its own: no cookies, nothing stored, no other tab, at `viewport`."""
        key = json.dumps(options, sort_keys=True)
        kept = self.kept.setdefault(key, [])
        tab = kept.pop() if kept else self._open(viewport or DESKTOP, options)
        tab.kept_as = key
        tab.set_viewport_size(viewport or DESKTOP)
        tab.set_default_timeout(30_000)
        tab.context.set_default_timeout(30_000)
        return tab

    def _open(self, viewport: dict, options: dict):
        context = self.browser.new_context(viewport=viewport, accept_downloads=True, **options)
        tab = context.new_page()
        tab.visited = set()  # the origins whose storage the tab may hold

        def visited(frame) -> None:
            if frame.parent_frame is None and origin_of(frame.url):
                tab.visited.add(origin_of(frame.url))

        tab.on("framenavigated", visited)
        return tab

    def give_back(self, tab) -> None:
        """Clean the tab for the next test and keep it; a tab that cannot be cleaned is closed with its browser."""
        try:
            self._clean(tab)
        except PlaywrightError:
            tab.context.close()
            return
        self.kept[tab.kept_as].append(tab)

    @staticmethod
    def _clean(tab) -> None:
        for other in tab.context.pages:
            if other is not tab:
                other.close()
        if tab.is_closed():
            raise PlaywrightError("the tab was closed")
        tab.context.unroute_all()
        tab.unroute_all()
        # The app keeps a reader's choices in the tab's session storage: empty it on every origin the tab opened,
        # from a page of that origin that runs no app (a server that is gone keeps nothing that matters).
        for origin in sorted(tab.visited):
            try:
                tab.goto(f"{origin}/_stcore/health", timeout=10_000)
            except PlaywrightError:
                continue
            if origin_of(tab.url) == origin:
                tab.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
        tab.goto("about:blank")
        tab.visited.clear()
        tab.context.clear_cookies()
        tab.context.clear_permissions()


@pytest.fixture(scope="session")
def tabs(browser) -> Tabs:
    return Tabs(browser)


@pytest.fixture
def fresh_page(tabs):
    """Call it for a page in a browser of its own (its own cookies), clean, with the context options given (a
    viewport, a phone's User-Agent, touch); each is kept for later tests when this one ends."""
    taken = []

    def take(**options):
        taken.append(tabs.take(**options))
        return taken[-1]

    yield take
    for tab in taken:
        tabs.give_back(tab)


@pytest.fixture
def page(fresh_page):
    """A clean desktop page (1280x900) in a browser of its own."""
    return fresh_page()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot when PHASEGATE_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": 3200})  # the app scrolls inside its own pane
        wait_idle(page)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))
        page.set_viewport_size(size)


def wait_idle(page) -> None:
    """Wait until the app's script has finished its run."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()


def css_key(key: str) -> str:
    """The CSS class Streamlit gives the container of a widget with this key."""
    return ".st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def live_key(key: str) -> str:
    """The container of a widget with this key as drawn by the current run, never a stale copy from the last."""
    return css_key(key) + ":not([data-stale='true'])"


def open_pilot_step(page) -> None:
    """The Pilot portfolio step, from the list of steps (folded away in one-question mode), once the page has
    settled. The step is taken among the options of the current run's picker: while a rerun replaces it, its label
    is also on the page a second time."""
    wait_idle(page)
    picker = page.locator(live_key("step_picker"))
    if not picker.is_visible():
        page.get_by_text("Jump to a domain").click()
    picker.get_by_role("radiogroup").get_by_text("Pilot portfolio", exact=True).click()
    page.get_by_role("heading", name="Pilot portfolio").wait_for()
    wait_idle(page)


def choose(page, key: str, option) -> None:
    """Pick `option` (a name or pattern) in the selectbox `key`, once the page has settled."""
    wanted = page.get_by_role("option", name=option)
    for _ in range(5):  # a rerun or a live panel refreshing above may close the list as it opens: open it again
        wait_idle(page)
        page.locator(css_key(key) + " input").click()
        try:
            wanted.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        wanted.click()
        return
    raise AssertionError(f"the list {key} did not offer {option}")


def join_code(page) -> str:
    """The join code as the dashboard shows it."""
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Join code")
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def secret_link_token(page) -> str:
    """The secret facilitator link's token, as the dashboard shows it open right after it was made; it is never
    in the address bar, which carries the workshop's id."""
    shown = page.locator("[data-testid='stCode']").filter(has_text="/workshop-dashboard?f=").first
    shown.wait_for()
    assert "f=" not in page.url.split("?", 1)[-1].split("&")[0] or "w=" in page.url
    return re.search(r"\?f=([A-Za-z0-9_\-]+)", shown.inner_text()).group(1)


def create_workshop(page, server, client: str, questionnaire_title: str = "AI Maturity Quick Check") -> str:
    """Create a workshop from the New workshop page; the secret facilitator link's token, as the dashboard it
    lands on shows it (its address carries only the workshop's id)."""
    page.goto(f"{server.url}/workshop-new")
    wait_idle(page)
    page.locator(css_key("ws_client") + " input").fill(client)
    choose(page, "ws_questionnaire", re.compile(re.escape(questionnaire_title)))
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("heading", name=f"Workshop · {client}").wait_for()
    page.wait_for_url(re.compile(r"[?&]w=\d+"))
    return secret_link_token(page)


def stored_quick_check(server, organisation: str = "Example Corp", *, finished: bool = True,
                       language: str = "en") -> str:
    """The quick check answered "Defined" (its third option) throughout in `language`, stored in the server's
    database rather than clicked, and finished unless told otherwise; its resume token. For a test whose subject
    comes after the answering: answering through the screens is what test_browser, test_keyboard, test_leader_flow
    and test_fast_answers drive."""
    quick = find_questionnaire("quick-check")
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        created = repo.create_assessment(engine, quick.id, quick.version, organisation=organisation, language=language)
        repo.save_answers(engine, created.id, {q.id: Answer(quick.options_for(q)[2].value) for q in quick.questions})
        if finished:
            services.finish_assessment(engine, created.id)
        return created.token
    finally:
        dispose_all()


def wait_until(predicate, timeout: float = 30, what: str = "the app's state") -> None:
    """Poll `predicate` until it holds; fail after `timeout` seconds (waiting on state, never on a fixed pause)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


BURN_SECONDS = 900  # a burner stops by itself, even if the test run is killed


@pytest.fixture
def busy_cores():
    """Every core busy while the test runs, as on a loaded machine: CPU-burning processes (scripts/busy.py, the same
    burners that run the whole suite under load), as many as `burners_needed` says. Run alone, the test gets one
    burner per core; in the whole suite (a worker per core), the other test workers keep the cores busy and it gets
    none."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    with burning(cores=burners_needed(workers), seconds=BURN_SECONDS) as burners:
        yield len(burners)


def pytest_collection_modifyitems(items):
    """Every test in this folder drives a browser: `-m "not browser"` leaves them out for a quick inner loop."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)

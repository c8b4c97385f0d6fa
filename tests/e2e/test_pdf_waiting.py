"""Changing page while the PDF is still being prepared: the next page is drawn and stays drawn.

The server's report workers are paused for the whole module, so every page with a PDF button keeps waiting for its
render, and each click below lands while the button still says "Preparing the PDF…". Every core is kept busy, as on
a loaded server, so the next page takes its time to draw: a stray rerun of the page left behind, sent by the
waiting button, then lands after it and clears it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import REPORT_WORKERS, stored_quick_check, wait_until
from tests.e2e.test_browser import QUICK, css_key

pytestmark = pytest.mark.pdf_workers  # its app server renders real PDFs (the others use a stand-in)

ROUNDS = 5  # Results -> Report -> Results, several times: a stray redraw of the page left behind shows in one
STAYS_SECONDS = 2.0  # how long the new page must stay on screen (several looks of the waiting button)


def descendants(pid: int) -> list[int]:
    """Every process started by `pid`, at any depth (the report workers and their helpers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def report_workers(pid: int) -> list[int]:
    """The report workers among the processes started by `pid` (not the helpers the pool starts beside them)."""
    def command(child: int) -> str:
        try:
            return (Path("/proc") / str(child) / "cmdline").read_text()
        except OSError:
            return ""

    return [child for child in descendants(pid) if "spawn_main" in command(child)]


@pytest.fixture
def paused_workers(server):
    """Pause the report workers (they started with the questionnaire page); they go on once the test ends."""
    paused: list[int] = []

    def pause() -> None:
        wait_until(lambda: len(report_workers(server.process.pid)) >= REPORT_WORKERS, what="the report workers to start")
        for pid in descendants(server.process.pid):
            os.kill(pid, signal.SIGSTOP)
            paused.append(pid)

    yield pause
    for pid in paused:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def stays(page, selector: str, seconds: float = STAYS_SECONDS) -> None:
    """`selector` is on screen now and all along the next `seconds`: the page was not cleared after drawing."""
    page.locator(selector).first.wait_for()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert page.locator(selector).count() > 0, f"{selector} vanished: the page went blank"
        assert page.locator("[data-testid='stException']").count() == 0
        time.sleep(0.05)


def nav(page, name: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name).click()


def test_changing_page_while_the_pdf_is_prepared_leaves_the_next_page_drawn(page, server, paused_workers, busy_cores):
    page.set_default_timeout(60_000)
    token = stored_quick_check(server, finished=False)  # every question answered (stored directly), not finished
    page.goto(f"{server.url}/assessment?a={token}")
    page.locator(css_key(f"q:{QUICK.questions[0].id}")).wait_for()
    paused_workers()  # started with the questionnaire page
    page.locator(css_key("finish") + " button").click()
    page.get_by_role("heading", name="Where the organisation stands").wait_for()
    page.locator(css_key("results_pdf_preparing") + " button").first.wait_for()

    for _ in range(ROUNDS):
        nav(page, "Report")  # clicked while the Results button still waits for its PDF
        page.get_by_role("heading", name="Report", exact=True).wait_for()
        stays(page, css_key("download_pdf_preparing") + " button")
        stays(page, css_key("organisation") + " input")
        nav(page, "Results")  # and away from the Report page while its button waits
        page.get_by_role("heading", name="Where the organisation stands").wait_for()
        stays(page, css_key("results_pdf_preparing") + " button")

    # A button whose callback changes page, clicked while the PDF is still being prepared.
    page.locator(css_key("start_reassessment") + " button").click()
    first = QUICK.questions[0].id
    stays(page, css_key(f"confirm:{first}") + " button")
    assert page.locator(css_key("results_pdf_preparing")).count() == 0

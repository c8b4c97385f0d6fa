"""A leader's pilot register in a real browser: typed into the table and pasted from a spreadsheet, kept through a
reload and a server restart, shown on Results and in the PDF."""

from __future__ import annotations


import pytest

from reports.charts import pilot_funnel_spec
from scoring.answers import Pilot
from scoring.engine import score_response
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import open_pilot_step, screenshot, stored_quick_check, wait_idle, wait_until
from tests.e2e.test_browser import QUICK, css_key
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.pdf_workers  # its app server renders real PDFs (the others use a stand-in)

ROW = 35  # the data editor's row height in pixels (the header row too)
PASTED = [  # as copied from a spreadsheet: name, stage, started, in production since, owner, KPI, blockers, value, note
    ("Churn model", "production", "2024-03", "2025-01", "true", "true", "", "400000", "Runs monthly"),
    ("Invoice reader", "pilot", "2025-01", "", "false", "false", "governance.approval-queue", "120000", ""),
    ("Chatbot", "ready", "2025-06", "", "true", "false", "data.no-access", "90000", ""),
    ("Route planner", "stopped", "2024-06", "", "false", "false", "", "", "Partner changed systems"),
]
NAMES = ["Shelf scanner"] + [row[0] for row in PASTED]


def stored_register(server, token: str) -> tuple[Pilot, ...]:
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        return repo.find_assessment(engine, token).pilots
    finally:
        dispose_all()


def stored_metrics(server, token: str):
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        return score_response(QUICK, repo.load_response(engine, repo.find_assessment(engine, token))).pilots
    finally:
        dispose_all()


def editor(page):
    table = page.locator(css_key("pilot_register"))
    table.locator("[data-testid='data-grid-canvas']").wait_for()
    return table


def rerun_after(page, action, took_effect=None) -> bool:
    """Do `action`, which makes the app run its script, and wait until that run has finished (a table keeps its
    keys for itself while the app reruns, so typing on early would lose the first keys). With `took_effect`, an
    action the table dropped (a click or keys that landed while the app was redrawing it, so nothing changed and no
    run follows) is told apart from a slow run: False when it was dropped, for the caller to do it again."""
    page.evaluate("""() => {
        const app = document.querySelector("[data-testid='stApp']");
        window.phasegateRuns = 0;
        new MutationObserver((records) => { window.phasegateRuns += records.length; })
            .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    }""")
    action()
    ran = lambda: page.evaluate("window.phasegateRuns") >= 2  # noqa: E731
    if took_effect is not None:
        try:
            wait_until(ran, timeout=15, what="the app to run after the edit")
        except AssertionError:
            if not took_effect():
                return False
            if page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count():
                return True  # the edit shows and the app is idle: its run came and went between two looks
    wait_until(ran, timeout=60, what="the app to run after the edit")
    wait_idle(page)
    return True


def add_row(page, row: int):
    """Add an empty row and select its Name cell (row 0 is the first below the header); the click is made again
    if the table dropped it."""
    table = editor(page)
    cells = table.locator("[data-testid^='glide-cell-1-']")
    for _ in range(3):
        wait_idle(page)
        add = table.get_by_role("button", name="Add row")
        wait_until(lambda: table.locator("[data-testid='data-grid-canvas']").count() == 1 and add.count() == 1,
                   what="the saved register's table to replace the edited one")
        rows = cells.count()
        table.hover()
        if rerun_after(page, add.click, took_effect=lambda: cells.count() > rows):
            break
    else:
        raise AssertionError("the table never took the click on Add row")
    select_name(page, row)


def select_name(page, row: int) -> None:
    """Select the Name cell of a row (row 0 is the first below the header)."""
    box = editor(page).locator("[data-testid='data-grid-canvas']").bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + ROW * (row + 1) + ROW / 2)
    wait_until(lambda: page.evaluate("document.activeElement.getAttribute('data-testid')") == f"glide-cell-1-{row}",
               what=f"row {row + 1}'s name cell to be selected")


def type_name(page, row: int, name: str) -> None:
    """Type a pilot's name into its selected Name cell; typed again if a rerun of the app took the first keys."""
    cell = editor(page).locator(f"[data-testid='glide-cell-1-{row}']")
    for _ in range(3):
        type_cell(page, name, took_effect=lambda: cell.inner_text() == name)
        if cell.inner_text() == name:
            return
        select_name(page, row)
    raise AssertionError(f"the name cell holds {cell.inner_text()!r}, not {name!r}")


def type_cell(page, text: str, took_effect=None) -> bool:
    """Open the selected cell's editor, type, and commit with Tab (which selects the cell to the right)."""
    page.keyboard.press("Enter")
    page.keyboard.type(text, delay=20)
    return rerun_after(page, lambda: page.keyboard.press("Tab"), took_effect)


def paste_rows(page, rows) -> None:
    page.evaluate("(text) => navigator.clipboard.writeText(text)", "\n".join("\t".join(row) for row in rows))
    page.keyboard.press("Control+V")


def shown_names(page) -> list[str]:
    table = editor(page)
    cells = table.locator("[data-testid^='glide-cell-1-']")
    return [text for text in cells.all_inner_texts() if text]



def test_a_leader_enters_five_pilots_that_survive_a_reload_and_a_restart_and_reach_the_pdf(page, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    token = stored_quick_check(server, "Northwind Stores", finished=False)  # every question answered, not finished
    page.goto(f"{server.url}/assessment?a={token}")
    open_pilot_step(page)

    # Typed cell by cell: until its start month is given, the row is named as not saved and nothing is stored.
    add_row(page, 0)
    type_name(page, 0, "Shelf scanner")
    page.get_by_text("Row 1 (Shelf scanner) · Started: is empty").wait_for()  # the stage is Pilot by default
    page.keyboard.press("ArrowRight")
    assert stored_register(server, token) == ()
    for _ in range(3):  # keys the table dropped while the app redrew it are typed again, as a person would
        if type_cell(page, "2025-02", took_effect=lambda: len(stored_register(server, token)) == 1):
            break
        select_name(page, 0)
        page.keyboard.press("ArrowRight")  # the stage
        page.keyboard.press("ArrowRight")  # the start month
    wait_until(lambda: len(stored_register(server, token)) == 1, what="the typed pilot to be saved")
    assert stored_register(server, token)[0] == Pilot("Shelf scanner", "pilot", "2025-02")

    # Four more pasted from a spreadsheet at once.
    add_row(page, 1)
    paste_rows(page, PASTED)
    wait_until(lambda: len(stored_register(server, token)) == 5, what="the pasted pilots to be saved")
    register = stored_register(server, token)
    assert [p.name for p in register] == NAMES
    assert register[1] == Pilot("Churn model", "production", "2024-03", "2025-01", True, True, (), 400000.0,
                                "Runs monthly")
    assert register[2].blockers == ("governance.approval-queue",)
    screenshot(page, "pilot-step")

    page.reload()
    open_pilot_step(page)
    wait_until(lambda: shown_names(page) == NAMES, what="the five pilots after a reload")

    link = f"{server.url}/assessment?a={token}"
    server.stop()
    server.start()
    page.goto(link)
    open_pilot_step(page)
    wait_until(lambda: shown_names(page) == NAMES, what="the five pilots after a restart")
    assert [p.name for p in stored_register(server, token)] == NAMES

    page.locator(css_key("finish") + " button").click()
    page.get_by_role("heading", name="Pilot portfolio").wait_for()  # on Results
    page.get_by_role("heading", name="Triage: a verdict per pilot").wait_for()
    page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for()
    for label, value in (("Pilots", "5"), ("Stuck", "3")):
        metric = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
        assert metric.get_by_test_id("stMetricValue").inner_text() == value
    screenshot(page, "results-pilots")

    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Report").click()
    download_button = page.locator(css_key("download_pdf") + " button")
    download_button.wait_for(timeout=180_000)
    with page.expect_download() as download:
        download_button.click()
    text = pdf_text(download.value.path())
    assert "Northwind Stores" in text
    assert "Pilot portfolio" in text
    for name in NAMES:
        assert name in text
    # The funnel's figures as the chart labels its bars ("2 here, 2 stuck · 4 got this far"), and the counts.
    metrics = stored_metrics(server, token)
    labels = [row["label"] for row in pilot_funnel_spec(metrics)["datasets"]["funnel"] if row["label"]]
    assert len(labels) == 6 and all(label in text for label in labels), (labels, text)
    assert (metrics.total, metrics.stuck, metrics.reached) == (5, 3, 1)
    assert "3 of 5" in text

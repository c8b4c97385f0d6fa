"""The workshop dashboard's pilot register in a real browser: the facilitator edits it in full screen, and full
screen stays open while each edited cell is saved and the table shows what was stored."""

from __future__ import annotations

import re

from scoring.answers import Pilot
from storage import dispose_all, get_engine
from storage import pilots as registers
from tests.e2e.conftest import create_workshop, css_key, wait_until

ROW = 35  # the data editor's row height in pixels (the header row too)
ROOM = "room_pilot_register"
SEEDED = (Pilot("Churn model", "pilot", "2025-01"), Pilot("Invoice reader", "idea", "2025-06"))


def database(server):
    return get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")


def stored(server, workshop_id: int) -> tuple[Pilot, ...]:
    try:
        return registers.load_workshop_register(database(server), workshop_id)
    finally:
        dispose_all()


def full_screen(page):
    """The register's frame, which Streamlit expands to fill the window in full screen."""
    return page.locator(css_key(ROOM)).locator("[data-testid='stFullScreenFrame']").first


def is_full_screen(page) -> bool:
    box = full_screen(page).bounding_box()
    size = page.viewport_size
    return box is not None and box["width"] >= size["width"] - 40 and box["height"] >= size["height"] - 80


def cell(page, column: int, row: int):
    return page.locator(css_key(ROOM)).locator(f"[data-testid='glide-cell-{column}-{row}']")


def count_finished_runs(page) -> None:
    """From now on, count the app's finished runs (the script state leaving 'running'); the dashboard refreshes
    its room every few seconds, so on a busy machine it may never be seen idle for long."""
    page.evaluate("""() => {
        const app = document.querySelector("[data-testid='stApp']");
        window.phasegateFinished = 0;
        new MutationObserver((records) => {
            window.phasegateFinished += records.filter((record) => record.oldValue === "running").length;
        }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ["data-test-script-state"]});
    }""")


def finished_runs(page) -> int:
    return page.evaluate("window.phasegateFinished")


def test_full_screen_stays_open_while_an_edited_cell_is_saved(page, server, busy_cores):
    create_workshop(page, server, "Fullscreen Insurance")
    workshop_id = int(re.search(r"[?&]w=(\d+)", page.url).group(1))
    try:
        registers.save_workshop_register(database(server), workshop_id, SEEDED)
    finally:
        dispose_all()
    page.reload()
    table = page.locator(css_key(ROOM))
    table.scroll_into_view_if_needed()  # the table draws its cells once it is in view
    wait_until(lambda: cell(page, 1, 0).count() == 1 and cell(page, 1, 0).inner_text() == "Churn model",
               what="the register's table")
    table.hover()
    table.get_by_role("button", name="Fullscreen").dispatch_event("click")  # the grid lies over its toolbar
    wait_until(lambda: is_full_screen(page), what="the register to fill the window")

    canvas = table.locator("[data-testid='data-grid-canvas']")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + ROW * 1 + ROW / 2)  # row 1's name
    wait_until(lambda: page.evaluate("document.activeElement.getAttribute('data-testid')") == "glide-cell-1-0",
               what="the first row's name cell to be selected")
    page.keyboard.press("Enter")
    entry = page.locator("#portal textarea")  # the cell's editor, drawn over the grid
    entry.wait_for()
    wait_until(lambda: entry.evaluate("element => element === document.activeElement"),
               what="the cell's editor to take the keyboard")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Churn model v2", delay=20)
    wait_until(lambda: entry.input_value() == "Churn model v2", what="the new name to be in the cell's editor")
    page.keyboard.press("Tab")
    wait_until(lambda: stored(server, workshop_id)[0].name == "Churn model v2", what="the edited name to be saved")
    count_finished_runs(page)  # the run under way saved it (or a later one): once it has finished, the table is drawn
    wait_until(lambda: finished_runs(page) >= 1, timeout=150, what="the run that saved the edit to finish")
    assert is_full_screen(page), "full screen closed after the save"
    assert cell(page, 1, 0).inner_text() == "Churn model v2"

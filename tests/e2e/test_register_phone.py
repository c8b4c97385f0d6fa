"""A leader's pilot register on a 390 × 844 phone in a real browser: one card per pilot, each a form of its own;
five pilots entered card by card are stored as entered, months in one form, and kept through a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scoring.answers import Pilot
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import css_key, open_pilot_step, screenshot, wait_idle, wait_until
from tests.e2e.test_browser import QUICK
from tests.e2e.test_leader_flow import SCREENS

ENTERED = [  # as a leader types them on a phone: stage by its label, months in the forms people write
    {"name": "Churn model", "stage": "In production", "started": "03/2024", "production_since": "Jan 2025",
     "owner": True, "kpi_baseline": True, "blockers": [], "value": "400000", "note": "Runs monthly"},
    {"name": "Invoice reader", "stage": "Pilot", "started": "2025-01", "blockers": ["Waiting for model approval"],
     "value": "120000"},
    {"name": "Chatbot", "stage": "Ready for production", "started": "June 2025", "owner": True,
     "blockers": ["No access to production data", "Legal or compliance question open"], "value": "90000"},
    {"name": "Route planner", "stage": "Stopped", "started": "6/2024", "note": "Partner changed systems"},
    {"name": "Shelf scanner", "stage": "Scaled", "started": "2024-11", "production_since": "sep 2025",
     "kpi_baseline": True},
]
STORED = (
    Pilot("Churn model", "production", "2024-03", "2025-01", True, True, (), 400000.0, "Runs monthly"),
    Pilot("Invoice reader", "pilot", "2025-01", None, False, False, ("governance.approval-queue",), 120000.0),
    Pilot("Chatbot", "ready", "2025-06", None, True, False, ("data.no-access", "governance.legal-unclear"), 90000.0),
    Pilot("Route planner", "stopped", "2024-06", note="Partner changed systems"),
    Pilot("Shelf scanner", "scaled", "2024-11", "2025-09", kpi_baseline=True),
)


@pytest.fixture
def phone(fresh_page):
    return fresh_page(**SCREENS["phone"])


def stored_register(server, token: str) -> tuple[Pilot, ...]:
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        return repo.find_assessment(engine, token).pilots
    finally:
        dispose_all()


def pick(page, card, kind: str, option: str) -> None:
    """Choose `option` in the card's selectbox or multiselect (`kind` is its test id) from its open list with the
    arrow keys (a long list scrolls inside its popover, out of a tap's reach in a test); the list is opened again
    if the page moved and closed it."""
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(4):
        wait_idle(page)
        field = card.locator(f"[data-testid='{kind}'] input")
        field.evaluate("(element) => element.scrollIntoView({block: 'center'})")  # room for the list below it
        field.click()
        try:
            for key in ["ArrowDown"] * 12 + ["ArrowUp"] * 12:
                if wanted.get_attribute("data-focused", timeout=3_000) == "true":
                    page.keyboard.press("Enter")
                    if kind == "stMultiSelect":
                        page.keyboard.press("Escape")
                    return
                page.keyboard.press(key)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"{option} could not be chosen")


def enter(page, fields: dict) -> None:
    """Fill the card that adds a pilot, as a thumb would, and add it."""
    card = page.locator(css_key("pilot_register_card_new"))
    card.get_by_role("textbox", name="Name", exact=True).fill(fields["name"])
    pick(page, card, "stSelectbox", fields["stage"])
    card.get_by_role("textbox", name="Started", exact=True).fill(fields["started"])
    if "production_since" in fields:
        card.get_by_role("textbox", name="In production since", exact=True).fill(fields["production_since"])
    for flag, label in (("owner", "Business owner"), ("kpi_baseline", "KPI baseline")):
        if fields.get(flag):
            card.get_by_text(label, exact=True).click()
    for blocker in fields.get("blockers", []):
        pick(page, card, "stMultiSelect", blocker)
    if "value" in fields:
        card.get_by_role("spinbutton", name=re.compile("^Annual value")).fill(fields["value"])
    if "note" in fields:
        card.get_by_role("textbox", name="Note", exact=True).fill(fields["note"])
    card.get_by_role("button", name="Add pilot").click()


def test_a_leader_enters_five_pilots_as_cards_on_a_phone_and_finds_them_stored_after_a_reload(phone, server, busy_cores):
    phone.goto(server.url)
    phone.locator(css_key("start:quick-check") + " button").click()
    phone.locator(css_key(f"q:{QUICK.questions[0].id}")).wait_for()
    token = phone.url.split("?a=")[1]
    open_pilot_step(phone)
    assert phone.locator(css_key("pilot_register")).count() == 0  # no grid on a phone
    for count, fields in enumerate(ENTERED, start=1):
        enter(phone, fields)
        wait_until(lambda: len(stored_register(server, token)) == count, what=f"pilot {count} to be stored")
        wait_until(lambda: phone.locator(css_key("pilot_register_card_new")).get_by_role("textbox", name="Name", exact=True).input_value() == "",
                   what="a fresh card for the next pilot")
    assert stored_register(server, token) == STORED
    screenshot(phone, "register-phone-cards")

    phone.reload()
    open_pilot_step(phone)
    for position, pilot in enumerate(STORED):  # read once the cards are drawn from the database (the run after the
        card = phone.locator(css_key(f"pilot_register_card_{position}"))  # click may still be under way)
        shown = lambda: (card.get_by_role("textbox", name="Name", exact=True).input_value(),  # noqa: E731
                         card.get_by_role("textbox", name="Started", exact=True).input_value())
        wait_until(lambda: shown() == (pilot.name, pilot.started), what=f"card {position} to show {pilot.name}")
    assert stored_register(server, token) == STORED

"""The presenter view on a 1920x1080 projector: the join code and a QR code a phone can scan, the room filling up,
then discussion mode with the agreed answer recorded inline; the facilitator's secret link never shows."""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image

from questionnaires import find_questionnaire
from tests.e2e.conftest import create_workshop, css_key, join_code, screenshot, wait_idle, wait_until

QUICK = find_questionnaire("quick-check")
FIRST = QUICK.questions[0]
CLIENT = "Projector Corp"
NOTE = "Only the finance data has an owner today"
PROJECTOR = {"width": 1920, "height": 1080}


def new_workshop(page, server) -> tuple[str, str]:
    """A new workshop on the quick check; its join code and the secret link's token."""
    token = create_workshop(page, server, CLIENT, QUICK.title)
    return join_code(page), token


def join_and_answer(tabs, link: str, role: str, option: int) -> None:
    """A participant opens `link` (the join link, as a phone would from the QR code), picks a role and answers; the
    tab, cleaned, serves the next participant."""
    page = tabs.take()
    try:
        page.goto(link)
        page.locator(css_key("join_role")).get_by_text(role, exact=True).click()
        page.locator(css_key("join") + " button").click()
        page.locator(css_key(f"q:{FIRST.id}") + " [role='radiogroup'] label").nth(option).click()
        page.locator("[data-testid='stProgress']").get_by_text(re.compile(r"^1 of \d+ answered")).wait_for()
    finally:
        tabs.give_back(page)


def open_presenter(dashboard) -> object:
    """The presenter view as the dashboard's button opens it, on a projector-sized screen."""
    href = dashboard.get_by_role("link", name="Presenter view for the projector").get_attribute("href")
    wait_until(lambda: any(c["name"].startswith("phasegate_f") for c in dashboard.context.cookies()),
               timeout=120, what="the browser to keep the secret link")
    presenter = dashboard.context.new_page()  # a new tab of the same browser, moved to the projector
    presenter.set_viewport_size(PROJECTOR)
    presenter.set_default_timeout(30_000)
    presenter.goto(href)
    presenter.locator(".pg-join-code").wait_for()
    wait_idle(presenter)
    return presenter


def scanned(presenter) -> list[str]:
    """What a phone reads from the QR code on the screen."""
    shot = presenter.locator("[data-testid='stImage'] img").first.screenshot()
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]


def test_the_projector_shows_the_code_and_a_scannable_qr_code_and_never_the_secret_link(fresh_page, tabs, server):
    dashboard = fresh_page()
    code, token = new_workshop(dashboard, server)
    presenter = open_presenter(dashboard)
    join_link = f"{server.url}/workshop?code={code}"
    assert presenter.locator(".pg-join-code").inner_text().strip() == code
    assert scanned(presenter) == [join_link]
    assert token not in presenter.url and token not in presenter.content()
    screenshot(presenter, "presenter-join")

    # The QR code lands a phone on the join page, the code filled in.
    join_and_answer(tabs, scanned(presenter)[0], "Executive", 4)
    presenter.locator(".pg-room-totals").get_by_text(re.compile(r"^1\s*joined$")).wait_for()  # live, no reload
    assert presenter.locator(".pg-role").filter(has_text="Executive").inner_text().split() == [
        "Executive", "0", "of", "1", "finished"]
    assert token not in presenter.content()


def test_an_agreed_answer_recorded_on_the_projector_shows_on_the_dashboard(fresh_page, tabs, server):
    dashboard = fresh_page()
    code, token = new_workshop(dashboard, server)
    for role, option in (("Executive", 4), ("Data & AI", 0), ("IT & engineering", 1)):
        join_and_answer(tabs, f"{server.url}/workshop?code={code}", role, option)
    presenter = open_presenter(dashboard)
    presenter.get_by_text("Discussion", exact=True).click()
    presenter.get_by_role("heading", name=FIRST.text).wait_for()
    presenter.get_by_text(re.compile(r"Disputed question 1 of \d+")).wait_for()
    presenter.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    screenshot(presenter, "presenter-discussion")

    agreed = QUICK.options_for(FIRST)[2]
    presenter.locator(css_key(f"presenter_agreed:{FIRST.id}")).get_by_text(agreed.label, exact=True).click()
    presenter.locator(css_key(f"presenter_note:{FIRST.id}") + " textarea").fill(NOTE)
    presenter.locator(css_key(f"presenter_note:{FIRST.id}") + " textarea").blur()
    wait_idle(presenter)
    presenter.get_by_role("button", name="Record agreed answer").click()
    presenter.get_by_text(f"Agreed: {agreed.label} — {NOTE}").wait_for()
    assert token not in presenter.content() and token not in presenter.url
    presenter.close()

    dashboard.reload()
    dashboard.get_by_text(f"Agreed: {agreed.label} (median was").wait_for()
    dashboard.get_by_text(NOTE).first.wait_for()

"""A workshop in a real browser: create, brand, three participants join and answer and a stray one is removed, live
dashboard, consensus, PDF."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from questionnaires import find_questionnaire
from tests.e2e.conftest import choose, css_key, join_code, screenshot, wait_idle
from tests.pdf_text import pdf_words

pytestmark = pytest.mark.pdf_workers  # its app server renders real PDFs (the others use a stand-in)

QUICK = find_questionnaire("quick-check")
FIRST = QUICK.questions[0]
CLIENT = "Workshop Corp"
NOTE = "Agreed in the room after the demo"
PREPARED_BY = "Harbour Advisory"
COMMENTARY = "The room agrees on the goal, not on where it stands: settle data ownership first."


def create_workshop(page, server) -> str:
    page.goto(f"{server.url}/workshop-new")
    page.locator(css_key("ws_client") + " input").fill(CLIENT)
    choose(page, "ws_questionnaire", re.compile(QUICK.title))
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("heading", name=f"Workshop · {CLIENT}").wait_for()
    return join_code(page)


def set_branding(page, logo) -> None:
    page.locator(css_key("brand_prepared_by") + " input").fill(PREPARED_BY)
    page.locator(css_key("brand_commentary") + " textarea").fill(COMMENTARY)
    page.locator(css_key("brand_logo") + " input[type='file']").set_input_files(str(logo))
    page.get_by_role("button", name="Save branding").click()
    page.get_by_text("Branding saved").wait_for()


def remove_participant(page, label: str) -> None:
    page.locator(css_key("refresh_participants") + " button").click()  # the list is as of the page's last run
    choose(page, "remove_participant_pick", re.compile("^" + re.escape(label)))
    page.locator(css_key("remove_participant") + " button").click()
    page.get_by_role("heading", name=re.compile(r"^Removed \(\d+\)$")).wait_for()


def join_and_answer(tabs, server, code: str, role: str, option: int) -> None:
    """A participant joins by the code and answers the first question; the tab, cleaned, serves the next one."""
    page = tabs.take()
    try:
        page.goto(f"{server.url}/workshop?code={code}")
        page.locator(css_key("join_role")).get_by_text(role, exact=True).click()
        page.locator(css_key("join") + " button").click()
        page.locator(css_key(f"q:{FIRST.id}")).wait_for()
        page.locator(css_key(f"q:{FIRST.id}") + " [role='radiogroup'] label").nth(option).click()
        page.locator("[data-testid='stProgress']").get_by_text(re.compile(r"^1 of \d+ answered")).wait_for()
    finally:
        tabs.give_back(page)


def metric(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


def test_a_facilitator_runs_a_workshop_from_creation_to_the_pdf(fresh_page, tabs, server, tmp_path):
    page = fresh_page()
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), "#7a1f5c").save(logo)
    code = create_workshop(page, server)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    set_branding(page, logo)
    for role, option in (("Executive", 4), ("Data & AI", 0), ("IT & engineering", 1), ("Risk & legal", 4)):
        join_and_answer(tabs, server, code, role, option)

    metric(page, "Participants joined").get_by_text("4", exact=True).wait_for(timeout=30_000)  # live refresh
    remove_participant(page, "P-004 · Risk & legal · joined")  # joined by mistake
    metric(page, "Participants joined").get_by_text("3", exact=True).wait_for()
    page.get_by_text(re.compile(r"UTC · Removed P-004 · Risk & legal · 1 answer from every aggregate and "
                                r"export \(by facilitator\)")).wait_for()
    assert metric(page, "Disputed questions").inner_text().strip() != "0"
    page.get_by_role("tab", name="Disagreement").click()
    page.get_by_text(FIRST.text).first.wait_for()
    screenshot(page, "workshop-dashboard")

    agreed = QUICK.options_for(FIRST)[2]
    form = page.locator("[data-testid='stForm']").filter(has_text="Record consensus")
    form.locator("[role='radiogroup'] label").filter(has_text=agreed.label).first.click()
    form.locator("textarea").fill(NOTE)
    form.get_by_role("button", name="Record consensus").click()
    page.get_by_text(f"Agreed: {agreed.label}").wait_for()

    wait_idle(page)  # the download button of the run that recorded the consensus, not the one before it
    with page.expect_download(timeout=180_000) as download:
        page.locator(css_key("download_workshop_pdf") + " button").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    flat = pdf_words(download.value.path())
    assert "Consensus decisions" in flat and NOTE in flat
    assert "3 participants answered" in flat  # the stray participant is not counted
    assert f"Prepared by {PREPARED_BY}" in flat and COMMENTARY in flat
    assert pdf.metadata.author == PREPARED_BY and len(pdf.pages[0].images) == 1  # the logo on the cover
    screenshot(page, "workshop-dashboard-consensus")

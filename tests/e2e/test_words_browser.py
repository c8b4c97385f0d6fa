"""In a real browser: the effort × impact matrix on a phone lists each cell's steps by name (no dots on top of each
other), and a download is saved under the organisation, the questionnaire and the date, the answers file with its
date inside."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

import services
from scoring.answers import Answer
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.conftest import css_key, live_key, screenshot, wait_idle
from tests.e2e.test_browser import QUICK

PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.5 Mobile/15E148 Safari/604.1")


def finished_quick_check(server, organisation: str) -> str:
    """The quick check answered at its lowest level throughout, finished and stored directly; its resume token."""
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        created = repo.create_assessment(engine, QUICK.id, QUICK.version, organisation=organisation)
        repo.save_answers(engine, created.id, {q.id: Answer(QUICK.options_for(q)[0].value) for q in QUICK.questions})
        services.finish_assessment(engine, created.id)
        return created.token
    finally:
        dispose_all()


@pytest.fixture
def phone(fresh_page):
    opened = fresh_page(viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT, is_mobile=True, has_touch=True)
    opened.set_default_timeout(120_000)  # a Results page drawn while every core is busy
    return opened


def test_on_a_phone_the_matrix_lists_the_steps_of_each_cell_by_name(phone, server, busy_cores):
    token = finished_quick_check(server, "Phone Corp")
    phone.goto(f"{server.url}/results?a={token}")
    phone.get_by_role("heading", name="The plan at a glance").wait_for()
    wait_idle(phone)
    cells = phone.locator(live_key("matrix_cells"))
    text = cells.inner_text()
    assert text.startswith("High impact (3) · ")
    assert "1. " in text and "2. " in text
    assert phone.locator(css_key("chart_matrix")).count() == 0  # no chart of dots on a phone
    box = cells.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # within the screen, nothing to scroll sideways
    cells.scroll_into_view_if_needed()
    screenshot(phone, "matrix-phone")


def test_the_answers_file_is_saved_under_organisation_questionnaire_and_date_with_its_date(page, server):
    token = finished_quick_check(server, "Café Müller & Co.")
    page.goto(f"{server.url}/report?a={token}")
    button = page.locator(css_key("download_answers") + " button")
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    today = dt.date.today().isoformat()
    assert download.value.suggested_filename == f"cafe-muller-co-quick-check-{today}.yaml"
    saved = yaml.safe_load(open(download.value.path(), encoding="utf-8"))
    assert str(saved["date"]) == today and saved["organisation"] == "Café Müller & Co."

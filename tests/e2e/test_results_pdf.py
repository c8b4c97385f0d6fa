"""The PDF a leader downloads, laid out by the real PDF workers: from the Report page once every question is
answered through the screens; from the Results page at desktop and phone size, saying what the page says; and in
German for a self-assessment answered in German. The other browser tests run their app server with the stand-in
workers, which lay out no report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS, css_key, screenshot, stored_quick_check
from tests.e2e.test_browser import ORGANISATION, QUICK, finish_quick_check
from tests.e2e.test_german_browser import ENGLISH_HEADINGS, GERMAN, GERMAN_HEADINGS
from tests.e2e.test_leader_flow import expected_result, on_screen, screen, words  # noqa: F401 - screen: a fixture
from tests.pdf_text import pdf_text, pdf_words

pytestmark = pytest.mark.pdf_workers  # its app server renders real PDFs (the others use a stand-in)


def test_the_pdf_button_on_results_delivers_the_report_of_the_results_headline(screen, server):
    token = stored_quick_check(server)
    expected = expected_result()
    page = screen
    page.goto(f"{server.url}/results?a={token}")
    headline = page.locator(css_key("headline"))
    headline.get_by_text(f"Phase {expected.overall.phase} of 4: {expected.overall.phase_name}").wait_for()
    profile = words(headline.locator("h2").first.inner_text())  # the profile leads; the phase label is beneath
    button = page.locator(css_key("results_pdf") + " button")
    button.wait_for(timeout=180_000)
    assert on_screen(page, button) or page.screen_name == "phone"  # the first screen on a desktop
    screenshot(page, f"results-{page.screen_name}")
    with page.expect_download() as download:
        button.click()
    with open(download.value.path(), "rb") as pdf:
        text = words(pdf_text(pdf.read()))
    assert profile.rstrip(".") in text
    assert expected.overall.phase_name in text and "Example Corp" in text


def pdf_file_text(path) -> str:
    with open(path, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    return pdf_words(data)


def test_a_german_self_assessments_results_offer_its_german_pdf(page, server):
    """Answered in German (stored directly: test_german_browser answers it through the screens), opened in German."""
    token = stored_quick_check(server, "Beispiel AG", language="de")
    page.goto(f"{server.url}/results?a={token}&lang=de")
    page.get_by_role("heading", name="Wo die Organisation steht").wait_for()
    headline = page.locator(css_key("headline"))
    german_phases = "|".join(re.escape(GERMAN.phase(number).name) for number in range(1, 5))
    headline.get_by_text(re.compile(rf"^Phase \d von 4: ({german_phases})$")).wait_for()
    assert page.get_by_text("Where the organisation stands").count() == 0

    button = page.locator(css_key("results_pdf") + " button")
    button.wait_for(timeout=180_000)  # the real PDF workers render it
    assert "PDF" in button.inner_text()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith(".pdf")
    if SCREENSHOTS:  # kept beside the screenshots, to look at its pages
        download.value.save_as(Path(SCREENSHOTS) / "german-report.pdf")
    text = pdf_file_text(download.value.path())
    missing = [heading for heading in GERMAN_HEADINGS if heading not in text]
    assert not missing, f"the PDF lacks German headings: {missing}"
    assert not [heading for heading in ENGLISH_HEADINGS if heading in text]
    assert GERMAN.title in text and re.search(rf"Phase \d von 4|{german_phases}", text)


def test_a_leader_completes_the_quick_check_and_downloads_the_pdf(page, server):
    finish_quick_check(page, server, ORGANISATION)
    expected = expected_result()  # every question answered with the same option as finish_quick_check's
    page.get_by_role("heading", name="Where the organisation stands").wait_for()
    page.get_by_text(f"Phase {expected.overall.phase} of 4: {expected.overall.phase_name}").wait_for()
    page.get_by_text(expected.overall.profile).wait_for()
    page.locator("[data-testid='stVegaLiteChart'], [data-testid='stArrowVegaLiteChart'], .vega-embed").first.wait_for()
    screenshot(page, "results")

    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Report").click()  # the sidebar drops the query; the app puts it back
    download_button = page.locator(css_key("download_pdf") + " button")
    download_button.wait_for(timeout=180_000)
    screenshot(page, "report")
    with page.expect_download() as download:
        download_button.click()
    text = pdf_file_text(download.value.path())
    assert QUICK.title in text
    assert "Example Corp" in text
    assert expected.overall.phase_name in text

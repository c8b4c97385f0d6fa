"""A leader's self-assessment in German in a real browser: the link asks for German (?lang=de), the start page, the
questions and the results speak it, and the address keeps the language from page to page."""

from __future__ import annotations

import re

from questionnaires.translation import find_in_language
from tests.e2e.conftest import css_key, screenshot, wait_idle
from tests.e2e.test_browser import QUICK

GERMAN = find_in_language(QUICK.id, QUICK.version, "de")
ANSWERED = 3


def test_a_german_self_assessment_from_the_start_page_to_its_results(page, server):
    page.goto(f"{server.url}/?lang=de")
    page.get_by_role("heading", name="Drei Wege zum Ergebnis").wait_for()
    screenshot(page, "german-start")
    page.locator(css_key("start:quick-check") + " button").click()
    page.get_by_role("heading", name=GERMAN.title).wait_for()
    first_domain = GERMAN.domains[0]
    page.get_by_role("heading", name=first_domain.name, exact=True).wait_for()
    questions = [q for q in GERMAN.questions if q.domain == first_domain.id][:ANSWERED]
    assert page.get_by_text(questions[0].text, exact=False).first.is_visible()
    for question in questions:
        page.locator(css_key(f"q:{question.id}") + " [role='radiogroup'] label").nth(2).click()
        wait_idle(page)
    assert "lang=de" in page.url
    screenshot(page, "german-assessment")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Ergebnisse").click()
    page.get_by_role("heading", name="Wo die Organisation steht").wait_for()
    page.get_by_text("noch offen; dies ist daher ein vorläufiges Ergebnis").wait_for()
    page.get_by_role("heading", name="Handlungsfelder", exact=True).wait_for()
    # scored with the German questionnaire, though the answers were saved by pieces of the page (fragments)
    german_phases = "|".join(re.escape(GERMAN.phase(number).name) for number in range(1, 5))
    assert page.get_by_text(re.compile(rf"^Phase \d von 4: ({german_phases})$")).is_visible()
    assert "lang=de" in page.url
    screenshot(page, "german-results")

"""One person, one participant: the same browser that opens the join link again continues with its own answers,
and a participant the facilitator removed stays removed."""

from __future__ import annotations

import re

from questionnaires import find_questionnaire
from storage import get_engine
from storage import workshops as ws
from tests.e2e.conftest import css_key, wait_idle

QUICK = find_questionnaire("quick-check")
FIRST = QUICK.questions[0]
ANSWERED_ONE = re.compile(r"^1 of \d+ answered")


def test_a_participant_who_comes_back_in_the_same_browser_continues_as_themselves(browser, server):
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    workshop = ws.create_workshop(engine, "Rejoin Corp", QUICK.id, QUICK.version)
    join_link = f"{server.url}/workshop?code={workshop.display_code}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(join_link)
        page.locator(css_key("join_role")).get_by_text("Executive", exact=True).click()
        page.locator(css_key("join") + " button").click()
        page.locator(css_key(f"q:{FIRST.id}")).wait_for()
        wait_idle(page)  # the questions of the run that joined, not a copy the next run replaces under the click
        page.locator(css_key(f"q:{FIRST.id}") + " [role='radiogroup'] label").nth(2).click()
        page.locator("[data-testid='stProgress']").get_by_text(ANSWERED_ONE).wait_for()
        page.close()  # the tab is closed; the browser keeps its cookies

        again = context.new_page()
        again.goto(join_link)
        again.locator("[data-testid='stProgress']").get_by_text(ANSWERED_ONE).wait_for()
        assert again.locator(css_key("join_role")).count() == 0
        [participant] = ws.list_participants(engine, workshop.id)
        again.close()

        ws.remove_participant(engine, workshop.id, participant.assessment.id)
        removed = context.new_page()
        removed.goto(join_link)
        removed.get_by_text("removed you from it").wait_for()
        assert removed.locator(css_key("join_role")).count() == 0
        assert ws.list_participants(engine, workshop.id) == []
        assert len(ws.list_participants(engine, workshop.id, removed=True)) == 1
    finally:
        context.close()

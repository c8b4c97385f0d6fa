"""Phasegate in German in a real browser: a leader's self-assessment from ?lang=de through every question to its
German results (test_results_pdf.py downloads its German PDF), and a German workshop whose participants answer each
in their own language with the room's result the same as when everyone answers in German."""

from __future__ import annotations

import re

import pytest

import i18n
import services
from questionnaires.translation import find_in_language
from scoring.answers import Answer
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.e2e.conftest import (choose, css_key, live_key, screenshot, secret_link_token,
                                 stored_quick_check, wait_idle, wait_until)
from tests.e2e.test_browser import QUICK

ENGLISH = find_in_language(QUICK.id, QUICK.version, None)
GERMAN = find_in_language(QUICK.id, QUICK.version, "de")
IN = {"en": ENGLISH, "de": GERMAN}
ANSWERED = 3
# The report's headings in German and their English originals (as tests/test_report_language.py checks them).
GERMAN_HEADINGS = ["Zusammenfassung für die Geschäftsleitung", "Handlungsfelder im Überblick",
                   "Priorisierte nächste Schritte"]
ENGLISH_HEADINGS = ["Executive summary", "Domain overview", "Prioritised next steps"]
# Which option each participant picks, by the question's position: the same option ids in both workshops.
PICKS = {"A": lambda n: n % 5, "B": lambda n: (3 * n + 1) % 5}


def test_a_german_self_assessment_from_the_start_page_to_its_results(page, server):
    page.goto(f"{server.url}/?lang=de")
    page.get_by_role("heading", name="Drei Wege zum Ergebnis").wait_for()
    screenshot(page, "german-start")
    page.locator(css_key("start:quick-check") + " button").click()
    page.get_by_role("heading", name=GERMAN.title).wait_for()
    first_domain = GERMAN.domains[0]
    page.get_by_role("heading", name=first_domain.name, exact=True).wait_for()
    questions = [q for q in GERMAN.questions if q.domain == first_domain.id][:ANSWERED]
    page.get_by_text(questions[0].text, exact=False).first.wait_for()  # in German (fails when it never shows)
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


# --- answering every question, in the language on screen ---------------------------------------------------------


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def progress_prefix(language: str, count: int) -> str:
    """'3 of 26 answered' in the language: how the progress bar's text begins."""
    with i18n.use(language):
        message = i18n.gettext("{answered} of {total} answered{added} · ready to finish")
    return message.split("{added}")[0].format(answered=count, total=len(QUICK.questions))


def answer_everything(page, language: str, pick) -> None:
    """Answer every question of the quick check step by step, option `pick(n)` for the n-th question, checking
    that each question and its options are shown in `language`."""
    questionnaire, done = IN[language], 0
    for index, domain in enumerate(questionnaire.domains):
        if index:
            page.locator(live_key("next") + " button").click()
            page.get_by_role("heading", name=domain.name, exact=True).wait_for()
        for question in [q for q in questionnaire.questions if q.domain == domain.id]:
            piece = page.locator(live_key(f"q:{question.id}"))
            labels = piece.locator("[role='radiogroup'] label")
            labels.first.wait_for()
            asked = words(page.locator(live_key(f"ask:{question.id}")).first.inner_text())
            assert words(question.text) in asked, f"{question.id} not shown in {language}: {asked}"
            option = questionnaire.options_for(question)[pick(done)]
            assert words(labels.nth(pick(done)).inner_text()).startswith(words(option.label))
            labels.nth(pick(done)).click()
            done += 1
            page.locator("[data-testid='stProgress']").get_by_text(
                re.compile("^" + re.escape(progress_prefix(language, done)) + r"\b")).wait_for()


# --- a workshop in German, each participant in their own language ------------------------------------------------


def open_engine(server):
    return get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")


def create_german_workshop(page, server, client: str) -> tuple[str, str]:
    """A consultant creates a quick-check workshop whose engagement language is German; its join link and its secret
    facilitator link's token, as the dashboard shows them."""
    page.goto(f"{server.url}/workshop-new")
    wait_idle(page)
    page.locator(css_key("ws_client") + " input").fill(client)
    choose(page, "ws_questionnaire", re.compile(f"^({re.escape(ENGLISH.title)}|{re.escape(GERMAN.title)})"))
    choose(page, "ws_language", "Deutsch")
    page.locator("[data-testid='stFormSubmitButton'] button").click()
    page.wait_for_url(re.compile(r"[?&]w=\d+"))
    shown = page.locator("[data-testid='stCode']").filter(has_text="/workshop?code=").first
    shown.wait_for(timeout=60_000)  # the dashboard's first draw, on a busy machine
    link = words(shown.inner_text())
    assert link.endswith("&lang=de"), link  # the join link carries the engagement language
    return link, secret_link_token(page)


def dashboard_headline(page, server, token: str, expected: str) -> str:
    """The room's result as the workshop's dashboard states it (the headline of its Result tab), once it says
    `expected`; the dashboard refreshes by itself as answers come in."""
    page.goto(f"{server.url}/workshop-dashboard?f={token}")
    headline = page.locator("[data-testid='stTabs'] [role='tabpanel'] h3").first
    headline.wait_for(timeout=60_000)
    wait_until(lambda: words(headline.inner_text()) == words(expected), timeout=60,
               what=f"the dashboard to state {expected!r}")
    return words(headline.inner_text())


def join_and_answer(tabs, link: str, language: str, pick) -> str:
    """A participant opens the join link, keeps its language or picks another, joins and answers everything; their
    resume token. The tab, cleaned, serves the next participant."""
    page = tabs.take()
    try:
        page.goto(link)
        page.get_by_role("heading", name="An einem Workshop teilnehmen").wait_for()  # the link's language
        if language != "de":
            choose(page, "language_picker", i18n.name(language))
            with i18n.use(language):
                page.get_by_role("heading", name=i18n.gettext("Join a workshop")).wait_for()
        wait_idle(page)
        page.locator(live_key("join_role") + " [role='radiogroup'] label").first.click()
        page.locator(live_key("join") + " button:not([disabled])").click()
        page.wait_for_url(re.compile(r"[?&]a="))
        answer_everything(page, language, pick)
        return re.search(r"[?&]a=([^&]+)", page.url).group(1)
    finally:
        tabs.give_back(page)


def answered_in_german(server, link: str, pick) -> str:
    """A participant of the workshop behind the join link who answered everything in German, option `pick(n)` for
    the n-th question asked, stored directly (answering in German through the screens is what the mixed room's
    German participant and the German self-assessment do); their resume token."""
    engine = open_engine(server)
    try:
        workshop = ws.find_by_code(engine, re.search(r"code=([^&]+)", link).group(1))
        joined = ws.join_workshop(engine, workshop, workshop.roles[0].name, "de")
        asked = [q for d in GERMAN.domains for q in GERMAN.questions if q.domain == d.id]
        repo.save_answers(engine, joined.id, {q.id: Answer(GERMAN.options_for(q)[pick(n)].value)
                                              for n, q in enumerate(asked)})
        return joined.token
    finally:
        dispose_all()


def room_of(server, link: str):
    """The workshop behind a join link: its stored record and the room's result, scored as the dashboard scores it
    (in the engagement language)."""
    code = re.search(r"code=([^&]+)", link).group(1)
    engine = open_engine(server)
    try:
        workshop = ws.find_by_code(engine, code)
        with i18n.use(workshop.language):
            _participants, result = services.aggregate_stored(engine, workshop, IN[workshop.language])
        return workshop, result
    finally:
        dispose_all()


def stored(server, token: str):
    engine = open_engine(server)
    try:
        found = repo.find_assessment(engine, token)
        return found.language, repo.load_answers(engine, found.id)
    finally:
        dispose_all()


def outcome(result) -> tuple:
    """What the room's result says, language aside: each domain's index, phases and working phase; the overall."""
    overall = result.result.overall
    return (tuple((d.id, d.index, d.achieved, d.working_phase, d.assessed) for d in result.result.domains),
            (overall.phase, overall.index, overall.achieved), result.participants)


def test_participants_answering_in_english_and_german_give_the_room_the_result_of_an_all_german_room(
        page, tabs, server):
    mixed_link, mixed_token = create_german_workshop(page, server, "Gemischt GmbH")
    german_link, german_token = create_german_workshop(page, server, "Deutsch GmbH")
    mixed = {"A": join_and_answer(tabs, mixed_link, "en", PICKS["A"]),
             "B": join_and_answer(tabs, mixed_link, "de", PICKS["B"])}
    german = {person: answered_in_german(server, german_link, pick) for person, pick in PICKS.items()}

    assert stored(server, mixed["A"])[0] == "en" and stored(server, mixed["B"])[0] == "de"
    for person in PICKS:  # the same option ids stored, whatever the language they were picked in
        assert stored(server, mixed[person])[1] == stored(server, german[person])[1]
        assert len(stored(server, mixed[person])[1]) == len(QUICK.questions)
    (mixed_room, mixed_result), (german_room, german_result) = room_of(server, mixed_link), room_of(server, german_link)
    assert mixed_room.language == german_room.language == "de"
    assert mixed_result.participants == 2
    assert outcome(mixed_result) == outcome(german_result)
    assert mixed_result.result.overall.phase_name == german_result.result.overall.phase_name
    # and the dashboards say so, in German
    summary = mixed_result.result.overall.summary
    assert german_result.result.overall.summary == summary and "gebremst durch" in summary
    assert dashboard_headline(page, server, mixed_token, summary) == dashboard_headline(page, server, german_token,
                                                                                          summary)


# --- the results on a phone: long German (and padded) words are wrapped, not cut -----------------------------------

PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.5 Mobile/15E148 Safari/604.1")
PHONE_WIDTH = 390
DOMAIN_TITLE = "Index per domain; the dark tick marks the target phase"


CUT_LINKS = """() => [...document.querySelectorAll("[data-testid='stPageLink-NavLink']")].map(link => {
  const label = link.querySelector("[data-testid='stMarkdownContainer'] p");
  const box = link.getBoundingClientRect();
  return [label.innerText, label.scrollWidth > label.clientWidth + 1 || box.right > window.innerWidth];
}).filter(([_label, cut]) => cut).map(([label]) => label)"""


@pytest.mark.parametrize("language", ["de", "qps"])
def test_on_a_phone_the_results_links_and_the_domain_chart_title_are_shown_whole(fresh_page, server, language):
    page = fresh_page(viewport={"width": PHONE_WIDTH, "height": 844}, user_agent=PHONE_AGENT, is_mobile=True,
                      has_touch=True)
    page.set_default_timeout(60_000)
    token = stored_quick_check(server, "Beispiel AG", language="de")
    page.goto(f"{server.url}/results?a={token}&lang={language}")
    with i18n.use(language):
        link, title = i18n.gettext("Branding, the full report and the answers file"), i18n.gettext(DOMAIN_TITLE)
    page.get_by_role("link", name=link).last.wait_for()
    title_text = page.locator("[data-testid='stVegaLiteChart'] .role-title-text text").first
    title_text.wait_for(state="attached")
    wait_idle(page)  # the links are measured as the finished run lays them out, not as they first appear
    cut = []  # the links cut at the last look

    def laid_out_whole() -> bool:
        cut[:] = page.evaluate(CUT_LINKS)
        return not cut

    try:
        wait_until(laid_out_whole, timeout=10, what="the links to be laid out whole")
    except AssertionError:
        raise AssertionError(f"links cut on a {PHONE_WIDTH}-pixel phone: {cut}") from None
    shown = title_text.text_content()
    assert "…" not in shown and words(shown).replace(" ", "") == words(title).replace(" ", "")
    screenshot(page, f"phone-results-{language}")

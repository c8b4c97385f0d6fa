"""The app in the language chosen: by the link (?lang=de), kept with the assessment, else the browser's; German
screens and questions, and the pseudo-language on every screen of a self-assessment."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from questionnaires.translation import find_in_language
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import APP_TIMEOUT, ROOT

QUICK = "quick-check"
CATALOGUE = ROOT / "locales" / "de" / "LC_MESSAGES" / "app.po"
# The screens of a leader's self-assessment and what they draw with: every message in them is German in app.po.
TRANSLATED = ["app.py", "app_pages/start.py", "app_pages/assessment.py", "app_pages/results.py", "app_pages/report.py",
              "ui/questions.py", "ui/flow.py", "ui/charts.py", "ui/state.py", "ui/language.py", "ui/profile_form.py",
              "ui/pdf_worker.py", "app_pages/workshop_join.py", "app_pages/workshop_dashboard.py",
              "app_pages/presenter.py", "app_pages/my_workshops.py", "app_pages/workshop_new.py",
              "ui/pilot_register.py", "ui/progress_view.py", "ui/auth.py", "storage/access.py", "storage/workshops.py",
              "storage/text.py", "storage/repository.py"]
# Sentences the screens show from other parts, whose German those parts' catalogues give (not yet).
ELSEWHERE: tuple[str, ...] = ()
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


def open_app(*, locale: str | None = None, page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    if locale:
        at.context = {"locale": locale}
    if page:
        at.run()  # a first run registers the pages
    for name, value in params.items():
        at.query_params[name] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    """Every text on the screen, one per line."""
    parts = [e.value for kind in (at.title, at.header, at.subheader, at.markdown, at.caption, at.text) for e in kind]
    parts += [b.label for b in at.button] + [w.label for w in at.radio]
    return "\n".join(str(part) for part in parts)


def start(at: AppTest, questionnaire: str = QUICK) -> AppTest:
    at.button(key=f"start:{questionnaire}").click().run()
    assert not at.exception, at.exception
    return at


def first_question(language: str | None) -> str:
    questionnaire = find_in_language(QUICK, None, language)
    return questionnaire.questions[0].text


def test_the_link_asks_for_german_and_the_start_page_and_a_question_speak_it(shipped_app):
    at = open_app(lang="de")
    assert at.selectbox(key="language_picker").value == "de"
    assert "Drei Wege zum Ergebnis" in shown(at)
    assert "Three ways in" not in shown(at)
    start(at)
    assert at.title[0].value == find_in_language(QUICK, None, "de").title
    assert first_question("de") in shown(at)
    assert first_question("en") not in shown(at)
    stored = repo.find_assessment(get_engine(), at.query_params["a"])
    assert stored.language == "de"


def test_a_resumed_assessment_speaks_the_language_it_was_started_in(shipped_app):
    token = start(open_app(lang="de")).query_params["a"]
    again = open_app(a=token, page="app_pages/assessment.py")  # a fresh browser, the link without ?lang
    assert first_question("de") in shown(again)
    assert again.query_params["lang"] == "de"  # kept in the address, so a copied link speaks it too


def test_the_browser_language_is_the_default_and_english_stays_english(shipped_app):
    assert "Drei Wege zum Ergebnis" in shown(open_app(locale="de-AT"))
    english = open_app(locale="en-GB")
    assert "Three ways in" in shown(english)
    assert "lang" not in english.query_params


def test_choosing_english_on_the_start_page_is_kept_with_the_open_assessment(shipped_app):
    at = start(open_app(lang="de"))
    token = at.query_params["a"]
    at.switch_page("app_pages/start.py").run()
    at.selectbox(key="language_picker").set_value("en").run()
    assert not at.exception, at.exception
    assert "Three ways in" in shown(at)
    assert repo.find_assessment(get_engine(), token).language == "en"


@pytest.mark.parametrize("page", ["app_pages/assessment.py", "app_pages/results.py", "app_pages/report.py"])
def test_the_pseudo_language_renders_every_screen_of_a_self_assessment(shipped_app, page):
    at = start(open_app(lang="qps"))
    assert "⟦" in shown(at)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert "⟦" in shown(at)


def english_messages() -> list[tuple]:
    """Every message of the translated screens, as written in the code (a plural: its singular and plural), with
    its context (None for most)."""
    found = []
    for path in TRANSLATED:
        for _line, message, _comments, context in extract_from_file("python", ROOT / path, keywords=KEYWORDS):
            found.append((message, context))
    return found


def test_every_message_of_the_translated_screens_has_its_german_in_app_po():
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for message, context in english_messages():
        entry = catalogue.get(message[0] if isinstance(message, tuple) else message, context)
        strings = entry.string if entry is not None else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(message)
    assert not missing, f"{len(missing)} messages have no German in app.po: {missing[:5]}"


def screens(language: str) -> dict[str, set[str]]:
    """The texts of each screen of a self-assessment started in `language`: its lines of three words or more."""
    at = start(open_app(lang=language))
    texts = {}
    for page in ("app_pages/start.py", "app_pages/assessment.py", "app_pages/results.py", "app_pages/report.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        texts[page] = {line for line in shown(at).splitlines()
                       if len(line.split()) >= 3 and not line.startswith(ELSEWHERE)}
    return texts


def test_the_german_screens_show_none_of_the_english_screens_texts(shipped_app):
    english, german = screens("en"), screens("de")
    for page, texts in english.items():
        left = sorted(texts & german[page])
        assert not left, f"{page} shows English: {left}"


def test_a_participant_picks_their_own_language_on_the_join_page_and_answers_in_it(shipped_app):
    workshop = ws.create_workshop(get_engine(), "Example Corp", QUICK, find_in_language(QUICK).version)
    at = open_app(code=workshop.display_code, page="app_pages/workshop_join.py")
    assert at.title[0].value == "Join a workshop"  # the engagement language, English
    at.selectbox(key="language_picker").set_value("de").run()
    assert at.title[0].value == "An einem Workshop teilnehmen"
    at.radio(key="join_role").set_value(workshop.roles[0].name).run()
    at.button(key="join").click().run()
    assert not at.exception, at.exception
    assert first_question("de") in shown(at)
    assert repo.find_assessment(get_engine(), at.query_params["a"]).language == "de"
    assert ws.get_workshop(get_engine(), workshop.id).language == "en"  # the room's language stays the engagement's


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "https://pg.example/workshop?code=K7QM-XR4P-9TZH&lang=de"),
    ("en", "https://pg.example/workshop?code=K7QM-XR4P-9TZH"),  # English, the default, as every link was before
])
def test_the_join_link_carries_the_engagement_language(language, expected):
    from ui.flow import join_link

    assert join_link("https://pg.example/", "K7QM-XR4P-9TZH", language) == expected


def test_a_workshop_started_in_german_keeps_german_as_its_engagement_language(shipped_app):
    at = open_app(lang="de", page="app_pages/workshop_new.py")
    assert at.selectbox(key="ws_language").value == "de"
    at.text_input(key="ws_client").input("Beispiel AG")
    at.button(key="create_workshop").click().run()
    assert not at.exception, at.exception
    assert ws.get_workshop(get_engine(), 1).language == "de"  # the first workshop of an empty database

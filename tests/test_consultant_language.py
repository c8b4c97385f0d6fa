"""A consultant's screens in the language they chose (?lang= or the browser): My workshops, New workshop, and the
pilot register of a leader's assessment in the assessment's language. English screens stay English."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import services
from scoring import Answer
from scoring.answers import Pilot
from storage import access, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page
from tests.test_access import app_engine, owner, page_as  # noqa: F401 - the signed-in pages' fixture and helper
from tests.test_app_language import open_app, start

QUICK = "quick-check"


def everything(at: AppTest) -> list[str]:
    """Every text a person reads on the screen: headings, text, messages, widgets' labels and help, the popovers'
    contents and the table headings."""
    parts = [e.value for kind in (at.title, at.header, at.subheader, at.markdown, at.caption, at.text, at.info,
                                  at.success, at.warning, at.error) for e in kind]
    widgets = [*at.button, *at.checkbox, *at.text_input, *at.selectbox, *at.radio, *at.text_area, *at.number_input,
               *at.multiselect, *at.date_input, *at.time_input]
    parts += [w.label for w in widgets] + [w.help for w in widgets if getattr(w, "help", None)]
    parts += [w.placeholder for w in widgets if getattr(w, "placeholder", None)]
    parts += [m.label for m in at.metric]
    parts += [str(column) for table in at.table for column in table.value.columns]
    parts += [label for frame in (*at.dataframe, *at.data_editor) for label in _labels(frame)]
    return [str(part) for part in parts if part]


def _labels(editor) -> list[str]:
    """The column labels an editable table shows (its column configuration, by stored column id)."""
    import json

    config = json.loads(editor.proto.columns or "{}")
    return [column["label"] for column in config.values() if column.get("label")]


def sentences(at: AppTest) -> set[str]:
    """The screen's texts of three words or more: what a person reads as English or German."""
    return {line for text in everything(at) for line in text.splitlines() if len(line.split()) >= 3}


def assert_none_left(english: AppTest, german: AppTest, screen: str) -> None:
    left = sorted(sentences(english) & sentences(german))
    assert not left, f"{screen} shows English: {left}"
    assert sentences(german), f"{screen} shows nothing"


def consultants_list(engine) -> None:
    """Ana's list: a workshop she owns and shared, one closed with its phase stored, one shared with her, a re-run."""
    first = access.create_workshop(engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    access.share(engine, first.id, owner("ana"), "chloe@example.com")
    joined = ws.join_workshop(engine, first, "Executive")
    repo.save_answers(engine, joined.id, {"data.inventory": Answer(3), "governance.board": Answer(2)})
    services.close_workshop(engine, first.id)
    access.rerun_workshop(engine, first.id, owner("ana"))
    given = access.create_workshop(engine, "Globex", "tiny", "1.0.0", owner=owner("ben"))
    access.share(engine, given.id, owner("ben"), "ana@example.com")


def my_workshops(language: str) -> AppTest:
    """Ana's list; each workshop's menu (a popover) is drawn, and read, whether or not it is open."""
    return page_as("app_pages/my_workshops.py", "ana", lang=language)


def test_my_workshops_in_german_shows_none_of_its_english_texts(app_engine):
    consultants_list(app_engine)
    english, german = my_workshops("en"), my_workshops("de")
    assert german.title[0].value == "Meine Workshops"
    assert any("Wiederholung vom" in c.value and "Teilnehmende" in c.value for c in german.caption)
    assert_none_left(english, german, "My workshops")


@pytest.mark.parametrize(("login", "says"), [(False, "Auf diesem Server ist keine Anmeldung eingerichtet"),
                                             (True, "Melden Sie sich an, um die Workshops")])
def test_my_workshops_in_german_says_how_to_get_in(app_engine, login, says):
    at = page_as("app_pages/my_workshops.py", None, login, lang="de")
    assert any(says in text for text in everything(at))


def test_new_workshop_in_german_shows_none_of_its_english_texts(app_engine):
    english = page_as("app_pages/workshop_new.py", "ana", lang="en")
    german = page_as("app_pages/workshop_new.py", "ana", lang="de")
    assert german.title[0].value == "Neuer Workshop"
    assert _labels(german.data_editor(key="ws_roles")) == ["Rolle", "Gruppe"]  # the stored ids stay role, group
    assert_none_left(english, german, "New workshop")


def test_a_workshop_made_on_the_german_page_stores_the_roles_it_offered(app_engine):
    at = page_as("app_pages/workshop_new.py", "ana", lang="de")
    at.text_input(key="ws_client").input("Beispiel AG")
    at.selectbox(key="ws_questionnaire").select("tiny")
    at.button(key="create_workshop").click().run()
    assert not at.exception, at.exception
    (made,) = [entry.workshop for client in access.list_workshops(app_engine, owner("ana"), "")
               for entry in client.entries]
    assert [(role.name, role.group) for role in made.roles] == [
        ("Geschäftsleitung", "executive"), ("Fachbereich", None), ("Daten & KI", "practitioner"),
        ("IT & Entwicklung", "practitioner"), ("Risiko & Recht", None)]


PILOTS = (Pilot("Rechnungsleser", "pilot", "2025-01"),
          Pilot("Churn-Modell", "production", "2024-03", production_since="2025-01", owner=True, kpi_baseline=True))


def pilot_screens(language: str) -> tuple[AppTest, AppTest]:
    """A self-assessment of the quick check in `language`, with two pilots: its Pilot portfolio step, and its
    results' portfolio."""
    at = start(open_app(lang=language), QUICK)
    token = at.query_params["a"]
    found = repo.find_assessment(get_engine(), token)
    repo.save_pilots(get_engine(), found.id, PILOTS)
    step = open_page("app_pages/assessment.py", a=token)
    step.session_state["pilot_step"] = token  # the Pilot portfolio step on screen, as its step picker opens it
    step.run()
    assert not step.exception, step.exception
    results = open_page("app_pages/results.py", a=token)
    return step, results


def test_a_german_assessments_pilot_register_shows_none_of_its_english_texts(shipped_app):
    (english_step, english_results), (german_step, german_results) = pilot_screens("en"), pilot_screens("de")
    assert [h.value for h in german_step.header] == ["Pilotportfolio"]
    assert "Verantwortlich" in _labels(german_step.data_editor(key="pilot_register"))
    assert "Pilotportfolio" in [h.value for h in german_results.header]
    assert_none_left(english_step, german_step, "The Pilot portfolio step")
    assert_none_left(english_results, german_results, "The results' pilot portfolio")

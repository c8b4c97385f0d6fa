"""A workshop's dashboard and presenter view speak its engagement language, whatever the facilitator's browser says
or a participant chose; participants' notes are shown as written, naming their language where it is not the
workshop's; and every write of the dashboard is a callback, so a plain rerun after it writes nothing again."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from questionnaires.translation import find_in_language
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.pilots import save_workshop_register
from tests.conftest import open_page

QUICK = "quick-check"
DASHBOARD, PRESENTER = "app_pages/workshop_dashboard.py", "app_pages/presenter.py"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Texts these pages show from other parts, still in English there (reports.workshop_charts: the room in words, the
# charts' words, the domain table's values; storage.workshops: a participant described, the audit log's lines), and
# texts the same in both languages (the user's own words, the title).
ELSEWHERE = re.compile(r"Answers |answers |Nobody has joined yet|\d+ open disputes?|\d+% confidence|Executives? |"
                       r"(Executive|Data & AI|Business|Data|Governance): |Complete: |A complete domain|Re-run of|P-00|"
                       r"Scan the QR code|Join the workshop|too few answers|Agreed after a long talk|Only finance keeps|"
                       r"Workshop · Example Corp$")


@pytest.fixture
def shipped_app(monkeypatch, tmp_path):
    """The app on an empty SQLite folder, offering the shipped questionnaires and their translations."""
    monkeypatch.delenv("PHASEGATE_QUESTIONNAIRES", raising=False)
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield tmp_path
    dispose_all()


def room(language: str, *, note_language: str = "en") -> ws.Workshop:
    """A quick-check workshop in `language` whose room disagrees on the first question; the last participant, who
    answers in `note_language`, leaves a note on it."""
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Example Corp", QUICK, find_in_language(QUICK).version, language=language)
    first = find_in_language(QUICK).questions[0].id
    for role, value, spoken in (("Executive", 4, None), ("Data & AI", 0, None), ("Business", 1, note_language)):
        person = ws.join_workshop(engine, workshop, role, language=spoken)
        repo.save_answers(engine, person.id, {first: repo.Answer(value)})
    repo.save_note(engine, person.id, first, "Only finance keeps a list")
    ws.save_consensus(engine, workshop.id, find_in_language(QUICK).questions[1].id, 2, "Agreed after a long talk")
    return workshop


def shown(at: AppTest) -> list[str]:
    """Every text on the screen a person reads, one per entry."""
    parts = [e.value for kind in (at.title, at.header, at.subheader, at.markdown, at.caption, at.text, at.info,
                                  at.success, at.warning, at.error) for e in kind]
    parts += [w.label for kind in (at.button, at.radio, at.metric, at.checkbox, at.selectbox, at.text_input,
                                   at.text_area, at.expander, at.tabs) for w in kind]
    parts += [b.label for b in at.get("form_submit_button")] + [str(help) for b in at.button if (help := b.help)]
    parts += [option for group in at.button_group for option in group.options]
    return [str(part).replace("\\", "") for part in parts]


def sentences(at: AppTest) -> set[str]:
    """The screen's lines of three words or more that are this page's own (not quoted from elsewhere)."""
    return {line for part in shown(at) for line in part.splitlines()
            if len(line.split()) >= 3 and not ELSEWHERE.match(line.lstrip("-* "))}


def screens(language: str, browser: str) -> dict[str, set[str]]:
    """The texts of a workshop in `language`: its dashboard, the presenter's join screen and its discussion mode,
    opened by a browser whose language is `browser`."""
    workshop = room(language)
    locale = lambda at: setattr(at, "context", {"locale": browser})  # noqa: E731 - the browser's language
    dashboard = open_page(DASHBOARD, f=workshop.facilitator_token, prepare=locale)
    presenter = open_page(PRESENTER, f=workshop.facilitator_token, prepare=locale)
    joining = sentences(presenter)
    presenter.button_group(key="presenter_mode").set_value("Discussion").run()
    assert not presenter.exception, presenter.exception
    return {"dashboard": sentences(dashboard), "join": joining, "discussion": sentences(presenter)}


def test_a_german_workshops_dashboard_and_presenter_view_show_none_of_the_english_texts(shipped_app):
    english = screens("en", browser="de-DE")  # the engagement language wins over the browser's, both ways
    german = screens("de", browser="en-GB")
    for screen, texts in english.items():
        assert texts, screen
        left = sorted(texts & german[screen])
        assert not left, f"{screen} shows English: {left}"
    assert any(text.startswith("Der Workshop ist offen") for text in german["dashboard"])
    assert any(text.startswith("The workshop is open") for text in english["dashboard"])


def test_a_german_workshop_stays_german_whatever_language_a_participant_answers_in(shipped_app):
    workshop = room("de", note_language="en")
    at = open_page(DASHBOARD, f=workshop.facilitator_token, prepare=lambda at: setattr(at, "context", {"locale": "en"}))
    assert at.title[0].value == "Workshop · Example Corp"
    assert at.header[0].value == "Die Runde"
    assert at.query_params["lang"] == "de"  # so the navigation speaks it too from the next run on
    assert [m.label for m in at.metric][:3] == ["Teilnehmende", "Abgeschlossen", "Strittige Fragen"]


@pytest.mark.parametrize(("workshop_language", "note_language", "named"), [
    ("de", "en", " (Englisch)"),  # written by a participant who answered in English, in a German workshop
    ("en", "de", " (German)"),
    ("de", "de", ""),  # in the workshop's own language: nothing to say
])
def test_a_participants_note_is_shown_as_written_naming_its_language(shipped_app, workshop_language, note_language,
                                                                     named):
    workshop = room(workshop_language, note_language=note_language)
    at = open_page(DASHBOARD, f=workshop.facilitator_token)
    notes = [m.value.replace("\\", "") for m in at.markdown if "Only finance keeps a list" in m.value]
    assert notes and all(f"**P-003 · Business**{named}: Only finance keeps a list" in note for note in notes)


def test_the_presenter_view_never_shows_a_participants_note(shipped_app):
    workshop = room("de")
    at = open_page(PRESENTER, f=workshop.facilitator_token)
    at.button_group(key="presenter_mode").set_value("Discussion").run()
    assert not any("Only finance keeps a list" in text for text in shown(at))


# --- every write is a callback: a plain rerun after it writes nothing again -----------------------------------


@pytest.fixture
def writes():
    """The write statements sent to any database while the test runs."""
    seen: list[str] = []

    def look(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in WRITES:
            seen.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", look)
    yield seen
    event.remove(Engine, "before_cursor_execute", look)


def remove_stray(at: AppTest, workshop: ws.Workshop) -> None:
    stray = ws.list_participants(get_engine(), workshop.id)[-1]
    at.selectbox(key="remove_participant_pick").set_value(stray.assessment.id).run()
    at.button(key="remove_participant").click().run()


def removed_first(workshop: ws.Workshop) -> None:
    stray = ws.list_participants(get_engine(), workshop.id)[-1]
    ws.remove_participant(get_engine(), workshop.id, stray.assessment.id)


def removed_id(workshop: ws.Workshop) -> int:
    return ws.room_participants(get_engine(), workshop.id)[1][0].assessment.id


def record(at: AppTest, workshop: ws.Workshop) -> None:
    question = at.selectbox(key="consensus_question").value
    at.radio(key=f"consensus_value:{question}").set_value(1)
    at.button(key="FormSubmitter:consensus_form-Record consensus").click().run()


def save_branding(at: AppTest, workshop: ws.Workshop) -> None:
    at.text_input(key="brand_prepared_by").input("Harbour Advisory")
    at.button(key="FormSubmitter:workshop_branding-Save branding").click().run()


def close(at: AppTest, workshop: ws.Workshop) -> None:
    at.checkbox(key="confirm_close").check().run()
    at.button(key="close_workshop").click().run()


def rerun_it(at: AppTest, workshop: ws.Workshop) -> None:
    at.checkbox(key="confirm_rerun").check().run()
    at.button(key="rerun_workshop").click().run()


def delete(at: AppTest, workshop: ws.Workshop) -> None:
    at.text_input(key="confirm_delete_workshop").input("example corp").run()
    at.button(key="delete_workshop").click().run()


# (what is done on the page, what is stored before it, what it stores, what the page then shows)
WRITTEN = {
    "confirm carried pilots": (lambda at, w: at.button(key="confirm_carried_pilots").click().run(), None,
                               lambda w: ws.carried_pilots(get_engine(), w.id) == [], None),
    "record consensus": (record, None, lambda w: len(ws.load_consensus(get_engine(), w.id)) == 1,
                         "Consensus recorded."),
    "remove consensus": (lambda at, w: at.button(key="remove_consensus:data.inventory").click().run(),
                         lambda w: ws.save_consensus(get_engine(), w.id, "data.inventory", 2, ""),
                         lambda w: ws.load_consensus(get_engine(), w.id) == {}, None),
    "close the workshop": (close, None, lambda w: ws.get_workshop(get_engine(), w.id).is_closed(),
                           "The workshop is closed: participants can no longer join or answer."),
    "re-run for this client": (rerun_it, None, lambda w: ws.get_workshop(get_engine(), w.id + 1) is not None,
                               "Save your secret facilitator link now."),
    "save branding": (save_branding, None, lambda w: ws.get_workshop(get_engine(), w.id).branding is not None,
                      "Branding saved: the next PDF and deck carry it."),
    "remove a participant": (remove_stray, None, lambda w: ws.removed_count(get_engine(), w.id) == 1, "Removed (1)"),
    "restore a participant": (lambda at, w: at.button(key=f"restore_participant:{removed_id(w)}").click().run(),
                              removed_first, lambda w: ws.removed_count(get_engine(), w.id) == 0, None),
    "erase a participant": (lambda at, w: at.button(key=f"erase_participant:{removed_id(w)}").click().run(),
                            removed_first, lambda w: len(ws.room_participants(get_engine(), w.id)[1]) == 0, None),
    "delete the workshop": (delete, None, lambda w: ws.get_workshop(get_engine(), w.id) is None,
                            "The workshop for Example Corp and all its data were deleted."),
}


@pytest.fixture
def rerun_room(app_env):
    """A re-run of a tiny workshop with a carried-over pilot register and two participants who disagree."""
    from scoring.answers import Pilot
    import services

    engine = get_engine()
    first = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    save_workshop_register(engine, first.id, (Pilot("Churn model", "pilot", "2025-01", owner=True),))
    services.close_workshop(engine, first.id)
    again = ws.rerun_workshop(engine, ws.get_workshop(engine, first.id))
    for role, value in (("Executive", 4), ("Data & AI", 0)):
        repo.save_answer(engine, ws.join_workshop(engine, again, role).id, "data.inventory", value)
    return again


@pytest.mark.parametrize("done", list(WRITTEN))
def test_each_write_of_the_dashboard_happens_once_and_a_plain_rerun_after_it_writes_nothing(rerun_room, writes,
                                                                                             done):
    act, before, stored, then_shown = WRITTEN[done]
    if before is not None:
        before(rerun_room)
    at = open_page(DASHBOARD, f=rerun_room.facilitator_token)
    act(at, rerun_room)
    assert not at.exception, at.exception
    assert stored(rerun_room), f"{done}: not stored"
    if then_shown is not None:
        assert any(then_shown in text for text in shown(at)), f"{done}: {then_shown!r} not shown"
    writes.clear()
    for _ in range(2):
        at.run()
        assert not at.exception, at.exception
    assert writes == [], f"{done}: a plain rerun wrote {writes}"

"""A workshop's dashboard and presenter view speak its engagement language, whatever the facilitator's browser says
or a participant chose, from their very first load (the navigation too); participants are described and the audit log
read in it, lines stored before that as written; participants' notes are shown as written, naming their language
where it is not the workshop's, and the long export names each one's language; and every write of the dashboard is a
callback, so a plain rerun after it writes nothing again."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import openpyxl
import pytest
from alembic import command
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

import i18n
import services
from questionnaires.translation import find_in_language
from reports import exports
from scoring.answers import DONT_KNOW, NA, answer_label
from storage import access, dispose_all, get_engine, schema
from storage import repository as repo
from storage import workshops as ws
from storage.engine import connect
from storage.pilots import save_workshop_register
from storage.tables import workshop_events
from tests.conftest import open_page
from tests.test_summaries_migration import _workshop

QUICK = "quick-check"
DASHBOARD, PRESENTER = "app_pages/workshop_dashboard.py", "app_pages/presenter.py"
ANA = access.Consultant("https://id.example.com#ana", "ana@example.com", "Ana")
# Texts these pages show from other parts, still in English there (reports.workshop_charts: the room in words, the
# charts' words, the domain table's values), and texts the same in both languages (the user's own words, the title).
ELSEWHERE = re.compile(r"Answers |answers |Nobody has joined yet|\d+ open disputes?|\d+% confidence|Executives? |"
                       r"(Executive|Data & AI|Business|Data|Governance): |Complete: |A complete domain|Re-run of|"
                       r"Scan the QR code|Join the workshop|too few answers|Agreed after a long talk|Only finance keeps|"
                       r"Workshop · Example Corp$")


def room(language: str, *, note_language: str = "en", owner: access.Consultant | None = None) -> ws.Workshop:
    """A quick-check workshop in `language` (owned by `owner`, if given) whose room disagrees on the first question;
    the last participant, who answers in `note_language`, leaves a note on it."""
    engine = get_engine()
    create = ws.create_workshop if owner is None else lambda *args, **options: access.create_workshop(
        *args, owner=owner, **options)
    workshop = create(engine, "Example Corp", QUICK, find_in_language(QUICK).version, language=language)
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
    return texts_of(opened(room(language), browser))


def texts_of(pages: dict) -> dict[str, set[str]]:
    """The sentences of the dashboard, the presenter's join screen and its discussion mode (pages as `opened`)."""
    return {"dashboard": sentences(pages["dashboard"]), "join": pages["join"],
            "discussion": sentences(pages["discussion"])}


def opened(workshop: ws.Workshop, browser: str) -> dict:
    """The workshop's dashboard, the presenter's join screen (its sentences) and its discussion mode, opened by a
    browser whose language is `browser`; the navigation each page drew on its first load."""
    locale = lambda at: setattr(at, "context", {"locale": browser})  # noqa: E731 - the browser's language
    dashboard = open_page(DASHBOARD, f=workshop.facilitator_token, prepare=locale)
    presenter = open_page(PRESENTER, f=workshop.facilitator_token, prepare=locale)
    navigation = {DASHBOARD: navigation_of(dashboard), PRESENTER: navigation_of(presenter)}
    joining = sentences(presenter)
    presenter.button_group(key="presenter_mode").set_value("Discussion").run()
    assert not presenter.exception, presenter.exception
    return {"dashboard": dashboard, "join": joining, "discussion": presenter, "navigation": navigation}


def navigation_of(at: AppTest) -> set[str]:
    """The page titles of the navigation the last run drew."""
    return {info["page_name"] for info in at._registered_pages.values()}


@pytest.fixture(scope="module")
def german_room(tmp_path_factory):
    """A German workshop whose last participant answered and left a note in English, stored once for the module in
    the app's settings as `shipped_app` gives them; its pages, opened by an English browser, once a test asks for
    them (`german`). The tests that take it only read it."""
    data = tmp_path_factory.mktemp("german") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PHASEGATE_QUESTIONNAIRES", raising=False)
        patch.setenv("PHASEGATE_DATA_DIR", str(data))
        patch.delenv("DATABASE_URL", raising=False)
        yield {"workshop": room("de", note_language="en"), "data": data}
        dispose_all()


@pytest.fixture
def german(german_room) -> dict:
    """The German workshop's pages as an English browser opens them (see `opened`), opened by the first test that
    asks, within its run (so with the stand-in PDF workers)."""
    if "pages" not in german_room:
        with pytest.MonkeyPatch.context() as patch:  # the room's settings, over a test's own `shipped_app`
            patch.setenv("PHASEGATE_DATA_DIR", str(german_room["data"]))
            german_room["pages"] = opened(german_room["workshop"], browser="en-GB")
    return german_room["pages"]


def test_a_german_workshops_dashboard_and_presenter_view_show_none_of_the_english_texts(shipped_app, german):
    english = screens("en", browser="de-DE")  # the engagement language wins over the browser's, both ways
    german = texts_of(german)
    for screen, texts in english.items():
        assert texts, screen
        left = sorted(texts & german[screen])
        assert not left, f"{screen} shows English: {left}"
    assert any(text.startswith("Der Workshop ist offen") for text in german["dashboard"])
    assert any(text.startswith("The workshop is open") for text in english["dashboard"])


def test_a_german_workshop_stays_german_whatever_language_a_participant_answers_in(german):
    at = german["dashboard"]
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


def test_the_presenter_view_never_shows_a_participants_note(german):
    assert not any("Only finance keeps a list" in text for text in shown(german["discussion"]))


@pytest.mark.parametrize("page", [DASHBOARD, PRESENTER])
def test_the_first_load_of_a_german_workshops_page_draws_the_navigation_in_german_too(german, page):
    titles = german["navigation"][page]  # the navigation of the page's first load
    assert {"Workshop-Übersicht", "Präsentationsansicht", "Neuer Workshop"} <= titles, titles


# --- a participant described, the audit log ---------------------------------------------------------------------------


def audited(language: str) -> ws.Workshop:
    """A workshop in `language` whose audit log holds a line of every kind: a stray participant removed, restored and
    removed again (so the page describes them among the removed), another removed and erased, the workshop shared,
    taken back and given a new secret link (the one returned)."""
    engine = get_engine()
    workshop = room(language, owner=ANA)
    for stray in (ws.join_workshop(engine, workshop, "Data & AI"), ws.join_workshop(engine, workshop, "Executive")):
        repo.save_answer(engine, stray.id, find_in_language(QUICK).questions[0].id, 2)
        ws.remove_participant(engine, workshop.id, stray.id, "ana@example.com")
    kept, erased = (p.assessment.id for p in ws.list_participants(engine, workshop.id, removed=True))
    ws.restore_participant(engine, workshop.id, kept)
    ws.remove_participant(engine, workshop.id, kept)
    ws.erase_participant(engine, workshop.id, erased, "ana@example.com")
    access.share(engine, workshop.id, ANA, "chloe@example.com")
    access.unshare(engine, workshop.id, ANA, "chloe@example.com")
    return dataclasses.replace(workshop, facilitator_token=access.new_secret_link(engine, workshop.id, ANA))


def test_a_german_workshops_participants_and_audit_log_show_none_of_the_english_texts(shipped_app):
    english, german = (open_page(DASHBOARD, f=audited(language).facilitator_token) for language in ("en", "de"))
    left = sorted(sentences(english) & sentences(german))
    assert not left, f"the German dashboard shows English: {left}"
    log = [t.value for t in german.text]
    assert len(log) == 8 and [t.value for t in english.text][0].endswith(
        "UTC · made a new secret facilitator link; the old one no longer opens the workshop (by ana@example.com)")
    assert [line.split(" UTC · ", 1)[1] for line in log] == [
        "neuen geheimen Moderationslink erstellt; der alte öffnet den Workshop nicht mehr (durch ana@example.com)",
        "nicht mehr mit chloe@example.com geteilt (durch ana@example.com)",
        "mit chloe@example.com geteilt (durch ana@example.com)",
        "Antworten von P-005 endgültig gelöscht (durch ana@example.com)",
        "P-004 · Data & AI · 1 Antwort aus allen Auswertungen und Exporten entfernt (durch die Moderation)",
        "P-004 · Data & AI · 1 Antwort wiederhergestellt: wird wieder gezählt (durch die Moderation)",
        "P-005 · Executive · 1 Antwort aus allen Auswertungen und Exporten entfernt (durch ana@example.com)",
        "P-004 · Data & AI · 1 Antwort aus allen Auswertungen und Exporten entfernt (durch ana@example.com)"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d", log[0].split(" UTC · ")[0])
    described = [text for m in german.markdown if (text := m.value.replace("\\", "")).startswith("P-004")]
    assert described and re.fullmatch(r"P-004 · Data & AI · beigetreten am \d+\. \w+\.?, \d\d:\d\d UTC · nicht "
                                      r"abgeschlossen · 1 Antwort · „Weiß nicht“: 0", described[0]), described


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Removed P-001 · Executive · 1 answer from every aggregate and export"),
    ("de", "P-001 · Executive · 1 Antwort aus allen Auswertungen und Exporten entfernt"),
])
def test_an_audit_line_is_read_in_the_readers_language_and_stored_in_english(engine, language, expected):
    workshop = ws.create_workshop(engine, "Client AG", "quick-check", find_in_language(QUICK).version)
    person = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, person.id, find_in_language(QUICK).questions[0].id, 1)
    ws.remove_participant(engine, workshop.id, person.id)
    with i18n.use(language):
        [line] = ws.list_events(engine, workshop.id)
        assert line.sentence() == expected
    assert line.detail == "Removed P-001 · Executive · 1 answer from every aggregate and export"
    assert line.facts == {"label": "P-001", "role": "Executive", "answers": 1}


def test_audit_lines_stored_before_their_facts_were_kept_read_as_written_after_the_upgrade(database_url):
    old = connect(database_url)
    with old.begin() as conn:
        command.upgrade(schema._config(conn), "0013")
        workshop_id = _workshop(conn, "Client AG", closed=False)
        conn.execute(insert(workshop_events).values(workshop_id=workshop_id, at=repo.now(), actor="",
                                                    action=ws.REMOVED, detail="Removed P-002 · Executive · 3 answers "
                                                    "from every aggregate and export"))
    old.dispose()
    engine = get_engine(database_url)  # upgrades to the newest revision, as the app does when it starts
    with i18n.use("de"):
        [line] = ws.list_events(engine, workshop_id)
        assert line.facts is None
        assert str(line).endswith(" UTC · Removed P-002 · Executive · 3 answers from every aggregate and export "
                                  "(durch die Moderation)")
    dispose_all()


def test_a_line_whose_facts_this_release_cannot_read_shows_its_sentence_as_written():
    line = ws.WorkshopEvent(repo.now(), "", "pilot_archived", "archived the pilot Churn model", {"pilot": "x"})
    odd = ws.WorkshopEvent(repo.now(), "", ws.REMOVED, "Removed P-009 from every aggregate", {"name": "P-009"})
    with i18n.use("de"):
        assert (line.sentence(), odd.sentence()) == ("archived the pilot Churn model", "Removed P-009 from every aggregate")


# --- answers named in the workshop's language; the long export names each participant's language ---------------


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Don't know", "Not applicable", "Not answered"]),
    ("de", ["Weiß nicht", "Nicht zutreffend", "Nicht beantwortet"]),
])
def test_dont_know_not_applicable_and_no_answer_are_named_in_the_language_of_the_moment(language, expected):
    questionnaire = find_in_language(QUICK, language=language) if language != "en" else find_in_language(QUICK)
    question = next(q for q in questionnaire.questions if q.allow_dont_know and q.allow_na)
    with i18n.use(language):
        assert [answer_label(questionnaire, question, value) for value in (DONT_KNOW, NA, None)] == expected


def test_the_rooms_answer_list_names_dont_know_in_the_workshops_language(german_room):
    workshop = german_room["workshop"]
    german = find_in_language(QUICK, language="de")
    with i18n.use("de"):
        _people, result = services.aggregate_stored(get_engine(), workshop, german)
    stats = result.questions[0]
    labels = [option.label for option in stats.distribution]
    assert "Weiß nicht" in labels and "Don't know" not in labels, labels
    assert [c.label for c in stats.by_role[0].counts] == labels


def test_the_long_csv_and_the_workbook_name_each_participants_language(german_room):
    workshop = german_room["workshop"]
    german = find_in_language(QUICK, language="de")
    with i18n.use("de"):
        people, result = services.aggregate_stored(get_engine(), workshop, german)
        table = exports.long_csv(german, people)
        book = openpyxl.load_workbook(io.BytesIO(exports.workshop_xlsx(german, people, result)))
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
    assert list(rows[0])[-2:] == ["note", "language"]  # the CSV's column ids stay English
    noted = [(r["participant"], r["note"], r["language"]) for r in rows if r["note"]]
    assert noted == [("P-003", "Only finance keeps a list", "en")]
    assert {r["participant"]: r["language"] for r in rows} == {"P-001": "de", "P-002": "de", "P-003": "en"}
    sheet = book["Antworten"]
    assert [cell.value for cell in sheet[1]][-2:] == ["Notiz", "Sprache"]


# --- every write is a callback: a plain rerun after it writes nothing again -----------------------------------


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
    at.run()
    assert not at.exception, at.exception
    assert writes == [], f"{done}: a plain rerun wrote {writes}"

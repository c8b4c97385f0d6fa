"""The workshop PDF on the dashboard: rendered in a worker as the dashboard is drawn, once per set of stored inputs,
again when one of them changes."""

from __future__ import annotations

import datetime as dt

import pytest

import services
from questionnaires import find_questionnaire
from reports.branding import Branding
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import set_workshop_profile
from tests.cold_pdf_workers import without_warm_up
from tests.conftest import open_page
from tests.pdf_text import pdf_words
from ui import pdf_worker

STARTUP_SECONDS = 240  # the workers warm up (one report each) before their first job
DAY = dt.date(2025, 5, 12)


@pytest.fixture
def room(app_env):
    """A workshop of the tiny questionnaire with two participants who answered; workers that read its database."""
    pdf_worker.shutdown()  # workers started from here on see this test's settings
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    people = [ws.join_workshop(engine, workshop, "Executive"), ws.join_workshop(engine, workshop, "Data & AI")]
    repo.save_answer(engine, people[0].id, "data.inventory", 1)
    repo.save_answer(engine, people[1].id, "data.inventory", 4)
    yield engine, workshop, people
    pdf_worker.shutdown()


class KeptWorkers:
    """In place of `pdf_worker.pool` (called for the pool, cleared to stop it): the app's own pool, started once by
    `pdf_worker.pool` for this module's tests that read a real PDF and kept from one of them to the next, rather than
    started again for each (a new worker warms up on a report of its own before its first job). Every job carries the
    settings of the test that submits it (`reports.workers.in_environment`), so the worker reads that test's
    database; the renders are still forgotten after each test (`pdf_worker.shutdown`)."""

    def __init__(self, started) -> None:
        self._started = started

    def __call__(self):
        return self._started

    def clear(self) -> None:
        """Kept for the module's next test when a test lets go of the app's workers: `kept_workers` stops the pool
        once the module is done."""


@pytest.fixture(scope="module")
def kept_workers():
    """The app's pool, started as a page starts it (without the warm-up: the renders are the subject here), and
    stopped once the module's tests are done."""
    app_pool = pdf_worker.pool
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_worker, "process_pool", without_warm_up)
        kept = KeptWorkers(app_pool())
    yield kept
    app_pool.clear()


@pytest.fixture
def workers(kept_workers, monkeypatch):
    """The module's kept pool as the app's pool; ask for it before `room`, which lets go of the app's workers."""
    monkeypatch.setattr(pdf_worker, "pool", kept_workers)


def inputs(engine, workshop_id: int) -> pdf_worker.WorkshopPdfInputs:
    workshop = ws.get_workshop(engine, workshop_id)
    return pdf_worker.workshop_inputs_of(engine, workshop, find_questionnaire("tiny", "1.0.0"), today=DAY)


@pytest.mark.pdf_workers
def test_the_same_workshop_inputs_render_once_and_a_changed_consensus_renders_again(workers, room):
    engine, workshop, _ = room
    started: list[int] = []

    def counted(workshop_id: int):
        started.append(workshop_id)
        return pdf_worker.submit_workshop_pdf(workshop_id)

    render = pdf_worker.workshop_render_for(inputs(engine, workshop.id), submit=counted)
    assert pdf_worker.workshop_render_for(inputs(engine, workshop.id), submit=counted) is render
    assert "2 participants answered" in pdf_words(render.future.result(timeout=STARTUP_SECONDS))
    assert pdf_worker.workshop_render_for(inputs(engine, workshop.id), submit=counted) is render  # done: kept
    assert started == [workshop.id]

    ws.save_consensus(engine, workshop.id, "data.inventory", 3, "Agreed after the coffee break.")
    agreed = pdf_worker.workshop_render_for(inputs(engine, workshop.id), submit=counted)
    assert agreed is not render and started == [workshop.id, workshop.id]
    assert "Agreed after the coffee break." in pdf_words(agreed.future.result(timeout=STARTUP_SECONDS))
    assert pdf_worker.workshop_render_for(inputs(engine, workshop.id), submit=counted) is agreed
    assert len(started) == 2


def test_the_workshop_key_follows_every_stored_input_and_only_them(room):
    engine, workshop, people = room
    keys = [inputs(engine, workshop.id).key()]
    assert inputs(engine, workshop.id).key() == keys[0]  # read again, nothing changed
    changes = [
        lambda: repo.save_answer(engine, people[0].id, "data.pipelines", 2),  # a counted participant answers
        lambda: ws.save_consensus(engine, workshop.id, "data.inventory", 2, "Two it is."),
        lambda: ws.remove_participant(engine, workshop.id, people[1].id),
        lambda: ws.set_branding(engine, workshop.id, Branding("Harbour Advisory", "#7a1f5c").to_stored()),
        lambda: set_workshop_profile(engine, workshop.id, {"size": "large", "industry": "retail"}),
        lambda: services.close_workshop(engine, workshop.id),
    ]
    for change in changes:
        change()
        keys.append(inputs(engine, workshop.id).key())
    assert len(set(keys)) == len(keys)
    tomorrow = pdf_worker.workshop_inputs_of(engine, ws.get_workshop(engine, workshop.id),
                                             find_questionnaire("tiny", "1.0.0"), today=DAY + dt.timedelta(days=1))
    assert tomorrow.key() != keys[-1]  # the date printed on it


@pytest.mark.pdf_workers
def test_the_dashboard_prepares_the_workshop_pdf_and_offers_it_when_ready(workers, room):
    engine, workshop, _ = room
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    offered = lambda: [b for b in at.get("download_button") if b.proto.label == "Workshop report (PDF)"]  # noqa: E731
    if not offered():  # still in the worker: the button says so, and the next run after the render ends offers it
        assert [b.proto.label for b in at.button if b.key == "download_workshop_pdf_preparing"] == \
            ["Preparing the PDF…"]
        [render] = pdf_worker.renders().kept().values()
        render.future.result(timeout=STARTUP_SECONDS)
        at.run()
        assert not at.exception, at.exception
    assert offered()
    kept = pdf_worker.renders().kept()
    at.run()
    assert pdf_worker.renders().kept() == kept  # nothing changed: nothing rendered again
    at.button(key="refresh_consensus").click().run()
    assert pdf_worker.renders().kept() == kept


def test_the_live_panel_can_tell_when_answers_came_in_after_the_pdf_was_prepared(room):
    """The dashboard keeps the key its PDF was prepared from; the live panel compares it with the key of the room as
    it reads it on each refresh (a fresh read of the workshop and its aggregate)."""
    engine, workshop, people = room
    questionnaire = find_questionnaire("tiny", "1.0.0")
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    assert not at.exception, at.exception
    offered = at.session_state["pdf_offered"]

    def live_key() -> str:
        current = ws.get_workshop(engine, workshop.id)
        _, result = services.aggregate_stored(engine, current, questionnaire)
        return pdf_worker.workshop_inputs_of(engine, current, questionnaire, result).key()

    assert live_key() == offered  # nothing new: no note
    repo.save_answer(engine, people[0].id, "data.pipelines", 2)
    assert live_key() != offered  # a new answer: the live panel says so
    at.button(key="refresh_consensus").click().run()
    assert at.session_state["pdf_offered"] == live_key()  # refreshed: prepared with it

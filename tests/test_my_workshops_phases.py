"""My workshops shows each closed room's phase from its stored summary, scoring nothing to draw the list."""

from __future__ import annotations

import services
from scoring import Answer
from storage import access
from storage import repository as repo
from storage import summaries
from storage import workshops as ws
from tests.test_access import app_engine, owner, page_as, shown  # noqa: F401 - fixtures and helpers of the pages


def room(engine, client: str, values, close: bool = True):
    workshop = access.create_workshop(engine, client, "tiny", "1.0.0", owner=owner("ana"))
    for value in values:
        joined = ws.join_workshop(engine, workshop, "Executive")
        repo.save_answers(engine, joined.id, {"data.inventory": Answer(value), "data.pipelines": Answer(value),
                                              "governance.board": Answer(value), "governance.approval": Answer(value)})
    if close:
        services.close_workshop(engine, workshop.id)  # stores its summary
    return workshop


def test_my_workshops_shows_the_phase_each_closed_room_was_stored_at_without_scoring(app_engine, monkeypatch):
    room(app_engine, "Acme", [4, 4])
    room(app_engine, "Globex", [1])
    room(app_engine, "Initech", [4], close=False)

    def no_scoring(*args, **kwargs):
        raise AssertionError("My workshops scored a stored room")

    monkeypatch.setattr(services, "aggregate_stored", no_scoring)
    monkeypatch.setattr(summaries, "aggregate_room", no_scoring)
    at = page_as("app_pages/my_workshops.py", "ana")
    lines = [shown([caption]) for caption in at.caption if "participant" in caption.value]
    assert [line.split(" · ", 2)[-1] for line in lines] == [  # the latest client first
        "1 participant, 0 finished",  # Initech: still open
        "1 participant, 0 finished · phase 1 — Assess & Align, index 0.2 / 4",  # Globex
        "2 participants, 0 finished · phase 3 — Launch & Learn, index 2.0 / 4"]  # Acme

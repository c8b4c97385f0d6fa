"""The participant limit holds when a whole room joins at the same moment, on SQLite and on PostgreSQL."""
from __future__ import annotations

import threading

import pytest

from storage import workshops as ws
from storage.engine import dispose_all

PEOPLE = 20
LIMIT = 5


def join_all_at_once(engine, workshop, people: int) -> tuple[int, list[str]]:
    """How many of `people` simultaneous joins were admitted, and what the others were told."""
    barrier = threading.Barrier(people)
    admitted, refused, failures = [], [], []

    def person():
        barrier.wait()
        try:
            admitted.append(ws.join_workshop(engine, workshop, "Executive"))
        except ws.WorkshopError as exc:
            refused.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - anything else is a failure of the test, reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=person) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return len(admitted), refused


def test_twenty_simultaneous_joins_admit_exactly_the_limit(engine, monkeypatch):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", str(LIMIT))
    workshop = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    admitted, refused = join_all_at_once(engine, workshop, PEOPLE)
    assert admitted == LIMIT
    assert set(refused) == {f"This workshop is full: it accepts at most {LIMIT} participants. "
                            "Ask the facilitator if you should be in it."}
    assert len(refused) == PEOPLE - LIMIT
    assert len(ws.list_participants(engine, workshop.id)) == LIMIT


def test_a_full_room_in_one_workshop_does_not_hold_up_another(engine, monkeypatch):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", str(LIMIT))
    first = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    second = ws.create_workshop(engine, "Other client", "tiny", "1.0.0")
    join_all_at_once(engine, first, PEOPLE)
    assert ws.join_workshop(engine, second, "Executive").workshop_id == second.id


def test_restoring_a_removed_participant_into_a_full_room_is_refused(engine, monkeypatch):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", "2")
    workshop = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    first = ws.join_workshop(engine, workshop, "Executive")
    ws.join_workshop(engine, workshop, "Executive")
    ws.remove_participant(engine, workshop.id, first.id)
    ws.join_workshop(engine, workshop, "Executive")
    with pytest.raises(ws.WorkshopError, match="already counts 2 participants"):
        ws.restore_participant(engine, workshop.id, first.id)
    assert len(ws.list_participants(engine, workshop.id)) == 2

"""A rerun is free: every page, once open, writes nothing to the database however often it runs again with
nothing pressed. Writes belong to callbacks and submits."""

from __future__ import annotations

import pytest

import services
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page


@pytest.fixture
def stored(app_env):
    """An open assessment, a finished one, and a workshop with one participant who answered."""
    engine = get_engine()
    open_one = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Example Corp")
    repo.save_answer(engine, open_one.id, "data.inventory", 3)
    finished = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Example Corp")
    repo.save_answer(engine, finished.id, "data.inventory", 2)
    services.finish_assessment(engine, finished.id)
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, participant.id, "data.inventory", 2)
    return {"open": open_one.token, "finished": finished.token, "code": workshop.display_code,
            "participant": participant.token, "facilitator": workshop.facilitator_token}


@pytest.mark.parametrize(("page", "params"), [
    ("start", {}),
    ("assessment", {"a": "open"}),
    ("results", {"a": "finished"}),
    ("report", {"a": "open"}),
    ("workshop_join", {"code": "code"}),
    ("workshop_join", {"code": "0000-0000-0000"}),  # a wrong code: counted once, on arrival
    ("workshop_join", {"a": "participant"}),
    ("workshop_new", {}),
    ("workshop_dashboard", {"f": "facilitator"}),
    ("presenter", {"f": "facilitator"}),
    ("my_workshops", {}),
])
def test_three_plain_reruns_of_an_open_page_write_nothing(stored, writes, page, params):
    at = open_page(f"app_pages/{page}.py", **{name: stored.get(value, value) for name, value in params.items()})
    writes.clear()
    for _ in range(3):
        at.run()
        assert not at.exception, at.exception
    assert writes == []

"""One run of the workshop dashboard reads everyone's answers once, and its number of queries does not grow with the
number of participants."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page

DASHBOARD = "app_pages/workshop_dashboard.py"


@pytest.fixture
def engine(app_env):
    yield get_engine()


def room(engine, people: int):
    """A workshop of `people` participants who each answered three questions, one of them then removed."""
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    for number in range(people):
        person = ws.join_workshop(engine, workshop, "Executive" if number % 2 else "Data & AI")
        repo.save_answers(engine, person.id, {"data.inventory": repo.Answer(number % 5),
                                              "data.pipelines": repo.Answer(2), "governance.board": repo.Answer(3)})
    removed = ws.list_participants(engine, workshop.id)[0]
    ws.remove_participant(engine, workshop.id, removed.assessment.id)
    return workshop


def counted_run(engine, workshop) -> tuple[int, int]:
    """(queries, reads of the participants' answers) of one run of the dashboard."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        at = open_page(DASHBOARD, f=workshop.facilitator_token)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert not at.exception, at.exception
    assert at.metric[0].value == str(len(ws.list_participants(engine, workshop.id)))  # the room was drawn
    reads = [s for s in statements if "answers.value" in s and "answers.note" in s and "workshop_id" in s]
    return len(statements), len(reads)


def test_a_dashboard_run_reads_the_answers_once_however_many_joined(engine):
    few = counted_run(engine, room(engine, 3))
    many = counted_run(engine, room(engine, 120))
    assert few[1] == many[1] == 1
    assert many[0] == few[0]


def test_the_participants_panel_shows_the_room_it_was_given(engine):
    workshop = room(engine, 4)
    at = open_page(DASHBOARD, f=workshop.facilitator_token)
    assert "Removed (1)" in [s.value for s in at.subheader]
    assert any(m.value.replace("\\", "").startswith("P-001 ·") for m in at.markdown)  # the removed one, under Removed
    assert len(at.selectbox(key="remove_participant_pick").options) == 3  # the others, to remove

"""One person, one participant: the resume token a browser keeps brings back its participant of that workshop, and
only that; a removed participant stays removed."""

from __future__ import annotations

import pytest

from storage import get_engine
from storage import repository as repo
from storage import workshops as ws


@pytest.fixture
def workshop(engine):
    return ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")


def test_the_kept_token_brings_back_the_same_participant_and_joins_no_one_new(engine, workshop):
    joined = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, joined.id, "data.inventory", 3)
    back = ws.returning_participant(engine, workshop, joined.token)
    assert (back.id, back.token) == (joined.id, joined.token)
    assert [p.assessment.id for p in ws.list_participants(engine, workshop.id)] == [joined.id]


@pytest.mark.parametrize("token", [None, "", "not-a-token", "x" * 500], ids=["none", "empty", "unknown", "too-long"])
def test_a_browser_without_a_known_token_is_a_new_participant(engine, workshop, token):
    assert ws.returning_participant(engine, workshop, token) is None


def test_another_workshops_participant_is_not_brought_into_this_one(engine, workshop):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    elsewhere = ws.join_workshop(engine, other, "Executive")
    assert ws.returning_participant(engine, workshop, elsewhere.token) is None


def test_a_self_assessments_token_is_not_a_participant(engine, workshop):
    own = repo.create_assessment(engine, "tiny", "1.0.0")
    assert ws.returning_participant(engine, workshop, own.token) is None


def test_a_removed_participant_stays_removed_however_they_come_back(engine, workshop):
    joined = ws.join_workshop(engine, workshop, "Executive")
    ws.remove_participant(engine, workshop.id, joined.id)
    with pytest.raises(ws.ParticipantRemoved):
        ws.returning_participant(engine, workshop, joined.token)
    with pytest.raises(ws.ParticipantRemoved):  # and their resume link saves nothing
        repo.save_answer(engine, joined.id, "data.inventory", 1)


def test_the_cookie_is_named_per_workshop():
    assert ws.participant_cookie(7) == "phasegate_p7" != ws.participant_cookie(8)


def test_a_removed_participants_own_link_opens_no_questions(app_env):
    from storage import get_engine
    from tests.conftest import open_page

    engine = get_engine()
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    person = ws.join_workshop(engine, workshop, "Executive")
    ws.remove_participant(engine, workshop.id, person.id, "facilitator")
    at = open_page("app_pages/assessment.py", a=person.token)
    assert [t.value for t in at.title] == ["You were removed from this workshop"]
    assert not [r for r in at.radio if r.key and r.key.startswith("q:")]

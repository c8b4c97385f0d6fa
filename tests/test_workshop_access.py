"""Who may see and do what in a workshop: the facilitator link is the key, a join code only lets you answer."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from scoring.workshop import Role
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page


@pytest.fixture
def engine(database_url):
    yield get_engine(database_url)
    dispose_all()


@pytest.fixture
def workshop(engine):
    return ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")


def test_the_facilitator_token_carries_at_least_128_random_bits(engine, workshop):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    assert len(workshop.facilitator_token) >= 43  # 32 random bytes, URL-safe base64
    assert workshop.facilitator_token != other.facilitator_token
    assert workshop.join_code != other.join_code


def test_join_codes_carry_sixty_bits_and_forgive_case_dashes_and_look_alikes(engine, workshop):
    assert len(workshop.join_code) == 12 and len(ws.JOIN_CODE_ALPHABET) == 32  # 32 ** 12 == 2 ** 60
    typed = workshop.display_code.lower().replace("0", "o").replace("1", "l")
    assert ws.find_by_code(engine, f"  {typed} ").id == workshop.id


@pytest.mark.parametrize("code", ["", "ABC", "0123456789AB'", "U" * 12, "0" * 40])
def test_malformed_codes_open_nothing(engine, workshop, code):
    assert ws.normalise_code(code) is None
    assert ws.find_by_code(engine, code) is None


def test_a_join_code_or_a_participant_link_does_not_open_the_dashboard(engine, workshop):
    participant = ws.join_workshop(engine, workshop, "Executive")
    assert ws.find_by_token(engine, workshop.join_code) is None
    assert ws.find_by_token(engine, workshop.display_code) is None
    assert ws.find_by_token(engine, participant.token) is None
    assert ws.find_by_token(engine, workshop.facilitator_token).id == workshop.id


def test_a_participant_link_opens_only_that_participants_answers(engine, workshop):
    first = ws.join_workshop(engine, workshop, "Executive")
    second = ws.join_workshop(engine, workshop, "Data & AI")
    repo.save_answer(engine, second.id, "data.inventory", 4)
    opened = [repo.find_assessment(engine, p.token) for p in (first, second)]
    assert [a.id for a in opened] == [first.id, second.id]
    assert [repo.load_answers(engine, a.id) for a in opened] == [{}, {"data.inventory": repo.Answer(4)}]


def test_a_participant_must_pick_one_of_the_workshops_roles(engine, workshop):
    with pytest.raises(ws.WorkshopError, match="Pick one of the workshop's roles"):
        ws.join_workshop(engine, workshop, "Astronaut")


def test_a_closed_workshop_refuses_answers_and_new_participants(engine, workshop):
    participant = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, participant.id, "data.inventory", 2)
    ws.close_workshop(engine, workshop.id)
    with pytest.raises(ws.WorkshopClosed, match="closed"):
        repo.save_answer(engine, participant.id, "data.inventory", 4)
    with pytest.raises(ws.WorkshopClosed):
        repo.save_note(engine, participant.id, "data.inventory", "late note")
    with pytest.raises(ws.WorkshopClosed):
        ws.join_workshop(engine, workshop, "Executive")
    assert repo.load_answers(engine, participant.id)["data.inventory"].value == 2


def test_a_workshop_past_its_closing_time_refuses_answers(engine):
    soon = repo.now() + dt.timedelta(hours=1)
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0", closes_at=soon)
    participant = ws.join_workshop(engine, workshop, "Executive")
    later = ws.get_workshop(engine, workshop.id)
    assert not later.is_closed() and later.is_closed(soon + dt.timedelta(seconds=1))
    with engine.begin() as conn:  # move the closing time into the past
        conn.execute(ws.workshops.update().values(closes_at=repo.now() - dt.timedelta(minutes=1)))
    with pytest.raises(ws.WorkshopClosed):
        repo.save_answer(engine, participant.id, "data.inventory", 4)


def test_a_self_assessment_is_not_affected_by_workshops(engine, workshop):
    ws.close_workshop(engine, workshop.id)
    alone = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answer(engine, alone.id, "data.inventory", 3)
    assert repo.load_answers(engine, alone.id)["data.inventory"].value == 3


def test_participants_are_listed_per_workshop_with_numbers_not_names(engine, workshop):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    first = ws.join_workshop(engine, workshop, "Executive")
    ws.join_workshop(engine, other, "Executive")
    second = ws.join_workshop(engine, workshop, "Risk & legal")
    repo.save_answer(engine, first.id, "data.inventory", 3)
    listed = ws.list_participants(engine, workshop.id)
    assert [(p.label, p.role, p.assessment.id) for p in listed] == [("P-001", "Executive", first.id),
                                                                    ("P-002", "Risk & legal", second.id)]
    assert listed[0].response.answers["data.inventory"].value == 3


def test_consensus_is_recorded_replaced_and_removed(engine, workshop):
    ws.save_consensus(engine, workshop.id, "data.inventory", 2, "first")
    ws.save_consensus(engine, workshop.id, "data.inventory", 3, "agreed after discussion")
    assert ws.load_consensus(engine, workshop.id) == {"data.inventory": repo.Answer(3, "agreed after discussion")}
    ws.save_consensus(engine, workshop.id, "data.inventory", None, "")
    assert ws.load_consensus(engine, workshop.id) == {}


@pytest.mark.parametrize(
    "roles, message",
    [
        ([], "at least one role"),
        ([Role("Executive"), Role("executive")], "listed twice"),
        ([Role("x" * 61)], "at most 60"),
        ([Role("Board", "boss")], "executive, practitioner or empty"),
    ],
)
def test_bad_roles_are_refused_with_a_reason(engine, roles, message):
    with pytest.raises(ws.WorkshopError, match=message):
        ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0", roles=roles)


# --- the pages ---------------------------------------------------------------------------


@pytest.fixture
def app_env(app_env):
    """The shared app settings, handing the test the app's database engine."""
    yield get_engine()


def dashboard(**params) -> AppTest:
    return open_page("app_pages/workshop_dashboard.py", **params)


def page_text(at: AppTest) -> str:
    return " ".join(str(e.value) for e in (*at.title, *at.markdown, *at.metric, *at.code, *at.caption))


@pytest.mark.parametrize("key", ["join_code", "participant_token", "nothing"])
def test_the_dashboard_page_refuses_anything_but_the_facilitator_link(app_env, key):
    workshop = ws.create_workshop(app_env, "Secret Client", "tiny", "1.0.0")
    participant = ws.join_workshop(app_env, workshop, "Executive")
    repo.save_answer(app_env, participant.id, "data.inventory", 4)
    given = {"join_code": workshop.join_code, "participant_token": participant.token, "nothing": ""}[key]
    at = dashboard(f=given) if given else dashboard()
    text = page_text(at)
    assert "No access to a workshop dashboard" in text
    assert "Secret Client" not in text and workshop.facilitator_token not in text


def test_the_dashboard_opens_with_the_facilitator_link(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    for value in (0, 4):
        participant = ws.join_workshop(app_env, workshop, "Executive")
        repo.save_answer(app_env, participant.id, "data.inventory", value)
    at = dashboard(f=workshop.facilitator_token)
    assert "Workshop · Example Corp" in page_text(at)
    assert [m.value for m in at.metric][1:] == ["2", "0", "1"]


def test_the_join_page_tells_participants_when_the_workshop_is_closed(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(app_env, workshop, "Executive")
    ws.close_workshop(app_env, workshop.id)
    at = open_page("app_pages/workshop_join.py", a=participant.token)
    assert any("is closed" in str(i.value) for i in at.info)
    at = open_page("app_pages/workshop_join.py", code=workshop.display_code)
    assert any("no longer accepts participants" in str(i.value) for i in at.info)

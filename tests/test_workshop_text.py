"""Workshop texts refuse control characters: the client's name, role names and consensus notes."""

from __future__ import annotations

import pytest

from scoring.workshop import Role
from storage import workshops as ws
from storage.text import TextError


@pytest.fixture
def engine(sqlite_engine):
    return sqlite_engine


@pytest.mark.parametrize("client", ["Acme\x0bCorp", "Acme\x1b[2J", "Acme\x85"], ids=["vertical-tab", "escape", "nel"])
def test_a_client_name_with_a_control_character_is_refused(engine, client):
    with pytest.raises(TextError, match="The client's name contains an invisible control character"):
        ws.create_workshop(engine, client, "tiny", "1.0.0")


def test_a_role_name_with_a_control_character_is_refused():
    with pytest.raises(TextError, match="The role name contains an invisible control character"):
        ws.check_roles([Role("Exec\x07", None)])


def test_a_consensus_note_keeps_its_lines_and_refuses_control_characters(engine):
    workshop = ws.create_workshop(engine, "Acme", "tiny", "1.0.0")
    ws.save_consensus(engine, workshop.id, "data.inventory", 2, "first line\r\nsecond line")
    assert ws.load_consensus(engine, workshop.id)["data.inventory"].note == "first line\nsecond line"
    with pytest.raises(TextError, match="note contains an invisible control character"):
        ws.save_consensus(engine, workshop.id, "data.inventory", 2, "bell\x07")

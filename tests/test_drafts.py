"""Work in progress kept in the database, so a replica's death does not lose it: an answers file chosen for import
and not yet imported, and an agreed answer being written on the projector. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from storage import drafts
from storage import workshops as ws
from storage.repository import hash_token
from storage.tables import drafts as drafts_table

FILE = b"questionnaire: quick-check\nquestionnaire_version: 3.0.0\nanswers: {}\n"


def test_an_answers_file_kept_for_import_is_found_by_its_token_byte_for_byte(engine):
    token = drafts.keep_import(engine, "acme.yaml", FILE)
    found = drafts.find_import(engine, token)
    assert (found.name, found.data) == ("acme.yaml", FILE)
    assert drafts.find_import(engine, token + "x") is None


def test_the_database_keeps_the_import_token_only_as_a_hash(engine):
    token = drafts.keep_import(engine, "acme.yaml", FILE)
    with engine.connect() as conn:
        keys = conn.execute(select(drafts_table.c.key)).scalars().all()
    assert keys == [hash_token(token)]


def test_a_dropped_or_day_old_import_is_not_found_and_the_next_write_deletes_it(engine):
    dropped = drafts.keep_import(engine, "a.yaml", FILE)
    drafts.drop_import(engine, dropped)
    assert drafts.find_import(engine, dropped) is None
    old = drafts.keep_import(engine, "b.yaml", FILE)
    with engine.begin() as conn:
        conn.execute(update(drafts_table).values(saved_at=drafts.now() - dt.timedelta(hours=drafts.KEPT_HOURS + 1)))
    assert drafts.find_import(engine, old) is None
    drafts.keep_import(engine, "c.yaml", FILE)
    with engine.connect() as conn:
        assert conn.execute(select(drafts_table.c.name)).scalars().all() == ["c.yaml"]


def test_a_file_larger_than_an_answers_file_may_be_is_not_kept(engine):
    with pytest.raises(ValueError, match="at most"):
        drafts.keep_import(engine, "big.yaml", b"x" * (drafts.MAX_ANSWERS_BYTES + 1))


def test_a_consensus_draft_is_kept_per_question_replaced_and_dropped(engine):
    workshop = ws.create_workshop(engine, "Acme", "quick-check", "3.0.0")
    drafts.keep_consensus_draft(engine, workshop.id, "data.ownership", 2, "Owners named for the two big sets")
    drafts.keep_consensus_draft(engine, workshop.id, "data.ownership", 3, "Every set has an owner")
    drafts.keep_consensus_draft(engine, workshop.id, "data.lineage", None, "Still discussing")
    assert drafts.consensus_draft(engine, workshop.id, "data.ownership") == drafts.ConsensusDraft(
        3, "Every set has an owner")
    assert drafts.consensus_draft(engine, workshop.id, "data.lineage") == drafts.ConsensusDraft(None, "Still discussing")
    drafts.drop_consensus_draft(engine, workshop.id, "data.ownership")
    assert drafts.consensus_draft(engine, workshop.id, "data.ownership") is None
    assert drafts.consensus_draft(engine, workshop.id + 1, "data.lineage") is None

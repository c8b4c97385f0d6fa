"""A re-run workshop carries what still holds: the client's profile, the branding without the earlier commentary,
and the pilot register, each pilot marked as carried over until the facilitator confirms or changes it."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from reports.branding import Branding
from scoring.answers import Pilot
from storage import schema
from storage import workshops as ws
from storage.engine import connect, writing
from storage.pilots import load_workshop_register, save_workshop_register

REGISTER = (Pilot("Churn model", "pilot", "2025-01", owner=True, blockers=("data",), value=120000.0, note="kept"),
            Pilot("Invoice OCR", "production", "2024-03", production_since="2024-09", group="finance"))
BRANDING = Branding("Ana Lima, Northwind Advisory", "#1f6f8b", commentary="Strong data, weak governance.")


@pytest.fixture
def first(engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    save_workshop_register(engine, workshop.id, REGISTER)
    ws.set_branding(engine, workshop.id, BRANDING.to_stored())
    return ws.get_workshop(engine, workshop.id)


def test_a_rerun_starts_with_the_earlier_register_every_pilot_marked_as_carried(engine, first):
    again = ws.rerun_workshop(engine, first)
    assert load_workshop_register(engine, again.id) == REGISTER
    assert ws.carried_pilots(engine, again.id) == ["Churn model", "Invoice OCR"]
    assert ws.carried_pilots(engine, first.id) == []  # the earlier run's own register is untouched
    assert load_workshop_register(engine, first.id) == REGISTER


def test_confirming_one_carried_pilot_leaves_the_other_to_confirm(engine, first):
    again = ws.rerun_workshop(engine, first)
    ws.confirm_pilots(engine, again.id, ["Invoice OCR"])
    assert ws.carried_pilots(engine, again.id) == ["Churn model"]
    ws.confirm_pilots(engine, again.id)
    assert ws.carried_pilots(engine, again.id) == []
    assert load_workshop_register(engine, again.id) == REGISTER


def test_saving_the_rerun_register_makes_it_the_rooms_own(engine, first):
    again = ws.rerun_workshop(engine, first)
    save_workshop_register(engine, again.id, REGISTER[:1])
    assert ws.carried_pilots(engine, again.id) == []


def test_a_rerun_keeps_the_branding_but_its_commentary_starts_empty(engine, first):
    again = ws.rerun_workshop(engine, first)
    kept = Branding.from_stored(ws.get_workshop(engine, again.id).branding)
    assert (kept.prepared_by, kept.color, kept.commentary) == (BRANDING.prepared_by, BRANDING.color, "")
    assert again.branding == ws.get_workshop(engine, again.id).branding
    assert Branding.from_stored(ws.get_workshop(engine, first.id).branding).commentary == BRANDING.commentary


def test_a_branding_of_nothing_but_commentary_is_not_carried(engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    ws.set_branding(engine, workshop.id, {"commentary": "Only words"})
    assert ws.rerun_workshop(engine, ws.get_workshop(engine, workshop.id)).branding is None


def test_a_rerun_of_a_workshop_without_register_or_branding_has_none(engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    again = ws.rerun_workshop(engine, workshop)
    assert (load_workshop_register(engine, again.id), ws.carried_pilots(engine, again.id), again.branding) == ((), [], None)
    assert again.baseline_id == workshop.id


def test_pilots_stored_before_0010_keep_everything_and_are_not_carried(database_url):
    """0010 adds the carried-over mark: pilots stored before it keep every field and are not carried; going back
    to 0009 drops the mark and nothing else."""
    engine = connect(database_url)
    json_list = "'[]'" if engine.dialect.name == "sqlite" else "CAST('[]' AS JSON)"
    with engine.begin() as conn:
        command.upgrade(schema._config(conn), "0009")
        conn.execute(text("INSERT INTO workshops (id, facilitator_token, join_code, client, questionnaire_id, "
                          f"questionnaire_version, roles, anonymous, created_at) VALUES (3, 'h', 'C', 'Acme', 'tiny', "
                          f"'1.0.0', {json_list}, :no, :at)"), {"no": False, "at": ws.repo.now()})
        conn.execute(text("INSERT INTO pilots (workshop_id, position, name, stage, started, owner, kpi_baseline, "
                          f"blockers, note, pilot_group, updated_at) VALUES (3, 0, 'Churn', 'pilot', '2025-01', :yes, "
                          f":no, {json_list}, 'kept', 'g', :at)"), {"at": ws.repo.now(), "yes": True, "no": False})
    schema.upgrade(engine, writing)
    assert load_workshop_register(engine, 3) == (Pilot("Churn", "pilot", "2025-01", owner=True, note="kept", group="g"),)
    assert ws.carried_pilots(engine, 3) == []
    with engine.begin() as conn:
        command.downgrade(schema._config(conn), "0009")
        row = conn.execute(text("SELECT * FROM pilots WHERE workshop_id = 3")).mappings().one()
    assert "carried_over" not in row and (row["name"], row["note"], row["pilot_group"]) == ("Churn", "kept", "g")
    engine.dispose()

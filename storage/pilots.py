"""Pilot registers: an assessment's, or the one a workshop's room keeps. The only module with queries for them.

A register is saved whole, in one transaction, so a reader never sees half of an edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Engine, delete, insert, select

from scoring.answers import Pilot
from storage.engine import writing
from storage.tables import pilots

_FIELDS = ("name", "stage", "started", "production_since", "owner", "kpi_baseline", "value", "note")


def load_registers(conn: Connection, assessment_ids: Iterable[int]) -> dict[int, tuple[Pilot, ...]]:
    """The registers of these assessments by assessment id, in their order (assessments without one left out)."""
    wanted = list(assessment_ids)
    if not wanted:
        return {}
    query = select(pilots).where(pilots.c.assessment_id.in_(wanted)).order_by(pilots.c.assessment_id,
                                                                              pilots.c.position)
    found: dict[int, list[Pilot]] = {}
    for row in conn.execute(query).mappings():
        found.setdefault(row["assessment_id"], []).append(_pilot(row))
    return {key: tuple(register) for key, register in found.items()}


def load_workshop_register(engine: Engine, workshop_id: int) -> tuple[Pilot, ...]:
    """The register a workshop's facilitator keeps for the room."""
    query = select(pilots).where(pilots.c.workshop_id == workshop_id).order_by(pilots.c.position)
    with engine.connect() as conn:
        return tuple(_pilot(row) for row in conn.execute(query).mappings())


def replace_register(conn: Connection, register: Sequence[Pilot], *, assessment_id: int | None = None,
                     workshop_id: int | None = None, stamp=None) -> None:
    """Replace the whole register of one assessment or one workshop, inside the caller's transaction."""
    if (assessment_id is None) == (workshop_id is None):
        raise ValueError("a register belongs to one assessment or to one workshop")
    owner = pilots.c.assessment_id == assessment_id if assessment_id is not None else pilots.c.workshop_id == workshop_id
    conn.execute(delete(pilots).where(owner))
    if register:
        from storage.repository import now
        stamp = stamp or now()
        conn.execute(insert(pilots), [
            {"assessment_id": assessment_id, "workshop_id": workshop_id, "position": position,
             **{name: getattr(pilot, name) for name in _FIELDS}, "blockers": list(pilot.blockers),
             "updated_at": stamp}
            for position, pilot in enumerate(register)])


def save_workshop_register(engine: Engine, workshop_id: int, register: Sequence[Pilot]) -> None:
    """Store the room's register as the facilitator left it."""
    with writing(engine) as conn:
        replace_register(conn, register, workshop_id=workshop_id)


def _pilot(row) -> Pilot:
    return Pilot(row["name"], row["stage"], row["started"], row["production_since"], bool(row["owner"]),
                 bool(row["kpi_baseline"]), tuple(row["blockers"] or ()), row["value"], row["note"] or "")

"""Pilot registers: an assessment's, or the one a workshop's room keeps. The only module with queries for them.

A register is saved whole, in one transaction, so a reader never sees half of an edit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Engine, delete, insert, select

from scoring.answers import Pilot
from storage.engine import now, writing
from storage.tables import pilots
from storage.text import refuse_controls

_FIELDS = ("name", "stage", "started", "production_since", "owner", "kpi_baseline", "value", "note")
_TEXTS = {"name": "pilot's name", "stage": "pilot's stage", "started": "pilot's start month",
          "production_since": "pilot's production month", "note": "pilot's note", "group": "pilot's group"}


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
    register = [checked_pilot(pilot) for pilot in register]
    conn.execute(delete(pilots).where(owner))
    if register:
        stamp = stamp or now()
        conn.execute(insert(pilots), [
            {"assessment_id": assessment_id, "workshop_id": workshop_id, "position": position,
             **{name: getattr(pilot, name) for name in _FIELDS}, "blockers": list(pilot.blockers),
             "pilot_group": pilot.group, "updated_at": stamp}
            for position, pilot in enumerate(register)])


def checked_pilot(pilot: Pilot) -> Pilot:
    """A pilot with every text checked (TextError for a control character) and carriage returns normalised."""
    texts = {name: refuse_controls(getattr(pilot, name), what) for name, what in _TEXTS.items()
             if isinstance(getattr(pilot, name), str)}
    blockers = tuple(refuse_controls(b, "pilot's blocker") if isinstance(b, str) else b for b in pilot.blockers)
    return dataclasses.replace(pilot, **texts, blockers=blockers)


def save_workshop_register(engine: Engine, workshop_id: int, register: Sequence[Pilot]) -> None:
    """Store the room's register as the facilitator left it."""
    with writing(engine) as conn:
        replace_register(conn, register, workshop_id=workshop_id)


def _pilot(row) -> Pilot:
    return Pilot(row["name"], row["stage"], row["started"], row["production_since"], bool(row["owner"]),
                 bool(row["kpi_baseline"]), tuple(row["blockers"] or ()), row["value"], row["note"] or "",
                 row["pilot_group"] or None)

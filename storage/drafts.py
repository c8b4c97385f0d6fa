"""Work in progress that must outlive the process serving it.

Streamlit keeps a session in the process that serves it, so a replica that dies takes with it whatever was only
in its sessions. Two things a person would have to do again are kept here instead, and found again by the page
the browser reconnects with on another replica:

- an answers file chosen for import and not yet imported: its bytes and name, under a random token that the Start
  page puts in its address (`?import=`); the database keeps only the token's hash;
- an agreed answer being written on the projector (the choice and the note), per workshop and question, until it
  is recorded.

Drafts are short-lived: one older than `KEPT_HOURS` is never returned and is deleted by the next write.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from scoring.answers import MAX_ANSWERS_BYTES
from storage.engine import now, writing
from storage.repository import hash_token, new_token
from storage.tables import drafts
from storage.text import refuse_controls

KEPT_HOURS = 24
IMPORT = "import"
CONSENSUS = "consensus"


@dataclass(frozen=True)
class PendingImport:
    """An answers file chosen for import: its name and bytes as uploaded."""

    token: str
    name: str
    data: bytes


@dataclass(frozen=True)
class ConsensusDraft:
    """What the facilitator has chosen and written for a question, not yet recorded."""

    value: object
    note: str


def keep_import(engine: Engine, name: str, data: bytes) -> str:
    """Keep an uploaded answers file until it is imported or dropped; the token that finds it again."""
    if len(data) > MAX_ANSWERS_BYTES:
        raise ValueError(f"an answers file is at most {MAX_ANSWERS_BYTES // 1024} KB")
    token = new_token()
    _put(engine, IMPORT, hash_token(token), None, refuse_controls(name[:255], "file name"),
         base64.b64encode(data).decode("ascii"))
    return token


def find_import(engine: Engine, token: str) -> PendingImport | None:
    """The answers file kept under `token`, or None (unknown, dropped, or older than `KEPT_HOURS`)."""
    row = _get(engine, IMPORT, hash_token(token))
    if row is None:
        return None
    try:
        data = base64.b64decode(row.body, validate=True)
    except (binascii.Error, ValueError):
        return None
    return PendingImport(token, row.name, data)


def drop_import(engine: Engine, token: str) -> None:
    """Forget the answers file kept under `token` (imported, or replaced by another)."""
    _drop(engine, IMPORT, hash_token(token))


def keep_consensus_draft(engine: Engine, workshop_id: int, question_id: str, value, note: str) -> None:
    """Keep the choice and note being written for a question on the projector, replacing the one before."""
    body = json.dumps({"value": value, "note": refuse_controls(note, "note")}, default=_plain)
    _put(engine, CONSENSUS, _consensus_key(workshop_id, question_id), workshop_id, "", body)


def consensus_draft(engine: Engine, workshop_id: int, question_id: str) -> ConsensusDraft | None:
    """The choice and note kept for a question on the projector, or None."""
    row = _get(engine, CONSENSUS, _consensus_key(workshop_id, question_id))
    if row is None:
        return None
    try:
        kept = json.loads(row.body)
        return ConsensusDraft(kept.get("value"), str(kept.get("note") or ""))
    except (ValueError, AttributeError):
        return None


def drop_consensus_draft(engine: Engine, workshop_id: int, question_id: str) -> None:
    """Forget the draft for a question (recorded, or undone)."""
    _drop(engine, CONSENSUS, _consensus_key(workshop_id, question_id))


def _plain(value):
    """A number as JSON writes it, from a numpy scalar (the room's figures are computed with numpy)."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not a value an answer takes: {value!r}")


def _consensus_key(workshop_id: int, question_id: str) -> str:
    return f"{int(workshop_id)}:{question_id}"[:200]


def _oldest_kept() -> dt.datetime:
    return now() - dt.timedelta(hours=KEPT_HOURS)


def _put(engine: Engine, kind: str, key: str, workshop_id: int | None, name: str, body: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(drafts).where(drafts.c.saved_at < _oldest_kept()))
        conn.execute(delete(drafts).where(drafts.c.kind == kind, drafts.c.key == key))
        conn.execute(insert(drafts).values(kind=kind, key=key, workshop_id=workshop_id, name=name, body=body,
                                           saved_at=now()))


def _get(engine: Engine, kind: str, key: str):
    with engine.connect() as conn:
        return conn.execute(select(drafts.c.name, drafts.c.body).where(
            drafts.c.kind == kind, drafts.c.key == key, drafts.c.saved_at >= _oldest_kept())).first()


def _drop(engine: Engine, kind: str, key: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(drafts).where(drafts.c.kind == kind, drafts.c.key == key))

"""Retention and erasure: resume links that expire, assessments and workshops deleted for good, old data purged.

Deleting removes the rows: answers, consensus answers and participants go with their
assessment or workshop (foreign keys cascade), an assessment that named a deleted one as
its baseline keeps its own data. On SQLite, `secure_delete` (set on every connection)
overwrites the freed pages and the write-ahead log is checkpointed and truncated, so the
text is gone from the files too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, select, text

from config import setting
from storage import repository as repo
from storage.engine import writing
from storage.tables import answers, assessments, join_attempts, workshops


@dataclass(frozen=True)
class Purged:
    """What a purge removed."""

    assessments: int
    workshops: int
    answers: int

    def __str__(self) -> str:
        return (f"{self.assessments} assessment{'s' if self.assessments != 1 else ''}, "
                f"{self.workshops} workshop{'s' if self.workshops != 1 else ''} and "
                f"{self.answers} answer{'s' if self.answers != 1 else ''}")


def resume_days() -> int:
    """PHASEGATE_RESUME_DAYS: days a private resume link stays valid after the last change (0: for ever)."""
    return int(setting("PHASEGATE_RESUME_DAYS"))


def link_expired(assessment: repo.Assessment, at: dt.datetime | None = None, days: int | None = None) -> bool:
    """Whether the assessment's private resume link has expired (nothing is deleted by expiry)."""
    days = resume_days() if days is None else days
    if days <= 0 or assessment.updated_at is None:
        return False
    at = at or repo.now()
    return _aware(assessment.updated_at) + dt.timedelta(days=days) <= at


def delete_assessment(engine: Engine, assessment_id: int) -> bool:
    """Delete one assessment with every answer and note; False when there was none."""
    with writing(engine) as conn:
        gone = conn.execute(delete(assessments).where(assessments.c.id == assessment_id)).rowcount
    _scrub(engine)
    return bool(gone)


def remove_participant(engine: Engine, workshop_id: int, assessment_id: int) -> bool:
    """Delete one participant of this workshop with their answers; False when they are not in it."""
    with writing(engine) as conn:
        gone = conn.execute(delete(assessments).where(assessments.c.id == assessment_id,
                                                      assessments.c.workshop_id == workshop_id)).rowcount
    _scrub(engine)
    return bool(gone)


def delete_workshop(engine: Engine, workshop_id: int) -> bool:
    """Delete a workshop with its participants, their answers and its consensus; False when there was none."""
    with writing(engine) as conn:
        gone = conn.execute(delete(workshops).where(workshops.c.id == workshop_id)).rowcount
    _scrub(engine)
    return bool(gone)


def purge(engine: Engine, older_than_days: int, at: dt.datetime | None = None) -> Purged:
    """Delete finished assessments and closed workshops whose last change is older than the days given."""
    cutoff = _cutoff(older_than_days, at)
    with writing(engine) as conn:
        old_assessments, old_workshops, answer_count = _purgeable(conn, cutoff)
        for chunk in _chunks(old_assessments):
            conn.execute(delete(assessments).where(assessments.c.id.in_(chunk)))
        for chunk in _chunks(old_workshops):
            conn.execute(delete(workshops).where(workshops.c.id.in_(chunk)))
        conn.execute(delete(join_attempts).where(join_attempts.c.failed_at < cutoff))
    _scrub(engine)
    return Purged(len(old_assessments), len(old_workshops), answer_count)


def purge_preview(engine: Engine, older_than_days: int, at: dt.datetime | None = None) -> Purged:
    """What `purge` would delete, deleting nothing."""
    with engine.connect() as conn:
        old_assessments, old_workshops, answer_count = _purgeable(conn, _cutoff(older_than_days, at))
    return Purged(len(old_assessments), len(old_workshops), answer_count)


def _cutoff(older_than_days: int, at: dt.datetime | None) -> dt.datetime:
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    return (at or repo.now()) - dt.timedelta(days=older_than_days)


def _purgeable(conn: Connection, cutoff: dt.datetime) -> tuple[list[int], list[int], int]:
    """Self-assessments finished and untouched since the cutoff, workshops closed before it, and their answers."""
    old_workshops = [row.id for row in conn.execute(select(workshops.c.id, workshops.c.closed_at, workshops.c.closes_at))
                     if _closed_before(row, cutoff)]
    old_assessments = list(conn.execute(select(assessments.c.id).where(
        assessments.c.workshop_id.is_(None), assessments.c.finished_at.is_not(None),
        assessments.c.updated_at < cutoff)).scalars())
    return old_assessments, old_workshops, _answers_of(conn, old_assessments, old_workshops)


def _closed_before(row, cutoff: dt.datetime) -> bool:
    moments = [_aware(m) for m in (row.closed_at, row.closes_at) if m is not None]
    return bool(moments) and min(moments) < cutoff


def _answers_of(conn: Connection, assessment_ids: list[int], workshop_ids: list[int]) -> int:
    total = 0
    for chunk in _chunks(assessment_ids):
        total += conn.execute(select(func.count()).select_from(answers)
                              .where(answers.c.assessment_id.in_(chunk))).scalar_one()
    for chunk in _chunks(workshop_ids):
        total += conn.execute(select(func.count()).select_from(answers)
                              .join(assessments, assessments.c.id == answers.c.assessment_id)
                              .where(assessments.c.workshop_id.in_(chunk))).scalar_one()
    return total


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _scrub(engine: Engine) -> None:
    """SQLite: move every page out of the write-ahead log and empty it, so deleted text is not left there."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


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
    """What a purge removed (or would remove): totals, and how many of them were never finished or closed."""

    assessments: int
    workshops: int
    answers: int
    unfinished: int = 0  # of the assessments
    never_closed: int = 0  # of the workshops

    def __str__(self) -> str:
        text = f"{_count(self.assessments, 'assessment')}, {_count(self.workshops, 'workshop')} and " \
               f"{_count(self.answers, 'answer')}"
        kinds = [f"{self.unfinished} of the assessments unfinished" if self.unfinished else "",
                 f"{self.never_closed} of the workshops never closed" if self.never_closed else ""]
        kinds = [kind for kind in kinds if kind]
        return f"{text} ({', '.join(kinds)})" if kinds else text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


@dataclass(frozen=True)
class _Purgeable:
    assessments: list[int]
    workshops: list[int]
    answers: int
    unfinished: int
    never_closed: int

    def counted(self) -> Purged:
        return Purged(len(self.assessments), len(self.workshops), self.answers, self.unfinished, self.never_closed)


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


def purge(engine: Engine, older_than_days: int | None, at: dt.datetime | None = None, *,
          unfinished_older_than_days: int | None = None) -> Purged:
    """Delete finished assessments and closed workshops whose last change is older than `older_than_days`, and
    unfinished self-assessments and never-closed workshops untouched for `unfinished_older_than_days` (each age
    left out when None)."""
    cutoffs = _cutoffs(older_than_days, unfinished_older_than_days, at)
    with writing(engine) as conn:
        found = _purgeable(conn, *cutoffs)
        for chunk in _chunks(found.assessments):
            conn.execute(delete(assessments).where(assessments.c.id.in_(chunk)))
        for chunk in _chunks(found.workshops):
            conn.execute(delete(workshops).where(workshops.c.id.in_(chunk)))
        conn.execute(delete(join_attempts).where(join_attempts.c.failed_at < min(c for c in cutoffs if c)))
    _scrub(engine)
    return found.counted()


def purge_preview(engine: Engine, older_than_days: int | None, at: dt.datetime | None = None, *,
                  unfinished_older_than_days: int | None = None) -> Purged:
    """What `purge` would delete, deleting nothing."""
    with engine.connect() as conn:
        return _purgeable(conn, *_cutoffs(older_than_days, unfinished_older_than_days, at)).counted()


def _cutoffs(older_than_days: int | None, unfinished_days: int | None,
             at: dt.datetime | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    if older_than_days is None and unfinished_days is None:
        raise ValueError("give older_than_days, unfinished_older_than_days, or both")
    return tuple(None if days is None else _cutoff(days, at) for days in (older_than_days, unfinished_days))


def _cutoff(older_than_days: int, at: dt.datetime | None) -> dt.datetime:
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    return (at or repo.now()) - dt.timedelta(days=older_than_days)


def _purgeable(conn: Connection, cutoff: dt.datetime | None, unfinished_cutoff: dt.datetime | None) -> _Purgeable:
    """Self-assessments finished and untouched since `cutoff` and workshops closed before it; self-assessments never
    finished and workshops never closed, untouched since `unfinished_cutoff`; and their answers."""
    self_assessed = assessments.c.workshop_id.is_(None)
    finished, unfinished, closed, never_closed = [], [], [], []
    if cutoff is not None:
        closed = [row.id for row in conn.execute(select(workshops.c.id, workshops.c.closed_at, workshops.c.closes_at))
                  if _closed_before(row, cutoff)]
        finished = list(conn.execute(select(assessments.c.id).where(
            self_assessed, assessments.c.finished_at.is_not(None), assessments.c.updated_at < cutoff)).scalars())
    if unfinished_cutoff is not None:
        unfinished = list(conn.execute(select(assessments.c.id).where(
            self_assessed, assessments.c.finished_at.is_(None), assessments.c.updated_at < unfinished_cutoff)).scalars())
        never_closed = [workshop_id for workshop_id in _never_closed_before(conn, unfinished_cutoff)
                        if workshop_id not in closed]
    old_assessments, old_workshops = finished + unfinished, closed + never_closed
    return _Purgeable(old_assessments, old_workshops, _answers_of(conn, old_assessments, old_workshops),
                      len(unfinished), len(never_closed))


def _never_closed_before(conn: Connection, cutoff: dt.datetime) -> list[int]:
    """Workshops never closed by hand and with no closing time set (one set closes them on its own, and then
    --older-than applies) whose last sign of life is before the cutoff: their creation, or a participant's last
    answer."""
    last_answer = (select(assessments.c.workshop_id, func.max(assessments.c.updated_at).label("last"))
                   .where(assessments.c.workshop_id.is_not(None)).group_by(assessments.c.workshop_id).subquery())
    rows = conn.execute(select(workshops.c.id, workshops.c.closed_at, workshops.c.closes_at, workshops.c.created_at,
                               last_answer.c.last)
                        .outerjoin(last_answer, last_answer.c.workshop_id == workshops.c.id)
                        .where(workshops.c.closed_at.is_(None), workshops.c.closes_at.is_(None)))
    return [row.id for row in rows if max(_aware(m) for m in (row.created_at, row.last) if m is not None) < cutoff]


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


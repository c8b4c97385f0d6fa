"""The checks every save of answers passes inside its transaction: the workshop it belongs to is still open, and
its participant was not removed. They stand below the repository and the workshops, which both use them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from questionnaires.errors import AnswersError
from storage.engine import now
from storage.tables import assessments, workshops


class WorkshopError(AnswersError):
    """A workshop cannot be created or changed as asked; the message says why."""


class ParticipantRemoved(WorkshopError):
    """The facilitator removed this participant from the workshop: their answers are no longer counted."""

    def __init__(self):
        super().__init__("The facilitator removed you from this workshop, so your answers are no longer counted "
                         "and no more are accepted. Ask the facilitator if this is a mistake.")


class WorkshopClosed(WorkshopError):
    """The workshop is closed: no more participants, no more answers."""

    def __init__(self, client: str = ""):
        who = f"The workshop for {client}" if client else "This workshop"
        super().__init__(f"{who} is closed, so no more answers are accepted. Everything you saved before is kept.")


def is_closed(closed_at: dt.datetime | None, closes_at: dt.datetime | None, at: dt.datetime | None = None) -> bool:
    """Closed when closed by hand, or once the closing time has passed."""
    at = at or now()
    return closed_at is not None or (closes_at is not None and _aware(closes_at) <= at)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def check_open(conn: Connection, assessment_id: int) -> tuple[str, str] | None:
    """WorkshopClosed when the assessment belongs to a closed workshop, ParticipantRemoved when the facilitator
    removed it (called inside the saving transaction). The assessment's questionnaire id and version, for the
    answers' check; None when there is no such assessment."""
    query = select(assessments.c.workshop_id, assessments.c.removed_at, assessments.c.questionnaire_id,
                   assessments.c.questionnaire_version).where(assessments.c.id == assessment_id)
    row = conn.execute(query).first()
    if row is None:
        return None
    if row.workshop_id is not None:
        _check_workshop_open(conn, row.workshop_id)
        if row.removed_at is not None:
            raise ParticipantRemoved()
    return row.questionnaire_id, row.questionnaire_version


def _check_workshop_open(conn: Connection, workshop_id: int, exclusive: bool = False) -> None:
    # A shared row lock (PostgreSQL) makes closing wait for saves already under way, and saves that start after
    # the close see it. `exclusive`: joins take the row for themselves, so they queue one after another (a shared
    # lock would let twenty of them count the room at once); SQLite writers are serialised anyway.
    query = (select(workshops.c.client, workshops.c.closed_at, workshops.c.closes_at)
             .where(workshops.c.id == workshop_id).with_for_update(read=not exclusive))
    row = conn.execute(query).first()
    if row is not None and is_closed(row.closed_at, row.closes_at):
        raise WorkshopClosed(row.client)

"""What the app, the reports and the command line do with stored records: storage loads and saves, scoring scores,
and these functions put the two together."""

from __future__ import annotations

from sqlalchemy import Engine

from questionnaires.models import Questionnaire
from scoring.workshop import WorkshopResult, aggregate_room
from storage import repository as repo
from storage import summaries
from storage import workshops as ws


def finish_assessment(engine: Engine, assessment_id: int) -> None:
    """Mark the assessment finished (the first time only) and store its scored summary for lists and the benchmark
    (a summary that cannot be stored now is made when first needed)."""
    repo.finish_assessment(engine, assessment_id)
    summaries.store_assessment(engine, assessment_id)


def close_workshop(engine: Engine, workshop_id: int) -> None:
    """Close the workshop now (the first close counts) and store its room's scored summary (see
    `finish_assessment`)."""
    ws.close_workshop(engine, workshop_id)
    summaries.store_workshop(engine, workshop_id)


def aggregate_stored(engine: Engine, workshop: ws.Workshop, questionnaire: Questionnaire,
                     participants: list[ws.Participant] | None = None) -> tuple[list[ws.Participant], WorkshopResult]:
    """The workshop's participants and their aggregate, with the recorded consensus applied, scored with the pilot
    register the facilitator keeps for the room. `participants`: the counted ones when the caller has just loaded
    them (`ws.room_participants`), so their answers are not read twice."""
    participants, room = ws.load_room(engine, workshop, participants)
    return participants, aggregate_room(questionnaire, room)

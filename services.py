"""What the app, the reports and the command line do with stored records: storage loads and saves, scoring scores,
and these functions put the two together."""

from __future__ import annotations

from sqlalchemy import Engine

from questionnaires.models import Questionnaire
from scoring.workshop import WorkshopResult, aggregate_room
from storage import workshops as ws


def aggregate_stored(engine: Engine, workshop: ws.Workshop, questionnaire: Questionnaire,
                     participants: list[ws.Participant] | None = None) -> tuple[list[ws.Participant], WorkshopResult]:
    """The workshop's participants and their aggregate, with the recorded consensus applied, scored with the pilot
    register the facilitator keeps for the room. `participants`: the counted ones when the caller has just loaded
    them (`ws.room_participants`), so their answers are not read twice."""
    participants, room = ws.load_room(engine, workshop, participants)
    return participants, aggregate_room(questionnaire, room)

"""The workshop's plan is sized and exposed like the client it is for: the client profile reaches the scoring."""

from __future__ import annotations

import pytest

import services
from questionnaires import load_questionnaire
from questionnaires.loader import shipped_paths
from scoring import DONT_KNOW, Answer
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import set_workshop_profile

FULL = next(q for q in (load_questionnaire(p) for p in shipped_paths())
            if q.id == "ai-maturity" and q.version == "2.2.0")


@pytest.fixture
def engine(database_url):
    yield get_engine(database_url)


def _room(engine, profile: dict | None):
    workshop = ws.create_workshop(engine, "Kestrel Health", FULL.id, FULL.version)
    if profile:
        set_workshop_profile(engine, workshop.id, profile)
    participant = ws.join_workshop(engine, workshop, "Executive")
    given = {q.id: Answer(1) for q in FULL.questions if q.type == "scale"}
    repo.save_answers(engine, participant.id, {**given, "governance.eu-ai-act-role": Answer(DONT_KNOW)})
    return ws.get_workshop(engine, workshop.id)


def test_a_small_healthcare_client_gets_small_owners_and_its_ai_act_classification_in_now(engine):
    _, result = services.aggregate_stored(engine, _room(engine, {"size": "small", "industry": "healthcare"}), FULL)
    assert result.result.likely_high_risk
    role = next(s for s in result.result.actions if s.question == "governance.eu-ai-act-role")
    assert (role.horizon, role.owner) == ("now", "External legal counsel")
    assert result.result.overall.confidence == result.confidence  # the room's confidence is kept


def test_a_client_without_a_profile_is_scored_as_before(engine):
    _, result = services.aggregate_stored(engine, _room(engine, None), FULL)
    assert not result.result.likely_high_risk
    role = next(s for s in result.result.actions if s.question == "governance.eu-ai-act-role")
    assert role.owner == "Head of Legal & Compliance"

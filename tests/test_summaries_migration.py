"""Upgrading a database of any earlier release stores the summary of every finished self-assessment and closed
workshop it holds, as a fresh score gives them; unfinished and open ones get none."""

from __future__ import annotations

import random

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, column, insert, table

from bench.generate import random_response
import services
from questionnaires.loader import find_questionnaire
from scoring import score_response
from storage import get_engine, schema, summaries
from storage import repository as repo
from storage import workshops as ws
from storage.engine import connect
from tests.test_schema import first_release_database  # noqa: F401 - the first release's database, as a fixture
from tests.test_summaries import figures_of, read_off

EARLIER = [f"{number:04d}" for number in range(1, 11)]  # every revision before the summaries
QUESTIONNAIRE = ("quick-check", "2.0.0")

# The columns every release since the first has had: rows written through them fit any earlier schema.
WORKSHOPS = table("workshops", column("id", Integer), column("facilitator_token", String), column("join_code", String),
                  column("client", String), column("questionnaire_id", String), column("questionnaire_version", String),
                  column("roles", JSON), column("anonymous", Boolean), column("closes_at", DateTime(timezone=True)),
                  column("closed_at", DateTime(timezone=True)), column("created_at", DateTime(timezone=True)))
ASSESSMENTS = table("assessments", column("id", Integer), column("token", String), column("questionnaire_id", String),
                    column("questionnaire_version", String), column("organisation", String), column("role", String),
                    column("targets", JSON), column("workshop_id", Integer),
                    column("created_at", DateTime(timezone=True)), column("updated_at", DateTime(timezone=True)),
                    column("finished_at", DateTime(timezone=True)))
ANSWERS = table("answers", column("assessment_id", Integer), column("question_id", String), column("value", JSON),
                column("note", String), column("updated_at", DateTime(timezone=True)))


def _workshop(conn, client: str, closed: bool) -> int:
    stamp = repo.now()
    return conn.execute(insert(WORKSHOPS).values(
        facilitator_token=repo.hash_token(client), join_code=client.upper()[:12].ljust(12, "0"), client=client,
        questionnaire_id=QUESTIONNAIRE[0], questionnaire_version=QUESTIONNAIRE[1],
        roles=[{"name": "Executive", "group": "executive"}], anonymous=True, closes_at=None,
        closed_at=stamp if closed else None, created_at=stamp).returning(WORKSHOPS.c.id)).scalar_one()


def _assessment(conn, name: str, seed: int, finished: bool, workshop_id: int | None = None) -> int:
    stamp = repo.now()
    new_id = conn.execute(insert(ASSESSMENTS).values(
        token=repo.hash_token(f"{name}{seed}"), questionnaire_id=QUESTIONNAIRE[0],
        questionnaire_version=QUESTIONNAIRE[1], organisation=name, role="Executive" if workshop_id else None,
        targets={}, workshop_id=workshop_id, created_at=stamp, updated_at=stamp,
        finished_at=stamp if finished else None).returning(ASSESSMENTS.c.id)).scalar_one()
    response = random_response(find_questionnaire(*QUESTIONNAIRE), random.Random(seed), seed % 3)
    conn.execute(insert(ANSWERS), [{"assessment_id": new_id, "question_id": qid, "value": answer.value, "note": "",
                                    "updated_at": stamp} for qid, answer in response.answers.items()])
    return new_id


def _expected_assessment(engine, assessment_id: int):
    assessment = repo.get_assessment(engine, assessment_id)
    questionnaire = find_questionnaire(assessment.questionnaire_id, assessment.questionnaire_version)
    return read_off(score_response(questionnaire, repo.load_response(engine, assessment)))


def _expected_workshop(engine, workshop_id: int):
    workshop = ws.get_workshop(engine, workshop_id)
    _, room = services.aggregate_stored(engine, workshop, find_questionnaire(workshop.questionnaire_id,
                                                                       workshop.questionnaire_version))
    return read_off(room.result)


@pytest.mark.parametrize("revision", EARLIER)
def test_a_database_of_every_earlier_release_gets_its_summaries_on_upgrade(database_url, revision):
    old = connect(database_url)
    with old.begin() as conn:
        command.upgrade(schema._config(conn), revision)
        finished = _assessment(conn, "Finished Ltd", 1, finished=True)
        unfinished = _assessment(conn, "Unfinished Ltd", 2, finished=False)
        closed = _workshop(conn, "Closed Room", closed=True)
        for seed in (3, 4, 5):
            _assessment(conn, "Closed Room", seed, finished=True, workshop_id=closed)
        still_open = _workshop(conn, "Open Room", closed=False)
        _assessment(conn, "Open Room", 6, finished=True, workshop_id=still_open)
    old.dispose()
    engine = get_engine(database_url)  # upgrades to the newest revision, as the app does when it starts
    assert schema.current(engine) == schema.head()
    assert figures_of(summaries.load_summary(engine, assessment_id=finished)[1]) == _expected_assessment(engine, finished)
    assert figures_of(summaries.load_summary(engine, workshop_id=closed)[1]) == _expected_workshop(engine, closed)
    assert summaries.load_summary(engine, assessment_id=unfinished) is None
    assert summaries.load_summary(engine, workshop_id=still_open) is None
    assert not len(summaries.stale(engine, summaries.library_find))  # nothing left for a reader to score


def test_the_first_releases_database_gets_its_summaries_on_upgrade(first_release_database):  # noqa: F811
    engine = get_engine(first_release_database)
    assert figures_of(summaries.load_summary(engine, assessment_id=1)[1]) == _expected_assessment(engine, 1)
    assert figures_of(summaries.load_summary(engine, workshop_id=1)[1]) == _expected_workshop(engine, 1)
    assert not len(summaries.stale(engine, summaries.library_find))

"""Upgrading a database of any earlier release keeps every assessment and workshop, each in English: the language
they were answered in before a language could be chosen."""

from __future__ import annotations

import pytest
from alembic import command

from storage import get_engine, schema
from storage import repository as repo
from storage import workshops as ws
from storage.engine import connect
from tests.test_summaries_migration import EARLIER, _assessment, _workshop

BEFORE_LANGUAGES = [*EARLIER, "0011", "0012"]


@pytest.mark.parametrize("revision", BEFORE_LANGUAGES)
def test_an_assessment_and_a_workshop_stored_before_languages_read_back_in_english(database_url, revision):
    old = connect(database_url)
    with old.begin() as conn:
        command.upgrade(schema._config(conn), revision)
        workshop_id = _workshop(conn, "Client AG", closed=False)
        own = _assessment(conn, "Own GmbH", 1, finished=True)
        participant = _assessment(conn, "Client AG", 2, finished=False, workshop_id=workshop_id)
    old.dispose()
    engine = get_engine(database_url)  # upgrades to the newest revision, as the app does when it starts
    assert schema.current(engine) == schema.head()
    assert [repo.get_assessment(engine, found).language for found in (own, participant)] == ["en", "en"]
    assert repo.get_assessment(engine, own).organisation == "Own GmbH"
    assert ws.get_workshop(engine, workshop_id).language == "en"


def test_a_new_assessment_keeps_the_language_it_was_started_in(database_url):
    engine = get_engine(database_url)
    created = repo.create_assessment(engine, "quick-check", "3.1.0", language="de-AT")
    assert repo.find_assessment(engine, created.token).language == "de"
    repo.set_language(engine, created.id, "en")
    assert repo.find_assessment(engine, created.token).language == "en"


def test_a_language_the_app_does_not_offer_is_refused_with_the_ones_it_does(database_url):
    engine = get_engine(database_url)
    with pytest.raises(repo.AnswersError, match="'fr' is not offered; choose one of: en, de"):
        repo.create_assessment(engine, "quick-check", "3.1.0", language="fr")


def test_a_workshop_keeps_its_engagement_language_and_a_rerun_takes_it_over(database_url):
    engine = get_engine(database_url)
    workshop = ws.create_workshop(engine, "Client AG", "quick-check", "3.1.0", language="de")
    assert ws.get_workshop(engine, workshop.id).language == "de"
    assert ws.rerun_workshop(engine, workshop).language == "de"
    participant = ws.join_workshop(engine, workshop, workshop.roles[0].name)
    assert repo.find_assessment(engine, participant.token).language == "de"  # unless they choose another

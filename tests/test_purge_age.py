"""Purging abandoned data: unfinished self-assessments and never-closed workshops past an age, said before done."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from cli import main
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import retention
from storage import workshops as ws
from storage.engine import writing
from storage.tables import assessments, workshops

NOW = dt.datetime.now(dt.timezone.utc)


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def assessment_aged(engine, days: int, finished: bool) -> repo.Assessment:
    created = repo.create_assessment(engine, "quick-check", "1.0.0")
    repo.save_answer(engine, created.id, "data.ownership", 2)
    with writing(engine) as conn:
        conn.execute(assessments.update().where(assessments.c.id == created.id)
                     .values(updated_at=days_ago(days), finished_at=days_ago(days) if finished else None))
    return created


def workshop_aged(engine, created_days: int, answered_days: int | None = None, closes_in_days: int | None = None):
    made = ws.create_workshop(engine, "Client", "quick-check", "1.0.0")
    values = {"created_at": days_ago(created_days)}
    if closes_in_days is not None:
        values["closes_at"] = NOW + dt.timedelta(days=closes_in_days)
    with writing(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == made.id).values(**values))
    if answered_days is not None:
        person = ws.join_workshop(engine, made, "Executive")
        repo.save_answer(engine, person.id, "data.ownership", 3)
        with writing(engine) as conn:
            conn.execute(assessments.update().where(assessments.c.id == person.id)
                         .values(updated_at=days_ago(answered_days)))
    return made


@pytest.mark.parametrize("unfinished_days, finished, expected", [
    (400, False, 1),  # abandoned long ago: goes
    (10, False, 0),  # still being answered: stays
    (400, True, 0),  # finished: only --older-than takes it
])
def test_an_unfinished_self_assessment_goes_only_past_the_age(engine, unfinished_days, finished, expected):
    kept = assessment_aged(engine, unfinished_days, finished)
    purged = retention.purge(engine, None, unfinished_older_than_days=180)
    assert (purged.assessments, purged.unfinished) == (expected, expected)
    assert (repo.find_assessment(engine, kept.token) is None) == bool(expected)


@pytest.mark.parametrize("created_days, answered_days, closes_in_days, expected", [
    (400, None, None, 1),  # opened long ago, nobody came: goes
    (400, 300, None, 1),  # last answer long ago too: goes
    (400, 5, None, 0),  # someone answered last week: stays
    (10, None, None, 0),  # opened last week: stays
    (400, None, 30, 0),  # not closed yet, but closing on its own in a month: stays
])
def test_a_never_closed_workshop_goes_only_when_nothing_happened_past_the_age(engine, created_days, answered_days,
                                                                              closes_in_days, expected):
    made = workshop_aged(engine, created_days, answered_days, closes_in_days)
    purged = retention.purge(engine, None, unfinished_older_than_days=180)
    assert (purged.workshops, purged.never_closed) == (expected, expected)
    assert (ws.get_workshop(engine, made.id) is None) == bool(expected)


def test_the_two_ages_apply_each_to_its_own_kind(engine):
    finished = assessment_aged(engine, 100, finished=True)
    unfinished = assessment_aged(engine, 100, finished=False)
    preview = retention.purge_preview(engine, 90, unfinished_older_than_days=365)
    assert str(preview) == "1 assessment, 0 workshops and 1 answer"
    preview = retention.purge_preview(engine, 90, unfinished_older_than_days=30)
    assert str(preview) == "2 assessments, 0 workshops and 2 answers (1 of the assessments unfinished)"
    assert repo.find_assessment(engine, finished.token) and repo.find_assessment(engine, unfinished.token)


@pytest.fixture
def cli_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield get_engine()
    dispose_all()


def purge(*args: str, answer: str | None = None):
    return CliRunner().invoke(main, ["purge", *args], input=answer)


def test_purge_says_what_will_go_and_deletes_only_on_yes(cli_engine):
    abandoned = assessment_aged(cli_engine, 200, finished=False)
    workshop_aged(cli_engine, 200)
    will = "will delete 1 assessment, 1 workshop and 1 answer (1 of the assessments unfinished, 1 of the " \
           "workshops never closed)\n"
    refused = purge("--unfinished-older-than", "90", answer="n\n")
    assert refused.exit_code == 1
    assert refused.output.startswith(will) and refused.output.endswith(
        "error: nothing was deleted; answer y, or give --yes to delete without asking\n")
    no_terminal = purge("--unfinished-older-than", "90")
    assert no_terminal.exit_code == 1 and "nothing was deleted" in no_terminal.output
    assert repo.find_assessment(cli_engine, abandoned.token) is not None
    agreed = purge("--unfinished-older-than", "90", answer="y\n")
    assert agreed.exit_code == 0 and agreed.output.startswith(will)
    assert agreed.output.endswith(f"deleted {will.removeprefix('will delete ')}")
    assert repo.find_assessment(cli_engine, abandoned.token) is None


def test_purge_dry_run_and_yes(cli_engine):
    assessment_aged(cli_engine, 200, finished=False)
    assert purge("--unfinished-older-than", "90", "--dry-run").output == \
        "would delete 1 assessment, 0 workshops and 1 answer (1 of the assessments unfinished)\n"
    assert purge("--unfinished-older-than", "90", "--yes").output == (
        "will delete 1 assessment, 0 workshops and 1 answer (1 of the assessments unfinished)\n"
        "deleted 1 assessment, 0 workshops and 1 answer (1 of the assessments unfinished)\n")


def test_purge_without_an_age_is_a_usage_error(cli_engine):
    result = purge("--yes")
    assert result.exit_code == 2 and "give --older-than DAYS, --unfinished-older-than DAYS, or both" in result.output

"""Scored summaries: stored when a self-assessment is finished or a workshop closed, equal to a fresh score of the
same answers, scored again when the rules or the questionnaire change, gone with what they summarise."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select, update

import services
import scoring.summary
from questionnaires import load_questionnaire
from questionnaires.loader import find_questionnaire
from scoring import Answer, Response, read_answers, score_response
from scoring.answers import OrganisationProfile
from scoring.summary import summarise
from storage import repository as repo
from storage import retention, summaries
from storage import workshops as ws
from storage.benchmark import benchmark_stored, set_workshop_profile
from storage.tables import summaries as summaries_table
from storage.tables import workshops as workshops_table
from tests.conftest import DATA, ROOT
from tests.test_scoring_properties import responses

GOLDEN = sorted((ROOT / "examples").glob("golden-*.yaml"))
RETAIL_MEDIUM = {"industry": "retail", "size": "medium"}


@pytest.fixture(scope="module")
def tiny_q():
    return load_questionnaire(DATA / "tiny.yaml")


@pytest.fixture
def find(tiny_q):
    return lambda questionnaire_id, version: tiny_q if (questionnaire_id, version) == ("tiny", "1.0.0") else None


def read_off(result) -> tuple:
    """What a summary must say, read off a fresh result: the overall phase and index, and per domain its index
    (None when not assessed), phases achieved and the attainment of its working phase."""
    overall = result.overall
    return ((overall.phase, overall.phase_name, overall.achieved, overall.complete, overall.index),
            [(d.id, d.index if d.assessed else None, d.achieved,
              next((p.attainment for p in d.phases if p.number == d.achieved + 1), None)) for d in result.domains])


def figures_of(summary) -> tuple:
    return ((summary.phase, summary.phase_name, summary.achieved, summary.complete, summary.index),
            [(d.id, d.index, d.achieved, d.attainment) for d in summary.domains])


def stored(engine, **record):
    found = summaries.load_summary(engine, **record)
    return None if found is None else found[1]


def finish(engine, response: Response, find=None) -> int:
    """A finished self-assessment of these answers (its summary scored with `find` when given)."""
    assessment = repo.import_response(engine, response)
    services.finish_assessment(engine, assessment.id)
    if find is not None:
        summaries.refresh(engine, find, response.questionnaire)
    return assessment.id


def tiny_answers(value: int, organisation: str = "Acme", profile=RETAIL_MEDIUM) -> Response:
    return Response("tiny", "1.0.0", organisation=organisation,
                    answers={"data.inventory": Answer(value), "governance.board": Answer(value)},
                    organisation_profile=OrganisationProfile(**profile) if profile else None)


def closed_room(engine, client: str, values, profile=RETAIL_MEDIUM):
    room = ws.create_workshop(engine, client, "tiny", "1.0.0")
    for value in values:
        joined = ws.join_workshop(engine, room, "Executive")
        repo.save_answers(engine, joined.id, {"data.inventory": Answer(value), "governance.board": Answer(value)})
    set_workshop_profile(engine, room.id, profile)
    services.close_workshop(engine, room.id)
    return ws.get_workshop(engine, room.id)


# --- stored = fresh ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_every_golden_organisation_is_stored_as_a_fresh_score_gives_it(engine, path: Path):
    questionnaire = find_questionnaire(*_named(path))
    response = read_answers(path, questionnaire)
    assessment_id = finish(engine, response)  # finishing stores the summary, scored with the library
    row, figures = summaries.load_summary(engine, assessment_id=assessment_id)
    assert figures_of(figures) == read_off(score_response(questionnaire, response))
    profile = response.organisation_profile
    assert (row["questionnaire_id"], row["questionnaire_version"], row["size"], row["industry"], row["ai_role"]) == (
        questionnaire.id, questionnaire.version, profile.size, profile.industry, profile.ai_role)
    assert row["fingerprint"] == scoring.summary.fingerprint(questionnaire)


def _named(path: Path) -> tuple[str, str]:
    import yaml

    data = yaml.safe_load(path.read_text())
    return data["questionnaire"], data["questionnaire_version"]


QUICK_CHECK = find_questionnaire("quick-check")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(response=responses(QUICK_CHECK, organisation="Random Ltd"))
def test_a_stored_summary_equals_a_fresh_score_of_random_answers(engine, response):
    assessment_id = finish(engine, response)
    figures, fresh = stored(engine, assessment_id=assessment_id), score_response(QUICK_CHECK, response)
    assert figures_of(figures) == read_off(fresh)
    assert figures == summarise(fresh)


def test_a_closed_room_is_stored_as_its_aggregate_scores_it(engine, find, tiny_q):
    room = closed_room(engine, "Room", [0, 2, 2])
    summaries.refresh(engine, find, "tiny")  # the library does not hold the test questionnaire: scored here
    _, fresh = services.aggregate_stored(engine, room, tiny_q)
    assert figures_of(stored(engine, workshop_id=room.id)) == read_off(fresh.result)
    assert stored(engine, workshop_id=room.id).domains[0].index == 0.5  # the median, level 2


# --- kept current -----------------------------------------------------------------------------------------------


def test_an_answer_changed_after_finishing_makes_the_summary_stale_until_scored_again(engine, find, tiny_q):
    assessment_id = finish(engine, tiny_answers(0), find)
    repo.save_answers(engine, assessment_id, {"data.inventory": Answer(2)})
    assert summaries.stale(engine, find, "tiny").assessments == (assessment_id,)
    summaries.refresh(engine, find, "tiny")
    again = score_response(tiny_q, repo.load_response(engine, repo.get_assessment(engine, assessment_id)))
    assert stored(engine, assessment_id=assessment_id) == summarise(again)
    assert not len(summaries.stale(engine, find, "tiny"))


@pytest.mark.parametrize("change", ["consensus", "removal", "profile"])
def test_a_change_to_a_closed_rooms_result_drops_its_summary(engine, find, tiny_q, change):
    room = closed_room(engine, "Room", [0, 4, 4])
    summaries.refresh(engine, find, "tiny")
    assert stored(engine, workshop_id=room.id) is not None
    if change == "consensus":
        ws.save_consensus(engine, room.id, "data.inventory", 2)
    elif change == "removal":
        ws.remove_participant(engine, room.id, ws.list_participants(engine, room.id)[1].assessment.id)
    else:
        set_workshop_profile(engine, room.id, {"industry": "banking"})
    assert summaries.load_summary(engine, workshop_id=room.id) is None
    summaries.refresh(engine, find, "tiny")
    _, fresh = services.aggregate_stored(engine, ws.get_workshop(engine, room.id), tiny_q)
    assert stored(engine, workshop_id=room.id) == summarise(fresh.result)


def test_a_workshop_closed_by_its_closing_time_is_summarised_when_first_needed(engine, find):
    room = ws.create_workshop(engine, "Timed", "tiny", "1.0.0", closes_at=repo.now() + dt.timedelta(hours=1))
    joined = ws.join_workshop(engine, room, "Executive")
    repo.save_answers(engine, joined.id, {"data.inventory": Answer(4), "governance.board": Answer(4)})
    assert summaries.stale(engine, find, "tiny").workshops == ()  # still open: nothing to summarise
    with engine.begin() as conn:
        conn.execute(update(workshops_table).where(workshops_table.c.id == room.id)
                     .values(closes_at=repo.now() - dt.timedelta(minutes=1)))
    assert summaries.stale(engine, find, "tiny").workshops == (room.id,)
    summaries.refresh(engine, find, "tiny")
    assert stored(engine, workshop_id=room.id).domains[0].index == 1.0


def test_new_scoring_rules_make_every_summary_stale_and_rescoring_brings_them_back(engine, find, monkeypatch):
    ids = [finish(engine, tiny_answers(value, f"Org {value}"), find) for value in range(3)]
    room = closed_room(engine, "Room", [1])
    summaries.refresh(engine, find, "tiny")
    assert not len(summaries.stale(engine, find))
    monkeypatch.setattr(scoring.summary, "RULES_VERSION", scoring.summary.RULES_VERSION + 1)
    found = summaries.stale(engine, find)
    assert (found.assessments, found.workshops) == (tuple(ids), (room.id,))
    seen = []
    assert summaries.rescore(engine, find, progress=lambda done, total: seen.append((done, total))) == 4
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert not len(summaries.stale(engine, find))


def test_a_questionnaire_whose_content_changed_is_scored_again_with_it(engine, find, tmp_path):
    assessment_id = finish(engine, tiny_answers(2), find)  # half way to phase 1 at its threshold of 0.7
    edited = tmp_path / "tiny.yaml"
    edited.write_text((DATA / "tiny.yaml").read_text().replace(
        "{number: 1, name: Assess & Align,", "{number: 1, threshold: 0.5, name: Assess & Align,"))
    lower_bar = load_questionnaire(edited)
    changed = lambda questionnaire_id, version: lower_bar if questionnaire_id == "tiny" else None  # noqa: E731
    assert summaries.stale(engine, changed, "tiny").assessments == (assessment_id,)
    summaries.refresh(engine, changed, "tiny")
    response = repo.load_response(engine, repo.get_assessment(engine, assessment_id))
    figures = stored(engine, assessment_id=assessment_id)
    assert figures == summarise(score_response(lower_bar, response)) and figures.domains[0].achieved == 1


def test_a_version_the_library_lacks_is_stored_unscored_and_scored_once_it_is_there(engine, find):
    assessment_id = finish(engine, tiny_answers(2))  # the library has no "tiny": nothing to score it with yet
    row, figures = summaries.load_summary(engine, assessment_id=assessment_id)
    assert figures is None and not row["scored"]
    summaries.refresh(engine, find, "tiny")
    assert stored(engine, assessment_id=assessment_id).domains[0].index == 0.5


def test_many_stale_summaries_are_scored_in_the_background_and_left_out_meanwhile(engine, find, monkeypatch):
    for value in range(3):
        finish(engine, tiny_answers(value, f"Org {value}"), find)
    monkeypatch.setattr(scoring.summary, "RULES_VERSION", scoring.summary.RULES_VERSION + 1)
    fresh = summaries.refresh(engine, find, "tiny", limit=1)
    assert fresh == {scoring.summary.fingerprint(find("tiny", "1.0.0"))}
    for thread in threading.enumerate():
        if thread.name == "phasegate-rescore":
            thread.join()
    assert not len(summaries.stale(engine, find, "tiny"))


# --- gone with what they summarise -------------------------------------------------------------------------------


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(summaries_table)).scalar_one()


def test_deleting_or_purging_takes_the_summary_with_it(engine, find):
    first = finish(engine, tiny_answers(1, "A"), find)
    finish(engine, tiny_answers(2, "B"), find)
    room = closed_room(engine, "Room", [1])
    summaries.refresh(engine, find, "tiny")
    assert _count(engine) == 3
    retention.delete_assessment(engine, first)
    retention.delete_workshop(engine, room.id)
    assert _count(engine) == 1
    retention.purge(engine, 0, repo.now() + dt.timedelta(days=1))
    assert _count(engine) == 0


# --- read, never scored ------------------------------------------------------------------------------------------


def test_the_benchmark_reads_stored_figures_and_scores_nothing(engine, find, tiny_q, monkeypatch):
    monkeypatch.setenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true")
    for value, name in ((0, "A"), (1, "B"), (2, "C")):
        finish(engine, tiny_answers(value, name), find)
    closed_room(engine, "Room", [3])
    closed_room(engine, "Other room", [2])
    summaries.refresh(engine, find, "tiny")
    example = score_response(tiny_q, tiny_answers(3, "Example Corp"))

    def no_scoring(*args, **kwargs):
        raise AssertionError("the benchmark scored a stored response")

    monkeypatch.setattr(summaries, "score_response", no_scoring)
    monkeypatch.setattr(summaries, "aggregate_room", no_scoring)
    monkeypatch.setattr("scoring.engine.score_response", no_scoring)
    bench = benchmark_stored(engine, example, RETAIL_MEDIUM, find)
    # Peers' Data: 0, 0.25, 0.5, 0.5, 1.0 (levels 0, 0, 1, 1, 2); Example Corp's 1.0 ties the top one -> 90 %.
    assert bench.available and bench.n == 5
    assert [(d.id, d.label) for d in bench.domains] == [("data", "top fifth"), ("governance", "top fifth")]


def test_the_benchmark_leaves_out_a_removed_self_assessment_and_the_record_compared(engine, find, tiny_q,
                                                                                     monkeypatch):
    from storage.benchmark import peers
    from storage.tables import assessments

    monkeypatch.setenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true")
    kept = finish(engine, tiny_answers(1, "A"), find)
    removed = finish(engine, tiny_answers(2, "B"), find)
    with engine.begin() as conn:
        conn.execute(update(assessments).where(assessments.c.id == removed).values(removed_at=repo.now()))
    assert [p.indices["data"] for p in peers(engine, "tiny", find)] == [0.25]
    assert peers(engine, "tiny", find, exclude_assessment=kept) == []


def test_my_workshops_read_each_closed_rooms_phase_from_its_summary(engine, find, monkeypatch):
    closed = closed_room(engine, "Closed", [4])
    still_open = ws.create_workshop(engine, "Open", "tiny", "1.0.0")
    empty = closed_room(engine, "Empty", [])
    phases = summaries.workshop_phases(engine, [closed.id, still_open.id, empty.id], find)
    assert list(phases) == [closed.id]
    assert str(phases[closed.id]).startswith("phase ")

    def no_scoring(*args, **kwargs):
        raise AssertionError("the list scored a stored workshop")

    monkeypatch.setattr(summaries, "aggregate_room", no_scoring)
    assert summaries.workshop_phases(engine, [closed.id, still_open.id, empty.id], find) == phases

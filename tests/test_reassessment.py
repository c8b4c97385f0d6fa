"""Re-assessment in storage, on SQLite and PostgreSQL: answers carried over and confirmed, series, re-run workshops."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

import services
from scoring.answers import Answer
from scoring.workshop import Role
from storage import repository as repo
from storage import workshops as ws
from storage.engine import writing
from storage.tables import assessments, workshops


def finished(engine, answers: dict, organisation: str = "Example Corp", targets=None) -> repo.Assessment:
    """A finished self-assessment of the tiny questionnaire with these answers."""
    created = repo.create_assessment(engine, "tiny", "1.0.0", organisation=organisation, targets=targets)
    repo.save_answers(engine, created.id, answers)
    services.finish_assessment(engine, created.id)
    return repo.find_assessment(engine, created.token)


FIRST = {"data.inventory": Answer(2, "Spreadsheet only"), "data.pipelines": Answer(1), "governance.board": Answer("dont_know")}


def test_a_reassessment_starts_with_the_baselines_answers_and_notes_marked_as_carried_over(engine):
    baseline = finished(engine, FIRST, targets={"governance": 3})
    again = repo.start_reassessment(engine, baseline)
    assert again.id != baseline.id and again.token and not again.finished
    assert (again.baseline_id, again.organisation, again.targets) == (baseline.id, "Example Corp", {"governance": 3})
    assert repo.find_assessment(engine, again.token).baseline_id == baseline.id
    assert repo.load_answers(engine, again.id) == FIRST
    assert repo.carried_over_ids(engine, again.id) == {"data.inventory", "data.pipelines", "governance.board"}
    assert repo.carried_over_ids(engine, baseline.id) == set()


@pytest.mark.parametrize(
    "action, still_carried",
    [
        (lambda e, a: repo.save_answer(e, a, "data.inventory", 3), {"data.pipelines", "governance.board"}),
        (lambda e, a: repo.save_answer(e, a, "data.inventory", 2), {"data.pipelines", "governance.board"}),
        (lambda e, a: repo.save_answers(e, a, {"data.pipelines": Answer(1)}), {"data.inventory", "governance.board"}),
        (lambda e, a: repo.confirm_answers(e, a, ["data.inventory", "governance.board"]), {"data.pipelines"}),
        (lambda e, a: repo.save_note(e, a, "data.inventory", "Now in the catalogue"),
         {"data.inventory", "data.pipelines", "governance.board"}),
        (lambda e, a: repo.confirm_answers(e, a, []), {"data.inventory", "data.pipelines", "governance.board"}),
    ],
    ids=["changed", "same-value-again", "saved-in-bulk", "confirmed", "note-alone-confirms-nothing", "nothing-confirmed"],
)
def test_answering_or_confirming_clears_the_carried_over_mark(engine, action, still_carried):
    again = repo.start_reassessment(engine, finished(engine, FIRST))
    action(engine, again.id)
    assert repo.carried_over_ids(engine, again.id) == still_carried


def test_confirming_keeps_the_value_and_the_note(engine):
    again = repo.start_reassessment(engine, finished(engine, FIRST))
    repo.confirm_answers(engine, again.id, ["data.inventory"])
    assert repo.load_answers(engine, again.id)["data.inventory"] == Answer(2, "Spreadsheet only")


def test_changing_a_reassessment_leaves_its_baseline_as_it_was(engine):
    baseline = finished(engine, FIRST)
    again = repo.start_reassessment(engine, baseline)
    repo.save_answer(engine, again.id, "data.inventory", 4)
    repo.save_note(engine, again.id, "data.inventory", "Catalogue live")
    assert repo.load_answers(engine, baseline.id) == FIRST


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda e: repo.create_assessment(e, "tiny", "1.0.0"), "Only a finished assessment can be the baseline"),
        (lambda e: _participant(e), "the facilitator re-runs the workshop"),
    ],
    ids=["unfinished", "workshop-participant"],
)
def test_a_reassessment_is_refused_from_an_unfinished_assessment_or_a_workshop_participant(engine, make, message):
    before = repo.count_answers(engine)
    baseline = make(engine)
    with pytest.raises(repo.ReassessmentError, match=message):
        repo.start_reassessment(engine, baseline)
    assert len(repo.list_assessments(engine)) == 1 and repo.count_answers(engine) == before


def _participant(engine) -> repo.Assessment:
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    joined = ws.join_workshop(engine, workshop, workshop.roles[0].name)
    services.finish_assessment(engine, joined.id)
    return repo.get_assessment(engine, joined.id)


def test_a_series_follows_the_baselines_back_oldest_first(engine):
    first = finished(engine, FIRST)
    second = repo.start_reassessment(engine, first)
    services.finish_assessment(engine, second.id)
    third = repo.start_reassessment(engine, repo.find_assessment(engine, second.token))
    series = repo.assessment_series(engine, third)
    assert [a.id for a in series] == [first.id, second.id, third.id]
    assert [a.token for a in series] == ["", "", third.token]
    assert [a.id for a in repo.assessment_series(engine, first)] == [first.id]


def test_deleting_a_baseline_leaves_the_reassessment_without_one(engine):
    first = finished(engine, FIRST)
    again = repo.start_reassessment(engine, first)
    with writing(engine) as conn:
        conn.execute(delete(assessments).where(assessments.c.id == first.id))
    kept = repo.find_assessment(engine, again.token)
    assert kept.baseline_id is None and repo.load_answers(engine, again.id) == FIRST
    assert [a.id for a in repo.assessment_series(engine, kept)] == [again.id]


ROLES = (Role("Chief executive", "executive"), Role("Data scientist", "practitioner"))


def test_a_workshop_is_rerun_for_the_same_client_questionnaire_and_roles(engine):
    first = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0", roles=ROLES, anonymous=False)
    ws.join_workshop(engine, first, "Chief executive")
    services.close_workshop(engine, first.id)
    again = ws.rerun_workshop(engine, first)
    assert (again.client, again.questionnaire_id, again.questionnaire_version, again.roles, again.anonymous) == (
        "Example Corp", "tiny", "1.0.0", ROLES, False)
    assert again.baseline_id == first.id and not again.is_closed()
    assert again.join_code != first.join_code and again.facilitator_token
    assert ws.find_by_token(engine, again.facilitator_token).baseline_id == first.id
    assert ws.list_participants(engine, again.id) == []
    assert ws.get_workshop(engine, first.id).baseline_id is None


def test_deleting_the_earlier_workshop_leaves_the_rerun_without_a_baseline(engine):
    first = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    again = ws.rerun_workshop(engine, first)
    with writing(engine) as conn:
        conn.execute(delete(workshops).where(workshops.c.id == first.id))
    assert ws.get_workshop(engine, again.id).baseline_id is None


def test_the_app_measures_progress_over_the_whole_series_and_the_pdf_worker_redoes_it(engine, tiny):
    from ui.baseline import baseline_progress
    from scoring.compare import progress_from_payload
    from scoring.engine import score_response

    first = finished(engine, {"data.inventory": Answer(2), "governance.board": Answer(1)})
    second = repo.start_reassessment(engine, first)
    repo.save_answer(engine, second.id, "data.inventory", 4)
    services.finish_assessment(engine, second.id)
    third = repo.start_reassessment(engine, repo.find_assessment(engine, second.token))
    repo.save_answer(engine, third.id, "governance.board", 4)
    result = score_response(tiny, repo.load_response(engine, third))
    find = lambda qid, version: tiny if (qid, version) == ("tiny", "1.0.0") else None  # noqa: E731
    moved = baseline_progress(engine, third, tiny, result, find)
    assert [round(p.index, 4) for p in moved.series] == [0.3333, 0.5, 1.0]
    assert [(d.id, d.index_before, d.index_now) for d in moved.comparison.domains] == [
        ("data", 1.0, 1.0), ("governance", 0.25, 1.0)]
    again, series = progress_from_payload(moved.payload, tiny, result, find)
    assert again == moved.comparison and tuple(series) == moved.series
    assert baseline_progress(engine, repo.find_assessment(engine, first.token), tiny, result, find) is None


def test_a_baseline_imported_from_an_answers_file_is_dated_by_the_file(engine, tiny):
    import datetime as dt

    from ui.baseline import baseline_progress
    from scoring.answers import Response
    from scoring.engine import score_response

    taken = dt.date(2025, 3, 14)
    imported = repo.import_response(engine, Response("tiny", "1.0.0", answers={"data.inventory": Answer(2)},
                                                     organisation="Example Corp", date=taken))
    services.finish_assessment(engine, imported.id)
    again = repo.start_reassessment(engine, repo.find_assessment(engine, imported.token))
    result = score_response(tiny, repo.load_response(engine, again))
    find = lambda qid, version: tiny if (qid, version) == ("tiny", "1.0.0") else None  # noqa: E731
    moved = baseline_progress(engine, again, tiny, result, find)
    assert moved.series[0].date == taken
    assert moved.series[-1].date == again.created_at.date()  # answered in the app: dated by the app

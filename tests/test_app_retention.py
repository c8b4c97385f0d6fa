"""In the app: an expired link opens nothing, a respondent deletes their assessment, a facilitator removes data."""

from __future__ import annotations

import datetime as dt


from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.engine import writing
from storage.tables import assessments
from tests.conftest import open_page


def idle_for(assessment_id: int, days: int) -> None:
    with writing(get_engine()) as conn:
        conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                     .values(updated_at=repo.now() - dt.timedelta(days=days)))


def test_an_expired_resume_link_shows_a_friendly_page_and_deletes_nothing(app_env, monkeypatch):
    monkeypatch.setenv("PHASEGATE_RESUME_DAYS", "30")
    assessment = repo.create_assessment(get_engine(), "tiny", "1.0.0")
    repo.save_answer(get_engine(), assessment.id, "data.inventory", 3)
    idle_for(assessment.id, 31)
    at = open_page("app_pages/assessment.py", a=assessment.token)
    assert at.title[0].value == "This resume link has expired"
    assert not [r for r in at.radio if r.key and r.key.startswith("q:")]
    assert repo.load_answers(get_engine(), assessment.id)["data.inventory"].value == 3


def test_a_recent_link_still_opens_when_links_expire(app_env, monkeypatch):
    monkeypatch.setenv("PHASEGATE_RESUME_DAYS", "30")
    assessment = repo.create_assessment(get_engine(), "tiny", "1.0.0")
    idle_for(assessment.id, 29)
    at = open_page("app_pages/assessment.py", a=assessment.token)
    assert at.title[0].value != "This resume link has expired"


def test_a_respondent_deletes_their_own_assessment_after_confirming(app_env):
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_note(engine, assessment.id, "data.inventory", "private context")
    at = open_page("app_pages/assessment.py", a=assessment.token)
    assert at.button(key="delete_assessment").disabled
    at.checkbox(key="confirm_delete_assessment").check().run()
    at.button(key="delete_assessment").click().run()
    assert not at.exception, at.exception
    assert repo.find_assessment(engine, assessment.token) is None
    assert repo.count_answers(engine, assessment.id) == 0
    assert "The assessment and all its answers were deleted\\." in [s.value for s in at.success]


def test_a_facilitator_removes_a_stray_participant_and_then_deletes_the_workshop(app_env):
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    stray, kept = ws.join_workshop(engine, workshop, "Executive"), ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, stray.id, "data.inventory", 0)
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    at.selectbox(key="remove_participant_pick").set_value(stray.id).run()
    at.button(key="remove_participant").click().run()
    assert not at.exception, at.exception
    assert [p.assessment.id for p in ws.list_participants(engine, workshop.id)] == [kept.id]

    at.text_input(key="confirm_delete_workshop").input("example corp").run()
    at.button(key="delete_workshop").click().run()
    assert not at.exception, at.exception
    assert ws.find_by_token(engine, workshop.facilitator_token) is None
    assert repo.find_assessment(engine, kept.token) is None

"""Who may see and do what in a workshop: the facilitator link is the key, a join code only lets you answer."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

import services
from questionnaires.errors import AnswersError
from scoring.workshop import Role
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page


@pytest.fixture
def workshop(engine):
    return ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")


def test_the_facilitator_token_carries_at_least_128_random_bits(engine, workshop):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    assert len(workshop.facilitator_token) >= 43  # 32 random bytes, URL-safe base64
    assert workshop.facilitator_token != other.facilitator_token
    assert workshop.join_code != other.join_code


def test_join_codes_carry_sixty_bits_and_forgive_case_dashes_and_look_alikes(engine, workshop):
    assert len(workshop.join_code) == 12 and len(ws.JOIN_CODE_ALPHABET) == 32  # 32 ** 12 == 2 ** 60
    typed = workshop.display_code.lower().replace("0", "o").replace("1", "l")
    assert ws.find_by_code(engine, f"  {typed} ").id == workshop.id


@pytest.mark.parametrize("code", ["", "ABC", "0123456789AB'", "U" * 12, "0" * 40])
def test_malformed_codes_open_nothing(engine, workshop, code):
    assert ws.normalise_code(code) is None
    assert ws.find_by_code(engine, code) is None


def test_a_join_code_or_a_participant_link_does_not_open_the_dashboard(engine, workshop):
    participant = ws.join_workshop(engine, workshop, "Executive")
    assert ws.find_by_token(engine, workshop.join_code) is None
    assert ws.find_by_token(engine, workshop.display_code) is None
    assert ws.find_by_token(engine, participant.token) is None
    assert ws.find_by_token(engine, workshop.facilitator_token).id == workshop.id


def test_a_participant_link_opens_only_that_participants_answers(engine, workshop):
    first = ws.join_workshop(engine, workshop, "Executive")
    second = ws.join_workshop(engine, workshop, "Data & AI")
    repo.save_answer(engine, second.id, "data.inventory", 4)
    opened = [repo.find_assessment(engine, p.token) for p in (first, second)]
    assert [a.id for a in opened] == [first.id, second.id]
    assert [repo.load_answers(engine, a.id) for a in opened] == [{}, {"data.inventory": repo.Answer(4)}]


def test_a_participant_must_pick_one_of_the_workshops_roles(engine, workshop):
    with pytest.raises(ws.WorkshopError, match="Pick one of the workshop's roles"):
        ws.join_workshop(engine, workshop, "Astronaut")


def test_a_closed_workshop_refuses_answers_and_new_participants(engine, workshop):
    participant = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, participant.id, "data.inventory", 2)
    services.close_workshop(engine, workshop.id)
    with pytest.raises(ws.WorkshopClosed, match="closed"):
        repo.save_answer(engine, participant.id, "data.inventory", 4)
    with pytest.raises(ws.WorkshopClosed):
        repo.save_note(engine, participant.id, "data.inventory", "late note")
    with pytest.raises(ws.WorkshopClosed):
        ws.join_workshop(engine, workshop, "Executive")
    assert repo.load_answers(engine, participant.id)["data.inventory"].value == 2


def test_a_workshop_past_its_closing_time_refuses_answers(engine):
    soon = repo.now() + dt.timedelta(hours=1)
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0", closes_at=soon)
    participant = ws.join_workshop(engine, workshop, "Executive")
    later = ws.get_workshop(engine, workshop.id)
    assert not later.is_closed() and later.is_closed(soon + dt.timedelta(seconds=1))
    with engine.begin() as conn:  # move the closing time into the past
        conn.execute(ws.workshops.update().values(closes_at=repo.now() - dt.timedelta(minutes=1)))
    with pytest.raises(ws.WorkshopClosed):
        repo.save_answer(engine, participant.id, "data.inventory", 4)


def test_a_self_assessment_is_not_affected_by_workshops(engine, workshop):
    services.close_workshop(engine, workshop.id)
    alone = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answer(engine, alone.id, "data.inventory", 3)
    assert repo.load_answers(engine, alone.id)["data.inventory"].value == 3


def test_participants_are_listed_per_workshop_with_numbers_not_names(engine, workshop):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    first = ws.join_workshop(engine, workshop, "Executive")
    ws.join_workshop(engine, other, "Executive")
    second = ws.join_workshop(engine, workshop, "Risk & legal")
    repo.save_answer(engine, first.id, "data.inventory", 3)
    listed = ws.list_participants(engine, workshop.id)
    assert [(p.label, p.role, p.assessment.id) for p in listed] == [("P-001", "Executive", first.id),
                                                                    ("P-002", "Risk & legal", second.id)]
    assert listed[0].response.answers["data.inventory"].value == 3


def test_consensus_is_recorded_replaced_and_removed(engine, workshop):
    ws.save_consensus(engine, workshop.id, "data.inventory", 2, "first")
    ws.save_consensus(engine, workshop.id, "data.inventory", 3, "agreed after discussion")
    assert ws.load_consensus(engine, workshop.id) == {"data.inventory": repo.Answer(3, "agreed after discussion")}
    ws.save_consensus(engine, workshop.id, "data.inventory", None, "")
    assert ws.load_consensus(engine, workshop.id) == {}


@pytest.mark.parametrize("question_id, value, refused", [
    ("data.inventory", 7, "answers.data.inventory: 7 is not an option"),
    ("governance.controls", ["audit", "none"], "'none' (None of these) is chosen alone"),
    ("data.nothing", 2, "unknown question id 'data.nothing'"),
])
def test_an_agreed_answer_its_question_does_not_allow_is_refused_and_the_one_before_kept(app_env, engine, workshop,
                                                                                         question_id, value, refused):
    # app_env offers the tiny questionnaire, so its questions can be checked
    ws.save_consensus(engine, workshop.id, "data.inventory", 2, "first")
    with pytest.raises(AnswersError, match=re.escape(refused)):
        ws.save_consensus(engine, workshop.id, question_id, value, "")
    assert ws.load_consensus(engine, workshop.id) == {"data.inventory": repo.Answer(2, "first")}


# --- removing a stray participant ---------------------------------------------------------


def test_a_removed_participant_is_left_out_of_every_aggregate_but_kept(engine, tiny, workshop):
    kept = ws.join_workshop(engine, workshop, "Executive")
    stray = ws.join_workshop(engine, workshop, "Data & AI")
    repo.save_answer(engine, kept.id, "data.inventory", 2)
    repo.save_answer(engine, stray.id, "data.inventory", 4)  # a test entry: it makes a dispute
    assert services.aggregate_stored(engine, workshop, tiny)[1].question("data.inventory").disagreement

    removed = ws.remove_participant(engine, workshop.id, stray.id, "ana@example.com")
    assert (removed.label, removed.role) == ("P-002", "Data & AI")
    people, result = services.aggregate_stored(engine, workshop, tiny)
    stats = result.question("data.inventory")
    assert [p.assessment.id for p in people] == [kept.id]
    assert (result.participants, stats.n, stats.disagreement, result.disagreements) == (1, 1, False, ())
    assert [c.role for c in result.participation if c.joined] == ["Executive"]
    assert result.role_gap("data").by_role["Data & AI"] is None
    [gone] = ws.list_participants(engine, workshop.id, removed=True)
    assert (gone.label, gone.assessment.id, gone.response.answers["data.inventory"].value) == ("P-002", stray.id, 4)
    assert repo.find_assessment(engine, stray.token).removed_at is not None


def test_removing_a_participant_writes_one_audit_line_naming_them_and_who_did_it(engine, workshop):
    stray = ws.join_workshop(engine, workshop, "Data & AI")
    repo.save_answer(engine, stray.id, "data.inventory", 4)
    assert ws.remove_participant(engine, workshop.id, stray.id, "ana@example.com") is not None
    assert ws.remove_participant(engine, workshop.id, stray.id, "ana@example.com") is None  # already removed
    [event] = ws.list_events(engine, workshop.id)
    assert (event.action, event.actor) == (ws.REMOVED, "ana@example.com")
    assert event.detail == "Removed P-001 · Data & AI · 1 answer from every aggregate and export"
    assert str(event).endswith("UTC · Removed P-001 · Data & AI · 1 answer from every aggregate and export "
                               "(by ana@example.com)")


def test_a_removed_participant_can_be_restored_and_counts_again(engine, tiny, workshop):
    stray = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, stray.id, "data.inventory", 3)
    ws.remove_participant(engine, workshop.id, stray.id)
    assert ws.restore_participant(engine, workshop.id, stray.id).label == "P-001"
    assert services.aggregate_stored(engine, workshop, tiny)[1].participants == 1
    assert [(e.action, e.actor) for e in ws.list_events(engine, workshop.id)] == [(ws.REMOVED, ""), (ws.RESTORED, "")]
    assert "by facilitator" in str(ws.list_events(engine, workshop.id)[0])


def test_labels_stay_with_their_participant_when_an_earlier_one_is_removed(engine, workshop):
    first, second, third = (ws.join_workshop(engine, workshop, "Executive") for _ in range(3))
    ws.remove_participant(engine, workshop.id, second.id)
    assert [(p.label, p.assessment.id) for p in ws.list_participants(engine, workshop.id)] == [
        ("P-001", first.id), ("P-003", third.id)]


def test_a_removed_participant_can_no_longer_answer(engine, workshop):
    stray = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, stray.id, "data.inventory", 1)
    ws.remove_participant(engine, workshop.id, stray.id)
    with pytest.raises(ws.ParticipantRemoved, match="removed you from this workshop"):
        repo.save_answer(engine, stray.id, "data.inventory", 4)
    assert repo.load_answers(engine, stray.id)["data.inventory"].value == 1


def test_only_a_participant_of_this_workshop_can_be_removed_restored_or_erased(engine, workshop):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    elsewhere = ws.join_workshop(engine, other, "Executive")
    assert ws.remove_participant(engine, workshop.id, elsewhere.id) is None
    assert ws.restore_participant(engine, workshop.id, elsewhere.id) is None
    assert ws.erase_participant(engine, workshop.id, elsewhere.id) is None
    assert len(ws.list_participants(engine, other.id)) == 1 and ws.list_events(engine, workshop.id) == []


def test_erasing_deletes_only_a_removed_participant_and_keeps_the_audit_line(engine, workshop):
    stray = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, stray.id, "data.inventory", 4)
    assert ws.erase_participant(engine, workshop.id, stray.id) is None  # remove first
    ws.remove_participant(engine, workshop.id, stray.id)
    assert ws.erase_participant(engine, workshop.id, stray.id).label == "P-001"
    assert repo.find_assessment(engine, stray.token) is None and repo.count_answers(engine, stray.id) == 0
    assert [e.detail for e in ws.list_events(engine, workshop.id)][-1] == "Erased P-001's answers for good"


def test_a_removed_participant_frees_their_place_in_a_full_workshop(engine, workshop, monkeypatch):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", "1")
    stray = ws.join_workshop(engine, workshop, "Executive")
    with pytest.raises(ws.WorkshopError, match="full"):
        ws.join_workshop(engine, workshop, "Executive")
    ws.remove_participant(engine, workshop.id, stray.id)
    assert ws.join_workshop(engine, workshop, "Executive").id != stray.id


@pytest.mark.parametrize(
    "roles, message",
    [
        ([], "at least one role"),
        ([Role("Executive"), Role("executive")], "listed twice"),
        ([Role("x" * 61)], "at most 60"),
        ([Role("Board", "boss")], "executive, practitioner or empty"),
    ],
)
def test_bad_roles_are_refused_with_a_reason(engine, roles, message):
    with pytest.raises(ws.WorkshopError, match=message):
        ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0", roles=roles)


# --- the pages ---------------------------------------------------------------------------


@pytest.fixture
def app_env(app_env):
    """The shared app settings, handing the test the app's database engine."""
    yield get_engine()


def dashboard(**params) -> AppTest:
    return open_page("app_pages/workshop_dashboard.py", **params)


def room_figures(at: AppTest) -> list[str]:
    """Joined, finished and disputed, as the dashboard's live panel shows them."""
    shown = {m.label: m.value for m in at.metric}
    return [shown[label] for label in ("Participants joined", "Finished", "Disputed questions")]


def page_text(at: AppTest) -> str:
    return " ".join(str(e.value) for e in (*at.title, *at.markdown, *at.metric, *at.code, *at.caption))


@pytest.mark.parametrize("key", ["join_code", "participant_token", "nothing"])
def test_the_dashboard_page_refuses_anything_but_the_facilitator_link(app_env, key):
    workshop = ws.create_workshop(app_env, "Secret Client", "tiny", "1.0.0")
    participant = ws.join_workshop(app_env, workshop, "Executive")
    repo.save_answer(app_env, participant.id, "data.inventory", 4)
    given = {"join_code": workshop.join_code, "participant_token": participant.token, "nothing": ""}[key]
    at = dashboard(f=given) if given else dashboard()
    text = page_text(at)
    assert "No access to the workshop dashboard" in text
    assert "Secret Client" not in text and workshop.facilitator_token not in text


def test_the_dashboard_opens_with_the_facilitator_link(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    for value in (0, 4):
        participant = ws.join_workshop(app_env, workshop, "Executive")
        repo.save_answer(app_env, participant.id, "data.inventory", value)
    at = dashboard(f=workshop.facilitator_token)
    assert "Workshop · Example Corp" in page_text(at)
    assert room_figures(at) == ["2", "0", "1"]


def test_the_join_page_tells_participants_when_the_workshop_is_closed(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(app_env, workshop, "Executive")
    services.close_workshop(app_env, workshop.id)
    at = open_page("app_pages/workshop_join.py", a=participant.token)
    assert any("is closed" in str(i.value) for i in at.info)
    at = open_page("app_pages/workshop_join.py", code=workshop.display_code)
    assert any("no longer accepts participants" in str(i.value) for i in at.info)


def test_the_dashboard_says_what_each_domain_works_on_and_what_complete_means(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    person = ws.join_workshop(app_env, workshop, "Executive")
    repo.save_answers(app_env, person.id, {"data.inventory": repo.Answer(4), "data.pipelines": repo.Answer(4),
                                           "data.monitoring": repo.Answer("yes"), "data.products": repo.Answer("products"),
                                           "governance.board": repo.Answer(1)})
    ws.join_workshop(app_env, workshop, "Data & AI")  # joined, nothing answered yet
    at = dashboard(f=workshop.facilitator_token)
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {"Domain": "Data", "Index": "4.0 / 4", "Working on": "Complete: all four phases achieved"},
        {"Domain": "Governance", "Index": "0.2 / 4", "Working on": "Phase 1 · Assess & Align"}]
    assert "None" not in table.to_string()
    captions = [c.value for c in at.caption]
    assert any(c.startswith("A complete domain has achieved all four phases") for c in captions)
    # five of the seven questions each participant sees are answered, out of fourteen
    assert any(c.startswith("36% confidence: 0 of 2 participants finished · 0 answers agreed in the room")
               for c in captions)


def test_a_stray_participant_removed_on_the_dashboard_leaves_the_figures_with_an_audit_line(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    kept, stray = ws.join_workshop(app_env, workshop, "Executive"), ws.join_workshop(app_env, workshop, "Data & AI")
    repo.save_answer(app_env, kept.id, "data.inventory", 1)
    repo.save_answer(app_env, stray.id, "data.inventory", 4)
    at = dashboard(f=workshop.facilitator_token)
    assert room_figures(at) == ["2", "0", "1"]
    assert [option.split(" · joined ")[0] + " · " + option.split(" · ", 4)[4]
            for option in at.selectbox(key="remove_participant_pick").options] == [
        "P-001 · Executive · 1 answer · 0 don't know", "P-002 · Data & AI · 1 answer · 0 don't know"]
    at.selectbox(key="remove_participant_pick").set_value(stray.id).run()
    at.button(key="remove_participant").click().run()
    assert not at.exception, at.exception
    assert room_figures(at) == ["1", "0", "0"]  # joined, finished, disputed
    assert any(c.value.endswith("1 participant removed, not counted.") for c in at.caption)
    assert ws.removed_count(app_env, workshop.id) == 1
    assert any(t.value.endswith("Removed P-002 · Data & AI · 1 answer from every aggregate and export (by facilitator)")
               for t in at.text)
    at.button(key=f"restore_participant:{stray.id}").click().run()
    assert room_figures(at) == ["2", "0", "1"]
    assert len(ws.list_events(app_env, workshop.id)) == 2


def test_branding_is_set_once_on_the_dashboard_and_kept_with_the_workshop(app_env):
    from reports.branding import Branding

    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    at = dashboard(f=workshop.facilitator_token)
    at.text_input(key="brand_prepared_by").input("Harbour Advisory")
    at.color_picker(key="brand_colour").pick("#7a1f5c")
    at.text_area(key="brand_commentary").input("Settle data ownership first.")
    at.button(key="FormSubmitter:workshop_branding-Save branding").click().run()
    assert not at.exception, at.exception
    stored = Branding.from_stored(ws.get_workshop(app_env, workshop.id).branding)
    assert (stored.prepared_by, stored.color, stored.commentary, stored.logo) == (
        "Harbour Advisory", "#7a1f5c", "Settle data ownership first.", None)
    assert any("Branding saved" in s.value for s in at.success)



def test_a_removed_participant_coming_back_with_their_link_is_told_so(app_env):
    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    stray = ws.join_workshop(app_env, workshop, "Executive")
    ws.remove_participant(app_env, workshop.id, stray.id)
    at = open_page("app_pages/workshop_join.py", a=stray.token)
    assert any("removed you from it" in str(i.value) for i in at.info)
    assert not at.text_input  # no join form, no answers: nothing they type would count


def test_the_workshop_pdf_carries_its_branding_and_leaves_removed_participants_out(app_env):
    import io

    from pypdf import PdfReader

    from reports.branding import Branding
    from reports.workers import render_workshop_pdf
    from tests.pdf_text import pdf_words

    workshop = ws.create_workshop(app_env, "Example Corp", "tiny", "1.0.0")
    kept, stray = ws.join_workshop(app_env, workshop, "Executive"), ws.join_workshop(app_env, workshop, "Data & AI")
    repo.save_answer(app_env, kept.id, "data.inventory", 2)
    repo.save_answer(app_env, stray.id, "data.inventory", 4)
    ws.remove_participant(app_env, workshop.id, stray.id)
    ws.set_branding(app_env, workshop.id, Branding("Harbour Advisory", "#7a1f5c",
                                                   commentary="Settle data ownership first.").to_stored())
    data = render_workshop_pdf(workshop.id)
    pdf, text = PdfReader(io.BytesIO(data)), pdf_words(data)
    assert pdf.metadata.author == "Harbour Advisory" and "Prepared by Harbour Advisory" in text
    assert "commentary by harbour advisory" in text.casefold()  # the heading is set in capitals
    assert "Settle data ownership first." in text
    assert "1 participant answered on their own device; 0 answered every required question." in text

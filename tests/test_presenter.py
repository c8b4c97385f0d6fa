"""The presenter view: the join code and QR code for the projector, discussion mode with inline consensus, and
never the facilitator's secret link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import services
from reports import workshop_charts
from storage import drafts, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page

PRESENTER = "app_pages/presenter.py"


@pytest.fixture
def engine(app_env):
    return get_engine()


@pytest.fixture
def disputed(engine):
    """A workshop whose room disagrees on two questions (inventory widest), agrees on the board."""
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    for role, inventory, pipelines in (("Executive", 4, 3), ("Data & AI", 0, 1), ("IT & engineering", 1, 1)):
        person = ws.join_workshop(engine, workshop, role)
        repo.save_answers(engine, person.id, {"data.inventory": repo.Answer(inventory),
                                              "data.pipelines": repo.Answer(pipelines),
                                              "governance.board": repo.Answer(2)})
    return workshop


def everything(at: AppTest) -> str:
    """Every element the page sent, as text: widgets, markdown, HTML, images, chart specs, and the query string."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    return " ".join(str(getattr(node, "proto", "")) for node in walk(at._tree)) + " " + repr(dict(at.query_params))


def discuss(at: AppTest) -> AppTest:
    return at.button_group(key="presenter_mode").set_value("Discussion").run()


def shown_question(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## "))[3:]


@pytest.mark.parametrize("key", ["join_code", "participant_token", "nothing"])
def test_the_presenter_view_opens_only_with_the_facilitators_access(engine, disputed, key):
    participant = ws.join_workshop(engine, disputed, "Executive")
    given = {"join_code": disputed.join_code, "participant_token": participant.token, "nothing": ""}[key]
    at = open_page(PRESENTER, f=given) if given else open_page(PRESENTER)
    text = everything(at)
    assert "No access to the presenter view" in text
    assert "Example Corp" not in text and disputed.display_code not in text


def test_the_presenter_view_shows_the_join_code_and_qr_code_but_never_the_secret_link(engine, disputed):
    at = open_page(PRESENTER, f=disputed.facilitator_token)
    text = everything(at)
    assert disputed.display_code in text and "Scan to join" in text
    assert "3</span> joined" in text and "0 of 1 finished" in text
    assert disputed.facilitator_token not in text
    assert "f" not in at.query_params  # taken out of the address bar at once
    discuss(at)
    assert disputed.facilitator_token not in everything(at)


def test_the_presenter_view_keeps_working_after_the_link_left_the_address_bar(engine, disputed):
    at = open_page(PRESENTER, f=disputed.facilitator_token)
    discuss(at)
    assert not at.exception and shown_question(at) == "Is there an inventory of data sets?"


def test_discussion_mode_walks_through_the_disputed_questions_one_at_a_time(engine, disputed):
    at = discuss(open_page(PRESENTER, f=disputed.facilitator_token))
    assert "**Disputed question 1 of 2**" in at.markdown[1].value
    assert at.button(key="presenter_previous").disabled
    at.button(key="presenter_next").click().run()
    assert shown_question(at) == "Are data pipelines automated?"
    assert at.button(key="presenter_next").disabled
    at.button(key="presenter_previous").click().run()
    assert shown_question(at) == "Is there an inventory of data sets?"


def test_the_answers_are_charted_by_role_with_the_spread_in_words(engine, disputed):
    at = discuss(open_page(PRESENTER, f=disputed.facilitator_token))
    spec = everything(at)
    assert '\\"role\\": \\"Executive\\", \\"people\\": 1' in spec and '\\"answer\\": \\"Optimised\\"' in spec
    assert "Answers 4 levels apart · 3 answers · the room's median\\: Ad hoc" in [m.value for m in at.markdown]


def test_an_agreed_answer_recorded_in_discussion_mode_becomes_the_workshops_answer(engine, disputed, tiny):
    at = discuss(open_page(PRESENTER, f=disputed.facilitator_token))
    at.radio(key="presenter_agreed:data.inventory").set_value(2)
    at.text_area(key="presenter_note:data.inventory").input("Only finance keeps one")
    at.button(key="presenter_record").click().run()
    assert not at.exception
    assert ws.load_consensus(engine, disputed.id) == {"data.inventory": repo.Answer(2, "Only finance keeps one")}
    assert any("Agreed: Defined — Only finance keeps one" in s.value for s in at.success)
    _, result = services.aggregate_stored(engine, disputed, tiny)
    assert [(d.question, d.label, d.median_label) for d in result.decisions] == [
        ("data.inventory", "Defined", "Ad hoc")]

    dashboard = open_page("app_pages/workshop_dashboard.py", f=disputed.facilitator_token)
    assert any(m.value == "Agreed: Defined (median was Ad hoc)" for m in dashboard.markdown)


def test_recording_without_choosing_an_answer_says_what_to_do(engine, disputed):
    at = discuss(open_page(PRESENTER, f=disputed.facilitator_token))
    at.button(key="presenter_record").click().run()
    assert [w.value for w in at.warning] == ["Choose the answer the room agreed on first\\."]
    assert ws.load_consensus(engine, disputed.id) == {}


def test_a_room_without_disputes_says_so_in_discussion_mode(engine):
    workshop = ws.create_workshop(engine, "Calm Corp", "tiny", "1.0.0")
    for _ in range(2):
        repo.save_answer(engine, ws.join_workshop(engine, workshop, "Executive").id, "data.inventory", 2)
    at = discuss(open_page(PRESENTER, f=workshop.facilitator_token))
    assert any("No disputed question" in s.value for s in at.success)


def test_the_qr_code_is_an_svg_of_the_join_link():
    svg = workshop_charts.join_qr_svg("https://phasegate.example/workshop?code=K7QM-XR4P-9TZH")
    assert svg.startswith("<svg") and 'width="370"' in svg  # version 4 at medium error correction, 10 px a module


def test_the_join_panel_escapes_the_address_and_never_carries_a_query():
    panel = workshop_charts.join_panel_html("K7QM-XR4P-9TZH", "https://x.example/<b>?code=K7QM-XR4P-9TZH&f=secret")
    assert "&lt;b&gt;" in panel and "secret" not in panel and "K7QM-XR4P-9TZH" in panel


def test_a_workshop_asked_for_by_id_is_not_answered_with_the_one_kept_in_the_session(engine, disputed):
    other = ws.create_workshop(engine, "Other Corp", "tiny", "1.0.0")
    at = open_page(PRESENTER, f=disputed.facilitator_token)
    at.query_params["w"] = str(other.id)  # nobody is signed in, so an id alone opens nothing
    at.run()
    text = everything(at)
    assert "No access to the presenter view" in text and "Example Corp" not in text


def test_an_answer_chosen_on_the_projector_outlives_the_server_until_it_is_recorded(engine, disputed):
    at = discuss(open_page(PRESENTER, f=disputed.facilitator_token))
    at.button(key="presenter_next").click().run()
    question = shown_question(at)
    question_id = next(q for q in ("data.inventory", "data.pipelines")
                       if f"presenter_agreed:{q}" in [r.key for r in at.radio])
    at.radio(key=f"presenter_agreed:{question_id}").set_value(1).run()
    at.text_area(key=f"presenter_note:{question_id}").input("Two teams keep one").run()
    assert ws.load_consensus(engine, disputed.id) == {}  # chosen and written, not recorded

    # The server stops; the projector's page opens again in a new session (on another replica), by its address.
    again = open_page(PRESENTER, w=str(disputed.id), view="discussion", q=question_id,
                      prepare=lambda fresh: fresh.session_state.__setitem__("facilitation", at.session_state["facilitation"]))
    assert not again.exception, again.exception
    assert again.button_group(key="presenter_mode").value == "Discussion"
    assert shown_question(again) == question
    assert again.radio(key=f"presenter_agreed:{question_id}").value == 1
    assert again.text_area(key=f"presenter_note:{question_id}").value == "Two teams keep one"
    assert any("not recorded yet" in c.value for c in again.caption)

    again.button(key="presenter_record").click().run()
    assert ws.load_consensus(engine, disputed.id) == {question_id: repo.Answer(1, "Two teams keep one")}
    assert drafts.consensus_draft(engine, disputed.id, question_id) is None

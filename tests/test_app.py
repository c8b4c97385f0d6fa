"""The app driven through Streamlit's AppTest: choose, answer, navigate, finish, see results; bad input handled."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import services
from scoring.answers import MAX_NOTE
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.conftest import APP_TIMEOUT, DATA, ROOT

ANSWERS = {  # governance stops at phase 1, so the organisation is in phase 2, held back by Governance
    "data.inventory": 4, "data.pipelines": 4, "data.monitoring": "yes", "data.products": "products",
    "governance.board": 4, "governance.approval": 1, "governance.controls": ["audit"], "governance.budget": 3,
}


def open_app(token: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    if token:
        at.query_params["a"] = token
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def start_tiny(organisation: str = "") -> AppTest:
    at = open_app()
    if organisation:
        at.text_input(key="start_organisation").input(organisation)
    at.button(key="start:tiny").click().run()
    assert not at.exception, at.exception
    return at


def answer(at: AppTest, question_id: str, value) -> None:
    key = f"q:{question_id}"
    widget = at.pills(key=key) if isinstance(value, list) else at.radio(key=key)
    widget.set_value(value).run()
    assert not at.exception, at.exception


def stored(at: AppTest) -> dict:
    engine = get_engine()
    return repo.load_answers(engine, repo.find_assessment(engine, at.query_params["a"]).id)


def progress_text(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def test_the_start_page_offers_each_questionnaire_with_its_time_and_size(app_env):
    at = open_app()
    assert "Tiny test questionnaire" in [s.value for s in at.subheader]
    assert any("8 questions and up to 1 follow-up, about 2 minutes · 2 domains" in c.value for c in at.caption)
    assert at.button(key="start:tiny")


@pytest.fixture
def any_database(app_env, database_url, monkeypatch):
    """The app on SQLite, then on PostgreSQL."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    yield database_url
    dispose_all()


def test_a_leader_answers_every_step_finishes_and_sees_the_phase(any_database):
    at = start_tiny("Example Corp")
    assert at.title[0].value == "Tiny test questionnaire"
    assert progress_text(at) == "0 of 8 answered · about 2 min left"
    for question_id in ("data.inventory", "data.pipelines", "data.monitoring", "data.products"):
        answer(at, question_id, ANSWERS[question_id])
    assert progress_text(at) == "4 of 8 answered · about 1 min left"
    at.button(key="next").click().run()
    assert at.header[0].value == "Governance"
    for question_id in ("governance.board", "governance.approval", "governance.controls", "governance.budget"):
        answer(at, question_id, ANSWERS[question_id])
    assert progress_text(at) == "8 of 9 answered (8 + 1 follow-up) · ready to finish"
    assert at.header[0].value == "Governance"  # answering never moves you to another step
    at.button(key="finish").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Where the organisation stands"
    headline = at.container(key="headline")
    assert headline.header[0].value == ("One of two domains has achieved all four phases; Governance holds the "
                                           "organisation at phase 2.")
    assert headline.markdown[0].value == "**Phase 2 of 4: Build the Foundation**"
    assert at.container(key="headline").caption[1].value.startswith("Maturity index 2.2 / 4")
    assert {qid: a.value for qid, a in stored(at).items()} == ANSWERS


def test_none_of_these_replaces_the_options_chosen_before_it_and_gives_way_to_one_chosen_after(app_env):
    at = start_tiny()
    at.button(key="next").click().run()
    answer(at, "governance.controls", ["bias", "audit"])
    answer(at, "governance.controls", ["bias", "audit", "none"])
    assert at.pills(key="q:governance.controls").value == ["none"]
    assert stored(at)["governance.controls"].value == ["none"]
    answer(at, "governance.controls", ["none", "explain"])
    assert at.pills(key="q:governance.controls").value == ["explain"]
    assert stored(at)["governance.controls"].value == ["explain"]


def test_the_domain_picker_moves_between_steps_and_shows_counts(app_env):
    at = start_tiny()
    answer(at, "data.inventory", 2)
    picker = at.radio(key="step_picker")
    assert picker.options == ["Data", "Governance", "Pilot portfolio"]  # the optional register after the domains
    assert "Data 1/4 · Governance 0/4" in [c.value for c in at.caption]
    picker.set_value("governance").run()
    assert at.header[0].value == "Governance"
    answer(at, "governance.board", 2)
    assert at.header[0].value == "Governance"


def test_an_answer_whose_callback_never_ran_is_saved_on_the_next_run(app_env):
    at = start_tiny()
    at.session_state["q:data.pipelines"] = 3  # the widget holds it, its callback did not run
    at.run()
    assert not at.exception, at.exception
    assert stored(at)["data.pipelines"].value == 3
    assert "1 of" in progress_text(at)


def test_visible_if_shows_a_question_only_while_its_condition_holds(app_env):
    at = start_tiny()
    at.button(key="next").click().run()
    assert not at.radio(key="q:governance.budget") if _has(at, "q:governance.budget") else True
    answer(at, "governance.board", 3)
    assert _has(at, "q:governance.budget")
    answer(at, "governance.board", 1)
    assert not _has(at, "q:governance.budget")


def _has(at: AppTest, key: str) -> bool:
    return any(w.key == key for w in at.radio)


def test_finish_is_blocked_and_lists_the_open_required_questions(app_env):
    at = start_tiny()
    answer(at, "data.inventory", "na")
    at.button(key="finish").click().run()
    assert at.title[0].value == "Tiny test questionnaire"
    assert "6 required questions are still open" in at.error[0].value
    listed = "\n".join(m.value for m in at.markdown)
    assert "- Is there an AI governance board?" in listed
    assert "- Is there an inventory of data sets?" not in listed
    at.button(key="goto:governance").click().run()
    assert at.header[0].value == "Governance"


def test_dont_know_counts_as_an_answer_and_is_listed_as_an_unknown(app_env):
    at = start_tiny()
    answer(at, "data.inventory", "dont_know")
    assert progress_text(at).startswith("1 of 8 answered")
    at.switch_page("app_pages/results.py").run()
    assert "- Is there an inventory of data sets?" in "\n".join(m.value for m in at.markdown)


def test_every_answer_and_note_is_saved_at_once_and_a_new_session_finds_them(app_env):
    at = start_tiny()
    answer(at, "data.inventory", 2)
    at.text_area(key="note:data.inventory").input("Only finance keeps one").run()
    token = at.query_params["a"]
    assert {qid: (a.value, a.note) for qid, a in stored(at).items()} == {"data.inventory": (2, "Only finance keeps one")}

    again = open_app(token, "app_pages/assessment.py")
    assert again.radio(key="q:data.inventory").value == 2
    assert again.text_area(key="note:data.inventory").value == "Only finance keeps one"
    assert progress_text(again).startswith("1 of 8 answered")


def test_a_note_over_the_limit_is_refused_and_the_saved_note_kept(app_env):
    at = start_tiny()
    at.text_area(key="note:data.inventory").input("first thoughts").run()
    at.text_area(key="note:data.inventory").input("x" * (MAX_NOTE + 1)).run()
    assert "5,001 characters long; at most 5,000" in at.error[0].value
    assert stored(at)["data.inventory"].note == "first thoughts"


BAD_FILES = [
    ("broken.yaml", b"format: phasegate-answers/1\nanswers: [unclosed", "broken.yaml"),
    ("wrong.yaml", b"format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: 1.0.0\n"
                   b"answers:\n  data.inventory: 9\n", "answers.data.inventory: 9 is not an option"),
    ("other.yaml", b"format: phasegate-answers/1\nquestionnaire: nope\nquestionnaire_version: 1.0.0\n",
     "'nope', which is not offered here"),
    ("old.json", b'{"format": "phasegate-answers/1", "questionnaire": "tiny", "questionnaire_version": "0.9.0"}',
     "answers are for version 0.9.0"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_answers_file_is_refused_with_what_is_wrong_and_nothing_imported(app_env, name, content, expected):
    at = open_app()
    at.file_uploader(key="answers_file").set_value((name, content, "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    assert not at.exception
    assert "Nothing was imported" in at.error[0].value
    assert expected in at.error[0].value.replace("\\", "")
    assert repo.list_assessments(get_engine()) == []


def test_a_good_answers_file_resumes_the_assessment(app_env):
    at = open_app()
    content = (DATA / "tiny-answers.yaml").read_bytes()
    at.file_uploader(key="answers_file").set_value(("tiny-answers.yaml", content, "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Phasegate"  # nothing is stored until the user chooses
    assert repo.list_assessments(get_engine()) == []
    assert not _buttons(at, "import_continue")  # nothing is open to continue
    at.button(key="import_copy").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Tiny test questionnaire"
    assert len(stored(at)) > 0
    assert any("This is a new assessment made from tiny-answers.yaml" in i.value.replace("\\", "") for i in at.info)


def _buttons(at: AppTest, key: str) -> list:
    return [b for b in at.button if b.key == key]


def test_an_answers_file_can_continue_the_open_assessment_keeping_its_link(app_env):
    at = start_tiny()
    answer(at, "data.inventory", 0)
    token = at.query_params["a"]
    at.switch_page("app_pages/start.py").run()
    content = (DATA / "tiny-answers.yaml").read_bytes()
    at.file_uploader(key="answers_file").set_value(("tiny-answers.yaml", content, "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    assert _buttons(at, "import_continue") and _buttons(at, "import_copy")
    at.button(key="import_continue").click().run()
    assert not at.exception, at.exception
    assert at.query_params["a"] == token
    assert len(repo.list_assessments(get_engine())) == 1
    assert stored(at)["data.inventory"].value != 0
    assert at.radio(key="q:data.inventory").value == stored(at)["data.inventory"].value
    assert any("its private link stays the same" in s.value for s in at.success)


def test_continuing_with_an_answers_file_keeps_its_organisation_profile(app_env):
    at = start_tiny()
    token = at.query_params["a"]
    at.switch_page("app_pages/start.py").run()
    content = (DATA / "tiny-answers.yaml").read_text() + "organisation_profile: {size: large, industry: retail}\n"
    at.file_uploader(key="answers_file").set_value(("tiny-answers.yaml", content.encode(), "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    at.button(key="import_continue").click().run()
    assert not at.exception, at.exception
    assert repo.find_assessment(get_engine(), token).profile == {"size": "large", "industry": "retail"}


def test_an_unknown_resume_link_shows_a_friendly_page(app_env):
    for page in (None, "app_pages/assessment.py", "app_pages/results.py", "app_pages/report.py"):
        at = open_app("x" * 43, page)
        assert at.title[0].value == "We could not find that assessment"
        assert not at.exception
    at.button(key="forget_link").click().run()
    assert at.title[0].value == "Phasegate"


def test_a_pasted_resume_link_opens_the_assessment(app_env):
    token = start_tiny().query_params["a"]
    at = open_app()
    at.text_input(key="resume_link").input(f"https://assess.example.com/assessment?a={token}")
    at.button(key="resume").click().run()
    assert at.title[0].value == "Tiny test questionnaire"
    assert at.query_params["a"] == token


def test_changing_a_target_recomputes_the_results_at_once(app_env):
    at = start_tiny()
    for question_id, value in ANSWERS.items():
        if question_id.startswith("data"):
            answer(at, question_id, 0 if isinstance(value, int) else value)
    at.switch_page("app_pages/results.py").run()
    before = [t.label for t in at.tabs]
    at.selectbox(key="target:data").set_value(1).run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] != before
    assert repo.find_assessment(get_engine(), at.query_params["a"]).targets == {"data": 1}


def test_organisation_text_is_shown_as_text_not_markup(app_env):
    at = start_tiny("<b>Acme</b> **bold**")
    at.switch_page("app_pages/results.py").run()
    assert not at.exception
    assert all("<b>" not in m.value or not m.proto.allow_html for m in at.markdown)


def test_the_report_page_offers_the_pdf_and_the_answers_file(app_env):
    # The PDF workers' stand-in finishes at once; the real render and the "Preparing" wait are
    # tests/test_pdf_ready.py's.
    at = start_tiny()
    answer(at, "data.inventory", 2)
    at.switch_page("app_pages/report.py").run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download answers" in labels and "Download PDF" in labels
    assert not at.error


def test_an_assessment_of_a_questionnaire_no_longer_offered_keeps_its_answers_downloadable(app_env):
    engine = get_engine()
    old = repo.create_assessment(engine, "tiny", "0.9.0")
    repo.save_answer(engine, old.id, "data.inventory", 2)
    at = open_app(old.token, "app_pages/assessment.py")
    assert at.title[0].value == "This assessment uses a questionnaire that is no longer offered"
    assert "version 1.0.0 is offered now" in at.markdown[0].value
    assert [b.proto.label for b in at.get("download_button")] == ["Download answers"]


def finished_tiny() -> str:
    """A finished tiny assessment, stored as the assessment page stores it (answering and finishing through the
    pages is `test_a_leader_answers_every_step_finishes_and_sees_the_phase`); its resume token."""
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    for question_id, value in ANSWERS.items():
        repo.save_answer(engine, assessment.id, question_id, value)
    services.finish_assessment(engine, assessment.id)
    return assessment.token


def test_a_finished_assessment_opened_by_its_link_lands_on_the_results(app_env):
    token = finished_tiny()
    at = open_app(token, "app_pages/assessment.py")
    assert at.title[0].value == "Where the organisation stands"
    at.switch_page("app_pages/assessment.py").run()  # reached from another page, the questionnaire stays open
    assert at.title[0].value == "Tiny test questionnaire"


@pytest.mark.parametrize("way", ["continue", "resume"])
def test_resuming_a_finished_assessment_from_the_start_page_opens_the_results(app_env, way):
    token = finished_tiny()
    at = open_app(token if way == "continue" else None)
    if way == "continue":
        assert at.button(key="continue").proto.label == "See the results"
    else:
        at.text_input(key="resume_link").input(f"https://assess.example.com/assessment?a={token}")
    at.button(key=way).click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Where the organisation stands"


def test_the_resume_link_is_shown_open_once_then_folded(app_env):
    at = start_tiny()
    assert at.expander[0].proto.expanded
    at.button(key="next").click().run()
    assert not at.expander[0].proto.expanded


def test_one_question_per_screen_walks_through_every_step_and_finishes(app_env):
    at = start_tiny("Example Corp")
    at.toggle(key="one_at_a_time").set_value(True).run()
    assert not at.exception, at.exception
    seen = []
    while True:
        shown = [w.key for w in [*at.radio, *at.pills, *at.text_area] if w.key.startswith("q:")]
        assert len(shown) == 1  # one question on screen
        question_id = shown[0][2:]
        seen.append(question_id)
        if question_id in ANSWERS:  # the last, free-text question is optional
            answer(at, question_id, ANSWERS[question_id])
        if _last_question(at):
            break
        at.button(key="next").click().run()
    assert seen == [*ANSWERS, "governance.notes"]  # governance.budget shows once the board is in place, in its place
    at.button(key="finish").click().run()
    assert at.title[0].value == "Where the organisation stands"


def _last_question(at: AppTest) -> bool:
    shown = [c.value for c in at.caption] + [w.label for w in [*at.radio, *at.pills, *at.text_area]]
    numbers = re.search(r"Question (\d+) of (\d+)", " ".join(shown))
    return numbers is not None and numbers[1] == numbers[2]


def test_one_question_per_screen_the_last_questions_next_opens_the_pilot_portfolio_step(app_env):
    at = start_tiny("Example Corp")
    at.toggle(key="one_at_a_time").set_value(True).run()
    for _ in range(20):
        shown = [w.key[2:] for w in [*at.radio, *at.pills] if w.key.startswith("q:")]
        if shown and shown[0] in ANSWERS:
            answer(at, shown[0], ANSWERS[shown[0]])
        if _last_question(at):
            break
        at.button(key="next").click().run()
    assert [t.key for t in at.text_area if t.key.startswith("q:")] == ["q:governance.notes"]
    assert _buttons(at, "finish")  # finishing right away stays possible
    at.button(key="next").click().run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Pilot portfolio"]
    assert not [w for w in [*at.radio, *at.text_area] if w.key.startswith("q:")]
    at.button(key="previous").click().run()  # back to the last question, still one per screen
    assert [t.key for t in at.text_area if t.key.startswith("q:")] == ["q:governance.notes"]
    at.button(key="next").click().run()
    at.button(key="finish").click().run()
    assert at.title[0].value == "Where the organisation stands"


def test_switching_to_one_question_per_screen_keeps_the_step(app_env):
    at = start_tiny()
    at.button(key="next").click().run()
    at.toggle(key="one_at_a_time").set_value(True).run()
    assert [r.key for r in at.radio if r.key.startswith("q:")] == ["q:governance.board"]
    at.button(key="previous").click().run()
    assert [r.key for r in at.radio if r.key.startswith("q:")] == ["q:data.products"]
    at.toggle(key="one_at_a_time").set_value(False).run()
    assert at.header[0].value == "Data"


@pytest.mark.parametrize(("opened", "facilitator", "login", "expected"), [
    (None, False, False, ("start", "workshop", "workshop-new")),
    (None, False, True, ("start", "workshop", "workshop-new", "my-workshops")),
    ("leader", False, False, ("start", "assessment", "results", "report")),
    ("participant", False, False, ("assessment", "results")),
    ("participant", True, True, ("assessment", "results", "workshop-dashboard", "presenter")),
    (None, True, False, ("start", "workshop", "workshop-new", "workshop-dashboard", "presenter")),
    ("leader", True, True, ("start", "assessment", "results", "report", "workshop-dashboard", "presenter",
                            "workshop-new", "my-workshops")),
])
def test_the_sidebar_offers_only_the_pages_that_make_sense(opened, facilitator, login, expected):
    from ui.flow import visible_pages

    assert visible_pages(open_assessment=opened, facilitator=facilitator, login=login) == expected


def png() -> bytes:
    """A small real PNG logo."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "#aa3300").save(out, format="PNG")
    return out.getvalue()


def test_report_branding_is_kept_with_the_assessment_across_pages_and_sessions(app_env):
    at = start_tiny()
    token = at.query_params["a"]
    at.switch_page("app_pages/report.py").run()
    at.text_input(key="prepared_by").input("Northwind Advisory").run()
    at.color_picker(key="brand_colour").pick("#aa3300").run()
    at.file_uploader(key="brand_logo:0").set_value(("logo.png", png(), "image/png")).run()
    assert not at.exception, at.exception
    at.switch_page("app_pages/results.py").run()
    at.switch_page("app_pages/report.py").run()
    assert at.text_input(key="prepared_by").value == "Northwind Advisory"
    assert at.color_picker(key="brand_colour").value == "#aa3300"
    again = open_app(token, "app_pages/report.py")  # a new session: a resume
    assert again.text_input(key="prepared_by").value == "Northwind Advisory"
    assert again.color_picker(key="brand_colour").value == "#aa3300"
    stored = repo.find_assessment(get_engine(), token).branding
    kept = (stored["prepared_by"], stored["color"], stored["logo_name"])
    assert kept == ("Northwind Advisory", "#aa3300", "logo.png")
    again.button(key="remove_logo").click().run()
    assert repo.find_assessment(get_engine(), token).branding["logo"] is None


def test_a_logo_that_is_not_an_image_is_refused_and_the_kept_branding_stays(app_env):
    at = start_tiny()
    at.switch_page("app_pages/report.py").run()
    at.text_input(key="prepared_by").input("Northwind Advisory").run()
    at.file_uploader(key="brand_logo:0").set_value(("logo.png", b"not a picture", "image/png")).run()
    assert not at.exception, at.exception
    assert "The branding was not saved: logo.png: not a readable image" in at.error[0].value.replace("\\", "")
    assert repo.find_assessment(get_engine(), at.query_params["a"]).branding["prepared_by"] == "Northwind Advisory"


def test_a_reassessment_started_on_the_results_opens_with_the_answers_carried_over(app_env):
    token = finished_tiny()
    at = open_app(token, "app_pages/results.py")
    at.button(key="start_reassessment").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Tiny test questionnaire"
    assert at.query_params["a"] != token
    assert at.radio(key="q:data.inventory").value == ANSWERS["data.inventory"]


def test_deleting_on_the_results_page_lands_on_the_start_page_and_says_so(app_env):
    token = finished_tiny()
    at = open_app(token, "app_pages/results.py")
    at.checkbox(key="confirm_delete_assessment").check().run()
    at.button(key="delete_assessment").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Phasegate"
    assert "The assessment and all its answers were deleted." in [s.value.replace("\\", "") for s in at.success]
    assert repo.find_assessment(get_engine(), token) is None


def test_the_organisation_named_on_the_report_page_is_kept_and_a_bad_name_refused_with_the_old_one_kept(app_env):
    at = start_tiny("Example Corp")
    token = at.query_params["a"]
    at.switch_page("app_pages/report.py").run()
    at.text_input(key="organisation").input("  Acme   Retail ").run()
    assert not at.exception, at.exception
    assert repo.find_assessment(get_engine(), token).organisation == "Acme Retail"
    at.text_input(key="organisation").input("Acme\x00Retail").run()
    assert not at.exception, at.exception
    assert any("organisation name" in e.value for e in at.error)
    assert repo.find_assessment(get_engine(), token).organisation == "Acme Retail"

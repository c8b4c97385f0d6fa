"""An answers file chosen for import and not yet imported outlives the server process serving it: the Start page
keeps it in the database under a token in its address, and the page a browser reconnects with (on another replica,
in a new session) offers the same choice again. Imported or taken out of the box, it is forgotten."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from storage import drafts, get_engine
from storage import repository as repo
from tests.conftest import APP_TIMEOUT, DATA, ROOT

CONTENT = (DATA / "tiny-answers.yaml").read_bytes()


def start_page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def chosen(at: AppTest) -> str:
    """Choose the answers file and press Import; the token the page's address now keeps."""
    at.file_uploader(key="answers_file").set_value(("tiny-answers.yaml", CONTENT, "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    assert not at.exception, at.exception
    return at.query_params["import"][0] if isinstance(at.query_params["import"], list) else at.query_params["import"]


def offered(at: AppTest) -> bool:
    return any(b.key == "import_copy" for b in at.button)


def test_a_file_chosen_before_the_server_went_away_is_offered_again_and_imported_once(app_env):
    token = chosen(start_page())
    assert drafts.find_import(get_engine(), token).data == CONTENT

    again = start_page(**{"import": token})  # the browser reconnects to another replica: a new session
    assert offered(again)
    assert any("tiny-answers.yaml holds" in m.value.replace("\\", "").replace("**", "") for m in again.markdown)
    again.button(key="import_copy").click().run()
    assert not again.exception, again.exception
    assert again.title[0].value == "Tiny test questionnaire"
    assert len(repo.list_assessments(get_engine())) == 1
    assert drafts.find_import(get_engine(), token) is None  # imported: forgotten

    later = start_page(**{"import": token})  # the same address once more imports nothing twice
    assert not offered(later)
    assert "import" not in later.query_params


def test_a_file_taken_out_of_the_box_is_forgotten(app_env):
    at = start_page()
    token = chosen(at)
    at.file_uploader(key="answers_file").set_value(None).run()
    assert not at.exception, at.exception
    assert drafts.find_import(get_engine(), token) is None
    assert "import" not in at.query_params
    assert not offered(at)


def test_a_file_that_does_not_hold_up_is_not_kept(app_env):
    at = start_page()
    at.file_uploader(key="answers_file").set_value(("bad.yaml", b"answers: [", "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    assert "Nothing was imported" in at.error[0].value
    assert "import" not in at.query_params

"""An answers file imported in the app keeps its `date:`: its pilot register is read as of that day, so the app shows
the same figures as `python cli.py score FILE` for the same file."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from click.testing import CliRunner

from cli import main
import services
from questionnaires.loader import LIBRARY
from scoring import score_response
from scoring.answers import dump_answers, parse_answers, read_answers
from scoring.pilots import pilots_to_dict
from scoring.register import portfolio_figures
from scoring.serialize import result_to_dict
from storage import repository as repo
from tests.conftest import ROOT, open_page
from tests.test_app import open_app

TAKEN = dt.date(2026, 9, 30)  # before today: every pilot is younger on that day, fewer are stuck


@pytest.fixture
def past_file(tmp_path):
    """The retailer example with its pilot register, taken on TAKEN."""
    text = (ROOT / "examples" / "retailer-pilots.yaml").read_text()
    path = tmp_path / "northwind.yaml"
    path.write_text(text.replace("\ndate: 2026-11-26\n", f"\ndate: {TAKEN.isoformat()}\n"))
    assert read_answers(path).date == TAKEN
    return path


@pytest.fixture
def app_with_quick_check(app_env):
    shutil.copy(LIBRARY / "quick-check.yaml", app_env / "questionnaires" / "quick-check.yaml")
    return app_env


def cli_result(path) -> dict:
    run = CliRunner().invoke(main, ["score", str(path), "--format", "json"], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return json.loads(run.output)


def plain(data: dict) -> dict:
    return json.loads(json.dumps(data))


def import_copy(path):
    """The file imported on the start page as a new assessment, then its Results opened."""
    at = open_app()
    at.file_uploader(key="answers_file").set_value((path.name, path.read_bytes(), "application/x-yaml")).run()
    at.button(key="import_answers").click().run()
    at.button(key="import_copy").click().run()
    assert not at.exception, at.exception
    return open_page("app_pages/results.py", a=at.query_params["a"])


def test_an_imported_file_keeps_its_date_and_hands_it_on(engine, past_file):
    stored = repo.import_response(engine, read_answers(past_file))
    found = repo.find_assessment(engine, stored.token)
    assert stored.taken_on == found.taken_on == TAKEN
    response = repo.load_response(engine, found)
    assert response.date == TAKEN
    assert parse_answers(dump_answers(response)).date == TAKEN  # "Download answers" writes it back


def test_an_assessment_started_in_the_app_or_re_assessed_is_dated_today(engine, past_file):
    started = repo.create_assessment(engine, "quick-check", "2.1.0")
    assert repo.load_response(engine, started).date is None
    imported = repo.import_response(engine, read_answers(past_file))
    services.finish_assessment(engine, imported.id)
    again = repo.start_reassessment(engine, repo.get_assessment(engine, imported.id))
    assert again.taken_on is None and repo.get_assessment(engine, again.id).taken_on is None
    assert "date:" not in dump_answers(repo.load_response(engine, again))


def test_the_app_scores_an_imported_register_as_of_the_files_date_like_the_command_line(app_with_quick_check,
                                                                                        past_file):
    expected = cli_result(past_file)
    at = import_copy(past_file)
    scored = at.session_state["scored"][1]  # what the Results page shows, from the app's own scoring
    assert plain(result_to_dict(scored)) == expected
    assert pilots_to_dict(scored.pilots)["stuck"] == expected["pilots"]["stuck"]
    shown = {m.label: m.value for m in at.metric}
    figures = portfolio_figures(scored.pilots)
    assert figures and all(shown[figure.label] == figure.value for figure in figures)
    # The same register read today gives other figures: the date is what makes them agree.
    today = score_response(at.session_state["loaded"].questionnaire,
                           parse_answers(past_file.read_text().replace(f"date: {TAKEN.isoformat()}", "date: null")))
    assert pilots_to_dict(today.pilots) != expected["pilots"]


def test_the_date_survives_reopening_and_goes_into_the_report(app_with_quick_check, past_file):
    from ui import pdf_worker

    token = import_copy(past_file).query_params["a"]
    again = open_page("app_pages/results.py", a=token)
    assert plain(result_to_dict(again.session_state["scored"][1])) == cli_result(past_file)
    assert parse_answers(pdf_worker.inputs_of(again.session_state["loaded"]).answers).date == TAKEN

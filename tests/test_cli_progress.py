"""`score --baseline` and `report --baseline`: the progress object, the table block and the report section."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import DATA

TINY = str(DATA / "tiny.yaml")
ANSWERS = (DATA / "tiny-answers.yaml").read_text(encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def files(tmp_path):
    """The tiny answers taken in January (baseline), and again in June with two answers raised."""
    old = tmp_path / "old.yaml"
    old.write_text(ANSWERS.replace("organisation: Example Corp", "organisation: Example Corp\ndate: 2026-01-15"))
    new = tmp_path / "new.yaml"
    new.write_text(ANSWERS.replace("governance.board: 1", "governance.board: 4")
                   .replace("governance.approval: dont_know", "governance.approval: 3"))
    return old, new


def test_score_with_a_baseline_adds_the_progress_object(files):
    old, new = files
    outcome = run("score", str(new), "--questionnaire", TINY, "--baseline", str(old), "--format", "json")
    assert outcome.exit_code == 0
    progress = json.loads(outcome.output)["progress"]
    assert progress["baseline"] == {"date": "2026-01-15", "questionnaire": "tiny", "version": "1.0.0"}
    assert progress["overall"] == {"phase_before": 1, "phase_now": 2, "index_before": 0.6667, "index_now": 3.1667}
    assert [(d["id"], d["index_before"], d["index_now"], d["delta"]) for d in progress["domains"]] == [
        ("data", 1.5, 1.5, 0.0), ("governance", 0.25, 4.0, 3.75)]
    assert [c["question"] for c in progress["closed_steps"]] == ["governance.board", "governance.approval"]
    assert progress["new_gaps"] == [] and progress["compared_questions"] == 8


def test_score_without_a_baseline_has_no_progress_object(files):
    outcome = run("score", str(files[1]), "--questionnaire", TINY, "--format", "json")
    assert "progress" not in json.loads(outcome.output)


def test_the_table_ends_with_a_short_progress_block(files):
    old, new = files
    outcome = run("score", str(new), "--questionnaire", TINY, "--baseline", str(old))
    block = outcome.output.split("Progress since 15 January 2026\n")[1]
    assert block.splitlines()[:3] == [  # the figures the app and the report print
        "Overall: phase 1 -> 2, index 0.7 -> 3.2 (+2.5)",
        "  Data              1.5 ->  1.5  +0.0  71% → 71% of the phase 2 bar",
        "  Governance        0.2 ->  4.0  +3.8  phases 1, 2, 3 and 4 achieved; all four phases complete",
    ]
    assert "  completed: Set up an AI board [governance.board]" in block


def test_a_baseline_without_a_date_is_the_baseline(files):
    old, new = files
    outcome = run("score", str(new), "--questionnaire", TINY, "--baseline", str(new), "--format", "json")
    assert json.loads(outcome.output)["progress"]["baseline"]["date"] is None


@pytest.mark.parametrize(
    "baseline, expected",
    [("missing.yaml", "error: missing.yaml: cannot read file"), ("bad.yaml", "error: bad.yaml:")],
)
def test_a_baseline_that_cannot_be_read_is_a_one_line_error(files, tmp_path, baseline, expected):
    (tmp_path / "bad.yaml").write_text("format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: 1.0.0\n"
                                       "answers: {data.inventory: 9}\n")
    outcome = CliRunner().invoke(main, ["score", str(files[1]), "--questionnaire", TINY, "--baseline",
                                        str(tmp_path / baseline)])
    assert outcome.exit_code == 1 and outcome.output.startswith(expected) and "Traceback" not in outcome.output


def test_report_with_a_baseline_has_the_progress_section(files, tmp_path):
    old, new = files
    out = tmp_path / "report.html"
    outcome = run("report", str(new), "--questionnaire", TINY, "--baseline", str(old), "--html", "--out", str(out))
    assert outcome.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<h1 id="progress">Progress since 15 January 2026</h1>' in html and "Set up an AI board" in html


def test_report_refuses_a_baseline_for_a_batch(files, tmp_path):
    old, new = files
    outcome = CliRunner().invoke(main, ["report", str(new), str(old), "--out-dir", str(tmp_path / "out"),
                                        "--baseline", str(old)])
    assert outcome.exit_code == 2 and "--baseline compares one answers file with its baseline, got 2" in outcome.output

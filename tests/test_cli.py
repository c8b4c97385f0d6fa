"""The command line, run in-process: exit codes, messages and the JSON contract."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import DATA

TINY = str(DATA / "tiny.yaml")
ANSWERS = str(DATA / "tiny-answers.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "schema", "score"):
        assert command in result.output


def test_validate_accepts_every_shipped_questionnaire_by_default():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "ok: ai-maturity.yaml" in result.output and "ok: quick-check.yaml" in result.output


def test_validate_rejects_a_broken_file_with_one_line_per_problem(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((DATA / "tiny.yaml").read_text().replace("phase: 2", "phase: 5", 1).replace("    text: Is there an inventory", "    colour: red\n    text: Is there an inventory", 1))
    result = run("validate", TINY, str(broken))
    assert result.exit_code == 1
    assert "ok: tiny.yaml" in result.output
    assert "error: broken.yaml:32 questions[0].colour: unknown field; remove it or check its spelling" in result.output
    assert "error: broken.yaml:38 questions[1].phase: must be at most 4, got 5" in result.output


def test_schema_prints_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Questionnaire"


def test_score_json_prints_the_contract():
    result = run("score", ANSWERS, "--questionnaire", TINY, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["overall"]["phase"] == 1 and data["overall"]["phase_name"] == "Assess & Align"
    assert data["overall"]["limiting_domains"] == ["governance"]
    assert data["overall"]["index"] == pytest.approx(0.6667)
    assert [a["question"] for a in data["actions"]] == ["governance.board", "data.pipelines", "data.inventory", "governance.controls"]
    assert data["unknowns"] == ["governance.approval"]


def test_score_table_is_readable():
    result = run("score", ANSWERS, "--questionnaire", TINY)
    assert result.exit_code == 0
    assert "Phase 1 — Assess & Align (no phase achieved yet, index 0.7 / 4), held back by Governance" in result.output
    assert "Now (0–3 months)" in result.output and "1. Set up an AI board" in result.output


def test_score_target_option_drops_steps_beyond_the_target():
    result = run("score", ANSWERS, "--questionnaire", TINY, "--target", "governance=2", "--format", "json")
    assert "governance.controls" not in [a["question"] for a in json.loads(result.output)["actions"]]


def test_score_finds_the_shipped_questionnaire_the_answers_name():
    result = run("score", str(DATA.parent.parent / "examples" / "quick-check-example.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["questionnaire"]["id"] == "quick-check"


def test_score_rejects_mismatched_answers_with_every_problem_and_scores_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "tiny-answers.yaml").read_text().replace("governance.board: 1", "governance.board: 9")
                   .replace("data.inventory: 3", "data.inventry: 3"))
    result = run("score", str(bad), "--questionnaire", TINY, "--format", "json")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: bad.yaml:7 answers.data.inventry: unknown question id 'data.inventry' in 'tiny' 1.0.0",
        "error: bad.yaml:11 answers.governance.board: 9 is not an option (options: 0, 1, 2, 3, 4, or dont_know)",
    ]


def test_score_names_an_unknown_questionnaire(tmp_path):
    bad = tmp_path / "other.yaml"
    bad.write_text((DATA / "tiny-answers.yaml").read_text().replace("questionnaire: tiny", "questionnaire: nonesuch"))
    result = run("score", str(bad))
    assert result.exit_code == 1
    assert "unknown questionnaire 'nonesuch' (available: ai-maturity, quick-check)" in result.output


def test_score_of_a_missing_file_is_invalid_input(tmp_path):
    result = run("score", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "nope.yaml: cannot read file" in result.output


@pytest.mark.parametrize("args", [("score",), ("score", ANSWERS, "--format", "xml"), ("frobnicate",),
                                  ("score", ANSWERS, "--target", "governance")])
def test_usage_errors_exit_with_two(args):
    assert run(*args).exit_code == 2


def test_score_finds_questionnaires_in_the_extra_folder(tmp_path, monkeypatch):
    (tmp_path / "tiny.yaml").write_text((DATA / "tiny.yaml").read_text())
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(tmp_path))
    result = run("score", ANSWERS, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["overall"]["limiting_domains"] == ["governance"]


def test_score_of_a_binary_file_is_invalid_input(tmp_path):
    binary = tmp_path / "answers.yaml"
    binary.write_bytes(b"\x00\x01binary")
    result = run("score", str(binary))
    assert result.exit_code == 1
    assert result.output == "error: answers.yaml:1: invalid YAML: control character U+0000 is not allowed; remove it\n"


def test_export_to_a_missing_folder_is_invalid_input(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    result = run("export", "--format", "csv", "--out", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 1
    assert "cannot write the export (No such file or directory); check the folder" in result.output

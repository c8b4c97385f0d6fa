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
    assert [a["question"] for a in data["actions"]] == ["governance.board", "data.pipelines", "governance.controls"]
    assert data["unknowns"] == ["governance.approval"]
    assert data["overall"]["primary_limiting_domain"] == "governance"
    assert data["overall"]["profile"] == "One of two domains works at phase 2; Governance holds the organisation at phase 1"
    assert [d["to_next_phase"] for d in data["domains"]] == [
        {"phase": 2, "attainment": 0.5, "threshold": 0.7, "answers_needed": 1},
        {"phase": 1, "attainment": 0.25, "threshold": 0.7, "answers_needed": None},  # one level up is not enough
    ]


def test_score_table_is_readable():
    result = run("score", ANSWERS, "--questionnaire", TINY)
    assert result.exit_code == 0
    assert "Phase 1 — Assess & Align (no phase achieved yet, index 0.7 / 4), held back by Governance" in result.output
    assert "Now (0–3 months)" in result.output and "1. Set up an AI board" in result.output
    # a step names its domain as the reader knows it, not by the questionnaire's id
    assert "[Governance, phase 1, " in result.output and "[governance," not in result.output


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


def test_score_refuses_sixty_thousand_unknown_question_ids_in_one_line(tmp_path):
    many = tmp_path / "many.yaml"
    many.write_text("format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: 1.0.0\nanswers:\n"
                    + "".join(f"  x.q{i:05d}: 1\n" for i in range(60_000)))
    result = run("score", str(many), "--questionnaire", TINY)
    assert result.exit_code == 1
    assert result.output == ("error: many.yaml:2005 answers: has more than 2000 entries (at most 2000 allowed); "
                             "remove the entries the questionnaire does not ask for\n")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[" * 50_000 + "]" * 50_000, "error: answers.json:1: nesting is deeper than 24 levels; flatten the data\n"),
        ('{"format": "phasegate-answers/1", "questionnaire": "tiny", "questionnaire_version": "1.0.0", '
         '"organisation": "A\\u0000"}',
         "error: answers.json:1 organisation: the text contains a NUL character (U+0000); remove it\n"),
    ],
    ids=["deep-json", "nul-in-organisation"],
)
def test_score_of_unparseable_or_unstorable_json_is_invalid_input(tmp_path, text, expected):
    answers = tmp_path / "answers.json"
    answers.write_text(text)
    result = run("score", str(answers), "--questionnaire", TINY)
    assert (result.exit_code, result.output) == (1, expected)


def test_score_names_the_known_domains_for_an_unknown_target():
    result = run("score", ANSWERS, "--questionnaire", TINY, "--target", "nosuch=3")
    assert (result.exit_code, result.output) == (1, "error: --target nosuch: unknown domain in 'tiny' (known: data, governance)\n")


def test_report_names_the_known_domains_for_an_unknown_target(tmp_path):
    result = run("report", ANSWERS, "--questionnaire", TINY, "--html", "--out", str(tmp_path / "r.html"), "--target", "nosuch=3")
    assert (result.exit_code, result.output) == (1, "error: --target nosuch: unknown domain in 'tiny' (known: data, governance)\n")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    "workshop, exit_code, expected",
    [
        ("²", 1, "error: no workshop with the code or number '²'"),
        ("12", 1, "error: no workshop with the code or number '12'"),
        ("99999999999999999999999", 2, "'99999999999999999999999' is too large for a workshop number"),
        ("2147483648", 2, "'2147483648' is too large for a workshop number"),
        ("\udcff", 2, "Invalid value for '--workshop': the text contains a lone surrogate (U+DCFF)"),
    ],
    ids=["superscript-digit", "unknown-number", "huge-number", "beyond-an-integer-column", "not-utf8"],
)
def test_export_of_a_workshop_that_cannot_exist_is_a_clear_error(tmp_path, monkeypatch, workshop, exit_code, expected):
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    result = run("export", "--workshop", workshop, "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == exit_code
    assert expected in result.output and "Traceback" not in result.output


def test_schema_to_a_missing_folder_is_invalid_input(tmp_path):
    result = run("schema", "--out", str(tmp_path / "missing" / "schema.json"))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path / 'missing' / 'schema.json'}: cannot write the schema (No such file or directory); check the folder\n"


def test_report_into_a_folder_under_a_file_is_invalid_input(tmp_path):
    (tmp_path / "file").write_text("")
    result = run("report", ANSWERS, "--questionnaire", TINY, "--html", "--out-dir", str(tmp_path / "file" / "reports"))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path / 'file' / 'reports'}: cannot create the folder (Not a directory); check the path\n"


def test_a_report_workers_setting_that_is_not_a_number_is_invalid_input(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASEGATE_REPORT_WORKERS", "two")
    result = run("report", ANSWERS, ANSWERS, "--questionnaire", TINY, "--html", "--out-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "error: PHASEGATE_REPORT_WORKERS must be a whole number from 1 to 32, got 'two'"


def test_a_prepared_by_that_is_not_utf8_is_a_usage_error(tmp_path):
    result = run("report", ANSWERS, "--questionnaire", TINY, "--html", "--out", str(tmp_path / "r.html"), "--prepared-by", "\udcff")
    assert result.exit_code == 2
    assert "Invalid value for '--prepared-by': the text contains a lone surrogate (U+DCFF)" in result.output


@pytest.mark.parametrize("args", [("score", "{tmp}"), ("score", ANSWERS, "--questionnaire", "{tmp}"),
                                  ("validate", "{tmp}"), ("schema", "--out", "{tmp}"), ("report", ANSWERS, "--out", "{tmp}")],
                         ids=["score-answers", "score-questionnaire", "validate", "schema-out", "report-out"])
def test_a_folder_where_a_file_is_expected_is_a_usage_error(tmp_path, args):
    result = run(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 2 and "is a directory" in result.output

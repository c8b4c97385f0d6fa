"""The command line's files: outputs never overwrite an input or the database, are private and atomic; inputs are
bounded; user text reaches the terminal without its escape codes."""

from __future__ import annotations

import json
import shutil
import stat
import time

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import DATA

TINY = str(DATA / "tiny.yaml")


def run(tmp_path, *args: str):
    env = {"PHASEGATE_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def answers(tmp_path):
    path = tmp_path / "answers.yaml"
    shutil.copy(DATA / "tiny-answers.yaml", path)
    return path


def test_report_refuses_to_overwrite_its_answers_file_even_with_force(tmp_path, answers):
    before = answers.read_bytes()
    for extra in ((), ("--force",)):
        result = run(tmp_path, "report", str(answers), "--questionnaire", TINY, "--html", "--out", str(answers), *extra)
        assert result.exit_code == 1
        assert result.output == f"error: {answers}: is an input file; write the output to another file\n"
    assert answers.read_bytes() == before


def test_an_input_reached_by_another_path_is_still_recognised(tmp_path, answers):
    link = tmp_path / "link.yaml"
    link.symlink_to(answers)
    result = run(tmp_path, "migrate", str(answers), "--to", "1.0.0", "--out", str(link), "--force")
    assert result.exit_code == 1 and "is an input file" in result.output


def test_export_refuses_to_overwrite_the_configured_database(tmp_path):
    assert run(tmp_path, "db", "upgrade").exit_code == 0
    database = tmp_path / "data" / "phasegate.db"
    result = run(tmp_path, "export", "--format", "csv", "--out", str(database), "--force")
    assert result.exit_code == 1
    assert result.output == f"error: {database}: is the configured database; write the output to another file\n"
    assert database.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("configured", [False, True])
def test_a_report_refuses_to_overwrite_the_database_by_default_or_as_configured(tmp_path, configured):
    database = tmp_path / ("elsewhere.db" if configured else "data/phasegate.db")
    database.parent.mkdir(exist_ok=True)
    database.write_bytes(b"SQLite format 3\0")
    env = {"PHASEGATE_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{database}" if configured else ""}
    result = CliRunner().invoke(main, ["report", str(DATA / "tiny-answers.yaml"), "--questionnaire", TINY, "--html",
                                       "--out", str(database), "--force"], env=env)
    assert result.exit_code == 1
    assert result.output == f"error: {database}: is the configured database; write the output to another file\n"


@pytest.mark.parametrize("command", [
    ("schema",),
    ("export", "--format", "csv"),
    ("report", str(DATA / "tiny-answers.yaml"), "--questionnaire", TINY, "--html"),
])
def test_an_existing_output_needs_force_then_is_replaced_private(tmp_path, command):
    out = tmp_path / "existing.out"
    out.write_text("keep me")
    out.chmod(0o644)
    refused = run(tmp_path, *command, "--out", str(out))
    assert refused.exit_code == 1
    assert refused.output == f"error: {out}: already exists; give --force to overwrite it, or choose another file\n"
    assert out.read_text() == "keep me"
    forced = run(tmp_path, *command, "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_text() != "keep me"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_new_output_is_created_private(tmp_path):
    out = tmp_path / "schema.json"
    assert run(tmp_path, "schema", "--out", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize("option", [
    ("report", "/dev/zero", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html"),
    ("report", str(DATA / "tiny-answers.yaml"), "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html",
     "--logo", "/dev/zero"),
    ("score", str(DATA / "tiny-answers.yaml"), "--questionnaire", "/dev/zero"),
    ("score", "/dev/zero"),
    ("score", str(DATA / "tiny-answers.yaml"), "--questionnaire", TINY, "--baseline", "/dev/zero"),
    ("readout", str(DATA / "tiny-answers.yaml"), "--questionnaire", TINY, "--out", "{tmp}/r.pptx",
     "--logo", "/dev/zero"),
    ("migrate", "/dev/zero", "--to", "1.0.0"),
    ("validate", "/dev/zero"),
])
def test_a_device_given_as_an_input_is_refused_at_once(tmp_path, option):
    started = time.process_time()
    result = run(tmp_path, *(arg.format(tmp=tmp_path) for arg in option))
    assert time.process_time() - started < 5  # CPU seconds: reading the device endlessly would spend them
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: /dev/zero: not a regular file") and result.output.count("\n") == 1


def test_escape_codes_in_an_organisation_name_never_reach_the_terminal(tmp_path):
    answers = tmp_path / "answers.yaml"
    text = (DATA / "tiny-answers.yaml").read_text()
    answers.write_text(text.replace("organisation: Example Corp", 'organisation: "Acme\\e]0;owned\\a\\e[2J\\x9b"'))
    result = run(tmp_path, "score", str(answers), "--questionnaire", TINY)
    assert result.exit_code == 0, result.output
    assert "Acme\\u001b]0;owned\\u0007\\u001b[2J\\u009b" in result.output
    assert not any(char in result.output for char in "\x1b\x07\x9b")
    json_result = run(tmp_path, "score", str(answers), "--questionnaire", TINY, "--format", "json")
    assert json_result.exit_code == 0 and not any(char in json_result.output for char in "\x1b\x07\x9b")
    assert json.loads(json_result.output)["organisation"] == "Acme\x1b]0;owned\x07\x1b[2J\x9b"


def test_a_readout_of_answers_holding_a_control_character_is_one_line(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text((DATA / "tiny-answers.yaml").read_text().replace("organisation: Example Corp",
                                                                       'organisation: "Acme\\x0b"'))
    result = run(tmp_path, "readout", str(answers), "--questionnaire", TINY, "--out", str(tmp_path / "deck.pptx"))
    assert result.exit_code == 1
    assert result.output == ("error: The organisation name contains an invisible control character (U+000B); "
                             "remove it and save again.\n")


@pytest.mark.parametrize("option", ["--prepared-by", "--color"])
def test_an_option_holding_an_escape_code_is_a_usage_error(tmp_path, option):
    result = run(tmp_path, "readout", str(DATA / "tiny-answers.yaml"), "--questionnaire", TINY,
                 "--out", str(tmp_path / "deck.pptx"), option, "Me\x1b[31m")
    assert result.exit_code == 2 and "invisible control character (U+001B)" in result.output
    assert "\x1b" not in result.output

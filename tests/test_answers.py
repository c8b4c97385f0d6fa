"""The answers exchange format: read, checked against the questionnaire, written back."""

from __future__ import annotations

import json

import pytest
import yaml

from questionnaires import AnswersError
from scoring import dump_answers, parse_answers, read_answers
from tests.conftest import DATA

GOOD = (DATA / "tiny-answers.yaml").read_text(encoding="utf-8")


def problems_of(text: str, tiny, name: str = "answers.yaml") -> list[str]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, name, tiny)
    return caught.value.lines()


def test_a_good_answers_file_reads_values_and_notes(tiny):
    response = read_answers(DATA / "tiny-answers.yaml", tiny)
    assert response.organisation == "Example Corp" and response.role == "executive"
    assert response.answers["data.pipelines"].value == 2
    assert response.answers["data.pipelines"].note == "Nightly batch only"
    assert response.answers["governance.controls"].value == ["bias", "audit"]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("questionnaire: tiny", "questionnaire: ai-maturity",
         "answers.yaml:2 questionnaire: answers are for 'ai-maturity', but the questionnaire is 'tiny'"),
        ("questionnaire_version: 1.0.0", "questionnaire_version: 2.0.0",
         "answers.yaml:3 questionnaire_version: answers are for version 2.0.0, but 'tiny' is version 1.0.0"),
        ("  governance.board: 1", "  governance.bored: 1",
         "answers.yaml:11 answers.governance.bored: unknown question id 'governance.bored' in 'tiny' 1.0.0"),
        ("  governance.board: 1", "  governance.board: 7",
         "answers.yaml:11 answers.governance.board: 7 is not an option (options: 0, 1, 2, 3, 4, or dont_know)"),
        ("  data.monitoring: \"yes\"", "  data.monitoring: na",
         "answers.yaml:9 answers.data.monitoring: 'na' is not allowed for this question"),
        ("  governance.controls: [bias, audit]", "  governance.controls: [bias, cake]",
         "answers.yaml:13 answers.governance.controls: 'cake' is not a list of distinct options"),
        ("format: phasegate-answers/1", "format: phasegate-answers/9",
         "answers.yaml:1 format: must be 'phasegate-answers/1', got 'phasegate-answers/9'"),
        ("organisation: Example Corp", "organisation: Example Corp\ncolour: red",
         "answers.yaml:5 colour: unknown field; expected one of format, questionnaire"),
        ("respondent: {role: executive}", "respondent: {role: executive}\ntargets: {governance: 7}",
         "answers.yaml:6 targets.governance: target phase must be 1-4, got 7"),
        ("respondent: {role: executive}", "respondent: {role: executive}\ntargets: {legal: 2}",
         "answers.yaml:6 targets.legal: unknown domain (known: data, governance)"),
        ("  data.pipelines: {value: 2, note: \"Nightly batch only\"}", "  data.pipelines: {note: \"Nightly\"}",
         "answers.yaml:8 answers.data.pipelines: missing 'value'"),
    ],
    ids=["wrong-questionnaire", "wrong-version", "unknown-question", "value-not-an-option", "na-not-allowed",
         "multi-unknown-option", "wrong-format", "unknown-top-level-field", "target-out-of-range", "target-unknown-domain",
         "answer-without-value"],
)
def test_a_bad_answers_file_gets_a_located_message(tiny, old, new, expected):
    assert old in GOOD
    lines = problems_of(GOOD.replace(old, new), tiny)
    assert any(line.startswith(expected) for line in lines), lines


def test_every_problem_is_listed_not_only_the_first(tiny):
    text = GOOD.replace("governance.board: 1", "governance.board: 9").replace("data.inventory: 3", "data.inventry: 3")
    lines = problems_of(text, tiny)
    assert len(lines) == 2 and "data.inventry" in lines[0] and "governance.board" in lines[1]


def test_a_note_over_five_thousand_characters_is_refused(tiny):
    text = GOOD.replace('note: "Nightly batch only"', f"note: {'x' * 5001}")
    assert problems_of(text, tiny) == ["answers.yaml:8 answers.data.pipelines.note: note is 5001 characters long; at most 5000 allowed"]


def test_malformed_yaml_is_an_answers_error_with_a_line(tiny):
    assert problems_of("format: phasegate-answers/1\nanswers: [\n", tiny)[0].startswith("answers.yaml:2: invalid YAML")


def test_json_answers_are_read_like_yaml(tiny):
    data = yaml.safe_load(GOOD)
    response = parse_answers(json.dumps(data), "answers.json", tiny)
    assert response.answers["governance.controls"].value == ["bias", "audit"]


def test_json_answers_report_lines_too(tiny):
    data = yaml.safe_load(GOOD)
    data["answers"]["governance.board"] = 9
    lines = problems_of(json.dumps(data, indent=1), tiny, "answers.json")
    assert lines[0].startswith("answers.json:") and "governance.board: 9 is not an option" in lines[0]


def test_dumped_answers_read_back_identically(tiny):
    response = read_answers(DATA / "tiny-answers.yaml", tiny)
    again = parse_answers(dump_answers(response), "again.yaml", tiny)
    assert again == response


def test_yes_and_no_may_be_written_as_booleans(tiny):
    response = parse_answers(GOOD.replace('data.monitoring: "yes"', "data.monitoring: true"), "a.yaml", tiny)
    assert response.answers["data.monitoring"].value == "yes"

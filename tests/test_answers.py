"""The answers exchange format: read, checked against the questionnaire, written back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from questionnaires import AnswersError
from scoring import dump_answers, parse_answers, read_answers
from scoring.answers import Pilot, check_text
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
        ("  governance.controls: [bias, audit]", "  governance.controls: [bias, none]",
         "answers.yaml:13 answers.governance.controls: 'none' (None of these) is chosen alone; keep it or the other "
         "options, not both"),
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
         "multi-unknown-option", "multi-none-beside-another", "wrong-format", "unknown-top-level-field", "target-out-of-range", "target-unknown-domain",
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


HEAD_JSON = '{"format": "phasegate-answers/1", "questionnaire": "tiny", "questionnaire_version": "1.0.0"'


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("answers.json", "[" * 50_000 + "]" * 50_000, "answers.json:1: nesting is deeper than 24 levels; flatten the data"),
        ("answers.json", HEAD_JSON + ',\n"answers": ' + '{"a":' * 30 + "1" + "}" * 30 + "}",
         "answers.json:2: nesting is deeper than 24 levels; flatten the data"),
        ("answers.yaml", "a:\n" + "".join(" " * i + "- \n" for i in range(1, 40)),
         "answers.yaml:25: nesting is deeper than 24 levels; flatten the data"),
        ("answers.json", HEAD_JSON + ',\n"answers": {"data.inventory": ' + "9" * 5000 + "}}",
         "answers.json:2: a number of 5000 characters (999999999999...) is too long; at most 50 allowed; "
         "put it in quotes if it is text"),
        ("answers.yaml", GOOD.replace("data.inventory: 3", "data.inventory: " + "9" * 5000),
         "answers.yaml:7: a number of 5000 characters (999999999999...) is too long; at most 50 allowed; "
         "put it in quotes if it is text"),
        ("answers.yaml", GOOD.replace("data.inventory: 3", "9" * 5000 + ": 3"),
         "answers.yaml:7: a number of 5000 characters (999999999999...) is too long"),
        ("answers.json", HEAD_JSON + ', "organisation": "A\\ud800"}',
         "answers.json:1 organisation: the text contains a lone surrogate (U+D800), which is not a character; "
         "remove it or write the character itself"),
        ("answers.yaml", GOOD.replace('note: "Nightly batch only"', 'note: "Nightly\\0"'),
         "answers.yaml:8 answers.data.pipelines.note: the text contains a NUL character (U+0000); remove it"),
        ("answers.yaml", GOOD + '  governance.notes: "\\udc00 text"\n',
         "answers.yaml:15 answers.governance.notes: the text contains a lone surrogate (U+DC00)"),
        ("answers.json", HEAD_JSON + ', "answers": {"data.\\u0000": 1}}',
         "answers.json:1 answers: key 'data.\\x00': the text contains a NUL character (U+0000); remove it"),
        ("answers.yaml", GOOD.replace("organisation: Example Corp", "organisation: Example \ud800"),
         "answers.yaml:4: the text contains a lone surrogate (U+D800), which is not a character; remove it"),
        ("answers.yaml", GOOD.replace("organisation: Example Corp", "organisation: 2026-13-45"),
         "answers.yaml:4: cannot read '2026-13-45' (month must be in 1..12); put it in quotes if it is text"),
    ],
    ids=["deep-json", "deep-json-inside", "deep-yaml", "5000-digit-int-json", "5000-digit-int-yaml", "5000-digit-key",
         "surrogate-in-organisation", "nul-in-note", "surrogate-in-text-answer", "nul-in-question-id",
         "surrogate-in-text-not-bytes", "impossible-date"],
)
def test_unstorable_or_unparseable_input_gets_a_located_answers_error(tiny, name, text, expected):
    lines = problems_of(text, tiny, name)
    assert lines[0].startswith(expected), lines


@pytest.mark.parametrize("name", ["answers.yaml", "answers.json"])
def test_more_than_two_thousand_answers_are_refused_before_they_are_checked(tiny, name):
    data = yaml.safe_load(GOOD)
    data["answers"] = {f"x.q{i:05d}": 1 for i in range(60_000)}
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data)
    lines = problems_of(text, tiny, name)
    assert len(lines) == 1 and "answers: has " in lines[0]
    assert lines[0].endswith("entries (at most 2000 allowed); remove the entries the questionnaire does not ask for")


def test_only_the_first_twenty_problems_are_listed_then_how_many_more(tiny):
    unknown = "".join(f"  x.q{i:02d}: 1\n" for i in range(30))
    lines = problems_of(GOOD + unknown, tiny)
    assert len(lines) == 21
    assert lines[0] == "answers.yaml:15 answers.x.q00: unknown question id 'x.q00' in 'tiny' 1.0.0"
    assert lines[-1] == "answers.yaml: ... and 10 more problems; fix the ones above first"


def test_a_question_id_with_a_line_break_is_reported_on_one_line(tiny):
    lines = problems_of(GOOD + '  "data.x\\nerror: forged": 1\n', tiny)
    assert lines == ["answers.yaml:15 answers.data.x\\nerror: forged: unknown question id 'data.x\\nerror: forged' in 'tiny' 1.0.0"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Example Corp", None),
        ("Zürich 🚀 — ok", None),
        ("A\x00B", "organisation: the text contains a NUL character (U+0000); remove it"),
        ("A\ud800", "organisation: the text contains a lone surrogate (U+D800), which is not a character; "
                    "remove it or write the character itself"),
        ("\udfff", "organisation: the text contains a lone surrogate (U+DFFF)"),
    ],
    ids=["plain", "non-ascii", "nul", "high-surrogate", "low-surrogate"],
)
def test_check_text_refuses_only_what_no_database_stores(text, expected):
    if expected is None:
        check_text(text, "organisation")
        return
    with pytest.raises(AnswersError) as caught:
        check_text(text, "organisation")
    assert caught.value.lines()[0].startswith(expected)


def test_an_answers_file_of_more_than_thirty_thousand_values_is_refused_before_it_is_built(tiny):
    lists = "".join(f"  x.q{i:04d}: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\n" for i in range(1500))
    lines = problems_of(GOOD + lists, tiny)
    assert lines == ["answers.yaml:1376: the file holds more than 30000 values; remove the entries the questionnaire does not ask for"]


@pytest.mark.parametrize(
    "line, expected",
    [("date: 2026-11-26", dt.date(2026, 11, 26)), ('date: "2026-02-03"', dt.date(2026, 2, 3)), ("", None)],
    ids=["yaml-date", "date-as-text", "no-date"],
)
def test_the_date_an_assessment_was_taken_is_read_when_given(tiny, line, expected):
    response = parse_answers(GOOD.replace("organisation: Example Corp", f"organisation: Example Corp\n{line}"), "a.yaml", tiny)
    assert response.date == expected


@pytest.mark.parametrize(
    "line, shown",
    [('date: "26.11.2026"', "'26.11.2026'"), ("date: 2026", "2026"), ('date: "2026-02-30"', "'2026-02-30'")],
    ids=["day-first", "year-only", "no-such-day"],
)
def test_a_date_that_is_not_yyyy_mm_dd_is_refused_with_its_line(tiny, line, shown):
    lines = problems_of(GOOD.replace("organisation: Example Corp", f"organisation: Example Corp\n{line}"), tiny, "a.yaml")
    assert lines == [f"a.yaml:5 date: must be a date written YYYY-MM-DD, e.g. 2026-11-26, got {shown}"]


def test_a_date_is_written_back_to_the_answers_file(tiny):
    response = parse_answers(GOOD.replace("organisation: Example Corp", "organisation: Example Corp\ndate: 2026-11-26"), "a.yaml", tiny)
    assert "date: '2026-11-26'" in dump_answers(response)
    assert parse_answers(dump_answers(response), "b.yaml", tiny).date == dt.date(2026, 11, 26)


def test_a_date_in_the_future_is_refused_with_its_line(tiny):
    lines = problems_of(GOOD.replace("organisation: Example Corp", "organisation: Example Corp\ndate: 2999-01-01"), tiny, "a.yaml")
    assert lines == ["a.yaml:5 date: 2999-01-01 is in the future; give the day the assessment was taken"]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("respondent: {role: executive}", "respondent: {role: executive, name: Jane Doe}",
         "answers.yaml:5 respondent.name: no personal data is needed; remove respondent.name (the role is enough)"),
        ("respondent: {role: executive}", "respondent: {role: executive, email: jane@example.com}",
         "answers.yaml:5 respondent.email: unknown field; expected one of role"),
        ("respondent: {role: executive}", "respondent: executive",
         "answers.yaml:5 respondent: must be a mapping such as {role: executive}, got 'executive'"),
        ("respondent: {role: executive}", "respondent: {role: executive}\npilots:\n  - {name: Churn model}",
         "answers.yaml:7 pilots[0].stage: required field is missing; e.g. {name: Churn model, stage: pilot, started: 2026-03}"),
        ("respondent: {role: executive}", "respondent: {role: executive}\norganisation_profile: {size: huge}",
         "answers.yaml:6 organisation_profile.size: must be small, medium or large, got 'huge'"),
        ("respondent: {role: executive}", "respondent: {role: executive}\norganisation_profile: {industry: Retail Banking}",
         "answers.yaml:6 organisation_profile.industry: must be a short lower-case id such as retail or financial-services"),
        ("respondent: {role: executive}", "respondent: {role: executive}\norganisation_profile: {size: small, staff: 4}",
         "answers.yaml:6 organisation_profile.staff: unknown field; expected one of size, industry"),
        ("questionnaire_version: 1.0.0", "questionnaire_version:",
         "answers.yaml:3 questionnaire_version: required field is missing"),
        ("organisation: Example Corp", "organisation: [Example, Corp]",
         "answers.yaml:4 organisation: must be text, got list"),
        ("  data.inventory: 3", "  data.inventory: {value: 3, note: [a]}",
         "answers.yaml:7 answers.data.inventory.note: a note must be text"),
        ("  data.inventory: 3", "  data.inventory: {value: 3, source: me}",
         "answers.yaml:7 answers.data.inventory.source: unknown field; an answer has only 'value' and 'note'"),
        ("  data.inventory: 3", "  data.inventory: {value: {a: 1}}",
         "answers.yaml:7 answers.data.inventory: must be an option value, a list of option values, dont_know or na"),
        ("  data.inventory: 3", "  data.inventory: .inf",
         "answers.yaml:7 answers.data.inventory: must be a finite number"),
    ],
    ids=["respondent-name", "respondent-unknown-field", "respondent-not-a-mapping", "pilots", "profile-size",
         "profile-industry", "profile-unknown-field", "version-empty", "organisation-a-list", "note-a-list",
         "answer-unknown-field", "answer-a-mapping", "answer-infinite"],
)
def test_the_answers_model_refuses_what_it_cannot_keep_with_a_located_message(tiny, old, new, expected):
    assert old in GOOD
    lines = problems_of(GOOD.replace(old, new), tiny)
    assert lines[0].startswith(expected), lines


def test_the_organisation_profile_is_read_and_written_back(tiny):
    text = GOOD.replace("respondent:", "organisation_profile: {size: small, industry: retail}\nrespondent:")
    response = parse_answers(text, "a.yaml", tiny)
    assert (response.organisation_profile.size, response.organisation_profile.industry) == ("small", "retail")
    assert "organisation_profile:\n  size: small\n  industry: retail\n" in dump_answers(response)
    assert parse_answers(dump_answers(response), "b.yaml", tiny) == response


# --- the organisation's currency and role, and pilot groups ------------------------------------


@pytest.mark.parametrize("given, kept", [("EUR", "EUR"), ("gbp", "GBP"), ("Usd", "USD"), (" chf ", "CHF")],
                         ids=["capitals", "lower-case", "mixed-case", "spaces"])
def test_the_currency_is_kept_as_a_three_letter_code_in_capitals(tiny, given, kept):
    text = GOOD.replace("respondent:", f"organisation_profile: {{currency: '{given}', ai_role: both}}\nrespondent:")
    response = parse_answers(text, "a.yaml", tiny)
    assert (response.organisation_profile.currency, response.organisation_profile.ai_role) == (kept, "both")
    assert f"organisation_profile:\n  currency: {kept}\n  ai_role: both\n" in dump_answers(response)
    assert parse_answers(dump_answers(response), "b.yaml", tiny) == response


@pytest.mark.parametrize("profile, expected", [
    ("{currency: euro}", "answers.yaml:5 organisation_profile.currency: must be a three-letter currency code such as "
                         "EUR, USD or GBP, got 'euro'"),
    ("{currency: '€'}", "answers.yaml:5 organisation_profile.currency: must be a three-letter currency code such as "
                        "EUR, USD or GBP, got '€'"),
    ("{currency: 978}", "answers.yaml:5 organisation_profile.currency: must be a three-letter currency code such as "
                        "EUR, USD or GBP, got 978"),
    ("{ai_role: user}", "answers.yaml:5 organisation_profile.ai_role: must be provider, deployer or both (the "
                        "organisation's role under the EU AI Act), got 'user'"),
    ("{size: small, staff: 4}", "answers.yaml:5 organisation_profile.staff: unknown field; expected one of size, "
                                "industry, currency, ai_role, business_model"),
], ids=["currency-a-word", "currency-a-symbol", "currency-a-number", "unknown-ai-role", "unknown-field"])
def test_a_bad_currency_or_ai_role_gets_one_line_saying_what_to_write(tiny, profile, expected):
    assert problems_of(GOOD.replace("respondent:", f"organisation_profile: {profile}\nrespondent:"), tiny) == [expected]


def with_pilots(*entries: str) -> str:
    return GOOD.replace("respondent:", "date: 2026-11-26\npilots:\n" + "".join(f"  - {e}\n" for e in entries)
                        + "respondent:")


def test_a_pilot_group_round_trips_through_an_answers_file(tiny):
    text = with_pilots("{name: Forecast North, stage: pilot, started: 2025-01, group: Demand forecast}",
                       "{name: Forecast South, stage: pilot, started: 2025-02, group: '  Demand forecast '}",
                       "{name: Chatbot, stage: pilot, started: 2025-03, group: ''}",
                       "{name: Pricing, stage: pilot, started: 2025-04, group: 2026}")
    response = parse_answers(text, "a.yaml", tiny)
    assert [p.group for p in response.pilots] == ["Demand forecast", "Demand forecast", None, "2026"]
    written = dump_answers(response)
    assert written.count("group: Demand forecast\n") == 2 and "group: '2026'" in written
    assert parse_answers(written, "b.yaml", tiny) == response
    assert [Pilot.from_dict(p.to_dict()) for p in response.pilots] == list(response.pilots)
    assert "group" not in response.pilots[2].to_dict()


def test_a_group_name_longer_than_a_pilot_name_is_refused(tiny):
    text = with_pilots("{name: Forecast, stage: pilot, started: 2025-01, group: " + "g" * 121 + "}")
    assert problems_of(text, tiny) == ["answers.yaml:7 pilots[0].group: is 121 characters long; at most 120 allowed"]


def test_an_answers_file_is_parsed_once_for_its_questionnaire_version_language_and_answers(tmp_path, monkeypatch):
    from scoring import answers

    path = tmp_path / "answers.yaml"
    path.write_bytes((DATA / "tiny-answers.yaml").read_bytes())
    parsed = []
    parse = answers.parse_document
    monkeypatch.setattr(answers, "parse_document", lambda *a, **k: parsed.append(a[1]) or parse(*a, **k))
    answers._parsed_answers.cache_clear()
    answers.questionnaire_id_of(path), answers.questionnaire_version_of(path), answers.language_of(path)
    read_answers(path)
    assert parsed == ["answers.yaml"]
    path.write_bytes(path.read_bytes().replace(b"questionnaire: tiny", b"questionnaire: other"))
    assert answers.questionnaire_id_of(path) == "other"  # a changed file is read anew
    assert parsed == ["answers.yaml", "answers.yaml"]

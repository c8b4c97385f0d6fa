"""Questionnaire files: every shipped one loads; every kind of bad file gets a located message."""

from __future__ import annotations

import json

import pytest
import yaml

from questionnaires import QuestionnaireError, load_questionnaire, parse_questionnaire
from questionnaires.loader import LIBRARY, shipped_paths
from questionnaires.schema import SCHEMA_PATH, schema_text
from questionnaires.models import question_count
from tests.conftest import DATA

TINY = (DATA / "tiny.yaml").read_text(encoding="utf-8")
DOMAINS = ("data", "governance", "mlops", "organization", "economics")


def problems_of(text: str | bytes, name: str = "broken.yaml") -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, name)
    return caught.value.lines()


def edited(old: str, new: str) -> str:
    assert old in TINY, f"fixture text not found: {old}"
    return TINY.replace(old, new, 1)


@pytest.mark.parametrize("path", shipped_paths(), ids=lambda p: p.name)
def test_every_shipped_questionnaire_loads(path):
    questionnaire = load_questionnaire(path)
    if path.parent == LIBRARY:
        assert questionnaire.id == path.stem
    else:  # archive/<id>/<version>.yaml
        assert (questionnaire.id, questionnaire.version) == (path.parent.name, path.stem)


@pytest.mark.parametrize("path", shipped_paths(), ids=lambda p: p.name)
def test_every_shipped_questionnaire_points_editors_at_the_schema(path):
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema.json")


def test_the_shipped_questionnaires_are_the_two_flagships():
    assert sorted(p.stem for p in shipped_paths() if p.parent == LIBRARY) == ["ai-maturity", "quick-check"]


def test_ai_maturity_has_two_questions_in_every_cell_and_complete_content(ai_maturity):
    assert question_count(ai_maturity).asked <= 70 and len(ai_maturity.questions) <= 120
    assert [d.id for d in ai_maturity.domains] == list(DOMAINS)
    for domain in DOMAINS:
        for phase in range(1, 5):
            cell = [q for q in ai_maturity.questions if q.domain == domain and q.phase == phase and q.scored]
            assert len(cell) >= 2, f"{domain} phase {phase} has {len(cell)} questions"
    for question in ai_maturity.questions:
        if not question.scored:
            continue
        assert question.help and question.evidence and question.allow_dont_know and question.action, question.id
        assert all(o.description for o in ai_maturity.options_for(question)), question.id


def test_quick_check_covers_every_domain_and_phase_in_six_minutes(quick_check):
    assert quick_check.estimated_minutes <= 6 and len(quick_check.questions) <= 26
    assert {(q.domain, q.phase) for q in quick_check.questions} == {(d, p) for d in DOMAINS for p in range(1, 5)}
    for domain in DOMAINS:
        assert len([q for q in quick_check.questions if q.domain == domain and q.phase == 1]) >= 2, domain
    assert {"governance.ai-board", "economics.pilot-gates"} <= {q.id for q in quick_check.questions}
    for question in quick_check.questions:
        assert question.action and question.help and question.evidence, question.id


@pytest.mark.parametrize("path", shipped_paths(), ids=lambda p: p.name)
def test_shipped_roadmap_phases_carry_the_four_phase_names(path):
    phases = [p.name for p in load_questionnaire(path).roadmap.phases]
    assert phases == ["Assess & Align", "Build the Foundation", "Launch & Learn", "Scale & Institutionalize"]


def test_schema_file_is_in_sync_with_the_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run: python cli.py schema --out questionnaires/schema.json"


def test_schema_rejects_unknown_keys_for_editors():
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Question"]["additionalProperties"] is False


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("    phase: 2\n    type: scale\n    scale: level\n    text: Are data",
         "    phase: 5\n    type: scale\n    scale: level\n    text: Are data",
         "broken.yaml:37 questions[1].phase: must be at most 4, got 5"),
        ("    scale: level\n    text: Is there an AI governance board?",
         "    scale: maturity5\n    text: Is there an AI governance board?",
         "broken.yaml:63 questions[4].scale: unknown scale 'maturity5' (known: level)"),
        ("    text: Is data quality monitored in production?",
         "    text: Is data quality monitored in production?\n    colour: red",
         "broken.yaml:48 questions[2].colour: unknown field; remove it or check its spelling"),
        ("  - id: governance.approval", "  - id: governance.board",
         "broken.yaml:66 questions[5].id: duplicate question id 'governance.board' (first used by questions[4])"),
        ("    domain: governance\n    phase: 2", "    domain: govern\n    phase: 2",
         "broken.yaml:67 questions[5].domain: unknown domain 'govern' (known: data, governance)"),
        ("      - {value: lake, label: In a shared lake, score: 1}",
         "      - {value: email, label: In a shared lake, score: 1}",
         "broken.yaml:56 questions[3].options[1].value: duplicate option value 'email'"),
        ("    visible_if: governance.board >= 2", "    visible_if: governance.notes == 'x'",
         "questions[7].visible_if: 'governance.notes' is not an earlier question"),
        ("    visible_if: governance.board >= 2", "    visible_if: governance.board >=",
         "questions[7].visible_if: expression ends too early"),
        ("    visible_if: governance.board >= 2", "    visible_if: __import__('os')",
         "questions[7].visible_if: cannot read '__import__('os')'"),
        ("id: tiny\n", "id: tiny\nid: other\n", "broken.yaml:3 id: duplicate key 'id'; each key may appear once"),
        ("version: 1.0.0", "version: one", "broken.yaml:3 version: 'one' does not have the expected form (a semantic version such as 1.0.0)"),
        ("    - {number: 4, name: Scale & Institutionalize, summary: Standardise and fund.}",
         "    - {number: 3, name: Scale & Institutionalize, summary: Standardise and fund.}",
         "roadmap.phases: phases must be numbered 1, 2, 3, 4 in order, got [1, 2, 3, 3]"),
        ("      - {value: lake, label: In a shared lake, score: 1}",
         "      - {value: lake, label: In a shared lake, score: 1, exclusive: true}",
         "broken.yaml:56 questions[3].options[1].exclusive: `exclusive` applies only to multi questions; this is a "
         "single one"),
    ],
    ids=["phase-out-of-range", "unknown-scale", "unknown-key", "duplicate-id", "unknown-domain", "duplicate-option",
         "visible-if-later-question", "visible-if-incomplete", "visible-if-no-eval", "duplicate-key", "bad-version",
         "phases-out-of-order", "exclusive-outside-multi"],
)
def test_bad_questionnaire_gets_a_located_message(old, new, expected):
    assert any(expected in line for line in problems_of(edited(old, new))), problems_of(edited(old, new))


def test_a_domain_phase_cell_without_questions_is_named():
    text = edited("    domain: data\n    phase: 4", "    domain: data\n    phase: 3")
    assert "broken.yaml:24 domains[0]: domain 'data' has no scored question in phase 4; every domain needs at least one per phase" in problems_of(text)


def test_several_problems_are_all_listed():
    text = edited("    phase: 2\n    type: scale", "    phase: 9\n    type: scale")
    text = text.replace("    text: Is data quality monitored in production?", "    txt: oops", 1)
    lines = problems_of(text)
    assert len(lines) == 3, lines
    assert any("phase: must be at most 4" in line for line in lines)
    assert any("questions[2].text: required field is missing" in line for line in lines)
    assert any("questions[2].txt: unknown field" in line for line in lines)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("base: &b {x: 1}\nother: *b\n", "broken.yaml:1: YAML anchors and aliases (&, *) are not allowed"),
        ("a: [" * 30 + "]" * 30, "nesting is deeper than 24 levels"),
        ("id: [unclosed\n", "broken.yaml:1: invalid YAML"),
        ("- just\n- a list\n", "expected a mapping with id, version, title"),
        ("<<: {id: x}\n", "merge keys (<<) are not allowed"),
        ("id: !!python/object:os.system ls\n", "invalid YAML"),
    ],
    ids=["alias", "too-deep", "syntax", "not-a-mapping", "merge-key", "python-tag"],
)
def test_unsafe_or_malformed_yaml_is_refused(text, expected):
    assert any(expected in line for line in problems_of(text)), problems_of(text)


def test_a_file_over_two_megabytes_is_refused():
    assert problems_of(b"# " + b"x" * (2 * 1024 * 1024) + b"\n") == ["broken.yaml: file is larger than 2 MB; split it or remove unused content"]


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    assert problems_of("id: tiny\ntitle: Caf\xe9\n".encode("latin-1")) == ["broken.yaml:2: file is not UTF-8 text; save it with UTF-8 encoding"]


def test_a_byte_order_mark_is_tolerated():
    assert parse_questionnaire(b"\xef\xbb\xbf" + TINY.encode("utf-8"), "tiny.yaml").id == "tiny"


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(QuestionnaireError, match="missing.yaml: cannot read file"):
        load_questionnaire(tmp_path / "missing.yaml")


def test_anchors_describe_each_scale_level_for_one_question(tiny):
    data = yaml.safe_load(TINY)
    data["questions"][0]["anchors"] = {0: "No list anywhere.", 4: "A catalogue updated by owners weekly."}
    questionnaire = parse_questionnaire(yaml.safe_dump(data), "anchored.yaml")
    options = questionnaire.options_for(questionnaire.questions[0])
    assert [o.description for o in options][0] == "No list anywhere."
    assert [o.description for o in options][4] == "A catalogue updated by owners weekly."
    assert [o.description for o in options][1] == "Individuals do it sometimes."


def test_anchors_for_values_the_scale_lacks_are_refused():
    data = yaml.safe_load(TINY)
    data["questions"][0]["anchors"] = {7: "Beyond the scale."}
    lines = problems_of(yaml.safe_dump(data))
    assert any("questions[0].anchors[7]: 7 is not a value of scale 'level'" in line for line in lines), lines


def test_unquoted_yes_as_an_option_value_is_refused_with_a_hint():
    lines = problems_of(edited("{value: email,", "{value: yes,"))
    assert lines == ["broken.yaml:55 questions[3].options[0].value: YAML read this value as true; put it in quotes, e.g. value: 'yes'"]


def test_a_scale_whose_scores_are_all_zero_is_refused():
    text = TINY
    for n in range(1, 5):
        text = text.replace(f"score: {n}}}", "score: 0}")
    assert any("scales.level.options: at least one option needs a score above 0" in line for line in problems_of(text))


def test_anchor_keys_written_as_text_still_match_numeric_scale_values():
    data = yaml.safe_load(TINY)
    data["questions"][0]["anchors"] = {"0": "No list anywhere."}
    questionnaire = parse_questionnaire(json.dumps(data), "anchored.json")
    assert questionnaire.options_for(questionnaire.questions[0])[0].description == "No list anywhere."


def test_yes_no_questions_take_anchors_for_yes_and_no():
    data = yaml.safe_load(TINY)
    data["questions"][2]["anchors"] = {"yes": "Every feed has automated checks.", "no": "Nobody checks."}
    questionnaire = parse_questionnaire(yaml.safe_dump(data), "anchored.yaml")
    assert [o.description for o in questionnaire.options_for(questionnaire.questions[2])] == [
        "Every feed has automated checks.", "Nobody checks."]


def test_control_characters_are_refused_with_their_line():
    assert problems_of(b"id: tiny\ntitle: \"bell \x07\"\n") == [
        "broken.yaml:2: invalid YAML: control character U+0007 is not allowed; remove it"]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("estimated_minutes: 2", "estimated_minutes: " + "9" * 5000,
         "broken.yaml:6: a number of 5000 characters (999999999999...) is too long; at most 50 allowed; "
         "put it in quotes if it is text"),
        ("title: Tiny test questionnaire", 'title: "Tiny \\ud800"',
         "broken.yaml:4 title: the text contains a lone surrogate (U+D800), which is not a character; "
         "remove it or write the character itself"),
        ("title: Tiny test questionnaire", 'title: "Tiny \\0"',
         "broken.yaml:4 title: the text contains a NUL character (U+0000); remove it"),
        ("estimated_minutes: 2", "estimated_minutes: 2026-02-30",
         "broken.yaml:6: cannot read '2026-02-30' (day is out of range for month); put it in quotes if it is text"),
    ],
    ids=["5000-digit-int", "lone-surrogate", "nul", "impossible-date"],
)
def test_values_no_parser_or_database_takes_are_refused_with_their_line(old, new, expected):
    assert problems_of(edited(old, new)) == [expected]


def test_a_list_of_more_than_ten_thousand_entries_is_refused_before_it_is_built():
    lines = problems_of("id: tiny\nitems: [" + "1, " * 10_001 + "1]\n")
    assert lines == ["broken.yaml:2 items: has more than 10000 entries (at most 10000 allowed); "
                     "split the file or remove what is not needed"]


def test_a_broken_file_in_the_extra_folder_is_listed_and_the_others_are_offered(tmp_path, monkeypatch):
    from questionnaires.loader import questionnaire_library

    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (tmp_path / "big.yaml").write_text(edited("estimated_minutes: 2", "estimated_minutes: " + "9" * 5000), encoding="utf-8")
    (tmp_path / "nul.yaml").write_text(edited("title: Tiny test questionnaire", 'title: "\\0"'), encoding="utf-8")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(tmp_path))
    offered, problems = questionnaire_library()
    assert sorted(offered) == ["ai-maturity", "quick-check", "tiny"]
    assert [line.split(":")[0] for line in problems] == ["big.yaml", "gone.yaml", "nul.yaml"]
    assert problems[1] == "gone.yaml: cannot read file: No such file or directory"


# --- critical practices, the regulatory track and per-level KPIs -------------------------------

BOARD = "    text: Is there an AI governance board?\n"
BOARD_ACTION = ("    action: {title: Set up an AI board, detail: Name members and a decision charter., effort: S, impact: 3, "
                "owner: CEO, kpi: Decisions taken per quarter}\n")


def test_a_regulatory_question_carries_its_source_and_dates(tiny):
    text = edited(BOARD, BOARD + "    critical: true\n    track: regulatory\n"
                  "    source: Regulation (EU) 2024/1689 (AI Act), Art. 6\n    checked: 2026-12-01\n    deadline: 2026-08-02\n")
    board = parse_questionnaire(text).question("governance.board")
    assert (board.critical, board.track, board.source, board.checked.isoformat(), board.deadline.isoformat()) == (
        True, "regulatory", "Regulation (EU) 2024/1689 (AI Act), Art. 6", "2026-12-01", "2026-08-02")
    plain = tiny.question("governance.board")
    assert (plain.critical, plain.track, plain.source, plain.checked, plain.deadline) == (False, None, "", None, None)


@pytest.mark.parametrize("added, expected", [
    ("    track: regulatory\n",
     "broken.yaml:65 questions[4].track: a regulatory question needs `source`: the article or clause it rests on, "
     "e.g. 'Regulation (EU) 2024/1689 (AI Act), Art. 6'"),
    ("    track: regulatory\n    source: ' '\n",
     "broken.yaml:65 questions[4].track: a regulatory question needs `source`: the article or clause it rests on, "
     "e.g. 'Regulation (EU) 2024/1689 (AI Act), Art. 6'"),
    ("    track: legal\n", "broken.yaml:65 questions[4].track: must be one of 'regulatory', got 'legal'"),
    ("    checked: soon\n",
     "broken.yaml:65 questions[4].checked: must be a date written YYYY-MM-DD, e.g. 2026-12-01, got 'soon'"),
    ("    deadline: 2026-08-02T12:00:00\n",
     "broken.yaml:65 questions[4].deadline: must be a date written YYYY-MM-DD, e.g. 2026-12-01, got '2026-08-02 12:00:00'"),
    ("    critical: maybe\n", "broken.yaml:65 questions[4].critical: must be true or false, got 'maybe'"),
], ids=["regulatory-without-source", "regulatory-blank-source", "unknown-track", "checked-not-a-date",
        "deadline-with-a-time", "critical-not-a-flag"])
def test_a_bad_critical_or_regulatory_field_is_refused_with_its_line(added, expected):
    assert problems_of(edited(BOARD, BOARD + added)) == [expected]


def test_a_level_may_carry_its_own_kpi_and_effort_and_nothing_else():
    by_level = ("      by_level:\n        optimise: {title: Review the AI board's decisions, detail: Check them yearly., "
                "kpi: Decisions reviewed, effort: M}\n")
    action = ("    action:\n      title: Set up an AI board\n      detail: Name members and a decision charter.\n"
              "      effort: S\n      impact: 3\n      owner: CEO\n      kpi: Decisions taken per quarter\n")
    wording = parse_questionnaire(edited(BOARD_ACTION, action + by_level)).question("governance.board").action.by_level
    assert (wording.optimise.kpi, wording.optimise.effort, wording.establish) == ("Decisions reviewed", "M", None)
    assert problems_of(edited(BOARD_ACTION, action + by_level.replace("effort: M", "effort: XL"))) == [
        "broken.yaml:73 questions[4].action.by_level.optimise.effort: must be one of 'S', 'M' or 'L', got 'XL'"]


def test_the_high_risk_industries_are_industry_ids():
    text = edited("id: tiny\n", "id: tiny\nregulation: {high_risk_industries: [banking, medical-devices]}\n")
    assert parse_questionnaire(text).regulation.high_risk_industries == ["banking", "medical-devices"]
    assert problems_of(edited("id: tiny\n", "id: tiny\nregulation: {high_risk_industries: [Retail Banking]}\n")) == [
        "broken.yaml:3 regulation.high_risk_industries[0]: 'Retail Banking' does not have the expected form "
        "(lower-case letters, digits and hyphens, starting with a letter)"]

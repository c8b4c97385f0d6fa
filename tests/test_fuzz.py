"""Any input, however broken, ends in the product's own one-line error, quickly.

Thrown at `score`, `report` and `validate` (in-process, like test_cli.py) and at
`parse_answers`, the function the start page calls on an uploaded answers file: literal
cases for every known way to break a parser, then hypothesis for the ones nobody listed.
Performance figures belong in bench/; the time bound here only catches the pathological.
"""

from __future__ import annotations

import copy
import json
import time

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from questionnaires import PhasegateError, parse_questionnaire
from questionnaires.errors import MAX_SHOWN
from scoring.answers import parse_answers, response_to_dict
from tests.conftest import DATA

SECONDS = 15.0  # CPU seconds, generous: a bound against a hang (not stretched by a busy machine); speed is benchmarked
TINY = str(DATA / "tiny.yaml")
TINY_TEXT = (DATA / "tiny.yaml").read_text(encoding="utf-8")
GOOD = (DATA / "tiny-answers.yaml").read_text(encoding="utf-8")
GOOD_DOCUMENT = yaml.safe_load(GOOD)
HEAD = '{"format": "phasegate-answers/1", "questionnaire": "tiny", "questionnaire_version": "1.0.0"'
YAML_HEAD = "format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: 1.0.0\n"
FUZZ = settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def json_answers(fields: str) -> str:
    return HEAD + ", " + fields + "}"


def many_unknown_ids(count: int) -> str:
    return json_answers('"answers": {' + ", ".join(f'"x.q{i:06d}": 1' for i in range(count)) + "}")


ANSWERS_CASES = [
    ("deep.json", "[" * 50_000 + "]" * 50_000),
    ("deep-in-answers.json", json_answers('"answers": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000)),
    ("deep-flow.yaml", "[" * 50_000 + "]" * 50_000),
    ("deep-block.yaml", "".join(" " * i + "a:\n" for i in range(3000))),
    ("bigint.json", json_answers('"answers": {"data.inventory": ' + "9" * 5000 + "}")),
    ("bigint.yaml", YAML_HEAD + "answers:\n  data.inventory: " + "9" * 5000 + "\n"),
    ("bigint-key.yaml", YAML_HEAD + "answers:\n  " + "9" * 5000 + ": 1\n"),
    ("bigint-tagged.yaml", YAML_HEAD + "answers:\n  data.inventory: !!int '" + "9" * 5000 + "'\n"),
    ("bigint-target.json", json_answers('"targets": {"data": -' + "1" * 5000 + "}")),
    ("surrogate-organisation.json", json_answers('"organisation": "A\\ud800"')),
    ("surrogate-note.json", json_answers('"answers": {"data.pipelines": {"value": 2, "note": "x\\udfff"}}')),
    ("surrogate-text.json", json_answers('"answers": {"governance.notes": "\\ud800"}')),
    ("surrogate-id.json", json_answers('"answers": {"data.\\ud800": 1}')),
    ("surrogate-role.yaml", YAML_HEAD + 'respondent: {role: "\\ud800"}\n'),
    ("surrogate-raw-bytes.yaml", "organisation: \udcff\n"),
    ("nul-organisation.json", json_answers('"organisation": "A\\u0000B"')),
    ("nul-note.yaml", YAML_HEAD + 'answers:\n  data.pipelines: {value: 2, note: "a\\0b"}\n'),
    ("nul-text.yaml", YAML_HEAD + 'answers:\n  governance.notes: "\\x00"\n'),
    ("nul-id.json", json_answers('"answers": {"data.\\u0000": 1}')),
    ("nul-raw.json", json_answers('"organisation": "A\x00B"')),
    ("unknown-ids.json", many_unknown_ids(60_000)),
    ("1500-unknown-ids.json", many_unknown_ids(1500)),
    ("unknown-ids.yaml", YAML_HEAD + "answers:\n" + "".join(f"  x.q{i:06d}: 1\n" for i in range(60_000))),
    ("tiny-values.yaml", YAML_HEAD + "answers:\n  data.inventory: [" + "1," * 300_000 + "1]\n"),
    ("binary.yaml", bytes(range(256)) * 40),
    ("binary.json", bytes(range(255, -1, -1)) * 40),
    ("not-utf8.yaml", YAML_HEAD.encode() + b"organisation: \xff\xfe\n"),
    ("huge-organisation.yaml", YAML_HEAD + "organisation: " + "x" * 900_000 + "\n"),
    ("huge-note.json", json_answers('"answers": {"data.pipelines": {"value": 2, "note": "' + "n" * 900_000 + '"}}')),
    ("huge-id.yaml", YAML_HEAD + "answers:\n  " + "q" * 900_000 + ": 1\n"),
    ("too-big.yaml", YAML_HEAD + "organisation: " + "x" * 2_000_000 + "\n"),
    ("empty.yaml", ""),
    ("empty.json", ""),
    ("bom-only.yaml", b"\xef\xbb\xbf"),
    ("null.yaml", "null\n"),
    ("two-documents.yaml", GOOD + "---\n" + GOOD),
    ("alias.yaml", YAML_HEAD + "organisation: &a x\nrespondent: {role: *a}\n"),
    ("python-tag.yaml", YAML_HEAD + "organisation: !!python/object/apply:os.system ['true']\n"),
    ("binary-tag.yaml", YAML_HEAD + "organisation: !!binary AAEC\n"),
    ("set-tag.yaml", YAML_HEAD + "answers: !!set {data.inventory, governance.board}\n"),
    ("impossible-date.yaml", YAML_HEAD + "organisation: 2026-13-45\n"),
    ("impossible-date-key.yaml", YAML_HEAD + "answers:\n  2026-02-30: 1\n"),
    ("bad-int-tag.yaml", YAML_HEAD + "organisation: !!int nope\n"),
    ("bad-float-tag.yaml", YAML_HEAD + "answers: {data.inventory: !!float nope}\n"),
    ("complex-key.yaml", YAML_HEAD + "answers:\n  ? [a, b]\n  : 1\n"),
    ("merge-key.yaml", YAML_HEAD + "answers:\n  <<: {data.inventory: 1}\n"),
    ("nan-values.json", json_answers('"answers": {"data.inventory": NaN, "governance.board": Infinity}')),
    ("huge-float.json", json_answers('"answers": {"data.inventory": 1e999, "governance.board": ' + "9" * 400 + ".5}")),
    ("answers-a-list.yaml", YAML_HEAD + "answers: [1, 2, 3]\n"),
    ("answers-a-string.json", json_answers('"answers": "all good"')),
    ("everything-wrong.json", '{"format": [1], "questionnaire": {"a": 1}, "questionnaire_version": null, '
                              '"organisation": [], "respondent": 5, "targets": [1], "answers": {"1": {"value": {}}}}'),
    ("wrong-value-types.yaml", YAML_HEAD + "targets: {data: yes, governance: 2.5}\nanswers:\n"
                               "  data.inventory: {value: [1, [2]], note: 7}\n  data.pipelines: {value: null}\n"
                               "  governance.controls: {value: {a: 1}}\n  governance.notes: 12\n  1: 2\n  null: 3\n"
                               "  true: 4\n  data.monitoring: {value: 1, note: x, extra: y}\n"),
    ("newline-in-id.json", json_answers('"answers": {"data.x\\ninjected: line": 1}')),
    ("duplicate-keys.json", json_answers('"answers": {"data.inventory": 1, "data.inventory": 2}')),
    ("duplicate-keys.yaml", YAML_HEAD + "answers:\n  data.inventory: 1\n  data.inventory: 2\n"),
    ("unterminated.json", HEAD + ', "answers": {"a": "'),
    ("only-brackets.json", "]]]]}}}}"),
    ("tabs.yaml", YAML_HEAD + "answers:\n\tdata.inventory: 1\n"),
]
CASE_IDS = [name for name, _ in ANSWERS_CASES]

QUESTIONNAIRE_CASES = [
    ("bigint.yaml", TINY_TEXT.replace("estimated_minutes: 2", "estimated_minutes: " + "9" * 5000)),
    ("bigint-weight.yaml", TINY_TEXT.replace("weight: 2}", "weight: " + "9" * 5000 + "}", 1)),
    ("surrogate.yaml", TINY_TEXT.replace("title: Tiny test questionnaire", 'title: "Tiny \\ud800"')),
    ("nul.yaml", TINY_TEXT.replace("title: Tiny test questionnaire", 'title: "Tiny \\0"')),
    ("deep.yaml", "[" * 50_000),
    ("deep.json", "[" * 50_000 + "]" * 50_000),
    ("impossible-date.yaml", TINY_TEXT.replace("estimated_minutes: 2", "estimated_minutes: 2026-13-45")),
    ("binary.yaml", bytes(range(256)) * 40),
    ("empty.yaml", ""),
    ("list.yaml", "- 1\n- 2\n"),
    ("wide.yaml", "items: [" + "1, " * 200_000 + "1]\n"),
    ("many-questions.yaml", TINY_TEXT + "extra:\n" + "".join(f"  k{i}: 1\n" for i in range(20_000))),
]


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    return path


def invoke(*args: str):
    """Run the CLI in-process; the result and the CPU seconds it took."""
    started = time.process_time()
    result = CliRunner().invoke(main, list(args))
    return result, time.process_time() - started


def assert_clean_exit(result, seconds: float, usage_ok: bool = False) -> None:
    """Exit 0, or 1 with only `error:` lines (or 2 for usage), no traceback, within the bound."""
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    allowed = (0, 1, 2) if usage_ok else (0, 1)
    assert result.exit_code in allowed, result.output[-2000:]
    if result.exit_code == 1:
        problems = [line for line in result.output.splitlines() if not line.startswith(("ok:", "wrote ", "["))]
        assert problems and all(line.startswith("error: ") for line in problems), problems[:5]
        assert len(problems) <= MAX_SHOWN + 1


def assert_product_error_or_storable(raw: str | bytes, name: str, questionnaire=None) -> None:
    """What the start page does with an upload: a PhasegateError, or a response every database can store."""
    started = time.process_time()
    try:
        response = parse_answers(raw, name, questionnaire)
    except PhasegateError as exc:
        lines = exc.lines()
        assert lines and len(lines) <= MAX_SHOWN + 1
        assert all("\n" not in line and len(line) <= 500 for line in lines), lines[:3]
    else:
        stored = json.dumps(response_to_dict(response), ensure_ascii=False)
        assert "\x00" not in stored
        stored.encode("utf-8")  # no lone surrogate
    assert time.process_time() - started < SECONDS


@pytest.mark.parametrize("name, content", ANSWERS_CASES, ids=CASE_IDS)
def test_score_answers_every_broken_answers_file_with_a_one_line_error(tmp_path, name, content):
    result, seconds = invoke("score", str(write(tmp_path, name, content)), "--questionnaire", TINY, "--format", "json")
    assert_clean_exit(result, seconds)
    assert result.exit_code == 1


@pytest.mark.parametrize("name, content", ANSWERS_CASES, ids=CASE_IDS)
def test_score_without_a_questionnaire_answers_with_a_one_line_error(tmp_path, name, content):
    result, seconds = invoke("score", str(write(tmp_path, name, content)))
    assert_clean_exit(result, seconds)
    assert result.exit_code == 1


@pytest.mark.parametrize("name, content", ANSWERS_CASES, ids=CASE_IDS)
def test_report_answers_every_broken_answers_file_with_a_one_line_error(tmp_path, name, content):
    answers = write(tmp_path, name, content)
    result, seconds = invoke("report", str(answers), "--questionnaire", TINY, "--html", "--out", str(tmp_path / "r.html"))
    assert_clean_exit(result, seconds)
    assert result.exit_code == 1


@pytest.mark.parametrize("name, content", ANSWERS_CASES, ids=CASE_IDS)
def test_the_upload_parser_refuses_every_broken_answers_file_with_its_own_error(tiny, name, content):
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    started = time.process_time()
    with pytest.raises(PhasegateError) as caught:
        parse_answers(raw, name)  # as the start page does: read, then check against the questionnaire named
        parse_answers(raw, name, tiny)
    assert time.process_time() - started < SECONDS
    lines = caught.value.lines()
    assert lines and len(lines) <= MAX_SHOWN + 1
    assert all("\n" not in line and len(line) <= 500 for line in lines), lines[:3]


@pytest.mark.parametrize("name, text", [case for case in ANSWERS_CASES if isinstance(case[1], str)],
                         ids=[name for name, content in ANSWERS_CASES if isinstance(content, str)])
def test_the_upload_parser_given_text_instead_of_bytes_refuses_it_too(tiny, name, text):
    with pytest.raises(PhasegateError):
        parse_answers(text, name, tiny)


@pytest.mark.parametrize("name, content", QUESTIONNAIRE_CASES, ids=[name for name, _ in QUESTIONNAIRE_CASES])
def test_validate_answers_every_broken_questionnaire_with_a_one_line_error(tmp_path, name, content):
    result, seconds = invoke("validate", TINY, str(write(tmp_path, name, content)))
    assert_clean_exit(result, seconds)
    assert result.exit_code == 1 and "ok: tiny.yaml" in result.output


@pytest.mark.parametrize("name, content", QUESTIONNAIRE_CASES, ids=[name for name, _ in QUESTIONNAIRE_CASES])
def test_a_broken_questionnaire_in_the_extra_folder_is_listed_and_the_rest_still_score(tmp_path, monkeypatch, name, content):
    folder = tmp_path / "library"
    folder.mkdir()
    write(folder, "tiny.yaml", TINY_TEXT)
    write(folder, name if name.endswith(".yaml") else name + ".yaml", content)
    (folder / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    result, seconds = invoke("score", str(DATA / "tiny-answers.yaml"), "--format", "json")
    assert_clean_exit(result, seconds)
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--workshop", "²", "--format", "csv", "--out", "{tmp}/x.csv"),
        ("export", "--workshop", "99999999999999999999999", "--format", "csv", "--out", "{tmp}/x.csv"),
        ("export", "--workshop", "0", "--format", "json", "--out", "{tmp}/x.json"),
        ("export", "--workshop", "\udcff", "--format", "csv", "--out", "{tmp}/x.csv"),
        ("export", "--format", "csv", "--out", "{tmp}"),
        ("export", "--format", "xlsx", "--out", "{tmp}/missing/x.xlsx"),
        ("score", "{answers}", "--questionnaire", TINY, "--target", "nosuch=3"),
        ("score", "{answers}", "--questionnaire", TINY, "--target", "data=9"),
        ("score", "{answers}", "--questionnaire", TINY, "--target", "=3"),
        ("score", "{answers}", "--questionnaire", TINY, "--target", "\udcff=3"),
        ("score", "{tmp}"),
        ("score", "{answers}", "--questionnaire", "{tmp}"),
        ("score", "{answers}", "--questionnaire", "{tmp}/missing.yaml"),
        ("score", "{answers}", "--questionnaire", "{binary}"),
        ("score", "{answers}", "--questionnaire", "{empty}"),
        ("score", "{binary}"),
        ("score", "{empty}"),
        ("validate", "{tmp}"),
        ("validate", "{binary}", "{empty}", "{tmp}/missing.yaml"),
        ("schema", "--out", "{tmp}"),
        ("schema", "--out", "{tmp}/missing/schema.json"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/missing/r.html"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out-dir", "{empty}/sub"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out-dir", "{empty}"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--target", "nosuch=2"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--logo", "{tmp}"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--logo", "{binary}"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--logo", "{empty}"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--color", "red"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--color", "#" + "f" * 5000),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--prepared-by", "\udcff"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--date", "2026-02-30"),
        ("report", "{answers}", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html", "--workers", "0"),
    ],
    ids=lambda args: " ".join(args).replace(TINY, "TINY")[:70],
)
def test_bad_option_values_give_a_one_line_error_or_a_usage_error(tmp_path, monkeypatch, args):
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    files = {"tmp": tmp_path, "answers": DATA / "tiny-answers.yaml",
             "binary": write(tmp_path, "binary.yaml", bytes(range(256))), "empty": write(tmp_path, "empty.yaml", "")}
    result, seconds = invoke(*(arg.format(**files) for arg in args))
    assert_clean_exit(result, seconds, usage_ok=True)
    assert result.exit_code != 0


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999999999999999", "²", " "])
def test_a_bad_report_workers_setting_is_a_one_line_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("PHASEGATE_REPORT_WORKERS", value)
    answers = str(DATA / "tiny-answers.yaml")
    result, seconds = invoke("report", answers, answers, "--questionnaire", TINY, "--html", "--out-dir", str(tmp_path))
    assert_clean_exit(result, seconds)
    assert result.output.splitlines()[-1].startswith("error: PHASEGATE_REPORT_WORKERS must be a whole number")


# --- generated inputs -----------------------------------------------------------------

BIG = "9" * 5000
# Strings that broke parsers or databases before; generated text meets them often, not by luck.
NASTY_STRINGS = ["\x00", "\ud800", "a\udfffb", "\n", "yes", "dont_know", "na", "", "x" * 6000, "2026-13-45", "BIG"]
NASTY_SNIPPETS = ['"\\ud800"', '"\\0"', "\\u0000", BIG, "-" + BIG, "[" * 60, "{a: " * 30, "2026-13-45", "!!int x",
                  "!!binary AA", "&a x", "*a", "<<: {}", "? [a]\n: 1", "\x00", "\ud800", "\t", ".nan", "1e999",
                  "x.q1: 1\n" * 3000]
characters = st.characters(exclude_categories=())  # surrogates included
texts = st.text(characters, max_size=12) | st.sampled_from(NASTY_STRINGS)
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**60, max_value=10**80)
           | st.floats(allow_nan=True, allow_infinity=True) | texts)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(texts, inner, max_size=4), max_leaves=12)
fields = st.sampled_from(["format", "questionnaire", "questionnaire_version", "organisation", "respondent",
                          "targets", "answers", "colour"])
question_ids = st.sampled_from(["data.inventory", "data.pipelines", "data.monitoring", "data.products",
                                "governance.board", "governance.controls", "governance.notes", "x.unknown"])


@st.composite
def answers_documents(draw) -> dict:
    """The tiny answers, with some fields and some answers replaced by anything at all."""
    document = copy.deepcopy(GOOD_DOCUMENT)
    for field in draw(st.lists(fields, max_size=3)):
        document[field] = draw(values)
    if isinstance(document.get("answers"), dict):
        for question_id in draw(st.lists(question_ids, max_size=4)):
            document["answers"][question_id] = draw(values | st.fixed_dictionaries({"value": values, "note": values}))
    return document


@st.composite
def edited_text(draw, text: str) -> str:
    """`text` with a few random slices replaced by random text (control characters and surrogates included)."""
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 20)))
        text = text[:start] + draw(st.text(characters, max_size=10) | st.sampled_from(NASTY_SNIPPETS)) + text[end:]
    return text


@FUZZ
@given(document=answers_documents(), as_json=st.booleans(), ascii_only=st.booleans())
def test_the_upload_parser_meets_generated_answers_with_a_response_or_its_own_error(tiny, document, as_json, ascii_only):
    text = json.dumps(document, ensure_ascii=ascii_only).replace('"BIG"', BIG)
    assert_product_error_or_storable(text, "answers.json" if as_json else "answers.yaml", tiny)


@FUZZ
@given(edited=edited_text(GOOD), as_bytes=st.booleans())
def test_the_upload_parser_meets_edited_answers_text_with_a_response_or_its_own_error(tiny, edited, as_bytes):
    raw = edited.encode("utf-8", "surrogatepass") if as_bytes else edited
    assert_product_error_or_storable(raw, "answers.yaml")
    assert_product_error_or_storable(raw, "answers.yaml", tiny)


@FUZZ
@given(edited=edited_text(TINY_TEXT))
def test_the_questionnaire_loader_meets_edited_questionnaires_with_its_own_error(edited):
    started = time.process_time()
    try:
        parse_questionnaire(edited, "edited.yaml")
    except PhasegateError as exc:
        assert all("\n" not in line for line in exc.lines())
    assert time.process_time() - started < SECONDS


@settings(FUZZ, max_examples=25)
@given(document=answers_documents())
def test_score_meets_generated_answers_files_with_a_result_or_a_one_line_error(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("fuzz") / "answers.json"
    path.write_text(json.dumps(document).replace('"BIG"', BIG), encoding="utf-8")
    result, seconds = invoke("score", str(path), "--questionnaire", TINY, "--format", "json")
    assert_clean_exit(result, seconds)


@pytest.mark.parametrize("command", [("score",), ("score", "--questionnaire", TINY),
                                     ("report", "--questionnaire", TINY, "--html", "--out", "{tmp}/r.html")])
def test_a_broken_answers_file_is_parsed_once_per_command(tmp_path, monkeypatch, command):
    from scoring import answers

    path = write(tmp_path, "broken.yaml", YAML_HEAD + "organisation: " + "x" * 1000 + "\nanswers: [1, 2\n")
    parsed = []
    parse = answers.parse_document
    monkeypatch.setattr(answers, "parse_document", lambda *a, **k: parsed.append(a[1]) or parse(*a, **k))
    answers._parsed_answers.cache_clear()
    first, _ = invoke(command[0], str(path), *(arg.format(tmp=tmp_path) for arg in command[1:]))
    assert first.exit_code == 1 and parsed == ["broken.yaml"]
    again, _ = invoke(command[0], str(path), *(arg.format(tmp=tmp_path) for arg in command[1:]))
    assert again.output == first.output  # the same problems, however often it is read


@pytest.mark.parametrize("name, content", [case for case in ANSWERS_CASES
                                           if case[0] in ("huge-organisation.yaml", "huge-note.json")])
def test_a_large_answers_file_is_scanned_as_yaml_once(monkeypatch, name, content):
    scanned = []
    parse = yaml.parse
    monkeypatch.setattr(yaml, "parse", lambda stream, Loader: scanned.append(len(stream)) or parse(stream, Loader))
    with pytest.raises(PhasegateError):
        parse_answers(content, name)
    assert scanned == [len(content)]  # the composer takes the checked events


@pytest.mark.parametrize("text, line, reason", [
    (YAML_HEAD + "organisation: Acme\nanswers:\n\tdata.inventory: 3\n", 6, "found character '\\t' that cannot start any token"),
    (YAML_HEAD + "organisation: Zürich Größe Straße\nnote: a: b\n", 5, "mapping values are not allowed here"),
    (YAML_HEAD + "organisation: Zürich Größe Straße\nnote: \x07\n", 5, "control character U+0007 is not allowed"),
])
def test_a_file_the_fast_parser_refuses_is_reported_in_pythons_words_at_its_line(text, line, reason):
    """libyaml scans good files; the one it refuses is scanned again by PyYAML, which names a tab rather than "a
    character", and counts characters, not the bytes of "ü", to the line."""
    with pytest.raises(PhasegateError) as refused:
        parse_answers(text, "answers.yaml")
    [problem] = refused.value.problems
    assert (problem.line, reason in problem.message) == (line, True), problem


def test_score_reads_a_broken_questionnaire_in_the_extra_folder_once(tmp_path, monkeypatch):
    from questionnaires import compiled

    folder = tmp_path / "library"
    folder.mkdir()
    write(folder, "tiny.yaml", TINY_TEXT)
    write(folder, "broken.yaml", TINY_TEXT.replace("estimated_minutes: 2", "estimated_minutes: 2026-13-45"))
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    parsed = []
    parse = compiled.parse_document
    monkeypatch.setattr(compiled, "parse_document", lambda *a, **k: parsed.append(a[1]) or parse(*a, **k))
    result, _ = invoke("score", str(DATA / "tiny-answers.yaml"), "--format", "json")
    assert result.exit_code == 0
    assert parsed.count("broken.yaml") == 1

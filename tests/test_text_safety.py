"""Control characters: refused by every text a person stores, removed from every export, never obeyed by a terminal."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import yaml
from openpyxl import load_workbook

from questionnaires import AnswersError
from reports.exports import Participant, answers_zip, long_csv, wide_csv, workbook_bytes, workshop_xlsx
from scoring import Answer, Response
from scoring.answers import Pilot
from scoring.workshop import aggregate_workshop
from storage import pilots as registers
from storage import repository as repo
from storage.text import TextError, for_terminal, refuse_controls, strip_controls

# Each one: invisible, unstorable in an XLSX cell, or obeyed by a terminal.
CORPUS = {
    "vertical tab": ("\x0b", "U+000B"),
    "escape": ("\x1b", "U+001B"),
    "bell": ("\x07", "U+0007"),
    "form feed": ("\x0c", "U+000C"),
    "nul": ("\x00", "U+0000"),
    "next line": ("\x85", "U+0085"),
    "lone surrogate": ("\ud800", "U+D800"),
    "delete": ("\x7f", "U+007F"),
    "non-character": ("\uffff", "U+FFFF"),
}
BAD = [pytest.param(char, code, id=name) for name, (char, code) in CORPUS.items()]


@pytest.mark.parametrize("char, code", BAD)
def test_refuse_controls_names_the_field_and_the_character(char, code):
    with pytest.raises(TextError) as caught:
        refuse_controls(f"before{char}after", "note")
    assert caught.value.lines() == [
        f"The note contains an invisible control character ({code}); remove it and save again."]


@pytest.mark.parametrize("value, expected", [
    ("plain text", "plain text"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("windows\r\nline", "windows\nline"),
    ("old mac\rline", "old mac\nline"),
    ("accents é ü and emoji 🙂", "accents é ü and emoji 🙂"),
    ("", ""),
])
def test_refuse_controls_keeps_ordinary_text_and_normalises_carriage_returns(value, expected):
    assert refuse_controls(value, "note") == expected


def test_refuse_controls_leaves_none_alone():
    assert refuse_controls(None, "role") is None


@pytest.mark.parametrize("char, code", BAD)
def test_strip_controls_removes_the_character(char, code):
    assert strip_controls(f"a{char}b\tc\nd") == "a" + "b\tc\nd"


@pytest.mark.parametrize("value, expected", [
    ("\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"),
    ("bell\x07", "bell\\u0007"),
    ("over\rwrite", "over\\u000dwrite"),
    ("c1 \x9b2J", "c1 \\u009b2J"),
    ("lone \ud800", "lone \\ud800"),
    ("line\n\tindented", "line\n\tindented"),
])
def test_for_terminal_shows_escape_codes_instead_of_obeying_them(value, expected):
    assert for_terminal(value) == expected


# --- every storing function -------------------------------------------------------------------


@pytest.fixture
def engine(sqlite_engine):
    return sqlite_engine


@pytest.fixture
def assessment(engine):
    return repo.create_assessment(engine, "tiny", "1.0.0", organisation="Acme")


def pilot(**changed) -> Pilot:
    fields = {"name": "Chatbot", "stage": "pilot", "started": "2024-01", "note": "", "group": None} | changed
    return Pilot(fields.pop("name"), fields.pop("stage"), fields.pop("started"), **fields)


def _response(**changed) -> Response:
    fields = {"answers": {"data.inventory": Answer(2)}} | changed
    return Response("tiny", "1.0.0", **fields)


STORING = {
    "create_assessment organisation": lambda e, a, t: repo.create_assessment(e, "tiny", "1.0.0", organisation=t),
    "create_assessment role": lambda e, a, t: repo.create_assessment(e, "tiny", "1.0.0", role=t),
    "set_organisation": lambda e, a, t: repo.set_organisation(e, a.id, f"Acme{t}"),
    "save_note": lambda e, a, t: repo.save_note(e, a.id, "data.inventory", f"note{t}"),
    "save_answer text": lambda e, a, t: repo.save_answer(e, a.id, "governance.notes", f"text{t}"),
    "save_answers note": lambda e, a, t: repo.save_answers(e, a.id, {"data.inventory": Answer(2, t)}),
    "carry_forward note": lambda e, a, t: repo.carry_forward(e, a.id, "1.0.0", {"data.inventory": Answer(2, t)}),
    "set_profile": lambda e, a, t: repo.set_profile(e, a.id, {"industry": f"retail{t}"}),
    "set_branding prepared by": lambda e, a, t: repo.set_branding(e, a.id, {"prepared_by": t, "color": "#000000"}),
    "set_branding commentary": lambda e, a, t: repo.set_branding(e, a.id, {"commentary": f"says{t}"}),
    "import_response note": lambda e, a, t: repo.import_response(e, _response(answers={"data.inventory": Answer(2, t)})),
    "import_response organisation": lambda e, a, t: repo.import_response(e, _response(organisation=f"Acme{t}")),
    "import_response role": lambda e, a, t: repo.import_response(e, _response(role=f"Exec{t}")),
    "save_pilots name": lambda e, a, t: repo.save_pilots(e, a.id, [pilot(name=f"Bot{t}")]),
    "save_pilots note": lambda e, a, t: repo.save_pilots(e, a.id, [pilot(note=f"n{t}")]),
    "save_pilots group": lambda e, a, t: repo.save_pilots(e, a.id, [pilot(group=f"g{t}")]),
    "save_pilots blocker": lambda e, a, t: repo.save_pilots(e, a.id, [pilot(blockers=(f"b{t}",))]),
    "save_pilots stage": lambda e, a, t: repo.save_pilots(e, a.id, [pilot(stage=f"pilot{t}")]),
}


@pytest.mark.parametrize("char, code", BAD)
@pytest.mark.parametrize("store", list(STORING.values()), ids=list(STORING))
def test_every_stored_text_refuses_a_control_character_and_keeps_what_was_saved(engine, assessment, store, char,
                                                                                code):
    repo.save_note(engine, assessment.id, "data.inventory", "kept")
    with pytest.raises(AnswersError) as caught:
        store(engine, assessment, f"x{char}y")
    assert code in str(caught.value) and "\n" not in str(caught.value)
    kept = repo.find_assessment(engine, assessment.token)
    assert kept.organisation == "Acme" and kept.pilots == () and kept.branding is None and kept.profile is None
    assert repo.load_answers(engine, assessment.id)["data.inventory"].note == "kept"
    assert len(repo.list_assessments(engine)) == 1


def test_a_workshop_register_refuses_a_control_character(engine):
    with pytest.raises(TextError, match="pilot's name"):
        registers.save_workshop_register(engine, 1, [pilot(name="Bot\x1b")])


def test_a_note_with_windows_line_ends_is_stored_with_newlines(engine, assessment):
    repo.save_note(engine, assessment.id, "data.inventory", "first\r\nsecond")
    repo.save_pilots(engine, assessment.id, [pilot(note="one\r\ntwo")])
    assert repo.load_answers(engine, assessment.id)["data.inventory"].note == "first\nsecond"
    assert repo.find_assessment(engine, assessment.token).pilots[0].note == "one\ntwo"


# --- every export: data stored before the rule ---------------------------------------------------


def dirty(text: str) -> str:
    return "".join(f"{text}{char}" for char, _ in CORPUS.values()) + "=end"


@pytest.fixture
def old_data():
    """Responses holding every control character, as data stored before the rule may."""
    response = Response("tiny", "1.0.0", {"data.inventory": Answer(3, dirty("note")),
                                           "governance.notes": Answer(dirty("text"))},
                        organisation=dirty("org"), role=dirty("role"),
                        pilots=(pilot(name=dirty("pilot"), note=dirty("pn"), group=dirty("g")),))
    return [Participant(dirty("P"), dirty("Exec"), response)]


def _no_control_left(text: str) -> None:
    assert not any(char in text for char, _ in CORPUS.values())


def test_the_long_and_wide_csv_hold_no_control_character(tiny, old_data):
    for data in (long_csv(tiny, old_data), wide_csv(tiny, old_data)):
        text = data.decode("utf-8-sig")
        _no_control_left(text)
        assert list(csv.DictReader(io.StringIO(text)))


def test_the_workbook_opens_with_the_text_kept_and_the_controls_gone(tiny, old_data):
    data = workbook_bytes([(dirty("sheet"), ["participant", "note"], [{"participant": dirty("P"),
                                                                      "note": dirty("n")}])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[2]] == ["P" * 9 + "=end", "n" * 9 + "=end"]


def test_the_workshop_workbook_opens(tiny, old_data):
    workshop = aggregate_workshop(tiny, [(p.role, p.response) for p in old_data],
                                  {"data.inventory": Answer(2, dirty("consensus"))})
    book = load_workbook(io.BytesIO(workshop_xlsx(tiny, old_data, workshop)))
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert any("consensus" in c for c in cells)
    _no_control_left("".join(cells))


def test_the_zip_of_answers_files_reads_back(tiny, old_data):
    with zipfile.ZipFile(io.BytesIO(answers_zip(old_data))) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            _no_control_left(text)
            assert yaml.safe_load(text)["questionnaire"] == "tiny"


# --- user text shown as text in markdown ------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("see http://evil.example/x", "see http\\://evil\\.example/x"),
    ("visit www.example.com now", "visit www\\.example\\.com now"),
    ("write to boss@example.com", "write to boss\\@example\\.com"),
    ("    indented code", "indented code"),
    ("first\n\tsecond\n  third", "first\nsecond\nthird"),
    ("windows\r\n    line", "windows\nline"),
    ("Title\n===", "Title\n\\=\\=\\="),
    ("&amp; [x](y) **b**", "\\&amp; \\[x\\]\\(y\\) \\*\\*b\\*\\*"),
    ("bell\x07 and \x1b[31mred", "bell and \\[31mred"),
    ("", ""),
])
def test_plain_shows_user_text_as_text(text, expected):
    from ui.flow import plain

    assert plain(text) == expected


@pytest.mark.parametrize("text", ["http://a.b", "https://a.b/c", "www.a.b", "ftp://a.b", "x@y.z", " \t  code"])
def test_plain_leaves_nothing_markdown_could_link_or_indent(text):
    from ui.flow import plain

    shown = plain(f"{text}\n{text}")
    unescaped = shown.replace("\\:", "").replace("\\.", "").replace("\\@", "")
    assert ":" not in unescaped and "." not in unescaped and "@" not in unescaped
    assert not any(line.startswith((" ", "\t")) for line in shown.split("\n"))

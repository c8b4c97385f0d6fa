"""Data exports: CSV long and wide, the workbook, the zip of answers files, formula neutralisation."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from reports.exports import (
    PILOT_COLUMNS,
    Participant,
    answers_zip,
    csv_bytes,
    long_csv,
    neutralise,
    pilot_rows,
    pilots_csv,
    wide_csv,
    workbook_bytes,
    workshop_xlsx,
)
from scoring import Answer, Response, parse_answers, score_response
from scoring.answers import Pilot
from scoring.workshop import Role, aggregate_workshop


def response(answers: dict, organisation: str = "") -> Response:
    return Response("tiny", "1.0.0", {k: v if isinstance(v, Answer) else Answer(v) for k, v in answers.items()},
                    organisation=organisation)


@pytest.fixture
def participants():
    return [
        Participant("P-001", "Executive", response({"data.inventory": 3, "governance.controls": ["bias", "audit"],
                                                     "governance.board": Answer(1, "=HYPERLINK(\"http://x\")")})),
        Participant("P-002", "Data & AI", response({"data.inventory": "dont_know", "data.monitoring": "no"})),
    ]


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (-2, -2),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_cells_that_could_start_a_formula_get_a_leading_quote(value, expected):
    assert neutralise(value) == expected


def test_long_csv_has_one_row_per_participant_and_question(tiny, participants):
    rows = read_csv(long_csv(tiny, participants))
    assert len(rows) == 2 * len(tiny.questions)
    first = rows[0]
    assert (first["participant"], first["role"], first["question"], first["value"], first["answer"], first["score"],
            first["points"]) == ("P-001", "Executive", "data.inventory", "3", "Managed", "0.75", "3.0")
    controls = next(r for r in rows if r["participant"] == "P-001" and r["question"] == "governance.controls")
    assert (controls["value"], controls["answer"], controls["score"]) == ("bias;audit", "Bias checks, Audit log", "0.75")
    unknown = next(r for r in rows if r["participant"] == "P-002" and r["question"] == "data.inventory")
    assert (unknown["value"], unknown["answer"], unknown["score"]) == ("dont_know", "Don't know", "")


def test_a_note_that_looks_like_a_formula_is_neutralised_in_csv(tiny, participants):
    rows = read_csv(long_csv(tiny, participants))
    board = next(r for r in rows if r["participant"] == "P-001" and r["question"] == "governance.board")
    assert board["note"] == "'=HYPERLINK(\"http://x\")"


def test_a_hidden_question_is_marked_not_visible(tiny, participants):
    rows = read_csv(long_csv(tiny, participants))
    budget = next(r for r in rows if r["participant"] == "P-001" and r["question"] == "governance.budget")
    assert budget["visible"] == "no"


def test_wide_csv_has_one_row_per_participant_and_a_column_per_question(tiny, participants):
    rows = read_csv(wide_csv(tiny, participants))
    assert [r["participant"] for r in rows] == ["P-001", "P-002"]
    assert list(rows[0])[:4] == ["participant", "role", "data.inventory", "data.pipelines"]
    assert (rows[0]["data.inventory"], rows[0]["governance.controls"], rows[1]["data.monitoring"]) == ("3", "bias;audit", "no")
    assert (rows[0]["index.data"], rows[0]["index.governance"]) == ("1.0", "0.25")  # phase 1 attained, phase 2 unanswered; board at 0.25


def test_participant_labels_and_roles_are_neutralised_too(tiny):
    participants = [Participant("=cmd|' /C calc'!A0", "+role", response({"data.inventory": 2}))]
    rows = read_csv(wide_csv(tiny, participants))
    assert (rows[0]["participant"], rows[0]["role"]) == ("'=cmd|' /C calc'!A0", "'+role")


def test_csv_headers_are_neutralised(tiny):
    assert csv_bytes([{"=x": "-y"}]).decode("utf-8-sig").splitlines() == ["'=x", "'-y"]


def test_the_workbook_has_responses_aggregate_and_next_steps(tiny, participants):
    workshop = aggregate_workshop(tiny, [(p.role, p.response) for p in participants],
                                  {"data.inventory": Answer(2, "-agreed after discussion")})
    book = load_workbook(io.BytesIO(workshop_xlsx(tiny, participants, workshop)))
    assert book.sheetnames == ["Responses", "Aggregate", "Next steps", "Role gaps"]
    responses = list(book["Responses"].values)
    assert len(responses) == 1 + 2 * len(tiny.questions)
    aggregate = {row[0]: row for row in book["Aggregate"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["Aggregate"][1]]
    inventory = dict(zip(header, aggregate["data.inventory"]))
    assert (inventory["n"], inventory["mean"], inventory["dont_know"], inventory["workshop_answer"],
            inventory["source"], inventory["consensus_note"]) == (1, 3, 1, "Defined", "consensus", "'-agreed after discussion")
    steps = list(book["Next steps"].values)
    assert steps[0][:3] == ("rank", "horizon", "title") and len(steps) > 1


def test_no_workbook_cell_is_stored_as_a_formula(tiny, participants):
    data = workbook_bytes([("Sheet", ["a", "b"], [{"a": "=1+1", "b": "@x"}, {"a": "\t=2", "b": 3}])])
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert [c.value for c in cells] == ["a", "b", "'=1+1", "'@x", "'\t=2", 3]


def test_a_role_named_like_a_formula_is_neutralised_in_the_role_gaps_header(tiny):
    # Role names are typed by the facilitator and become column headers of the Role gaps sheet.
    roles = [Role("=HYPERLINK(\"http://x\")", "executive"), Role("Data & AI", "practitioner")]
    people = [Participant("P-001", roles[0].name, response({"data.inventory": 3})),
              Participant("P-002", "Data & AI", response({"data.inventory": 1}))]
    workshop = aggregate_workshop(tiny, [(p.role, p.response) for p in people], roles=roles)
    sheet = load_workbook(io.BytesIO(workshop_xlsx(tiny, people, workshop)))["Role gaps"]
    assert "'=HYPERLINK(\"http://x\")" in [cell.value for cell in sheet[1]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_zip_holds_one_answers_file_per_participant_that_reads_back(tiny, participants):
    workshop = aggregate_workshop(tiny, [(p.role, p.response) for p in participants])
    archive = zipfile.ZipFile(io.BytesIO(answers_zip(participants, workshop)))
    assert archive.namelist() == ["P-001.yaml", "P-002.yaml", "workshop.yaml"]
    first = parse_answers(archive.read("P-001.yaml"), "P-001.yaml", questionnaire=tiny)
    assert (first.role, first.answers["governance.controls"].value) == ("Executive", ["bias", "audit"])
    assert first.answers["governance.board"].note == "=HYPERLINK(\"http://x\")"  # data kept as given in YAML
    assert parse_answers(archive.read("workshop.yaml"), "workshop.yaml", questionnaire=tiny).answers


def test_zip_file_names_are_safe_and_unique(tiny):
    participants = [Participant("../../etc/passwd", None, response({})), Participant("../../etc/passwd", None, response({}))]
    names = zipfile.ZipFile(io.BytesIO(answers_zip(participants))).namelist()
    assert names == ["etc-passwd.yaml", "etc-passwd-2.yaml"]


# --- the pilot register ---------------------------------------------------------------------

ON = dt.date(2026, 11, 26)
REGISTER = (
    Pilot("=HYPERLINK(\"http://x\")", "pilot", "2025-01", blockers=("governance.approval-queue",), value=250000.0,
          note="+1 from the board"),
    Pilot("Churn model", "production", "2024-03", production_since="2025-01", owner=True, kpi_baseline=True),
    Pilot("Chatbot", "pilot", "2026-09", owner=True, blockers=("data.no-access",), value=12500.5),
)


def room(tiny, participants, register=REGISTER):
    """A workshop whose facilitator keeps a register for the room, scored as the stored workshop is."""
    workshop = aggregate_workshop(tiny, [(p.role, p.response) for p in participants])
    response = dataclasses.replace(workshop.response, date=ON, pilots=register)
    return dataclasses.replace(workshop, response=response, result=score_response(tiny, response))


def test_pilot_rows_have_one_row_per_pilot_in_the_order_written(tiny, participants):
    workshop = room(tiny, participants)
    rows = pilot_rows(workshop.response, workshop.result)
    assert [(r["pilot"], r["stage_label"], r["age_months"], r["stuck"], r["verdict"]) for r in rows] == [
        ("=HYPERLINK(\"http://x\")", "Pilot", 22, "yes", "stop"),
        ("Churn model", "In production", 32, "no", "scale"),
        ("Chatbot", "Pilot", 2, "no", "fix"),
    ]
    assert (rows[0]["owner"], rows[0]["kpi_baseline"], rows[0]["blockers"], rows[0]["blocking_domains"],
            rows[0]["value"], rows[0]["note"]) == ("no", "no", "governance.approval-queue", "governance", 250000,
                                                  "+1 from the board")
    assert (rows[1]["production_since"], rows[1]["value"], rows[2]["value"]) == ("2025-01", "", 12500.5)
    assert rows[2]["reason"].startswith("Blocked after 2 months by “No access to production data”")
    assert [(r["group"], r["currency"]) for r in rows] == [("", "EUR")] * 3
    assert pilot_rows(workshop.response, aggregate_workshop(tiny, []).result) == []


def test_the_pilots_csv_is_one_row_per_pilot_and_neutralised(tiny, participants):
    workshop = room(tiny, participants)
    rows = read_csv(pilots_csv(workshop.response, workshop.result))
    assert list(rows[0]) == list(PILOT_COLUMNS)
    assert [r["pilot"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "Churn model", "Chatbot"]
    assert rows[0]["note"] == "'+1 from the board"


def test_the_workshop_workbook_gets_a_pilots_sheet_only_with_a_register(tiny, participants):
    book = load_workbook(io.BytesIO(workshop_xlsx(tiny, participants, room(tiny, participants))))
    assert book.sheetnames == ["Responses", "Aggregate", "Next steps", "Role gaps", "Pilots"]
    sheet = book["Pilots"]
    values = list(sheet.values)
    assert values[0] == PILOT_COLUMNS and len(values) == 4
    assert values[1][0] == "'=HYPERLINK(\"http://x\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    plain = aggregate_workshop(tiny, [(p.role, p.response) for p in participants])
    assert "Pilots" not in load_workbook(io.BytesIO(workshop_xlsx(tiny, participants, plain))).sheetnames


def test_the_zip_carries_the_rooms_register_in_its_answers_file_and_as_a_csv(tiny, participants):
    workshop = room(tiny, participants)
    archive = zipfile.ZipFile(io.BytesIO(answers_zip(participants, workshop)))
    assert archive.namelist() == ["P-001.yaml", "P-002.yaml", "workshop.yaml", "pilots.csv"]
    again = parse_answers(archive.read("workshop.yaml"), "workshop.yaml", questionnaire=tiny)
    assert again.pilots == REGISTER and again.date == ON
    assert score_response(tiny, again).pilots == workshop.result.pilots  # the same figures from the file
    assert len(read_csv(archive.read("pilots.csv"))) == 3


def test_a_participants_role_keeps_the_rest_of_the_answers_file(tiny):
    person = Participant("P-001", "Executive", dataclasses.replace(
        response({"data.inventory": 2}, "Acme"), date=ON, pilots=REGISTER[1:]))
    again = parse_answers(zipfile.ZipFile(io.BytesIO(answers_zip([person]))).read("P-001.yaml"), "P-001.yaml", tiny)
    assert (again.role, again.date, again.pilots, again.organisation) == ("Executive", ON, REGISTER[1:], "Acme")


def test_the_stored_export_has_the_registers_as_a_sheet_a_csv_and_in_the_json(tiny, participants):
    from reports.export_sets import ExportGroup, ExportSet, export_bytes

    people = [Participant("A-0001", None, dataclasses.replace(response({"data.inventory": 2}), date=ON,
                                                              pilots=REGISTER)),
              Participant("A-0002", None, response({"data.inventory": 1}))]
    stored = ExportSet([ExportGroup("tiny", "1.0.0", tiny, people)], [])
    rows = read_csv(export_bytes(stored, "pilots-csv"))
    assert [(r["participant"], r["pilot"], r["verdict"]) for r in rows] == [
        ("A-0001", "'=HYPERLINK(\"http://x\")", "stop"), ("A-0001", "Churn model", "scale"),
        ("A-0001", "Chatbot", "fix")]
    book = load_workbook(io.BytesIO(export_bytes(stored, "xlsx")))
    assert book.sheetnames == ["Responses", "Aggregate", "Next steps", "Pilots"]
    assert [row[2] for row in book["Pilots"].iter_rows(min_row=2, values_only=True)] == [
        "'=HYPERLINK(\"http://x\")", "Churn model", "Chatbot"]
    answers = json.loads(export_bytes(stored, "json"))
    assert [p["name"] for p in answers[0]["pilots"]] == [p.name for p in REGISTER] and "pilots" not in answers[1]

"""The pilot register as an editable table: edits applied, rows checked as answers files are, figures shown."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from scoring import parse_answers, score_response
from scoring.answers import AnswersError, Pilot, Response
from scoring.register import (RegisterError, apply_edits, editor_rows, portfolio_figures, read_rows,
                              reference_note, stage_counts, triage_rows)

ON = dt.date(2026, 11, 26)
GOOD = {"name": "Churn model", "stage": "pilot", "started": "2026-01", "production_since": None, "owner": True,
        "kpi_baseline": False, "blockers": ["governance.approval-queue"], "value": 400000.0, "note": ""}
REGISTER = (
    Pilot("Churn model", "production", "2024-03", "2025-01", True, True, (), 400000.0),
    Pilot("Invoice reader", "pilot", "2025-11", None, False, False, ("governance.approval-queue",), 120000.0),
    Pilot("Chatbot", "ready", "2026-08", None, True, False, (), None, "Needs a KPI"),
    Pilot("Route planner", "stopped", "2024-06"),
)


def problems(rows, questionnaire, on=ON) -> list[str]:
    with pytest.raises(RegisterError) as caught:
        read_rows(rows, questionnaire, on)
    return caught.value.lines()


# --- edits as the table reports them -----------------------------------------------------


def test_edits_change_cells_then_delete_rows_then_add_rows():
    rows = [{"name": "A", "stage": "pilot"}, {"name": "B", "stage": "pilot"}, {"name": "C", "stage": "idea"}]
    edits = {"edited_rows": {"2": {"stage": "pilot"}, 0: {"name": "A2"}}, "deleted_rows": [1],
             "added_rows": [{"name": "D", "stage": "ready"}]}
    assert apply_edits(rows, edits) == [{"name": "A2", "stage": "pilot"}, {"name": "C", "stage": "pilot"},
                                        {"name": "D", "stage": "ready"}]
    assert rows[0] == {"name": "A", "stage": "pilot"}  # the rows shown are left as they were


def test_no_edits_leave_the_rows_as_they_are():
    rows = editor_rows(REGISTER)
    assert apply_edits(rows, None) == rows
    assert apply_edits(rows, {"edited_rows": {}, "added_rows": [], "deleted_rows": []}) == rows


def test_a_register_shown_in_the_table_reads_back_unchanged(tiny):
    assert read_rows(editor_rows(REGISTER), tiny, ON) == REGISTER


# --- cells as people type them ----------------------------------------------------------


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"started": "2026-1"}, {"started": "2026-01"}),
        ({"started": " 2026/03 "}, {"started": "2026-03"}),
        ({"started": dt.date(2026, 3, 15)}, {"started": "2026-03"}),
        ({"value": math.nan}, {"value": None}),
        ({"value": "400 000"}, {"value": 400000.0}),
        ({"value": 7}, {"value": 7.0}),
        ({"production_since": ""}, {"production_since": None}),
        ({"note": None}, {"note": ""}),
        ({"owner": None, "kpi_baseline": None}, {"owner": False, "kpi_baseline": False}),
        ({"blockers": None}, {"blockers": ()}),
        ({"blockers": "governance.approval-queue, data.no-access"},
         {"blockers": ("governance.approval-queue", "data.no-access")}),
        ({"name": "  Churn model  "}, {"name": "Churn model"}),
    ],
    ids=["one-digit-month", "slash", "a-date", "nan-value", "spaced-number", "whole-number", "empty-month",
         "no-note", "unticked", "no-blockers", "blockers-as-text", "spaces-around-name"],
)
def test_cells_are_read_as_a_person_means_them(tiny, cells, expected):
    (pilot,) = read_rows([{**GOOD, **cells}], tiny, ON)
    for field, value in expected.items():
        assert getattr(pilot, field) == value


def test_rows_nobody_filled_in_are_skipped(tiny):
    blank = {"name": None, "stage": "pilot", "started": None, "owner": False, "kpi_baseline": False,
             "blockers": [], "value": math.nan, "note": ""}
    assert read_rows([blank, GOOD, {}], tiny, ON) == (read_rows([GOOD], tiny, ON)[0],)


# --- one plain problem per bad row ---------------------------------------------------------


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"stage": "scaling"}, "Row 2 (Churn model) · Stage: unknown stage 'scaling'; write one of: Idea, Pilot, "
                               "Ready for production, In production, Scaled, Stopped"),
        ({"blockers": ["governance.budget"]},
         "Row 2 (Churn model) · Blockers: unknown blocker 'governance.budget'; write those that apply from: "
         "Waiting for model approval, No risk review, No access to production data"),
        ({"started": "2027-01"},
         "Row 2 (Churn model) · Started: 2027-01 is after today (2026-11-26); give the month the pilot started"),
        ({"stage": "production", "production_since": "2025-12"},
         "Row 2 (Churn model) · In production since: 2025-12 is before the pilot started (2026-01); check both months"),
        ({"name": "x" * 121}, f"Row 2 ({'x' * 39}…) · Name: is 121 characters long; at most 120 allowed"),
        ({"name": "Invoice reader"},
         "Row 2 (Invoice reader) · Name: 'Invoice reader' is already the name of row 1; names must be unique"),
        ({"started": "next March"},
         "Row 2 (Churn model) · Started: 'next March' is not a month; write the month as YYYY-MM, e.g. 2026-03 "
         "(06/2025 and Jun 2025 are read too)"),
        ({"started": None},
         "Row 2 (Churn model) · Started: is empty; give the month the pilot started (write the month as YYYY-MM, "
         "e.g. 2026-03)"),
        ({"name": None}, "Row 2 · Name: is empty; give the pilot a name"),
        ({"stage": None}, "Row 2 (Churn model) · Stage: is empty; choose where the pilot stands"),
        ({"value": -5}, "Row 2 (Churn model) · Annual value: must be a number from 0 to 1,000,000,000,000, got -5.0"),
        ({"value": "a lot"}, "Row 2 (Churn model) · Annual value: must be a number: the expected annual value, "
                             "got 'a lot'"),
    ],
    ids=["unknown-stage", "unknown-blocker", "future-start", "live-before-start", "long-name", "duplicate-name",
         "month-in-words", "no-start", "no-name", "no-stage", "negative-value", "value-in-words"],
)
def test_a_bad_row_is_named_with_what_to_fix(tiny, cells, expected):
    first = {**GOOD, "name": "Invoice reader", "started": "2025-11"}
    assert problems([first, {**GOOD, **cells}], tiny) == [expected]


@pytest.mark.parametrize(  # an unknown stage or blocker is not here: the table names the labels it takes
    "entry, field",
    [
        ("{name: Churn model, stage: pilot, started: 2027-01}", "started"),
        ("{name: Churn model, stage: production, started: 2026-01, production_since: 2025-12}", "production_since"),
        (f"{{name: {'x' * 121}, stage: pilot, started: 2026-01}}", "name"),
    ],
    ids=["future-start", "live-before-start", "long-name"],
)
def test_the_table_says_what_an_answers_file_with_the_same_entry_is_told(tiny, entry, field):
    text = (f"format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: {tiny.version}\n"
            f"date: {ON.isoformat()}\npilots:\n  - {entry}\nanswers: {{}}\n")
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "answers.yaml", tiny)
    (in_file,) = caught.value.problems
    assert in_file.path == f"pilots[0].{field}"
    (in_table,) = problems([_row(entry)], tiny)
    assert in_table.endswith(in_file.message.replace("the assessment's date", "today"))


def _row(entry: str) -> dict:
    import yaml

    data = yaml.safe_load(entry)
    return {key: str(value) if key in ("started", "production_since") else value for key, value in data.items()}


def test_every_bad_row_is_named_once_and_nothing_is_returned(tiny):
    rows = [GOOD, {**GOOD, "name": "B", "stage": "scaling", "started": "2027-01"}, {**GOOD, "name": "C"},
            {**GOOD, "name": "D", "started": None}]
    assert problems(rows, tiny) == [
        "Row 2 (B) · Stage: unknown stage 'scaling'; write one of: Idea, Pilot, Ready for production, In production, "
        "Scaled, Stopped",
        "Row 4 (D) · Started: is empty; give the month the pilot started (write the month as YYYY-MM, e.g. 2026-03)",
    ]


def test_more_than_five_hundred_pilots_are_refused_whole(tiny):
    rows = [{**GOOD, "name": f"Pilot {n}"} for n in range(501)]
    assert problems(rows, tiny) == ["The register has 501 pilots; at most 500 are allowed. Keep the pilots that "
                                    "matter and delete the rest."]
    assert len(read_rows(rows[:500], tiny, ON)) == 500


def test_the_start_month_is_checked_against_the_day_given(tiny):
    row = {**GOOD, "started": "2026-12"}
    assert problems([row], tiny, ON) == [
        "Row 1 (Churn model) · Started: 2026-12 is after today (2026-11-26); give the month the pilot started"]
    assert read_rows([row], tiny, dt.date(2026, 12, 1))[0].started == "2026-12"


# --- the portfolio as shown -----------------------------------------------------------------


def scored(tiny):
    return score_response(tiny, Response(tiny.id, tiny.version, date=ON, pilots=REGISTER)).pilots


def test_the_figures_stand_beside_the_reference(tiny):
    # Started 6+ months before 2026-11-26 and not an idea: Churn model (reached), Invoice reader (12 months,
    # stuck) and Route planner (stopped): one in three reached production. In flight: Invoice reader (12) and
    # Chatbot (3), median 7.5. Stuck: Invoice reader, to be stopped, so nothing is left waiting.
    figures = [(f.label, f.value, f.against) for f in portfolio_figures(scored(tiny))]
    assert figures == [
        ("Pilots", "4", "1 in production or scaled"),
        ("Reached production", "33%", "reference: 20%"),
        ("Not past the pilot stage", "67%", "reference: 73%"),
        ("Stuck", "1", "in flight for more than 6 months"),
        ("Median age in flight", "7.5", "months, of the pilots not yet in production"),
        ("Without a business owner", "2", "of 4 pilots"),
        ("Without a KPI baseline", "3", "of 4 pilots"),
        ("Value waiting in stuck pilots", "EUR 0", "expected a year; pilots to stop left out"),
    ]
    assert reference_note(scored(tiny)).startswith(
        "Reached production and not past the pilot stage count the pilots started 6 or more months ago, ideas left "
        "out. Reference: about one AI pilot in five reaches production, and 73% of AI initiatives never get past the "
        "pilot stage (source: an industry article (2026)")


def test_without_pilots_old_enough_the_rate_is_not_made_up(tiny):
    young = (Pilot("New", "pilot", "2026-10"),)
    metrics = score_response(tiny, Response(tiny.id, tiny.version, date=ON, pilots=young)).pilots
    rate = portfolio_figures(metrics)[1]
    assert (rate.value, rate.against) == ("—", "none started 6 or more months ago yet")


def test_the_triage_table_gives_each_pilot_a_verdict_and_a_reason(tiny):
    rows = triage_rows(scored(tiny))
    assert [(r["Pilot"], r["Stage"], r["Age (months)"], r["Verdict"], r["Waiting on"]) for r in rows] == [
        ("Invoice reader", "Pilot", 12, "Stop", "Governance"),
        ("Churn model", "In production", 32, "Scale", ""),
        ("Chatbot", "Ready for production", 3, "Continue", ""),
        ("Route planner", "Stopped", 29, "—", ""),
    ]
    assert rows[0]["Reason"].startswith("12 months without reaching production, with neither a business owner")
    assert all(row["Reason"] for row in rows)


def test_the_shipped_questionnaires_read_their_own_vocabulary(quick_check, ai_maturity):
    for questionnaire in (quick_check, ai_maturity):
        section = questionnaire.pilot_section()
        rows = [{**GOOD, "name": f"P{n}", "stage": stage.id, "blockers": [blocker.id]}
                for n, (stage, blocker) in enumerate(zip(section.stages * 20, section.blockers))]
        rows = [{**row, "production_since": "2026-06" if section.stage(row["stage"]).kind == "reached" else None}
                for row in rows]
        assert len(read_rows(rows, questionnaire, ON)) == len(section.blockers)


def test_the_funnel_reads_as_one_line_with_the_pilots_stuck_at_each_stage(tiny):
    assert stage_counts(scored(tiny)) == ("Idea 0 · Pilot 1 (1 stuck) · Ready for production 1 · In production 1 · "
                                          "Scaled 0 · Stopped 1")

"""Rows pasted into the pilot register, read as the table's callback reads them (`apply_edits`, then
`read_rows`): stages and blockers by label or id, months in the forms people type, and every cell that
cannot be read named, never replaced by a default."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.answers import Pilot
from scoring.register import RegisterError, apply_edits, editor_rows, read_rows

ON = dt.date(2026, 11, 26)
SAVED = (Pilot("Invoice reader", "pilot", "2025-11"),)
PASTED = {"name": "Churn model", "stage": "Pilot", "started": "2026-01", "production_since": "", "owner": False,
          "kpi_baseline": False, "blockers": None, "value": None, "group": "", "note": ""}


def pasted(cells: dict, tiny) -> Pilot:
    """The pilot a row pasted below the saved register becomes."""
    edits = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{**PASTED, **cells}]}
    return read_rows(apply_edits(editor_rows(SAVED, tiny), edits), tiny, ON)[-1]


def problems(cells: dict, tiny) -> list[str]:
    """The problems of a row pasted below the saved register."""
    edits = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{**PASTED, **cells}]}
    with pytest.raises(RegisterError) as caught:
        read_rows(apply_edits(editor_rows(SAVED, tiny), edits), tiny, ON)
    return caught.value.lines()


@pytest.mark.parametrize(
    "stage, stored",
    [
        ("In production", "production"),
        ("production", "production"),
        ("in PRODUCTION", "production"),
        ("  In   production ", "production"),
        ("Inproduction", "production"),
        ("Ready for production", "ready"),
        ("Idea", "idea"),
        ("STOPPED", "stopped"),
        ("Scaled", "scaled"),
    ],
    ids=["label", "id", "odd-case", "odd-spaces", "no-space", "long-label", "first-stage", "id-in-capitals",
         "scaled"],
)
def test_a_pasted_stage_is_read_by_its_label_or_its_id(tiny, stage, stored):
    assert pasted({"stage": stage, "production_since": "2026-02" if stored in ("production", "scaled") else ""},
                  tiny).stage == stored


@pytest.mark.parametrize(
    "blockers, stored",
    [
        ("Waiting for model approval, No access to production data",
         ("governance.approval-queue", "data.no-access")),
        (["No risk review"], ("governance.no-risk-review",)),
        (["governance.no-risk-review", "no access to PRODUCTION data"],
         ("governance.no-risk-review", "data.no-access")),
        (["  waiting for model   approval "], ("governance.approval-queue",)),
        ("", ()),
        (None, ()),
    ],
    ids=["labels-as-text", "label-in-a-list", "id-and-odd-case-label", "odd-spaces", "empty-text", "none"],
)
def test_pasted_blockers_are_read_by_their_labels_or_their_ids(tiny, blockers, stored):
    assert pasted({"blockers": blockers}, tiny).blockers == stored


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("2025-06", "2025-06"),
        ("2025-6", "2025-06"),
        ("2025/06", "2025-06"),
        ("06/2025", "2025-06"),
        ("6/2025", "2025-06"),
        ("06.2025", "2025-06"),
        ("Jun 2025", "2025-06"),
        ("June 2025", "2025-06"),
        ("june 2025", "2025-06"),
        ("JUN-2025", "2025-06"),
        ("Sept 2025", "2025-09"),
        ("12/2025", "2025-12"),
        (dt.date(2025, 6, 30), "2025-06"),
    ],
    ids=["stored-form", "one-digit", "year-slash-month", "month-slash-year", "one-digit-month-first", "dots",
         "short-name", "full-name", "lower-case-name", "capitals-and-dash", "sept", "december", "a-date"],
)
def test_a_pasted_month_is_stored_as_year_and_month(tiny, typed, stored):
    assert pasted({"started": typed}, tiny).started == stored
    assert pasted({"started": "2025-01", "stage": "In production", "production_since": typed},
                  tiny).production_since == stored


HINT = "write the month as YYYY-MM, e.g. 2026-03 (06/2025 and Jun 2025 are read too)"
STAGES = "Idea, Pilot, Ready for production, In production, Scaled, Stopped"
BLOCKERS = "Waiting for model approval, No risk review, No access to production data"


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"stage": "Live"}, f"Row 2 (Churn model) · Stage: unknown stage 'Live'; write one of: {STAGES}"),
        ({"stage": "In prod"}, f"Row 2 (Churn model) · Stage: unknown stage 'In prod'; write one of: {STAGES}"),
        ({"blockers": "Budget"},
         f"Row 2 (Churn model) · Blockers: unknown blocker 'Budget'; write those that apply from: {BLOCKERS}"),
        ({"blockers": ["No risk review", "Legal"]},
         f"Row 2 (Churn model) · Blockers: unknown blocker 'Legal'; write those that apply from: {BLOCKERS}"),
        ({"started": "soon"}, f"Row 2 (Churn model) · Started: 'soon' is not a month; {HINT}"),
        ({"started": "13/2025"}, f"Row 2 (Churn model) · Started: '13/2025' is not a month; {HINT}"),
        ({"started": "2025-00"}, f"Row 2 (Churn model) · Started: '2025-00' is not a month; {HINT}"),
        ({"started": "Ju 2025"}, f"Row 2 (Churn model) · Started: 'Ju 2025' is not a month; {HINT}"),
        ({"started": "06/25"}, f"Row 2 (Churn model) · Started: '06/25' is not a month; {HINT}"),
        ({"started": "2025-06-15"}, f"Row 2 (Churn model) · Started: '2025-06-15' is not a month; {HINT}"),
        ({"stage": "In production", "production_since": "last June"},
         f"Row 2 (Churn model) · In production since: 'last June' is not a month; {HINT}"),
        ({"stage": None}, "Row 2 (Churn model) · Stage: is empty; choose where the pilot stands"),
    ],
    ids=["unknown-stage", "half-a-label", "unknown-blocker", "one-blocker-unknown", "month-in-words",
         "month-thirteen", "month-zero", "two-letter-name", "two-digit-year", "a-day-too", "live-month-in-words",
         "empty-stage"],
)
def test_a_pasted_cell_that_cannot_be_read_is_named_with_what_to_write(tiny, cells, expected):
    assert problems(cells, tiny) == [expected]


def test_a_stage_shown_as_its_label_reads_back_as_its_id(tiny):
    shown = editor_rows((Pilot("Live", "production", "2025-01", "2025-06"),), tiny)
    assert shown[0]["stage"] == "In production"
    assert read_rows(shown, tiny, ON)[0].stage == "production"


def test_a_label_pasted_over_a_saved_stage_replaces_it(tiny):
    edits = {"edited_rows": {"0": {"stage": "ready for production"}}, "deleted_rows": [], "added_rows": []}
    (pilot,) = read_rows(apply_edits(editor_rows(SAVED, tiny), edits), tiny, ON)
    assert pilot.stage == "ready"


# --- in the app: every label pasted, the database read as the page reads it -------------------------------------

MONTH_FORMS = ["2025-06", "06/2025", "6/2025", "Jun 2025", "June 2025", "jun 2025"]


def room_with_register(app_env, tiny):
    """A workshop's dashboard with an empty room register, and the function that reads it as the page does."""
    from storage import get_engine
    from storage import pilots as registers
    from storage import workshops as ws
    from tests.conftest import open_page

    engine = get_engine()
    workshop = ws.create_workshop(engine, "Acme", "tiny", tiny.version)
    room = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    return room, lambda: registers.load_workshop_register(engine, workshop.id)


def every_label_pasted(tiny) -> tuple[list[dict], tuple[Pilot, ...]]:
    """One pasted row per stage label, each with a month in another form and every blocker label spread over
    them; and the register those rows must be stored as."""
    section = tiny.pilot_section()
    blockers = section.blockers
    rows, stored = [], []
    for number, stage in enumerate(section.stages):
        month = MONTH_FORMS[number % len(MONTH_FORMS)]
        live = stage.kind == "reached"
        chosen = [blockers[number % len(blockers)], blockers[(number + 1) % len(blockers)]] if blockers else []
        rows.append({"name": f"Pilot {number + 1}", "stage": stage.label, "started": month,
                     "production_since": "July 2025" if live else "", "owner": number % 2 == 0,
                     "kpi_baseline": number % 3 == 0, "blockers": ", ".join(b.label for b in chosen),
                     "value": 1000.0 * (number + 1), "group": "", "note": f"Note {number + 1}"})
        stored.append(Pilot(f"Pilot {number + 1}", stage.id, "2025-06", "2025-07" if live else None, number % 2 == 0,
                            number % 3 == 0, tuple(b.id for b in chosen), 1000.0 * (number + 1),
                            f"Note {number + 1}"))
    return rows, tuple(stored)


def test_every_label_of_every_column_pasted_is_stored_by_its_id_and_shown_as_stored(app_env, tiny):
    from tests.test_app_pilots import ROOM, edit

    room, read = room_with_register(app_env, tiny)
    rows, expected = every_label_pasted(tiny)
    assert {stage.kind for stage in tiny.pilot_section().stages} >= {"idea", "active", "reached", "stopped"}
    edit(room, ROOM, added_rows=rows)
    assert read() == expected
    shown = room.data_editor(key=ROOM).value  # after the save, the table shows what was stored
    assert list(shown["stage"]) == [stage.label for stage in tiny.pilot_section().stages]
    assert list(shown["started"]) == ["2025-06"] * len(rows)
    assert [list(cell) for cell in shown["blockers"]] == [list(pilot.blockers) for pilot in expected]


def test_a_paste_with_one_unreadable_cell_waits_whole_until_that_cell_is_fixed(app_env, tiny):
    from tests.test_app_pilots import ROOM, edit, warnings

    room, read = room_with_register(app_env, tiny)
    rows, expected = every_label_pasted(tiny)
    wrong = [dict(row) for row in rows]
    wrong[2]["stage"] = "Live"
    edit(room, ROOM, added_rows=wrong)
    assert read() == ()  # nothing of the paste is stored
    assert f"Row 3 (Pilot 3) · Stage: unknown stage 'Live'; write one of: {STAGES}" in warnings(room)
    edit(room, ROOM, added_rows=rows)  # the same paste, with that cell fixed
    assert read() == expected
    assert "Row 3" not in warnings(room)

"""The pilot register as a table people edit: rows in, pilots out, or one plain problem per bad row.

The rows are what an editable table holds (one dict per row, keyed by the fields of
`scoring.answers.Pilot`). They are checked exactly as the `pilots:` list of an answers
file is (the same model, the same date, name and vocabulary checks), and each problem is
told against the row a person sees: "Row 3 (Churn model) · Started: ...". A register with
any bad row is refused whole, so what is stored is always a register that passed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from questionnaires.errors import PhasegateError, Problem
from questionnaires.models import Questionnaire
from questionnaires.safeyaml import Document
from scoring.answers import (MAX_PILOTS, PilotEntry, Pilot, Response, model_problems, pilot_problems,
                             register_problems)
from scoring.pilots import PilotMetrics

COLUMNS = {
    "name": "Name",
    "stage": "Stage",
    "started": "Started",
    "production_since": "In production since",
    "owner": "Business owner",
    "kpi_baseline": "KPI baseline",
    "blockers": "Blockers",
    "value": "Annual value",
    "note": "Note",
}
TEXT = ("name", "stage", "started", "production_since", "note")
FLAGS = ("owner", "kpi_baseline")
MONTH_HINT = "write the month as YYYY-MM, e.g. 2026-03"
_LOOSE_MONTH = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_ENTRY = re.compile(r"^pilots\[(\d+)\](?:\.(\w+))?")
_NAME_SHOWN = 40


class RegisterError(PhasegateError):
    """The register as edited cannot be stored; one problem per bad row, each saying what to fix."""


class _Register(BaseModel):
    """The rows in the shape of an answers file's `pilots:` list, so they get the same checks and messages."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    pilots: Annotated[list[PilotEntry], Field(max_length=MAX_PILOTS)]


def editor_rows(register: Sequence[Pilot]) -> list[dict]:
    """The register as table rows, one per pilot, in register order."""
    return [{"name": p.name, "stage": p.stage, "started": p.started, "production_since": p.production_since,
             "owner": p.owner, "kpi_baseline": p.kpi_baseline, "blockers": list(p.blockers), "value": p.value,
             "note": p.note} for p in register]


def apply_edits(rows: Sequence[Mapping], edits: Mapping | None) -> list[dict]:
    """The rows after a table's edits: `edited_rows` (position -> changed cells), then `deleted_rows`
    (positions), then `added_rows` (new rows), as Streamlit's data editor reports them."""
    edits = edits or {}
    changed = {int(position): cells for position, cells in (edits.get("edited_rows") or {}).items()}
    deleted = {int(position) for position in edits.get("deleted_rows") or ()}
    result = [{**row, **changed.get(position, {})} for position, row in enumerate(rows) if position not in deleted]
    return result + [dict(row) for row in edits.get("added_rows") or ()]


def read_rows(rows: Sequence[Mapping], questionnaire: Questionnaire, on: dt.date) -> tuple[Pilot, ...]:
    """The pilots of the table's rows (blank rows skipped), checked as an answers file's register is on the
    date `on`; RegisterError with one problem per bad row otherwise."""
    entries = [(number, _entry(row)) for number, row in enumerate(rows, start=1)]
    entries = [(number, entry) for number, entry in entries if not _blank(entry)]
    if len(entries) > MAX_PILOTS:
        raise RegisterError(f"The register has {len(entries)} pilots; at most {MAX_PILOTS} are allowed. Keep the "
                            "pilots that matter and delete the rest.")
    problems: dict[int, Problem] = {}
    valid: list[tuple[int, Pilot]] = []
    for number, entry in entries:
        problem = _missing(entry) or _model_problem(entry)
        if problem:
            problems[number] = _row_problem(number, entry, *problem)
        else:
            valid.append((number, PilotEntry.model_validate(entry).to_pilot()))
    for number, field, message in _register_problems(valid, questionnaire, on):
        entry = next(e for n, e in entries if n == number)
        problems.setdefault(number, _row_problem(number, entry, field, message))
    if problems:
        raise RegisterError([problems[number] for number in sorted(problems)])
    return tuple(pilot for _, pilot in valid)


# --- cells as people type them ---------------------------------------------------------


def _entry(row: Mapping) -> dict:
    """One row as an answers-file entry: empty cells left out, numbers and months tidied, flags as booleans."""
    entry: dict[str, Any] = {}
    for field in COLUMNS:
        value = _cell(row.get(field))
        if field in FLAGS:
            entry[field] = bool(value) if isinstance(value, (bool, int, float)) else value is not None and value
        elif field == "blockers":
            entry[field] = _blockers(value)
        elif field in ("started", "production_since"):
            if value is not None:
                entry[field] = _month(value)
        elif field == "value":
            if value is not None:
                entry[field] = _number(value)
        elif value is not None:
            entry[field] = value
    return entry


def _cell(value: Any) -> Any:
    """A table cell as plain Python: missing values (None, NaN, NaT, blank text) as None."""
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy scalars and arrays
        value = value.tolist()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _month(value: Any) -> Any:
    """'2026-3', '2026/03' or a date as '2026-03'; anything else as given, for the check to name."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%Y-%m}"
    if isinstance(value, str):
        found = _LOOSE_MONTH.match(value)
        if found and 1 <= int(found.group(2)) <= 12:
            return f"{found.group(1)}-{int(found.group(2)):02d}"
    return value


def _number(value: Any) -> Any:
    """A number, or text that reads as one ('400 000', '400,000'); anything else as given."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(re.sub(r"[\s,_']", "", value))
        except ValueError:
            return value
    return value


def _blockers(value: Any) -> list:
    """The chosen blockers as a list of ids (a list, or text with commas)."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip("[]")
        return [part.strip().strip("'\"") for part in text.split(",") if part.strip().strip("'\"")]
    if isinstance(value, (list, tuple)):
        return [_cell(item) for item in value if _cell(item) is not None]
    return value


def _blank(entry: Mapping) -> bool:
    """A row nobody filled in (a stage or a tick alone, from a new row's defaults, does not count)."""
    return not any(entry.get(field) for field in ("name", "started", "production_since", "blockers", "note")) \
        and entry.get("value") is None


# --- problems, told against the row ------------------------------------------------------


def _missing(entry: Mapping) -> tuple[str, str] | None:
    """The first required cell left empty, with what to put there."""
    if not entry.get("name"):
        return "name", "is empty; give the pilot a name"
    if not entry.get("stage"):
        return "stage", "is empty; choose where the pilot stands"
    if not entry.get("started"):
        return "started", f"is empty; give the month the pilot started ({MONTH_HINT})"
    return None


def _model_problem(entry: Mapping) -> tuple[str, str] | None:
    """What the answers file's register model says about this entry, if anything."""
    try:
        _Register.model_validate({"pilots": [entry]})
    except ValidationError as exc:
        found = model_problems(Document(None, "register"), exc)[0]
        place = _ENTRY.match(found.path)
        return (place.group(2) if place and place.group(2) else "name"), found.message
    return None


def _register_problems(valid: list[tuple[int, Pilot]], questionnaire: Questionnaire,
                       on: dt.date) -> list[tuple[int, str, str]]:
    """Dates, duplicate names and the questionnaire's stages and blockers, as (row number, field, message)."""
    response = Response(questionnaire.id, questionnaire.version, date=on, pilots=tuple(p for _, p in valid))
    document = Document(None, "register")
    numbers = [number for number, _ in valid]
    found = []
    for problem in register_problems(response, document) + pilot_problems(response, questionnaire, document):
        place = _ENTRY.match(problem.path)
        message = re.sub(r"pilots\[(\d+)\]", lambda m: f"row {numbers[int(m.group(1))]}", problem.message)
        found.append((numbers[int(place.group(1))], place.group(2) or "name", message))
    return found


def _row_problem(number: int, entry: Mapping, field: str, message: str) -> Problem:
    name = entry.get("name") if isinstance(entry.get("name"), str) else ""
    shown = name if len(name) <= _NAME_SHOWN else name[:_NAME_SHOWN - 1] + "…"
    where = f"Row {number}" + (f" ({shown})" if shown else "")
    message = message.replace("the assessment's date", "today")  # the table is checked against today
    return Problem("", None, f"{where} · {COLUMNS.get(field, field)}", message)


# --- the portfolio as the app shows it ---------------------------------------------------

VERDICT_LABELS = {"stop": "Stop", "fix": "Fix", "scale": "Scale", "continue": "Continue", None: "—"}


@dataclass(frozen=True)
class Figure:
    """One figure of the portfolio as shown: its label, its value in words, and what it is measured against."""

    label: str
    value: str
    against: str = ""


def portfolio_figures(metrics: PilotMetrics) -> tuple[Figure, ...]:
    """The portfolio's figures; the two the source article also measures carry its reference figure."""
    months, reference = metrics.stuck_after_months, metrics.reference
    rate = metrics.conversion_rate
    return (
        Figure("Pilots", f"{metrics.total}", f"{metrics.reached} in production or scaled"),
        Figure("Reached production", "—" if rate is None else f"{rate:.0%}",
               f"reference: {reference['reaches_production']:.0%}" if rate is not None
               else f"none started {months} or more months ago yet"),
        Figure("Not past the pilot stage", "—" if rate is None else f"{1 - rate:.0%}",
               f"reference: {reference['never_past_pilot']:.0%}" if rate is not None else ""),
        Figure("Stuck", f"{metrics.stuck}", f"in flight for more than {months} months"),
        Figure("Median age in flight", "—" if metrics.median_age_months is None
               else f"{metrics.median_age_months:g}", "months, of the pilots not yet in production"),
        Figure("Without a business owner", f"{metrics.without_owner}", f"of {metrics.total} pilots"),
        Figure("Without a KPI baseline", f"{metrics.without_kpi}", f"of {metrics.total} pilots"),
        Figure("Value waiting in stuck pilots", f"{metrics.value_waiting:,.0f}", "expected a year"),
    )


def reference_note(metrics: PilotMetrics) -> str:
    """What the two rates count, and the reference figures with their source named."""
    reference = metrics.reference
    return (f"Reached production and not past the pilot stage count the pilots started "
            f"{metrics.stuck_after_months} or more months ago, ideas left out. Reference: "
            f"{reference['reaches_production_text']}, and {reference['never_past_pilot_text']} "
            f"(source: {reference['source']}).")


def stage_counts(metrics: PilotMetrics) -> str:
    """The funnel in one line: pilots per stage, with those stuck there ('Pilot 2 (2 stuck) · In production 1')."""
    kinds, months = metrics.stage_kinds, metrics.stuck_after_months
    stuck = [item.stage for item in metrics.items if kinds.get(item.stage) == "active" and item.age_months > months]
    return " · ".join(f"{metrics.stage_labels.get(stage, stage)} {count}" + (
        f" ({stuck.count(stage)} stuck)" if stuck.count(stage) else "") for stage, count in metrics.by_stage.items())


def triage_rows(metrics: PilotMetrics) -> list[dict]:
    """The triage table, decisions first: one row per pilot with its verdict and the one-line reason."""
    return [{"Pilot": item.name, "Stage": metrics.stage_labels.get(item.stage, item.stage),
             "Age (months)": item.age_months, "Verdict": VERDICT_LABELS.get(item.verdict, item.verdict),
             "Reason": item.reason,
             "Waiting on": ", ".join(metrics.domain_names.get(d, d) for d in item.blocking_domains)}
            for item in metrics.items]

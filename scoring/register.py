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

from i18n import _, ngettext, pgettext
from questionnaires.errors import PhasegateError, Problem
from questionnaires.models import Questionnaire
from questionnaires.safeyaml import Document
from scoring.answers import (MAX_PILOTS, PilotEntry, Pilot, Response, model_problems, pilot_problems,
                             register_problems)
from scoring.pilots import PilotMetrics, format_money
from scoring.words import figure, share

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
    "group": "Group",  # last: a register pasted from a spreadsheet laid out before groups keeps its note
}
TEXT = ("name", "stage", "started", "production_since", "group", "note")
FLAGS = ("owner", "kpi_baseline")
MONTH_HINT = "write the month as YYYY-MM, e.g. 2026-03"
_YEAR_MONTH = re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})$")  # 2025-06, 2025/6
_MONTH_YEAR = re.compile(r"^(?P<month>\d{1,2})\s*[-/.]\s*(?P<year>\d{4})$")  # 06/2025, 6.2025
_NAMED_MONTH = re.compile(r"^(?P<month>[^\W\d_]+)\.?[\s,/-]*(?P<year>\d{4})$")  # Jun 2025, June 2025
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_STORED_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ENTRY = re.compile(r"^pilots\[(\d+)\](?:\.(\w+))?")
_NAME_SHOWN = 40


class RegisterError(PhasegateError):
    """The register as edited cannot be stored; one problem per bad row, each saying what to fix."""


class _Register(BaseModel):
    """The rows in the shape of an answers file's `pilots:` list, so they get the same checks and messages."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    pilots: Annotated[list[PilotEntry], Field(max_length=MAX_PILOTS)]


def editor_rows(register: Sequence[Pilot], questionnaire: Questionnaire | None = None) -> list[dict]:
    """The register as table rows, one per pilot, in register order; with the questionnaire, each stage as its
    label (the table shows and takes labels), else as its id."""
    labels = {stage.id: stage.label for stage in questionnaire.pilot_section().stages} if questionnaire else {}
    return [{"name": p.name, "stage": labels.get(p.stage, p.stage), "started": p.started,
             "production_since": p.production_since, "owner": p.owner, "kpi_baseline": p.kpi_baseline,
             "blockers": list(p.blockers), "value": p.value, "group": p.group, "note": p.note} for p in register]


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
        entry, problem = _chosen(entry, questionnaire)
        problem = _missing(entry) or problem or _unreadable_month(entry) or _model_problem(entry)
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
    """'2026-3', '2026/03', '03/2026', 'Mar 2026', 'March 2026' or a date as '2026-03'; anything else as given,
    for the check to name."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%Y-%m}"
    if not isinstance(value, str):
        return value
    found = _YEAR_MONTH.match(value) or _MONTH_YEAR.match(value) or _NAMED_MONTH.match(value)
    month = found and _month_number(found.group("month"))
    return f"{found.group('year')}-{month:02d}" if month else value


def _month_number(text: str) -> int | None:
    """1 to 12 for '6', '06', 'Jun' or 'June' (any case); None for anything else."""
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    named = [number for number, name in enumerate(_MONTH_NAMES, start=1)
             if text.casefold() in (name, name[:3]) or (len(text) >= 3 and name.startswith(text.casefold()))]
    return named[0] if len(named) == 1 else None


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


# --- stages and blockers, by id or by the label the table shows --------------------------------


def stage_labels(questionnaire: Questionnaire) -> str:
    """The stages a cell may name, as the table shows them: 'Idea, Pilot, In production'."""
    return ", ".join(stage.label for stage in questionnaire.pilot_section().stages)


def blocker_labels(questionnaire: Questionnaire) -> str:
    """The blockers a cell may name, as the table shows them."""
    return ", ".join(blocker.label for blocker in questionnaire.pilot_section().blockers) or "none defined"


def _fold(text: str) -> str:
    """A choice as compared: case and spaces ignored, so ' in Production ' is 'In production'."""
    return "".join(text.split()).casefold()


def _lookup(choices: Sequence) -> dict[str, str]:
    """Each choice's label and id, folded, to its id; an id wins over another choice's label."""
    found = {_fold(choice.label): choice.id for choice in choices}
    return found | {_fold(choice.id): choice.id for choice in choices}


def _chosen(entry: dict, questionnaire: Questionnaire) -> tuple[dict, tuple[str, str] | None]:
    """The entry with its stage and blockers as ids, and the first cell that names neither an id nor a label."""
    section = questionnaire.pilot_section()
    stages, blockers = _lookup(section.stages), _lookup(section.blockers)
    stage = entry.get("stage")
    if isinstance(stage, str) and _fold(stage) in stages:
        entry = {**entry, "stage": stages[_fold(stage)]}
    elif stage is not None:
        return entry, ("stage", f"unknown stage '{stage}'; write one of: {stage_labels(questionnaire)}")
    chosen = entry.get("blockers")
    if not isinstance(chosen, list):
        return entry, None  # not a list of blockers at all: the register model names it
    unknown = [item for item in chosen if not (isinstance(item, str) and _fold(item) in blockers)]
    if unknown:
        return entry, ("blockers", f"unknown blocker '{unknown[0]}'; write those that apply from: "
                                   f"{blocker_labels(questionnaire)}")
    return {**entry, "blockers": [blockers[_fold(item)] for item in chosen]}, None


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


def _unreadable_month(entry: Mapping) -> tuple[str, str] | None:
    """The first month cell that reads as no month, with the form to write it in."""
    for field in ("started", "production_since"):
        value = entry.get(field)
        if value is not None and not (isinstance(value, str) and _STORED_MONTH.match(value)):
            return field, f"'{value}' is not a month; {MONTH_HINT} (06/2025 and Jun 2025 are read too)"
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

def verdict_label(verdict: str | None) -> str:
    """A pilot's verdict as the triage table shows it ('—' for none), in the language of the moment."""
    labels = {"stop": pgettext("verdict", "Stop"), "merge": pgettext("verdict", "Merge"),
              "fix": pgettext("verdict", "Fix"), "scale": pgettext("verdict", "Scale"),
              "continue": pgettext("verdict", "Continue"), None: "—"}
    return labels.get(verdict, verdict)


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
    total = {"total": metrics.total}
    return (
        Figure(_("Pilots"), f"{metrics.total}", _("{reached} in production or scaled").format(reached=metrics.reached)),
        Figure(_("Reached production"), "—" if rate is None else share(rate),
               _("reference: {share}").format(share=share(reference["reaches_production"])) if rate is not None
               else ngettext("none started {months} or more months ago yet",
                             "none started {months} or more months ago yet", months).format(months=months)),
        Figure(_("Not past the pilot stage"), "—" if rate is None else share(1 - rate),
               _("reference: {share}").format(share=share(reference["never_past_pilot"])) if rate is not None else ""),
        Figure(_("Stuck"), f"{metrics.stuck}", ngettext("in flight for more than {months} months",
                                                        "in flight for more than {months} months",
                                                        months).format(months=months)),
        Figure(_("Median age in flight"), "—" if metrics.median_age_months is None
               else figure(metrics.median_age_months), _("months, of the pilots not yet in production")),
        Figure(_("Without a business owner"), f"{metrics.without_owner}",
               ngettext("of {total} pilots", "of {total} pilots", metrics.total).format(**total)),
        Figure(_("Without a KPI baseline"), f"{metrics.without_kpi}",
               ngettext("of {total} pilots", "of {total} pilots", metrics.total).format(**total)),
        Figure(_("Value waiting in stuck pilots"), format_money(metrics.value_waiting, metrics.currency),
               _("expected a year; pilots to stop left out")),
    )


def reference_note(metrics: PilotMetrics) -> str:
    """What the two rates count, and the reference figures with their source named."""
    reference = metrics.reference
    return ngettext("Reached production and not past the pilot stage count the pilots started {months} or more "
                    "months ago, ideas left out. Reference: {reaches}, and {never} (source: {source}).",
                    "Reached production and not past the pilot stage count the pilots started {months} or more "
                    "months ago, ideas left out. Reference: {reaches}, and {never} (source: {source}).",
                    metrics.stuck_after_months).format(
        months=metrics.stuck_after_months, reaches=_(reference["reaches_production_text"]),
        never=_(reference["never_past_pilot_text"]), source=_(reference["source"]))


def stage_counts(metrics: PilotMetrics) -> str:
    """The funnel in one line: pilots per stage, with those stuck there ('Pilot 2 (2 stuck) · In production 1')."""
    kinds, months = metrics.stage_kinds, metrics.stuck_after_months
    stuck = [item.stage for item in metrics.items if kinds.get(item.stage) == "active" and item.age_months > months]
    return " · ".join(_stage_count(metrics.stage_labels.get(stage, stage), count, stuck.count(stage))
                      for stage, count in metrics.by_stage.items())


def _stage_count(label: str, count: int, stuck: int) -> str:
    if not stuck:
        return f"{label} {count}"
    return _("{stage} {count} ({stuck} stuck)").format(stage=label, count=count, stuck=stuck)


def triage_rows(metrics: PilotMetrics) -> list[dict]:
    """The triage table, decisions first: one row per pilot with its verdict and the one-line reason."""
    return [{"Pilot": item.name, "Stage": metrics.stage_labels.get(item.stage, item.stage),
             "Age (months)": item.age_months, "Verdict": verdict_label(item.verdict),
             "Reason": item.reason,
             "Waiting on": ", ".join(metrics.domain_names.get(d, d) for d in item.blocking_domains)}
            for item in metrics.items]

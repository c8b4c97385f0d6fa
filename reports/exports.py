"""Data exports: CSV (long and wide), an Excel workbook, and a zip of answers files.

Every text cell that a spreadsheet could read as a formula — one starting with
= + - @, a tab or a carriage return — is neutralised with a leading single quote.
Control characters (which stored text refuses, but data stored before that rule may
hold) are removed from every cell and answers file: a workbook always opens.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

import i18n
from i18n import gettext as _
from questionnaires.models import Questionnaire
from scoring.answers import Response, Value, dated, dump_answers
from scoring.engine import Result, score_response
from scoring.answers import answer_label
from scoring.workshop import WorkshopResult
from storage.text import strip_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LONG_COLUMNS = ("questionnaire", "version", "participant", "role", "question", "domain", "phase", "type",
                "value", "answer", "score", "points", "visible", "note", "language")
AGGREGATE_COLUMNS = ("question", "domain", "phase", "type", "text", "n", "mean", "median", "std_dev", "min", "max",
                     "max_points", "spread_levels", "dont_know", "not_applicable", "unanswered", "disagreement",
                     "workshop_answer", "source", "consensus_note")
STEP_COLUMNS = ("rank", "horizon", "title", "detail", "domain", "phase", "owner", "effort", "impact", "kpi",
                "priority", "reason")
PILOT_COLUMNS = ("pilot", "stage", "stage_label", "started", "production_since", "age_months", "owner",
                 "kpi_baseline", "blockers", "blocking_domains", "group", "value", "currency", "stuck", "verdict",
                 "reason", "note")
MAX_FILE_STEM = 60
PILOTS_FILE = "pilots.csv"


@dataclass(frozen=True)
class Participant:
    """One response as exported: a label that identifies no one unless the workshop says so."""

    label: str
    role: str | None
    response: Response


def neutralise(value):
    """A cell value safe for spreadsheets: control characters removed, text that could start a formula quoted."""
    if not isinstance(value, str):
        return value
    value = strip_controls(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell_text(value: Value) -> str | int | float:
    """An answer value as one cell: options of a multiple choice joined with ';'."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


# --- rows ------------------------------------------------------------------------------


def long_rows(questionnaire: Questionnaire, participants: Sequence[Participant]) -> list[dict]:
    """One row per participant and question, with the answer, its label and its score."""
    rows = []
    for participant in participants:
        result = score_response(questionnaire, participant.response)
        for question in questionnaire.questions:
            scored = result.questions[question.id]
            answer = participant.response.answers.get(question.id)
            rows.append({
                "questionnaire": questionnaire.id,
                "version": questionnaire.version,
                "participant": participant.label,
                "role": participant.role or "",
                "question": question.id,
                "domain": question.domain,
                "phase": question.phase,
                "type": question.type,
                "value": cell_text(scored.value),
                "answer": answer_label(questionnaire, question, scored.value) if scored.answered else "",
                "score": _rounded(scored.score),
                "points": _points(questionnaire, question, scored.score),
                "visible": "yes" if scored.visible else "no",
                "note": answer.note if answer else "",
                "language": language_of(participant),
            })
    return rows


def language_of(participant: Participant) -> str:
    """The language the participant answered in ('de'), so a reader knows the language of their notes."""
    return participant.response.language or i18n.SOURCE


def wide_rows(questionnaire: Questionnaire, participants: Sequence[Participant]) -> list[dict]:
    """One row per participant: answer values by question id, then phase and indices."""
    rows = []
    for participant in participants:
        result = score_response(questionnaire, participant.response)
        row = {"participant": participant.label, "role": participant.role or ""}
        row.update({q.id: cell_text(participant.response.value(q.id)) for q in questionnaire.questions})
        row.update(_result_columns(result))
        rows.append(row)
    return rows


def _result_columns(result: Result) -> dict:
    columns = {"phase": result.overall.phase, "index": _rounded(result.overall.index),
               "confidence": _rounded(result.overall.confidence)}
    columns.update({f"index.{d.id}": _rounded(d.index) for d in result.domains})
    return columns


def aggregate_rows(questionnaire: Questionnaire, workshop: WorkshopResult) -> list[dict]:
    """One row per scored question: the room's statistics and the workshop's answer."""
    rows = []
    for stats in workshop.questions:
        question = questionnaire.question(stats.id)
        rows.append({
            "question": stats.id, "domain": stats.domain, "phase": stats.phase, "type": stats.type,
            "text": stats.text, "n": stats.n, "mean": _rounded(stats.mean), "median": _rounded(stats.median),
            "std_dev": _rounded(stats.std), "min": _rounded(stats.min), "max": _rounded(stats.max),
            "max_points": stats.max_points, "spread_levels": _rounded(stats.spread), "dont_know": stats.dont_know,
            "not_applicable": stats.not_applicable, "unanswered": stats.unanswered,
            "disagreement": "yes" if stats.disagreement else "no",
            "workshop_answer": answer_label(questionnaire, question, stats.workshop_value)
            if stats.workshop_value is not None else "",
            "source": stats.source, "consensus_note": stats.note,
        })
    return rows


def step_rows(result: Result) -> list[dict]:
    """The prioritised next steps of a result."""
    return [{
        "rank": s.rank, "horizon": s.horizon, "title": s.title, "detail": s.detail, "domain": s.domain,
        "phase": s.phase, "owner": s.owner, "effort": s.effort, "impact": s.impact, "kpi": s.kpi,
        "priority": s.priority, "reason": s.reason,
    } for s in result.actions]


def pilot_rows(response: Response, result: Result) -> list[dict]:
    """One row per pilot of the response's register, in the order written: what was entered, then its age,
    whether it is stuck, its verdict and the reason (none when the response has no register)."""
    if not response.pilots or result.pilots is None:
        return []
    metrics = result.pilots
    items = {item.name: item for item in metrics.items}
    rows = []
    for pilot in response.pilots:
        item = items.get(pilot.name)
        age = item.age_months if item else ""
        stuck = bool(item) and metrics.stage_kinds.get(pilot.stage) == "active" and age > metrics.stuck_after_months
        rows.append({
            "pilot": pilot.name, "stage": pilot.stage, "stage_label": metrics.stage_labels.get(pilot.stage, pilot.stage),
            "started": pilot.started, "production_since": pilot.production_since or "", "age_months": age,
            "owner": "yes" if pilot.owner else "no", "kpi_baseline": "yes" if pilot.kpi_baseline else "no",
            "blockers": ";".join(pilot.blockers),
            "blocking_domains": ";".join(item.blocking_domains) if item else "",
            "group": pilot.group or "",
            "value": "" if pilot.value is None else int(pilot.value) if float(pilot.value).is_integer() else pilot.value,
            "currency": metrics.currency,
            "stuck": "yes" if stuck else "no",
            "verdict": (item.verdict or "") if item else "", "reason": item.reason if item else "", "note": pilot.note,
        })
    return rows


def pilots_csv(response: Response, result: Result) -> bytes:
    """CSV, one row per pilot of the register (see `pilot_rows`)."""
    return csv_bytes(pilot_rows(response, result), PILOT_COLUMNS)


def role_gap_rows(workshop: WorkshopResult) -> list[dict]:
    """One row per domain: average index per role, executives, practitioners and the gap."""
    rows = []
    for gap in workshop.role_gaps:
        row = {"domain": gap.domain, "name": gap.name}
        row.update({role.name: _rounded(gap.by_role.get(role.name)) for role in workshop.roles})
        row.update({"executives": _rounded(gap.executive), "practitioners": _rounded(gap.practitioner),
                    "gap": _rounded(gap.gap), "flagged": "yes" if gap.flagged else "no"})
        rows.append(row)
    return rows


def _rounded(value: float | None, digits: int = 4) -> float | str:
    return "" if value is None else round(value, digits)


def _points(questionnaire: Questionnaire, question, score: float | None) -> float | str:
    if score is None:
        return ""
    options = questionnaire.options_for(question)
    total = sum(o.score for o in options) if question.type == "multi" else max(o.score for o in options)
    return round(score * total, 4)


# --- files -----------------------------------------------------------------------------


def csv_bytes(rows: Sequence[dict], columns: Sequence[str] | None = None) -> bytes:
    """Rows as CSV (UTF-8 with a byte-order mark, so spreadsheets read the accents), neutralised."""
    columns = list(columns or (rows[0].keys() if rows else ()))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def long_csv(questionnaire: Questionnaire, participants: Sequence[Participant]) -> bytes:
    """CSV, one row per participant and question."""
    return csv_bytes(long_rows(questionnaire, participants), LONG_COLUMNS)


def wide_csv(questionnaire: Questionnaire, participants: Sequence[Participant]) -> bytes:
    """CSV, one row per participant, one column per question."""
    rows = wide_rows(questionnaire, participants)
    columns = ["participant", "role"] + [q.id for q in questionnaire.questions]
    columns += list(_result_columns(score_response(questionnaire, Response(questionnaire.id, questionnaire.version))))
    return csv_bytes(rows, columns)


def column_title(column: str) -> str:
    """A column's heading in a workbook: its id in English (the same as the CSV's), a word in another language."""
    return i18n.pgettext("export column", column)


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Sequence[dict]]]) -> bytes:
    """An .xlsx file with one sheet per (name, columns, rows), every cell neutralised; the headings in the language
    of the moment (`column_title`)."""
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(strip_controls(name)[:31])
        sheet.append([neutralise(column_title(c)) for c in columns])
        for row in rows:
            sheet.append([neutralise(row.get(c, "")) for c in columns])
        _style(sheet, columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet, columns: Sequence[str], rows: Sequence[dict]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for i, column in enumerate(columns, start=1):
        longest = max([len(column_title(str(column)))] + [len(str(row.get(column, ""))) for row in rows[:200]])
        sheet.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 60)


def workshop_xlsx(questionnaire: Questionnaire, participants: Sequence[Participant], workshop: WorkshopResult) -> bytes:
    """Sheets: Responses (long), Aggregate (per question), Next steps, Role gaps, and Pilots when the room
    keeps a pilot register."""
    gap_rows = role_gap_rows(workshop)
    pilots = pilot_rows(workshop.response, workshop.result)
    return workbook_bytes([
        (_("Responses"), LONG_COLUMNS, long_rows(questionnaire, participants)),
        (_("Aggregate"), AGGREGATE_COLUMNS, aggregate_rows(questionnaire, workshop)),
        (_("Next steps"), STEP_COLUMNS, step_rows(workshop.result)),
        (_("Role gaps"), list(gap_rows[0]) if gap_rows else ["domain"], gap_rows),
        *([(_("Pilots"), PILOT_COLUMNS, pilots)] if pilots else []),
    ])


def answers_zip(participants: Sequence[Participant], workshop: WorkshopResult | None = None) -> bytes:
    """A zip with each response as an answers file, each carrying the date it was taken (today when the response
    gives none); with a workshop, its own answers too (with the room's pilot register), and the register once more as
    pilots.csv, one row per pilot."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for participant in participants:
            response = participant.response
            if participant.role and not response.role:
                response = replace(response, role=participant.role)
            archive.writestr(_file_name(participant.label, used), strip_controls(dump_answers(dated(response))))
        if workshop is not None:
            archive.writestr(_file_name("workshop", used), strip_controls(dump_answers(dated(workshop.response))))
            if workshop.response.pilots:
                archive.writestr(PILOTS_FILE, pilots_csv(workshop.response, workshop.result))
    return buffer.getvalue()


def _file_name(label: str, used: set[str]) -> str:
    """A safe, unique file name: letters, digits, dots, dashes and underscores only."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip(".-")[:MAX_FILE_STEM] or "response"
    name, n = f"{stem}.yaml", 2
    while name in used:
        name, n = f"{stem}-{n}.yaml", n + 1
    used.add(name)
    return name

"""What an export of stored data holds: the responses grouped by questionnaire version, then written as bytes.

Responses to a version that is not installed are still exported, as raw answers without scores, with
a warning; one outdated row never fails an export.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from i18n import gettext as _
from questionnaires.errors import PhasegateError
from questionnaires.loader import Library, shipped_library
from questionnaires.models import Questionnaire
from reports import exports
from scoring.answers import response_to_dict
from scoring.engine import score_response
from scoring.workshop import WorkshopResult, aggregate_workshop


class ExportError(PhasegateError):
    """An export cannot be made as asked (an unknown workshop, a wide CSV over several questionnaires)."""


@dataclass(frozen=True)
class ExportGroup:
    """The responses to one questionnaire version; `questionnaire` is None when that version is not installed."""

    questionnaire_id: str
    version: str
    questionnaire: Questionnaire | None
    participants: list = field(default_factory=list)
    workshop: WorkshopResult | None = None

    @property
    def label(self) -> str:
        return f"'{self.questionnaire_id}' {self.version}"


@dataclass(frozen=True)
class ExportSet:
    """Everything one export holds, and one warning line per group exported without scores."""

    groups: list[ExportGroup]
    warnings: list[str]

    @property
    def responses(self) -> int:
        return sum(len(group.participants) for group in self.groups)


def stored_export(engine: Engine, workshop_ref: str | int | None = None, library: Library | None = None) -> ExportSet:
    """The stored responses to export: one workshop (by number or join code), or every assessment."""
    library = library or shipped_library()
    groups = _workshop_groups(engine, workshop_ref, library) if workshop_ref is not None else _all_groups(engine, library)
    warnings = [f"{g.label} is not installed: its {len(g.participants)} responses are exported as raw answers, "
                "without scores; add that version to questionnaires/library/archive/ to score them"
                for g in groups if g.questionnaire is None]
    return ExportSet(groups, warnings)


def _workshop_groups(engine: Engine, workshop_ref: str | int, library: Library) -> list[ExportGroup]:
    import services
    from storage import workshops as ws

    workshop = ws.get_workshop(engine, workshop_ref) if isinstance(workshop_ref, int) else ws.find_by_code(engine, workshop_ref)
    if workshop is None:
        raise ExportError(f"no workshop with the code or number '{workshop_ref}'")
    questionnaire = library.find(workshop.questionnaire_id, workshop.questionnaire_version)
    if questionnaire is None:
        people = ws.list_participants(engine, workshop.id)
        return [ExportGroup(workshop.questionnaire_id, workshop.questionnaire_version, None, people)]
    people, result = services.aggregate_stored(engine, workshop, questionnaire)
    return [ExportGroup(questionnaire.id, questionnaire.version, questionnaire, people, result)]


def _all_groups(engine: Engine, library: Library) -> list[ExportGroup]:
    from storage import repository as repo

    grouped: dict[tuple[str, str], list] = {}
    for assessment in repo.list_assessments(engine):
        people = grouped.setdefault((assessment.questionnaire_id, assessment.questionnaire_version), [])
        people.append(exports.Participant(f"A-{assessment.id:04d}", assessment.role, repo.load_response(engine, assessment)))
    return [ExportGroup(qid, version, library.find(qid, version), people) for (qid, version), people in grouped.items()]


# --- bytes -----------------------------------------------------------------------------


def export_bytes(export: ExportSet, output: str, wide: bool = False) -> bytes:
    """The export as a file: `csv` (long, or `wide`), `pilots-csv` (one row per pilot of every register),
    `xlsx` or `json`."""
    if output == "pilots-csv":
        return exports.csv_bytes(register_rows(export.groups), ("participant", "version", *exports.PILOT_COLUMNS))
    if output == "json":
        answers = [response_to_dict(p.response) for g in export.groups for p in g.participants]
        return json.dumps(answers, indent=2, ensure_ascii=False).encode("utf-8")
    if output == "csv" and wide:
        return _wide_csv(export.groups)
    if output == "csv":
        return exports.csv_bytes(response_rows(export.groups), exports.LONG_COLUMNS)
    return _workbook(export.groups)


def response_rows(groups: Sequence[ExportGroup]) -> list[dict]:
    """One row per participant and question, each with its questionnaire version; raw answers where not installed."""
    rows = []
    for group in groups:
        if group.questionnaire is not None:
            rows += exports.long_rows(group.questionnaire, group.participants)
        else:
            rows += raw_rows(group)
    return rows


def register_rows(groups: Sequence[ExportGroup]) -> list[dict]:
    """One row per pilot of every register exported: each assessment's own, and a workshop room's."""
    rows = []
    for group in groups:
        if group.questionnaire is None:
            continue
        if group.workshop is not None:
            rows += [{"participant": "workshop", "version": group.version, **row}
                     for row in exports.pilot_rows(group.workshop.response, group.workshop.result)]
            continue
        for person in group.participants:
            if person.response.pilots:
                result = score_response(group.questionnaire, person.response)
                rows += [{"participant": person.label, "version": group.version, **row}
                         for row in exports.pilot_rows(person.response, result)]
    return rows


def raw_rows(group: ExportGroup) -> list[dict]:
    """One row per stored answer, as given: no domain, phase or score without the questionnaire."""
    return [{"questionnaire": group.questionnaire_id, "version": group.version, "participant": person.label,
             "role": person.role or "", "question": question_id, "value": exports.cell_text(answer.value),
             "note": answer.note, "language": exports.language_of(person)}
            for person in group.participants for question_id, answer in person.response.answers.items()]


def _wide_csv(groups: list[ExportGroup]) -> bytes:
    if not groups:
        return b""
    if len(groups) > 1:
        versions = ", ".join(g.label for g in groups)
        raise ExportError(f"a wide CSV needs responses to one questionnaire version, got {versions}; "
                          "use --workshop, or the long CSV")
    if groups[0].questionnaire is None:
        raise ExportError(f"a wide CSV needs the questionnaire, and {groups[0].label} is not installed; use the long CSV")
    return exports.wide_csv(groups[0].questionnaire, groups[0].participants)


def _workbook(groups: list[ExportGroup]) -> bytes:
    if len(groups) == 1 and groups[0].workshop is not None:
        group = groups[0]
        return exports.workshop_xlsx(group.questionnaire, group.participants, group.workshop)
    aggregate, steps = [], []
    for group in groups:
        if group.questionnaire is None:
            continue
        questionnaire = group.questionnaire
        combined = aggregate_workshop(questionnaire, [(p.role, p.response) for p in group.participants])
        aggregate += [{"questionnaire": questionnaire.id, "version": questionnaire.version, **row}
                      for row in exports.aggregate_rows(questionnaire, combined)]
        for person in group.participants:
            result = score_response(questionnaire, person.response)
            steps += [{"participant": person.label, "version": questionnaire.version, **row}
                      for row in exports.step_rows(result)]
    pilots = register_rows(groups)
    return exports.workbook_bytes([
        (_("Responses"), exports.LONG_COLUMNS, response_rows(groups)),
        (_("Aggregate"), ("questionnaire", "version", *exports.AGGREGATE_COLUMNS), aggregate),
        (_("Next steps"), ("participant", "version", *exports.STEP_COLUMNS), steps),
        *([(_("Pilots"), ("participant", "version", *exports.PILOT_COLUMNS), pilots)] if pilots else []),
    ])

"""Carry answers forward from one questionnaire version to a newer one, along its `migrations:`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from questionnaires.errors import PhasegateError
from questionnaires.loader import Library, shipped_library, version_key
from questionnaires.models import Migration, Questionnaire
from scoring.answers import Answer, Response, answer_problem, read_answers


class MigrationError(PhasegateError):
    """Answers cannot be carried to the version asked for: no chain of migrations leads there."""


def migration_path(library: Library, questionnaire_id: str, start: str, goal: str) -> list[tuple[Questionnaire, Migration]]:
    """The fewest migration steps from `start` to `goal` (each a newer version and its entry), or a MigrationError."""
    versions = [library.versions[questionnaire_id][v] for v in library.known_versions(questionnaire_id)]
    paths: dict[str, list] = {start: []}
    frontier = [start]
    while frontier and goal not in paths:
        reached = []
        for version in frontier:
            for questionnaire in versions:
                step = next((m for m in questionnaire.migrations if m.from_version == version), None)
                if step is not None and questionnaire.version not in paths:
                    paths[questionnaire.version] = paths[version] + [(questionnaire, step)]
                    reached.append(questionnaire.version)
        frontier = reached
    if goal not in paths:
        raise MigrationError(f"no migration path for '{questionnaire_id}' from {start} to {goal}: no version "
                             f"declares `migrations: - from: {start}` on the way there")
    return paths[goal]


def migrate_response(response: Response, library: Library, to_version: str) -> tuple[Response, list[str]]:
    """The response carried to `to_version`, and one plain line per thing that changed or could not be carried."""
    library.get(response.questionnaire, to_version)  # an unknown id or version is a QuestionnaireError
    notes: list[str] = []
    answers, targets = dict(response.answers), dict(response.targets)
    for questionnaire, migration in migration_path(library, response.questionnaire,
                                                   response.questionnaire_version, to_version):
        answers = _carry_answers(answers, questionnaire, migration, notes)
        notes += _added(library.find(questionnaire.id, migration.from_version), questionnaire, migration)
        targets = _carry_targets(targets, questionnaire, notes)
    return replace(response, questionnaire_version=to_version, answers=answers, targets=targets), notes


def _carry_answers(answers: dict[str, Answer], questionnaire: Questionnaire, migration: Migration,
                   notes: list[str]) -> dict[str, Answer]:
    where = f"{questionnaire.id} {questionnaire.version}"
    questions = {q.id: q for q in questionnaire.questions}
    carried: dict[str, Answer] = {}
    for old_id, answer in answers.items():
        if old_id in migration.dropped:
            notes.append(f"{old_id}: dropped in {where}; its answer {_shown(answer)} was not carried")
            continue
        new_id = migration.renamed.get(old_id, old_id)
        if new_id != old_id:
            notes.append(f"{old_id}: renamed to {new_id} in {where}")
        question = questions.get(new_id)
        if question is None:
            notes.append(f"{old_id}: not a question of {where}; its answer {_shown(answer)} was not carried")
            continue
        value = _remapped(answer.value, migration.options.get(new_id, {}), new_id, notes)
        problem = None if value is None else answer_problem(questionnaire, question, value)
        if problem:
            notes.append(f"{new_id}: the answer {value!r} was not carried: {problem}")
            value = None
            if not answer.note:
                continue
        carried[new_id] = Answer(value, answer.note)
    return carried


def _added(previous: Questionnaire | None, questionnaire: Questionnaire, migration: Migration) -> list[str]:
    """One line per question this version added (known only when the earlier version is installed)."""
    if previous is None:
        return []
    earlier = {migration.renamed.get(q.id, q.id) for q in previous.questions}
    return [f"{q.id}: new in {questionnaire.id} {questionnaire.version}, not answered yet"
            for q in questionnaire.questions if q.id not in earlier]


def _remapped(value, mapping: dict, question_id: str, notes: list[str]):
    if not mapping or value is None:
        return value
    if isinstance(value, list):
        new = [mapping.get(v, v) for v in value]
    else:
        new = mapping.get(value, value)
    if new != value:
        notes.append(f"{question_id}: the answer {value!r} is now {new!r}")
    return new


def _carry_targets(targets: dict[str, int], questionnaire: Questionnaire, notes: list[str]) -> dict[str, int]:
    domains = {d.id for d in questionnaire.domains}
    for domain in sorted(set(targets) - domains):
        notes.append(f"target for '{domain}': no such domain in {questionnaire.id} {questionnaire.version}; not carried")
    return {domain: phase for domain, phase in targets.items() if domain in domains}


def _shown(answer: Answer) -> str:
    shown = "(a note only)" if answer.value is None else repr(answer.value)
    return f"{shown} and its note" if answer.note and answer.value is not None else shown


def migrate_file(path: Path | str, to_version: str) -> tuple[Response, list[str]]:
    """Read an answers file (checked against its own version when that is installed) and carry it to `to_version`."""
    library = shipped_library()
    response = read_answers(path)
    source = library.find(response.questionnaire, response.questionnaire_version)
    if source is not None:
        response = read_answers(path, source)
    return migrate_response(response, library, to_version)


def newer_version(library: Library, questionnaire_id: str, version: str) -> Questionnaire | None:
    """The newest version of a questionnaire when it is newer than `version` and reachable from it, else None."""
    newest = library.find(questionnaire_id)
    if newest is None or version_key(newest.version) <= version_key(version):
        return None
    try:
        migration_path(library, questionnaire_id, version, newest.version)
    except MigrationError:
        return None
    return newest

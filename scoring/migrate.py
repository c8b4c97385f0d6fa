"""Carry answers forward from one questionnaire version to a newer one, along its `migrations:`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from questionnaires.errors import PhasegateError
from questionnaires.loader import Library, shipped_library, version_key
from questionnaires.models import Migration, Questionnaire
from scoring.answers import NA, Answer, Response, answer_problem, dump_answers, read_answers


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


CHANGED = "carried, the question changed: confirm"


@dataclass(frozen=True)
class Carried:
    """Answers carried to a newer version: the response, one plain line per change, the answers to confirm (question
    id -> how its meaning changed) and where each answer came from (question id now -> its id in the answers given)."""

    response: Response
    notes: list[str]
    confirm: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)


def carry(response: Response, library: Library, to_version: str) -> Carried:
    """The response carried to `to_version` along the migrations, with what changed said out loud."""
    library.get(response.questionnaire, to_version)  # an unknown id or version is a QuestionnaireError
    notes: list[str] = []
    answers, targets = dict(response.answers), dict(response.targets)
    confirm: dict[str, str] = {}
    origin = {qid: qid for qid in answers}
    for questionnaire, migration in migration_path(library, response.questionnaire,
                                                   response.questionnaire_version, to_version):
        previous = library.find(questionnaire.id, migration.from_version)
        answers = _carry_answers(answers, questionnaire, previous, migration, notes, confirm, origin)
        notes += _added(library, previous, questionnaire, migration)
        targets = _carry_targets(targets, questionnaire, notes)
    origin = {qid: origin[qid] for qid in answers}
    return Carried(replace(response, questionnaire_version=to_version, answers=answers, targets=targets), notes,
                   {qid: why for qid, why in confirm.items() if qid in answers}, origin)


def migrate_response(response: Response, library: Library, to_version: str) -> tuple[Response, list[str]]:
    """The response carried to `to_version`, and one plain line per thing that changed or could not be carried."""
    carried = carry(response, library, to_version)
    return carried.response, carried.notes


def _carry_answers(answers: dict[str, Answer], questionnaire: Questionnaire, previous: Questionnaire | None,
                   migration: Migration, notes: list[str], confirm: dict[str, str],
                   origin: dict[str, str]) -> dict[str, Answer]:
    where = f"{questionnaire.id} {questionnaire.version}"
    questions = {q.id: q for q in questionnaire.questions}
    before = {q.id: q for q in previous.questions} if previous is not None else {}
    carried: dict[str, Answer] = {}
    for old_id, answer in answers.items():
        if old_id in migration.dropped:
            notes.append(f"{old_id}: dropped in {where}; its answer {_shown(answer)} was not carried")
            continue
        new_id = migration.renamed.get(old_id, old_id)
        if new_id != old_id:
            notes.append(f"{old_id}: renamed to {new_id} in {where}")
            origin[new_id] = origin.pop(old_id, old_id)
            if old_id in confirm:
                confirm[new_id] = confirm.pop(old_id)
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
        if value is not None and new_id in migration.changed:
            confirm[new_id] = migration.changed[new_id]
            notes.append(f"{new_id}: {CHANGED} ({migration.changed[new_id]})")
        earlier = before.get(old_id)
        if (value not in (None, NA) and question.allow_na and earlier is not None and not earlier.allow_na):
            notes.append(f"{new_id}: may now be answered N/A (not applicable) in {where}; "
                         "change the answer to N/A if the practice does not apply")
        carried[new_id] = Answer(value, answer.note)
    return carried


def _added(library: Library, previous: Questionnaire | None, questionnaire: Questionnaire,
           migration: Migration) -> list[str]:
    """One line per question this version added, naming the version that introduced it (known only when the
    earlier version is installed)."""
    if previous is None:
        return []
    earlier = {migration.renamed.get(q.id, q.id) for q in previous.questions}
    return [f"{q.id}: new in {questionnaire.id} {_introduced(library, previous, questionnaire, q.id)}, "
            "not answered yet" for q in questionnaire.questions if q.id not in earlier]


def _introduced(library: Library, previous: Questionnaire, questionnaire: Questionnaire, question_id: str) -> str:
    """The first installed version after `previous` that asks `question_id` (by its id in `questionnaire`)."""
    for version in library.known_versions(questionnaire.id):
        if version_key(previous.version) < version_key(version) < version_key(questionnaire.version):
            between = library.versions[questionnaire.id][version]
            step = next((m for m in questionnaire.migrations if m.from_version == version), None)
            renamed = step.renamed if step is not None else {}
            if question_id in {renamed.get(q.id, q.id) for q in between.questions}:
                return version
    return questionnaire.version


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


def migrate_file(path: Path | str, to_version: str) -> tuple[Carried, str]:
    """Read an answers file (checked against its own version when that is installed), carry it to `to_version`,
    and write it again as YAML that keeps the file's comments and layout."""
    library = shipped_library()
    response = read_answers(path)
    source = library.find(response.questionnaire, response.questionnaire_version)
    if source is not None:
        response = read_answers(path, source)
    carried = carry(response, library, to_version)
    return carried, migrated_text(Path(path).read_bytes().decode("utf-8-sig"), carried)


def migrated_text(text: str, carried: Carried) -> str:
    """The answers file `text` rewritten for the carried response: the version, renamed keys in their places,
    remapped values, answers that could not be carried taken out (the comment lines around them that are not their
    own kept), and an answer to confirm marked with a comment.
    Comments, order and layout stay; a JSON or flow-style file, which has no comments to keep, is written anew."""
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    document = yaml.load(text)
    given = document.get("answers") if isinstance(document, CommentedMap) else None
    if not isinstance(given, CommentedMap) or document.fa.flow_style() or given.fa.flow_style():
        return dump_answers(carried.response)
    document["questionnaire_version"] = carried.response.questionnaire_version
    _rewrite_answers(given, carried)
    targets = document.get("targets")
    if isinstance(targets, CommentedMap):
        for domain in [d for d in targets if d not in carried.response.targets]:
            _drop(targets, domain)
    lifted = False
    for name in ("answers", "targets"):
        if isinstance(document.get(name), CommentedMap) and not document[name]:
            _lift_leading(document, name)
            lifted = True
    out = StringIO()
    yaml.dump(document, out)
    return out.getvalue() if lifted else _spliced(text, out.getvalue(), carried.response.questionnaire_version)


TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):", re.MULTILINE)


def _sections(text: str) -> dict[str, tuple[int, int]]:
    """Where each top-level key's section starts and ends in `text` (up to the next top-level key)."""
    starts = [(m.group(1), m.start()) for m in TOP_KEY.finditer(text)]
    ends = [start for _, start in starts[1:]] + [len(text)]
    return {key: (start, end) for (key, start), end in zip(starts, ends)}


def _spliced(original: str, dumped: str, version: str) -> str:
    """The original text with only what migration rewrites taken from the dump: the version line and the answers and
    targets sections. Every other section (the pilot register's wrapped lines among them) stays as it was written,
    since a round trip keeps comments but not the line breaks inside a flow mapping."""
    before, after = _sections(original), _sections(dumped)
    if set(before) != set(after):
        return dumped
    text = original
    for key in sorted(("answers", "targets"), key=lambda k: before.get(k, (-1, 0))[0], reverse=True):
        if key in before:
            start, end = before[key]
            text = text[:start] + dumped[after[key][0]:after[key][1]] + text[end:]
    return re.sub(r"^questionnaire_version:[^\n#]*", f"questionnaire_version: {version}", text, count=1,
                  flags=re.MULTILINE)


def _rewrite_answers(given, carried: Carried) -> None:
    now_of = {old: new for new, old in carried.origin.items()}
    for position, old_id in reversed(list(enumerate(given))):
        new_id = now_of.get(old_id)
        if new_id is None:
            _drop(given, old_id)
            continue
        node, answer = given[old_id], carried.response.answers[new_id]
        if isinstance(node, dict):
            node["value"] = _in_place(node.get("value"), answer.value)
        else:
            node = _in_place(node, answer.value) if not answer.note else {"value": answer.value, "note": answer.note}
        comment = given.ca.items.pop(old_id, None)
        del given[old_id]
        given.insert(position, new_id, node)
        if comment is not None:
            given.ca.items[new_id] = comment
    for question_id in carried.confirm:
        _mark(given, question_id, CHANGED)


def _in_place(node, value):
    """`value`, written into the file's own list when both are lists, so that its flow or block style and the
    comments on its items stay."""
    from ruamel.yaml.comments import CommentedSeq

    if not isinstance(node, CommentedSeq) or not isinstance(value, list):
        return value
    if len(node) == len(value):
        for position, item in enumerate(value):
            node[position] = item
    else:
        node[:] = value
    return node


def _drop(mapping, key: str) -> None:
    """Take `key` out of `mapping` but not the comment lines around its entry that are not its own (a section
    heading): they move to the end of the entry before it, or before the mapping's first key."""
    lines = _lines_around(mapping, key)
    position = list(mapping).index(key)
    mapping.ca.items.pop(key, None)
    del mapping[key]
    if not lines:
        return
    if position:
        _append_after(mapping, list(mapping)[position - 1], lines)
    else:  # the parent holds the same list for the lines before this mapping's first key: changed in place
        mapping.ca.comment = mapping.ca.comment or [None, None]
        mapping.ca.comment[1] = mapping.ca.comment[1] or []
        mapping.ca.comment[1].append(_comment(lines))


def _lines_around(mapping, key: str) -> str:
    """The comment lines just before `key`'s entry and after its last line, as they read in the file; the comment
    on its own lines is left out."""
    before = (mapping.ca.items.get(key) or [None, None])[1] or []
    items, at, slot = _end(mapping, key)
    after = (items.get(at) or [None] * 4)[slot]
    return _read(before) + (after.value.partition("\n")[2] if after is not None else "")


def _lift_leading(document, key: str) -> None:
    """An emptied mapping is written `{}` on its key's line, after which no comment line can stand: the lines that
    stood before its first key go before that line instead."""
    from textwrap import dedent

    mapping = document[key]
    slots = document.ca.items.setdefault(key, [None] * 4)
    before = slots[3] or (mapping.ca.comment or [None, None])[1] or []
    mapping.ca.comment, slots[3] = None, None
    if before:
        slots[1] = (slots[1] or []) + [_comment(dedent(_read(before)))]


def _append_after(container, key, lines: str) -> None:
    """Put comment lines (as they read in the file) after the last line of `key`'s entry."""
    items, at, slot = _end(container, key)
    slots = items.setdefault(at, [None] * 4)
    if slots[slot] is None:  # a comment that starts with a line break leaves the entry's line as it was
        slots[slot] = _comment("\n" + lines)
    else:
        slots[slot].value = slots[slot].value.removesuffix("\n") + "\n" + lines


def _end(container, key) -> tuple[dict, object, int]:
    """Where ruamel keeps the comment after the last line of `key`'s entry: (comment items, their key, slot). That
    is the last item of a block value, and the comment holds the lines that follow the entry as well."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = container[key]
    if isinstance(node, (CommentedMap, CommentedSeq)) and len(node) and not node.fa.flow_style():
        return _end(node, list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1)
    return container.ca.items, key, 0 if isinstance(container, CommentedSeq) else 2


def _comment(lines: str):
    """A comment holding these lines as they read in the file."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return CommentToken(lines, CommentMark(0), None)


def _read(tokens) -> str:
    """Comment lines kept before a key, as they read in the file."""
    return "".join(" " * token.column + token.value for token in tokens)


def _mark(mapping, key: str, words: str) -> None:
    """Put `words` in the comment at the end of `key`'s line, before any comment already there."""
    from ruamel.yaml.tokens import CommentToken

    slots = mapping.ca.items.get(key)
    token = slots[2] if slots and len(slots) > 2 else None
    if isinstance(token, CommentToken):
        # ruamel keeps the comment lines that follow a line (a section heading) in that line's comment token:
        # only the text before the first line break is the line's own comment.
        own, newline, following = token.value.partition("\n")
        own = own.strip().removeprefix("#").strip()
        token.value = f"# {words}" + (f"; {own}" if own else "") + newline + following
    else:
        mapping.yaml_add_eol_comment(words, key)


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

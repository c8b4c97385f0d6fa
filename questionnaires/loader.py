"""Load questionnaire files: safe YAML, strict models, then cross-checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from pydantic import ValidationError

from config import setting
from questionnaires import compiled
from questionnaires.errors import Problem, QuestionnaireError
from questionnaires.expressions import ExpressionError, parse
from questionnaires.models import RESERVED_VALUES, Option, Question, Questionnaire, readable_help
from questionnaires.safeyaml import Document, parse_document, read_document

LIBRARY = Path(__file__).parent / "library"
ARCHIVE = "archive"  # library/archive/<id>/<version>.yaml: the earlier published versions
LANGUAGE_PATTERN = r"[a-z]{2}(?:-[A-Z]{2})?"  # en, de, pt-BR
# <name>.<language>.yaml beside <name>.yaml is a translation of it, never a questionnaire (see translation.py)
TRANSLATION_NAME = re.compile(rf"^(?P<source>.+)\.(?P<language>{LANGUAGE_PATTERN})\.(?P<suffix>ya?ml)$")


def load_questionnaire(path: Path | str) -> Questionnaire:
    """Read, validate and cross-check one questionnaire file (parsed once: see `questionnaires.compiled`)."""
    document, cached = compiled.read_document(path, QuestionnaireError)
    if not cached:
        return validate_document(document)
    try:
        return validate_document(document)
    except QuestionnaireError:  # the cache keeps no line numbers: read the file again for the message
        return validate_document(read_document(path, QuestionnaireError))


def parse_questionnaire(text: bytes | str, name: str = "questionnaire.yaml") -> Questionnaire:
    """Validate questionnaire text that did not come from a file on disk."""
    return validate_document(parse_document(text, name, QuestionnaireError))


def validate_document(document: Document) -> Questionnaire:
    """Turn a parsed document into a Questionnaire, listing every problem found."""
    if not isinstance(document.data, dict):
        raise QuestionnaireError([document.problem((), "expected a mapping with id, version, title, ... at the top")])
    try:
        questionnaire = Questionnaire.model_validate(document.data)
    except ValidationError as exc:
        raise QuestionnaireError(model_problems(document, exc)) from None
    problems = cross_check(questionnaire, document)
    if problems:
        raise QuestionnaireError(problems)
    return _readable(questionnaire)


def _readable(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with help a person can read: no question id in it (see `readable_help`)."""
    domains = [d.id for d in questionnaire.domains]
    plain = [q.model_copy(update={"help": readable_help(q.help, domains)}) if q.help else q
             for q in questionnaire.questions]
    if all(new.help == old.help for new, old in zip(plain, questionnaire.questions)):
        return questionnaire
    return questionnaire.model_copy(update={"questions": plain})


def model_problems(document: Document, exc: ValidationError) -> list[Problem]:
    """Translate pydantic errors into located, readable problems."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
        problems.append(document.problem(loc, _describe(error)))
    return _unique(problems)


def _is_union_tag(part) -> bool:
    return isinstance(part, str) and part in ("int", "str", "float", "bool", "list[Option]", "function-after[...]")


def _describe(error: dict) -> str:
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "extra_forbidden":
        return "unknown field; remove it or check its spelling (see questionnaires/README.md)"
    if kind == "missing":
        return "required field is missing" + _MISSING_HINTS.get(str(error["loc"][-1]), "")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {"greater_than_equal": "at least {ge}", "less_than_equal": "at most {le}",
                  "greater_than": "more than {gt}", "less_than": "less than {lt}"}[kind].format(**ctx)
        return f"must be {bounds}, got {got!r}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_type" and isinstance(got, (int, float)) and not isinstance(got, bool):
        example = " and write all three parts, e.g. '1.0.0'" if error["loc"][-1:] == ("version",) else ""
        return f"must be text, got the number {got!r}; put it in quotes{example}"
    if kind.startswith("date_"):
        shown = f"'{got.isoformat(sep=' ')}'" if hasattr(got, "isoformat") else repr(got)
        return f"must be a date written YYYY-MM-DD, e.g. 2026-12-01, got {shown}"
    if kind.startswith("bool_"):
        return f"must be true or false, got {got!r}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, got {got!r}"
    if kind == "string_pattern_mismatch":
        return f"{got!r} does not have the expected form ({_pattern_hint(ctx.get('pattern', ''))})"
    if kind in ("too_short", "too_long"):
        return error["msg"].lower() + f" (got {len(got) if hasattr(got, '__len__') else got})"
    return f"{error['msg'].lower()}, got {got!r}" if got is not None else error["msg"].lower()


_MISSING_HINTS = {
    "remedy": "; name the questions whose steps unblock this blocker, e.g. remedy: [governance.model-approval]",
}


def _pattern_hint(pattern: str) -> str:
    if pattern.startswith(r"^\d+"):
        return "a semantic version such as 1.0.0"
    if "\\." in pattern:
        return "'<domain>.<name>' in lower case, e.g. 'data.quality-standards'"
    if pattern.startswith("^[a-z][a-z0-9-]"):
        return "lower-case letters, digits and hyphens, starting with a letter"
    return f"pattern {pattern}"


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def cross_check(q: Questionnaire, doc: Document) -> list[Problem]:
    """Checks that span fields: ids unique, references resolve, every cell covered."""
    problems = _check_roadmap(q, doc) + _check_domains(q, doc)
    domains = {d.id for d in q.domains}
    seen: dict[str, int] = {}
    for index, question in enumerate(q.questions):
        at = ("questions", index)
        if question.id in seen:
            problems.append(doc.problem(at + ("id",), f"duplicate question id '{question.id}' (first used by questions[{seen[question.id]}])"))
        seen.setdefault(question.id, index)
        if question.domain not in domains:
            problems.append(doc.problem(at + ("domain",), f"unknown domain '{question.domain}' (known: {', '.join(sorted(domains))})"))
        problems += _check_answer_shape(q, question, at, doc)
        problems += _check_visible_if(question, list(seen), at, doc)
        if question.track == "regulatory" and not question.source.strip():
            problems.append(doc.problem(at + ("track",), "a regulatory question needs `source`: the article or clause "
                                        "it rests on, e.g. 'Regulation (EU) 2024/1689 (AI Act), Art. 6'"))
    problems += _check_coverage(q, doc)
    problems += _check_migrations(q, doc)
    problems += _check_requires(q, doc)
    problems += _check_pilots(q, doc)
    return problems


def _check_pilots(q: Questionnaire, doc: Document) -> list[Problem]:
    """Stage and blocker ids are unique, every blocker's domain exists, and the funnel can be started and reached."""
    if q.pilots is None:
        return []
    problems = _duplicates([s.id for s in q.pilots.stages], ("pilots", "stages"), "stage", doc)
    problems += _duplicates([b.id for b in q.pilots.blockers], ("pilots", "blockers"), "blocker", doc)
    kinds = {s.kind for s in q.pilots.stages}
    for kind, meaning in (("active", "a stage pilots are in while they run"), ("reached", "a stage that counts as production")):
        if kind not in kinds:
            problems.append(doc.problem(("pilots", "stages"), f"no stage of kind '{kind}'; add {meaning} (kind: {kind})"))
    domains = [d.id for d in q.domains]
    for index, blocker in enumerate(q.pilots.blockers):
        at = ("pilots", "blockers", index)
        if blocker.domain not in domains:
            problems.append(doc.problem(at + ("domain",), f"unknown domain '{blocker.domain}' (known: {', '.join(domains)})"))
        if not blocker.remedy:
            problems.append(doc.problem(at + ("remedy",), "is empty; name at least one question whose step unblocks "
                                        "this blocker, e.g. [governance.model-approval]"))
        problems += _check_remedy(q, blocker.remedy, at + ("remedy",), doc)
    for name in ("owner_remedy", "baseline_remedy"):
        problems += _check_remedy(q, getattr(q.pilots, name), ("pilots", name), doc)
    return problems


def _check_remedy(q: Questionnaire, remedy: list[str], at: tuple, doc: Document) -> list[Problem]:
    """Every remedy id names a question of this questionnaire that has an action, once."""
    questions = {question.id: question for question in q.questions}
    problems, seen = [], set()
    for position, qid in enumerate(remedy):
        question = questions.get(qid)
        if question is None:
            problems.append(doc.problem(at + (position,), f"unknown question '{qid}' (known: {_near_ids(q, qid)})"))
        elif question.action is None:
            problems.append(doc.problem(at + (position,), f"'{qid}' is a question without an action, so it yields no "
                                        "step; name a question that has an action"))
        elif qid in seen:
            problems.append(doc.problem(at + (position,), f"'{qid}' is listed twice; list each question once"))
        seen.add(qid)
    return problems


def _near_ids(q: Questionnaire, qid: str) -> str:
    """The ids of the questions with an action in the domain the id names (all of them if it names none)."""
    with_action = [question for question in q.questions if question.action]
    same = [question.id for question in with_action if question.domain == qid.split(".")[0]]
    return ", ".join(same or [question.id for question in with_action]) or "none"


def _duplicates(ids: list[str], at: tuple, what: str, doc: Document) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, item_id in enumerate(ids):
        if item_id in first:
            problems.append(doc.problem(at + (index, "id"), f"duplicate {what} id '{item_id}' (first used by {at[-1]}[{first[item_id]}])"))
        first.setdefault(item_id, index)
    return problems


def _check_requires(q: Questionnaire, doc: Document) -> list[Problem]:
    """Every prerequisite names a question with an action, and no chain of prerequisites runs in a circle."""
    with_action = {question.id: question for question in q.questions if question.action}
    problems = []
    for index, question in enumerate(q.questions):
        for position, required in enumerate(question.action.requires if question.action else []):
            at = ("questions", index, "action", "requires", position)
            if required == question.id:
                problems.append(doc.problem(at, f"'{required}' is this question itself; remove it"))
            elif required not in with_action:
                known = "unknown question" if required not in {x.id for x in q.questions} else "a question without an action"
                problems.append(doc.problem(at, f"'{required}' is {known}; name a question that has an action"))
    if problems:
        return problems
    cycle = _requires_cycle({qid: question.action.requires for qid, question in with_action.items()})
    if cycle:
        index = next(i for i, question in enumerate(q.questions) if question.id == cycle[0])
        problems.append(doc.problem(("questions", index, "action", "requires"),
                                    f"prerequisites run in a circle: {' -> '.join(cycle)}; remove one of them"))
    return problems


def _requires_cycle(graph: dict[str, list[str]]) -> list[str]:
    """One cycle of prerequisites as a path that ends where it starts (each step requires the next), or [] when
    there is none."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(reversed(error.args[1]))  # graphlib lists each prerequisite before the step that needs it
    return []


def _check_roadmap(q: Questionnaire, doc: Document) -> list[Problem]:
    numbers = [p.number for p in q.roadmap.phases]
    if numbers != [1, 2, 3, 4]:
        return [doc.problem(("roadmap", "phases"), f"phases must be numbered 1, 2, 3, 4 in order, got {numbers}")]
    return []


def _check_domains(q: Questionnaire, doc: Document) -> list[Problem]:
    problems, seen = [], set()
    for index, domain in enumerate(q.domains):
        if domain.id in seen:
            problems.append(doc.problem(("domains", index, "id"), f"duplicate domain id '{domain.id}'"))
        seen.add(domain.id)
    return problems


def _check_answer_shape(q: Questionnaire, question: Question, at: tuple, doc: Document) -> list[Problem]:
    problems = []
    if question.type == "scale":
        if question.scale is None:
            problems.append(doc.problem(at + ("scale",), "a scale question needs `scale:` naming one of `scales`"))
        elif question.scale not in q.scales:
            known = ", ".join(sorted(q.scales)) or "none defined"
            problems.append(doc.problem(at + ("scale",), f"unknown scale '{question.scale}' (known: {known})"))
        if question.options is not None:
            problems.append(doc.problem(at + ("options",), "a scale question takes its options from `scale`; remove `options`"))
        problems += _check_anchors(q, question, at, doc)
    elif question.type in ("single", "multi"):
        if not question.options or len(question.options) < 2:
            problems.append(doc.problem(at + ("options",), f"a {question.type} question needs at least two `options`"))
        if question.scale is not None:
            problems.append(doc.problem(at + ("scale",), f"a {question.type} question lists its own `options`; remove `scale`"))
    elif question.type == "yes_no" and question.anchors is not None:
        wrong = [key for key in question.anchors if key not in ("yes", "no")]
        if wrong:
            problems.append(doc.problem(at + ("anchors", wrong[0]), f"{wrong[0]!r} is not an answer of a yes_no question; use 'yes' and 'no' (quoted)"))
    elif question.anchors is not None:
        problems.append(doc.problem(at + ("anchors",), "`anchors` apply only to scale and yes_no questions; put descriptions on the options"))
    elif question.scale is not None or question.options is not None:
        problems.append(doc.problem(at + ("type",), f"a {question.type} question takes neither `scale` nor `options`"))
    if question.type != "number" and (question.min is not None or question.max is not None):
        problems.append(doc.problem(at + ("min",), "`min`/`max` apply only to number questions"))
    if question.min is not None and question.max is not None and question.min > question.max:
        problems.append(doc.problem(at + ("min",), f"min {question.min} is larger than max {question.max}"))
    problems += _check_options(question.options or [], at + ("options",), doc)
    for index, option in enumerate(question.options or []):
        if option.exclusive and question.type != "multi":
            problems.append(doc.problem(at + ("options", index, "exclusive"),
                                        f"`exclusive` applies only to multi questions; this is a {question.type} one"))
    if question.scored and question.type in ("single", "multi") and question.options:
        if max(o.score for o in question.options) <= 0:
            problems.append(doc.problem(at + ("options",), "at least one option needs a score above 0"))
    return problems


def _check_anchors(q: Questionnaire, question: Question, at: tuple, doc: Document) -> list[Problem]:
    if not question.anchors or question.scale not in q.scales:
        return []
    values = [o.value for o in q.scales[question.scale].options]
    return [
        doc.problem(at + ("anchors", value), f"{value!r} is not a value of scale '{question.scale}' (values: {values})")
        for value in question.anchors
        if str(value) not in {str(v) for v in values}
    ]


def _check_options(options: list[Option], at: tuple, doc: Document) -> list[Problem]:
    problems, seen = [], set()
    for index, option in enumerate(options):
        if option.value in seen:
            problems.append(doc.problem(at + (index, "value"), f"duplicate option value {option.value!r}; values must be unique within a question"))
        if option.value in RESERVED_VALUES:
            problems.append(doc.problem(at + (index, "value"), f"{option.value!r} is reserved; use allow_dont_know / allow_na instead"))
        seen.add(option.value)
    return problems


def _check_visible_if(question: Question, earlier: list[str], at: tuple, doc: Document) -> list[Problem]:
    if question.visible_if is None:
        return []
    try:
        expression = parse(question.visible_if)
    except ExpressionError as exc:
        return [doc.problem(at + ("visible_if",), str(exc))]
    problems = []
    before = set(earlier[:-1])
    for name in expression.references:
        if name == question.id:
            problems.append(doc.problem(at + ("visible_if",), f"'{name}' refers to the question itself"))
        elif name not in before:
            problems.append(doc.problem(at + ("visible_if",), f"'{name}' is not an earlier question; visible_if may only refer to questions above it"))
    return problems


def _check_coverage(q: Questionnaire, doc: Document) -> list[Problem]:
    cells = {(question.domain, question.phase) for question in q.questions if question.scored}
    problems = []
    for index, domain in enumerate(q.domains):
        for phase in range(1, 5):
            if (domain.id, phase) not in cells:
                problems.append(doc.problem(("domains", index), f"domain '{domain.id}' has no scored question in phase {phase}; every domain needs at least one per phase"))
    for index, scale in q.scales.items():
        problems += _check_options(scale.options, ("scales", index, "options"), doc)
        if max(o.score for o in scale.options) <= 0:
            problems.append(doc.problem(("scales", index, "options"), "at least one option needs a score above 0"))
    return problems


def _check_migrations(q: Questionnaire, doc: Document) -> list[Problem]:
    """Each migration comes from an earlier version and points at questions and options of this one."""
    problems, seen = [], set()
    for index, migration in enumerate(q.migrations):
        at = ("migrations", index)
        if version_key(migration.from_version) >= version_key(q.version):
            problems.append(doc.problem(at + ("from",), f"{migration.from_version} is not earlier than this version ({q.version})"))
        if migration.from_version in seen:
            problems.append(doc.problem(at + ("from",), f"a second migration from {migration.from_version}; merge them into one"))
        seen.add(migration.from_version)
        problems += _check_migration_ids(q, migration, at, doc)
    return problems


def _check_migration_ids(q: Questionnaire, migration, at: tuple, doc: Document) -> list[Problem]:
    questions = {question.id: question for question in q.questions}
    problems = [doc.problem(at + ("renamed", old), f"'{new}' is not a question of {q.id} {q.version}; rename to an existing id")
                for old, new in migration.renamed.items() if new not in questions]
    problems += [doc.problem(at + ("dropped", i), f"'{qid}' is still a question of {q.id} {q.version}; remove it from dropped")
                 for i, qid in enumerate(migration.dropped) if qid in questions]
    for qid, mapping in migration.options.items():
        question = questions.get(qid)
        if question is None or question.type not in ("scale", "single", "multi", "yes_no"):
            what = "not a question" if question is None else f"a {question.type} question, which has no options,"
            problems.append(doc.problem(at + ("options", qid), f"'{qid}' is {what} in {q.id} {q.version}; "
                                        "give the id of a question with options in this version"))
            continue
        values = [o.value for o in q.options_for(question)] + [v for v, ok in (("dont_know", question.allow_dont_know), ("na", question.allow_na)) if ok]
        problems += [doc.problem(at + ("options", qid, old), f"{new!r} is not a value of '{qid}' (values: {', '.join(map(str, values))})")
                     for old, new in mapping.items() if new not in values]
    problems += [doc.problem(at + ("changed", qid), f"'{qid}' is not a question of {q.id} {q.version}; "
                             "name the question by its id in this version")
                 for qid in migration.changed if qid not in questions]
    return problems


def shipped_paths() -> list[Path]:
    """Every questionnaire file shipped with the product: the current ones, then the archived versions."""
    return [path for path in _shipped_files() if not is_translation_path(path)]


def available_paths() -> list[Path]:
    """The shipped questionnaire files plus those in PHASEGATE_QUESTIONNAIRES, if set."""
    return [path for path in _available_files() if not is_translation_path(path)]


def _shipped_files() -> list[Path]:
    return sorted(LIBRARY.glob("*.yaml")) + sorted(LIBRARY.glob(f"{ARCHIVE}/*/*.yaml"))


def _available_files() -> list[Path]:
    extra = setting("PHASEGATE_QUESTIONNAIRES")
    more = sorted(Path(extra).glob("*.yaml")) + sorted(Path(extra).glob("*.yml")) if extra else []
    return _shipped_files() + more


def is_translation_path(path: Path) -> bool:
    """Whether a file is named as a translation (`<name>.<language>.yaml`), never as a questionnaire."""
    return TRANSLATION_NAME.match(Path(path).name) is not None


def source_path_of(path: Path) -> Path:
    """The questionnaire file a translation sits beside: `ai-maturity.de.yaml` -> `ai-maturity.yaml`."""
    path = Path(path)
    found = TRANSLATION_NAME.match(path.name)
    return path.with_name(f"{found['source']}.{found['suffix']}")


def translation_paths(questionnaire_path: Path, files: list[Path] | None = None) -> dict[str, Path]:
    """The translations beside a questionnaire file by language, from `files` when given, else from its folder."""
    questionnaire_path = Path(questionnaire_path)
    if files is None:
        files = sorted(questionnaire_path.parent.glob(f"{questionnaire_path.stem}.*"))
    return {TRANSLATION_NAME.match(path.name)["language"]: path for path in files
            if is_translation_path(path) and source_path_of(path) == questionnaire_path}


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime: float) -> Questionnaire:
    return load_questionnaire(path)


def version_key(version: str) -> tuple:
    """A semantic version as a sort key: 1.10.0 after 1.9.0, a pre-release before its release."""
    core, _, _build = version.partition("+")
    numbers, dash, pre = core.partition("-")
    parts = [int(part) if part.isdigit() else 0 for part in numbers.split(".")]
    tags = tuple((0, int(tag), "") if tag.isdigit() else (1, 0, tag) for tag in pre.split(".")) if dash else ()
    return (*parts, 0 if dash else 1, tags)


class UnknownVersionError(QuestionnaireError):
    """A questionnaire is known, but not in the version asked for."""


@dataclass(frozen=True)
class Library:
    """Every loadable questionnaire version by id, and one line per problem in files that do not load."""

    versions: dict[str, dict[str, Questionnaire]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # (id, version) -> the file it was loaded from, and the translation files beside it by language
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    translations: dict[tuple[str, str], dict[str, Path]] = field(default_factory=dict)

    def newest(self) -> dict[str, Questionnaire]:
        """The newest version of each questionnaire: what new assessments start on."""
        return {qid: by_version[max(by_version, key=version_key)] for qid, by_version in self.versions.items()}

    def known_versions(self, questionnaire_id: str) -> list[str]:
        """The versions of a questionnaire, oldest first."""
        return sorted(self.versions.get(questionnaire_id, {}), key=version_key)

    def find(self, questionnaire_id: str, version: str | None = None) -> Questionnaire | None:
        """One version (the newest when none is given), or None when it is not here."""
        by_version = self.versions.get(questionnaire_id, {})
        if version is None:
            return self.newest().get(questionnaire_id)
        return by_version.get(version)

    def languages(self, questionnaire_id: str, version: str | None = None) -> list[str]:
        """The languages one version (the newest when none is given) can be shown in: its own first, then those of
        the translation files beside it (a translation that does not load is reported when it is asked for)."""
        found = self.get(questionnaire_id, version)
        translated = self.translations.get((found.id, found.version), {})
        return [found.language, *sorted(language for language in translated if language != found.language)]

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire:
        """One version (the newest when none is given), or a QuestionnaireError naming what is known."""
        if questionnaire_id not in self.versions:
            known = ", ".join(sorted(self.versions)) or "none"
            raise QuestionnaireError(f"unknown questionnaire '{questionnaire_id}' (available: {known}); "
                                     "pass --questionnaire PATH for another file")
        found = self.find(questionnaire_id, version)
        if found is None:
            known = ", ".join(self.known_versions(questionnaire_id))
            raise UnknownVersionError(f"'{questionnaire_id}' has no version {version} here (known versions: {known}); "
                                      f"add its file to questionnaires/library/{ARCHIVE}/{questionnaire_id}/")
        return found


def load_library() -> Library:
    """Every available questionnaire version; each file is parsed once and again only when it changes.

    The folders are listed on every call (a file added, removed or edited shows at once), but the library is put
    together again only when that listing or a file's modification time changed: a saved answer is checked
    against its questionnaire, and a room of people saving at once would otherwise pair every file with its
    translations for every answer. On a duplicate (id, version) the first file (the shipped one) wins. The library
    returned is shared by the callers that see the same files: read it, never change it.
    """
    library = _assembled(tuple((path, _modified(path)) for path in _available_files()))
    if library.problems:  # a file that did not load is read again next time: it may be readable by then
        _assembled.cache_clear()
    return library


def _modified(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # gone or a dangling link since the folder was listed: `_assembled` says so
        return None


@lru_cache(maxsize=8)
def _assembled(listing: tuple[tuple[Path, int | None], ...]) -> Library:
    library = Library()
    files = [path for path, _modified in listing]
    for path in (path for path in files if not is_translation_path(path)):
        try:
            questionnaire = _load_cached(str(path), path.stat().st_mtime)
        except QuestionnaireError as exc:
            library.problems.extend(exc.lines())
            continue
        except OSError as exc:  # gone or a dangling link since the folder was listed
            library.problems.append(str(Problem(path.name, None, "", f"cannot read file: {exc.strerror or exc}")))
            continue
        key = (questionnaire.id, questionnaire.version)
        if questionnaire.version not in library.versions.get(questionnaire.id, {}):
            library.versions.setdefault(questionnaire.id, {})[questionnaire.version] = questionnaire
            library.paths[key] = path
        # a copy of a shipped version in the extra folder may bring languages of its own
        languages = library.translations.setdefault(key, {})
        for language, translation in translation_paths(path, files).items():
            languages.setdefault(language, translation)
    return library


def questionnaire_library() -> tuple[dict[str, Questionnaire], list[str]]:
    """The newest version of each available questionnaire by id, and one line per problem in files that do not load."""
    library = load_library()
    return library.newest(), library.problems


def shipped_library() -> Library:
    """Every available questionnaire version; a broken shipped file is an error, a broken extra one is left out."""
    for path in shipped_paths():
        _load_cached(str(path), path.stat().st_mtime)
    return load_library()


def shipped_questionnaires() -> dict[str, Questionnaire]:
    """The newest version of each available questionnaire by id (see `shipped_library`)."""
    return shipped_library().newest()


def available_languages(questionnaire_id: str, version: str | None = None) -> list[str]:
    """The languages an available questionnaire version (else the newest) can be shown in, its own first."""
    return shipped_library().languages(questionnaire_id, version)


def find_questionnaire(questionnaire_id: str, version: str | None = None) -> Questionnaire:
    """An available questionnaire by id, in the version given (else the newest); a QuestionnaireError naming
    the known ids or versions otherwise."""
    return shipped_library().get(questionnaire_id, version)

"""Translations of a questionnaire: a file beside it, keyed by the source's stable ids, that replaces its texts.

`ai-maturity.de.yaml` next to `ai-maturity.yaml` (and `archive/<id>/<version>.<lang>.yaml` next to an archived
version) gives the German texts of that version. Every key is optional: a text the file leaves out stays English
and is listed. Ids, values, scores and everything else that scoring reads come from the source alone, so a
translation can never change a result.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationError

from questionnaires import compiled
from questionnaires.errors import Problem, QuestionnaireError
from questionnaires.loader import LANGUAGE_PATTERN, Library, _load_cached, model_problems, shipped_library
from questionnaires.models import (Action, Option, Phase, PilotSection, Question, QuestionId, Questionnaire,
                                   RoleTitles, SemVer, SizedTitles, Slug, Strict, Text, Wording, readable_help)
from questionnaires.safeyaml import Document, format_path, read_document

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
SIZES = ("small", "medium", "large")
LEVELS = ("establish", "extend", "optimise")

TextPath = tuple[str, ...]  # ("questions", "data.lineage", "help"): a translatable text, every part as text


class TranslationError(QuestionnaireError):
    """A translation file is unreadable, invalid, or does not fit the questionnaire it translates."""


def _no_boolean(value):
    # YAML reads unquoted yes/no/on/off as booleans; as a key they would silently match the option value 1 or 0.
    if isinstance(value, bool):
        raise ValueError(f"YAML read this key as {str(value).lower()}; put it in quotes, e.g. 'yes'")
    return value


Key = Annotated[int | str, BeforeValidator(_no_boolean)]


class PhaseTexts(Strict):
    name: Text | None = None
    summary: Text | None = None


class RoadmapTexts(Strict):
    phases: dict[int, PhaseTexts] = Field(default_factory=dict, description="By phase number, 1-4")


class OptionTexts(Strict):
    label: Text | None = None
    description: Text | None = None


class ScaleTexts(Strict):
    name: Text | None = None
    options: dict[Key, OptionTexts] = Field(default_factory=dict, description="By option value")


class DomainTexts(Strict):
    name: Text | None = None
    description: Text | None = None


class SizedTexts(Strict):
    small: Text | None = None
    medium: Text | None = None
    large: Text | None = None


class RoleTexts(SizedTexts):
    ai_product: SizedTexts | None = Field(None, alias="ai-product")


class StepTexts(Strict):
    title: Text | None = None
    detail: Text | None = None
    kpi: Text | None = None


class ByLevelTexts(Strict):
    establish: StepTexts | None = None
    extend: StepTexts | None = None
    optimise: StepTexts | None = None


class ActionTexts(StepTexts):
    by_level: ByLevelTexts | None = None


class QuestionTexts(Strict):
    text: Text | None = None
    by_size: dict[Literal["small", "medium", "large"], Text] | None = None
    help: Text | None = None
    evidence: Text | None = None
    anchors: dict[Key, Text] | None = Field(None, description="By scale value, only where the source has anchors")
    options: dict[Key, OptionTexts] | None = Field(None, description="By option value (single and multi questions)")
    action: ActionTexts | None = None


class PilotTexts(Strict):
    stages: dict[Slug, Text] = Field(default_factory=dict, description="Stage id -> label")
    blockers: dict[QuestionId, Text] = Field(default_factory=dict, description="Blocker id -> label")
    triage: StepTexts | None = None


class Translation(Strict):
    """A translation file: which questionnaire version it translates, into which language, and its texts."""

    translation_of: Slug = Field(description="The id of the questionnaire it translates")
    version: SemVer = Field(description="The version it translates")
    language: Annotated[str, Field(pattern=rf"^{LANGUAGE_PATTERN}$")] = Field(description="BCP 47 code, e.g. de")
    complete: bool = Field(False, description="Shipped as complete: a text left out is an error, not a warning")
    title: Text | None = None
    description: Text | None = None
    roadmap: RoadmapTexts | None = None
    scales: dict[Slug, ScaleTexts] = Field(default_factory=dict)
    domains: dict[Slug, DomainTexts] = Field(default_factory=dict)
    roles: dict[Slug, RoleTexts] = Field(default_factory=dict)
    pilots: PilotTexts | None = None
    questions: dict[QuestionId, QuestionTexts] = Field(default_factory=dict)


HEADER = ("translation_of", "version", "language", "complete")


# --- A questionnaire in a language --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Translated:
    """A questionnaire in one language, and the paths of the texts that stay English in it."""

    questionnaire: Questionnaire
    missing: tuple[str, ...] = ()


def find_in_language(questionnaire_id: str, version: str | None = None, language: str | None = None) -> Questionnaire:
    """An available questionnaire version (else the newest) in a language (else its own); a QuestionnaireError naming
    the languages there are otherwise."""
    return in_language(shipped_library(), questionnaire_id, version, language).questionnaire


def in_language(library: Library, questionnaire_id: str, version: str | None, language: str | None) -> Translated:
    """One version of a questionnaire of the library in a language (None: its own), translated once per file
    change."""
    source = library.get(questionnaire_id, version)
    if language is None or language == source.language:
        return Translated(source)
    path = library.translations.get((source.id, source.version), {}).get(language)
    source_path = library.paths[source.id, source.version]
    if path is None:
        known = ", ".join(library.languages(source.id, source.version))
        raise QuestionnaireError(f"{source.id} {source.version} has no '{language}' translation (languages: {known}); "
                                 f"add {source_path.stem}.{language}.yaml beside {source_path.name}")
    try:
        return _translated_cached(str(source_path), source_path.stat().st_mtime, str(path), path.stat().st_mtime)
    except OSError as exc:  # gone since the library was listed
        raise TranslationError([Problem(path.name, None, "", f"cannot read file: {exc.strerror or exc}")]) from None


@lru_cache(maxsize=32)
def _translated_cached(source_path: str, source_mtime: float, path: str, mtime: float) -> Translated:
    questionnaire = _load_cached(source_path, source_mtime)
    result, missing = translated(questionnaire, load_translation(path, questionnaire))
    return Translated(result, tuple(missing))


def load_translation(path: Path | str, questionnaire: Questionnaire) -> Translation:
    """Read a translation file and check it against the questionnaire it translates, or raise TranslationError."""
    document, cached = compiled.read_document(path, TranslationError)
    try:
        return check_document(document, questionnaire)
    except TranslationError:
        if not cached:
            raise
        # the cache keeps no line numbers: read the file again for the message
        return check_document(read_document(path, TranslationError), questionnaire)


def check_document(document: Document, questionnaire: Questionnaire) -> Translation:
    """The translation in a parsed document, with every problem listed: unknown fields, unknown ids, changed
    placeholders, the wrong questionnaire or version, and a text missing from a complete translation."""
    if not isinstance(document.data, dict):
        raise TranslationError([document.problem((), "expected a mapping with translation_of, version, language, "
                                                     "... at the top")])
    booleans = list(_boolean_keys(document, document.data, ()))
    if booleans:
        raise TranslationError(booleans)
    try:
        translation = Translation.model_validate(document.data)
    except ValidationError as exc:
        raise TranslationError([_dotted_problem(problem) for problem in model_problems(document, exc)]) from None
    problems = fit_problems(translation, questionnaire, document)
    if problems:
        raise TranslationError(problems)
    return translation


def _dotted_problem(problem: Problem) -> Problem:
    # a translation file has no lists: a number in a path is an id (a phase, an option value), written as one
    return Problem(problem.file, problem.line, re.sub(r"\[([^\]]+)\]", r".\1", problem.path), problem.message)


def _boolean_keys(document: Document, data, at: tuple):
    """Keys YAML read as true or false (an unquoted yes, no, on or off), which would match the option value 1 or 0."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if isinstance(key, bool):
            yield Problem(document.file, document.line_of(at + (key,)), format_path(at),
                          f"the key {str(key).lower()}: YAML read it as {str(key).lower()}; put it in quotes, "
                          "e.g. 'yes':")
        else:
            yield from _boolean_keys(document, value, at + (key,))


# --- What a questionnaire says, text by text -----------------------------------------------------------------------


def source_texts(questionnaire: Questionnaire) -> dict[TextPath, str]:
    """Every translatable text of a questionnaire by its path of stable ids, in file order."""
    texts: dict[TextPath, str] = {}

    def put(text: str | None, *path) -> None:
        if text:
            texts[tuple(str(part) for part in path)] = text

    put(questionnaire.title, "title")
    put(questionnaire.description, "description")
    for phase in questionnaire.roadmap.phases:
        put(phase.name, "roadmap", "phases", phase.number, "name")
        put(phase.summary, "roadmap", "phases", phase.number, "summary")
    for scale_id, scale in questionnaire.scales.items():
        put(scale.name, "scales", scale_id, "name")
        for option in scale.options:
            _put_option(put, option, "scales", scale_id, "options")
    for domain in questionnaire.domains:
        put(domain.name, "domains", domain.id, "name")
        put(domain.description, "domains", domain.id, "description")
    for role_id, role in questionnaire.roles.items():
        for size in SIZES:
            put(getattr(role, size), "roles", role_id, size)
            put(getattr(role.ai_product, size, None), "roles", role_id, "ai-product", size)
    _put_pilots(put, questionnaire.pilot_section())
    for question in questionnaire.questions:
        _put_question(put, question)
    return texts


def _put_option(put, option: Option, *at) -> None:
    put(option.label, *at, option.value, "label")
    put(option.description, *at, option.value, "description")


def _put_pilots(put, section: PilotSection) -> None:
    for stage in section.stages:
        put(stage.label, "pilots", "stages", stage.id)
    for blocker in section.blockers:
        put(blocker.label, "pilots", "blockers", blocker.id)
    triage = section.triage_action()
    for name in ("title", "detail", "kpi"):
        put(getattr(triage, name), "pilots", "triage", name)


def _put_question(put, question: Question) -> None:
    at = ("questions", question.id)
    put(question.text, *at, "text")
    for size, text in (question.by_size or {}).items():
        put(text, *at, "by_size", size)
    put(question.help, *at, "help")
    put(question.evidence, *at, "evidence")
    for value, text in (question.anchors or {}).items():
        put(text, *at, "anchors", value)
    if question.type in ("single", "multi"):
        for option in question.options or []:
            _put_option(put, option, *at, "options")
    if question.action:
        for name in ("title", "detail", "kpi"):
            put(getattr(question.action, name), *at, "action", name)
        for level in LEVELS:
            wording = getattr(question.action.by_level, level, None)
            for name in ("title", "detail", "kpi"):
                put(getattr(wording, name, None), *at, "action", "by_level", level, name)


def translation_texts(translation: Translation) -> dict[TextPath, tuple[str, tuple]]:
    """Every text a translation gives: its path of stable ids -> (the text, where it is in the file)."""
    data = translation.model_dump(by_alias=True, exclude_none=True, exclude=set(HEADER))
    found: dict[TextPath, tuple[str, tuple]] = {}

    def walk(value, at: tuple) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, at + (key,))
        else:
            found[tuple(str(part) for part in at)] = (value, at)

    walk(data, ())
    return found


def dotted(path: TextPath) -> str:
    """A text's path as one line: ('questions', 'data.lineage', 'help') -> 'questions.data.lineage.help'."""
    return ".".join(path)


# --- Checks --------------------------------------------------------------------------------------------------------


def fit_problems(translation: Translation, questionnaire: Questionnaire, document: Document) -> list[Problem]:
    """Whether a translation fits its questionnaire: the same id and version, another language, only ids the
    source has, the same placeholders, and every text when it says it is complete."""
    name = f"{questionnaire.id} {questionnaire.version}"
    problems = []
    if translation.translation_of != questionnaire.id:
        problems.append(document.problem(("translation_of",), f"translates '{translation.translation_of}', but the "
                                         f"questionnaire beside it is '{questionnaire.id}'; correct translation_of"))
    if translation.version != questionnaire.version:
        problems.append(document.problem(("version",), f"translates version {translation.version}, but the "
                                         f"questionnaire beside it is {name}; translate that version or move the file "
                                         f"beside its own version in the archive"))
    if translation.language == questionnaire.language:
        problems.append(document.problem(("language",), f"'{translation.language}' is the questionnaire's own "
                                         "language; a translation gives another one"))
    source = source_texts(questionnaire)
    given = translation_texts(translation)
    problems += _unknown_problems(given, source, name, document)
    problems += _placeholder_problems(given, source, document)
    if translation.complete:
        problems += [_problem(document, ("complete",), path, "not translated, but the file says complete: true; "
                                                             "translate it or remove complete: true")
                     for path in source if path not in given]
    return problems


def _problem(document: Document, at: tuple, path: TextPath, message: str) -> Problem:
    """A problem with a text, at the line of `at`, named by its path of ids ('roadmap.phases.5', not '[5]')."""
    return Problem(document.file, document.line_of(at), dotted(path), message)


def _unknown_problems(given, source: dict[TextPath, str], name: str, document: Document) -> list[Problem]:
    """A text at a path the source does not have, named by its first part the source lacks."""
    known = {path[:end] for path in source for end in range(1, len(path) + 1)}
    problems, reported = [], set()
    for path, (_text, at) in given.items():
        if path in source:
            continue
        end = next(end for end in range(1, len(path) + 1) if path[:end] not in known)
        if path[:end] in reported:
            continue
        reported.add(path[:end])
        problems.append(_problem(document, at[:end], path[:end], _unknown_message(path[:end], name)))
    return problems


_KINDS = {
    ("roadmap", "phases"): "phase", ("scales",): "scale", ("domains",): "domain", ("roles",): "role",
    ("pilots", "stages"): "pilot stage", ("pilots", "blockers"): "pilot blocker", ("questions",): "question",
}


def _unknown_message(path: TextPath, name: str) -> str:
    parent, last = path[:-1], path[-1]
    kind = _KINDS.get(parent)
    if kind is None and len(parent) >= 3 and parent[-1] in ("options", "anchors"):
        kind = "option value" if parent[-1] == "options" else "anchor value"
        return f"{kind} '{last}' is not one of {dotted(parent[:-1])} in {name}; use the source's values"
    if kind:
        return f"unknown {kind} '{last}': {name} has none; use the source's ids"
    return f"the source ({name}) has no text here; remove '{last}'"


def _placeholder_problems(given, source: dict[TextPath, str], document: Document) -> list[Problem]:
    """A translated text whose placeholders ({n}, {count}) differ from its English text's."""
    problems = []
    for path, (text, at) in given.items():
        if path not in source:
            continue
        english, translated = Counter(PLACEHOLDER.findall(source[path])), Counter(PLACEHOLDER.findall(text))
        if english != translated:
            problems.append(_problem(document, at, path, f"placeholders differ from the English ({_listed(english)}), got "
                                             f"{_listed(translated)}; keep each placeholder unchanged"))
    return problems


def _listed(placeholders: Counter) -> str:
    return ", ".join(sorted(placeholders.elements())) or "none"


# --- The translated questionnaire ---------------------------------------------------------------------------------


def translated(questionnaire: Questionnaire, translation: Translation) -> tuple[Questionnaire, list[str]]:
    """A copy of the questionnaire with every text the translation gives in place of the English (ids, values,
    scores, visible_if and requires unchanged), and the paths of the texts that stay English."""
    given = translation_texts(translation)
    texts = _Texts({path: text for path, (text, _at) in given.items()})
    missing = [dotted(path) for path in source_texts(questionnaire) if path not in given]
    q = questionnaire
    update = {
        "title": texts.get(q.title, "title"),
        "description": texts.get(q.description, "description"),
        "language": translation.language,
        "roadmap": q.roadmap.model_copy(update={"phases": [_phase(phase, texts) for phase in q.roadmap.phases]}),
        "scales": {sid: scale.model_copy(update={
            "name": texts.get(scale.name, "scales", sid, "name"),
            "options": [_option(o, texts, "scales", sid, "options") for o in scale.options]})
            for sid, scale in q.scales.items()},
        "domains": [d.model_copy(update={"name": texts.get(d.name, "domains", d.id, "name"),
                                         "description": texts.get(d.description, "domains", d.id, "description")})
                    for d in q.domains],
        "roles": {rid: _role(role, texts, rid) for rid, role in q.roles.items()},
        "questions": [_question(question, texts, [d.id for d in q.domains]) for question in q.questions],
    }
    if q.pilots is not None or any(path[0] == "pilots" for path in given):
        update["pilots"] = _pilots(q.pilot_section(), texts)
    result = q.model_copy(update=update)
    result.__pydantic_private__["_cache"] = {}  # a copy shares the private cache; what it derives is its own
    return result, missing


class _Texts:
    """The translated texts by path; the English where the translation gives none."""

    def __init__(self, texts: dict[TextPath, str]):
        self.texts = texts

    def get(self, english, *path):
        if not english:
            return english
        return self.texts.get(tuple(str(part) for part in path), english)


def _phase(phase: Phase, texts: _Texts) -> Phase:
    at = ("roadmap", "phases", phase.number)
    return phase.model_copy(update={"name": texts.get(phase.name, *at, "name"),
                                    "summary": texts.get(phase.summary, *at, "summary")})


def _option(option: Option, texts: _Texts, *at) -> Option:
    return option.model_copy(update={"label": texts.get(option.label, *at, option.value, "label"),
                                     "description": texts.get(option.description, *at, option.value, "description")})


def _role(role: RoleTitles, texts: _Texts, role_id: str) -> RoleTitles:
    update = {size: texts.get(getattr(role, size), "roles", role_id, size) for size in SIZES}
    if role.ai_product:
        update["ai_product"] = SizedTitles(**{size: texts.get(getattr(role.ai_product, size), "roles", role_id,
                                                              "ai-product", size) for size in SIZES})
    return role.model_copy(update=update)


def _pilots(section: PilotSection, texts: _Texts) -> PilotSection:
    triage = section.triage_action()
    return section.model_copy(update={
        "stages": [s.model_copy(update={"label": texts.get(s.label, "pilots", "stages", s.id)}) for s in section.stages],
        "blockers": [b.model_copy(update={"label": texts.get(b.label, "pilots", "blockers", b.id)})
                     for b in section.blockers],
        "triage": triage.model_copy(update={name: texts.get(getattr(triage, name), "pilots", "triage", name)
                                            for name in ("title", "detail", "kpi")}),
    })


def _question(question: Question, texts: _Texts, domain_ids: list[str]) -> Question:
    at = ("questions", question.id)
    update = {
        "text": texts.get(question.text, *at, "text"),
        "help": readable_help(texts.get(question.help, *at, "help"), domain_ids),
        "evidence": texts.get(question.evidence, *at, "evidence"),
    }
    if question.by_size:
        update["by_size"] = {size: texts.get(text, *at, "by_size", size) for size, text in question.by_size.items()}
    if question.anchors:
        update["anchors"] = {value: texts.get(text, *at, "anchors", value) for value, text in question.anchors.items()}
    if question.type in ("single", "multi") and question.options:
        update["options"] = [_option(o, texts, *at, "options") for o in question.options]
    if question.action:
        update["action"] = _action(question.action, texts, *at, "action")
    return question.model_copy(update=update)


def _action(action: Action, texts: _Texts, *at) -> Action:
    update = {name: texts.get(getattr(action, name), *at, name) for name in ("title", "detail", "kpi")}
    if action.by_level:
        update["by_level"] = action.by_level.model_copy(update={
            level: _wording(getattr(action.by_level, level), texts, *at, "by_level", level)
            for level in LEVELS if getattr(action.by_level, level)})
    return action.model_copy(update=update)


def _wording(wording: Wording, texts: _Texts, *at) -> Wording:
    return wording.model_copy(update={name: texts.get(getattr(wording, name), *at, name)
                                      for name in ("title", "detail", "kpi")})

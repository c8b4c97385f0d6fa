"""The answers exchange format: read, check against a questionnaire, write back."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from questionnaires.errors import AnswersError, Problem
from questionnaires.models import Question, Questionnaire
from questionnaires.safeyaml import Document, Limits, parse_document, read_document, text_problem

FORMAT = "phasegate-answers/1"
DONT_KNOW = "dont_know"
NA = "na"
MAX_NOTE = 5000
MAX_ANSWERS_BYTES = 1024 * 1024
MAX_ANSWERS = 2000
# Far above any questionnaire, and small enough that a huge file is refused before it is parsed slowly.
LIMITS = Limits(items=MAX_ANSWERS, values=15 * MAX_ANSWERS,
                hint="remove the entries the questionnaire does not ask for")
TOP_LEVEL = ("format", "questionnaire", "questionnaire_version", "organisation", "date", "respondent", "targets",
             "answers")
RESPONDENT_KEYS = ("role", "name")

Value = int | float | str | list | None


@dataclass(frozen=True)
class Answer:
    """One answer: an option value (or list, number, text), `dont_know` or `na`, plus a note."""

    value: Value
    note: str = ""

    @property
    def special(self) -> bool:
        return self.value in (DONT_KNOW, NA)


@dataclass
class Response:
    """One respondent's answers to one questionnaire."""

    questionnaire: str
    questionnaire_version: str
    answers: dict[str, Answer] = field(default_factory=dict)
    organisation: str = ""
    role: str | None = None
    targets: dict[str, int] = field(default_factory=dict)
    date: dt.date | None = None  # when it was taken, if the file says so

    def value(self, question_id: str) -> Value:
        answer = self.answers.get(question_id)
        return None if answer is None else answer.value


def read_answers(path: Path | str, questionnaire: Questionnaire | None = None) -> Response:
    """Read an answers file (YAML or JSON); with a questionnaire, check it too."""
    return _to_response(read_document(path, AnswersError, MAX_ANSWERS_BYTES, LIMITS), questionnaire)


def parse_answers(raw: bytes | str, name: str = "answers.yaml", questionnaire: Questionnaire | None = None) -> Response:
    """Parse answers from text or bytes (an upload, say); with a questionnaire, check it too."""
    return _to_response(parse_document(raw, name, AnswersError, MAX_ANSWERS_BYTES, LIMITS), questionnaire)


def questionnaire_id_of(path: Path | str) -> str:
    """The questionnaire id an answers file names, without checking anything else."""
    data = read_document(path, AnswersError, MAX_ANSWERS_BYTES, LIMITS).data
    if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), str):
        raise AnswersError([Problem(Path(path).name, 1, "questionnaire", "missing; name the questionnaire id, e.g. 'questionnaire: ai-maturity'")])
    return data["questionnaire"]


def questionnaire_version_of(path: Path | str) -> str | None:
    """The questionnaire version an answers file names (None when it names none), without checking anything else."""
    data = read_document(path, AnswersError, MAX_ANSWERS_BYTES, LIMITS).data
    version = data.get("questionnaire_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def check_text(text: str, what: str) -> None:
    """Raise AnswersError when `text` holds a character no database stores (NUL, lone surrogate)."""
    reason = text_problem(text)
    if reason:
        raise AnswersError(f"{what}: {reason}")


def _to_response(document: Document, questionnaire: Questionnaire | None) -> Response:
    problems: list[Problem] = []
    data = document.data
    if not isinstance(data, dict):
        raise AnswersError([document.problem((), f"expected a mapping starting with 'format: {FORMAT}'")])
    for key in data:
        if key not in TOP_LEVEL:
            problems.append(document.problem((key,), f"unknown field; expected one of {', '.join(TOP_LEVEL)}"))
    if data.get("format") != FORMAT:
        problems.append(document.problem(("format",), f"must be '{FORMAT}', got {data.get('format')!r}"))
    response = Response(
        questionnaire=_string(document, data, "questionnaire", problems, required=True),
        questionnaire_version=_string(document, data, "questionnaire_version", problems, required=True),
        organisation=_string(document, data, "organisation", problems, limit=200),
        role=_respondent_role(document, data.get("respondent"), problems),
        targets=_targets(document, data.get("targets"), problems),
        answers=_answers(document, data.get("answers"), problems),
        date=_date(document, data.get("date"), problems),
    )
    if questionnaire is not None and not problems:
        problems += check_response(response, questionnaire, document)
    if problems:
        raise AnswersError(problems)
    return response


def _string(doc: Document, data: dict, key: str, problems: list, required: bool = False, limit: int = 100) -> str:
    value = data.get(key)
    if value is None:
        if required:
            problems.append(doc.problem((key,), "required field is missing"))
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(doc.problem((key,), f"must be text, got {type(value).__name__}"))
        return ""
    text = str(value)
    if len(text) > limit:
        problems.append(doc.problem((key,), f"is {len(text)} characters long; at most {limit} allowed"))
    return text


def _date(doc: Document, value: Any, problems: list) -> dt.date | None:
    """The optional `date` (YYYY-MM-DD): a YAML date, or the same as text in JSON."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if value > dt.date.today():
            problems.append(doc.problem(("date",), f"{value.isoformat()} is in the future; give the day the assessment was taken"))
            return None
        return value
    problems.append(doc.problem(("date",), f"must be a date written YYYY-MM-DD, e.g. 2026-11-26, got {value!r}"))
    return None


def _respondent_role(doc: Document, respondent: Any, problems: list) -> str | None:
    if respondent is None:
        return None
    if not isinstance(respondent, dict):
        problems.append(doc.problem(("respondent",), "must be a mapping such as {role: executive}"))
        return None
    for key in respondent:
        if key not in RESPONDENT_KEYS:
            problems.append(doc.problem(("respondent", key), f"unknown field; expected {' or '.join(RESPONDENT_KEYS)}"))
    role = respondent.get("role")
    if role is not None and (not isinstance(role, str) or len(role) > 60):
        problems.append(doc.problem(("respondent", "role"), "must be a short text such as 'executive'"))
        return None
    return role


def _targets(doc: Document, targets: Any, problems: list) -> dict[str, int]:
    if targets is None:
        return {}
    if not isinstance(targets, dict):
        problems.append(doc.problem(("targets",), "must be a mapping of domain id to target phase, e.g. {governance: 3}"))
        return {}
    result = {}
    for domain, phase in targets.items():
        if isinstance(phase, bool) or not isinstance(phase, int) or not 1 <= phase <= 4:
            problems.append(doc.problem(("targets", domain), f"target phase must be 1-4, got {phase!r}"))
        else:
            result[str(domain)] = phase
    return result


def _answers(doc: Document, answers: Any, problems: list) -> dict[str, Answer]:
    if answers is None:
        return {}
    if not isinstance(answers, dict):
        problems.append(doc.problem(("answers",), "must be a mapping of question id to answer"))
        return {}
    result = {}
    for question_id, raw in answers.items():
        answer = _answer(doc, str(question_id), raw, problems)
        if answer is not None:
            result[str(question_id)] = answer
    return result


def _answer(doc: Document, question_id: str, raw: Any, problems: list) -> Answer | None:
    at = ("answers", question_id)
    note = ""
    if isinstance(raw, dict):
        extra = [k for k in raw if k not in ("value", "note")]
        if extra:
            problems.append(doc.problem(at + (extra[0],), "unknown field; an answer has only 'value' and 'note'"))
            return None
        if "value" not in raw:
            problems.append(doc.problem(at, "missing 'value'; write {value: 2, note: \"...\"}"))
            return None
        note = raw.get("note") or ""
        if not isinstance(note, str):
            problems.append(doc.problem(at + ("note",), "a note must be text"))
            return None
        if len(note) > MAX_NOTE:
            problems.append(doc.problem(at + ("note",), f"note is {len(note)} characters long; at most {MAX_NOTE} allowed"))
            return None
        raw = raw["value"]
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if isinstance(raw, float) and not math.isfinite(raw):
        problems.append(doc.problem(at, "must be a finite number"))
        return None
    if isinstance(raw, dict) or (isinstance(raw, list) and not all(isinstance(v, (int, str)) for v in raw)):
        problems.append(doc.problem(at, "must be an option value, a list of option values, dont_know or na"))
        return None
    return Answer(raw, note)


def check_response(response: Response, questionnaire: Questionnaire, doc: Document | None = None) -> list[Problem]:
    """Every way the response does not fit the questionnaire, located where possible."""
    doc = doc or Document(None, "answers")
    problems = []
    if response.questionnaire != questionnaire.id:
        problems.append(doc.problem(("questionnaire",), f"answers are for '{response.questionnaire}', but the questionnaire is '{questionnaire.id}'"))
        return problems
    if response.questionnaire_version != questionnaire.version:
        problems.append(doc.problem(("questionnaire_version",), f"answers are for version {response.questionnaire_version}, but '{questionnaire.id}' is version {questionnaire.version}"))
    domains = {d.id for d in questionnaire.domains}
    for domain in response.targets:
        if domain not in domains:
            problems.append(doc.problem(("targets", domain), f"unknown domain (known: {', '.join(d.id for d in questionnaire.domains)})"))
    questions = {q.id: q for q in questionnaire.questions}
    for question_id, answer in response.answers.items():
        at = ("answers", question_id)
        question = questions.get(question_id)
        if question is None:
            problems.append(doc.problem(at, f"unknown question id '{question_id}' in '{questionnaire.id}' {questionnaire.version}"))
            continue
        reason = answer_problem(questionnaire, question, answer.value)
        if reason:
            problems.append(doc.problem(at, reason))
    return problems


def answer_problem(questionnaire: Questionnaire, question: Question, value: Value) -> str | None:
    """Why a value is not a valid answer to a question, or None when it is."""
    if value == DONT_KNOW:
        return None if question.allow_dont_know else "'dont_know' is not allowed for this question"
    if value == NA:
        return None if question.allow_na else "'na' is not allowed for this question"
    if question.type == "text":
        return None if isinstance(value, str) and len(value) <= MAX_NOTE else f"must be text of at most {MAX_NOTE} characters"
    if question.type == "number":
        return _number_problem(question, value)
    values = [o.value for o in questionnaire.options_for(question)]
    if question.type == "multi":
        chosen = value if isinstance(value, list) else [value]
        wrong = [v for v in chosen if v not in values]
        if wrong or len(set(map(str, chosen))) != len(chosen):
            return f"{wrong[0] if wrong else value!r} is not a list of distinct options (options: {values})"
        return None
    if value not in values:
        return f"{value!r} is not an option (options: {', '.join(map(str, values))}, or {_specials(question)})"
    return None


def _number_problem(question: Question, value: Value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, got {value!r}"
    if question.min is not None and value < question.min:
        return f"must be at least {question.min:g}, got {value}"
    if question.max is not None and value > question.max:
        return f"must be at most {question.max:g}, got {value}"
    return None


def _specials(question: Question) -> str:
    allowed = [name for name, ok in ((DONT_KNOW, question.allow_dont_know), (NA, question.allow_na)) if ok]
    return " or ".join(allowed) if allowed else "no special answers"


def response_to_dict(response: Response) -> dict:
    """The response in the exchange format, ready for YAML or JSON."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "questionnaire": response.questionnaire,
        "questionnaire_version": response.questionnaire_version,
    }
    if response.organisation:
        data["organisation"] = response.organisation
    if response.date:
        data["date"] = response.date.isoformat()
    if response.role:
        data["respondent"] = {"role": response.role}
    if response.targets:
        data["targets"] = dict(response.targets)
    data["answers"] = {
        qid: {"value": a.value, "note": a.note} if a.note else a.value for qid, a in response.answers.items()
    }
    return data


def dump_answers(response: Response) -> str:
    """The response as an answers YAML file."""
    import yaml

    return yaml.safe_dump(response_to_dict(response), sort_keys=False, allow_unicode=True)

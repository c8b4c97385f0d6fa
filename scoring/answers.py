"""The answers exchange format: read, check against a questionnaire, write back."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

import i18n
from questionnaires.errors import AnswersError, Problem
from questionnaires.models import Question, Questionnaire
from questionnaires.safeyaml import Document, Limits, parse_document, read_bytes, text_problem
from scoring.words import N_

FORMAT = "phasegate-answers/1"
DONT_KNOW = "dont_know"
NA = "na"
MAX_NOTE = 5000
MAX_ANSWERS_BYTES = 1024 * 1024
MAX_ANSWERS = 2000
MAX_PILOTS = 500
MAX_PILOT_NAME = 120
MAX_PILOT_GROUP = 120
MAX_PILOT_VALUE = 1e12  # far above any pilot's annual value; catches a misplaced digit group
# Far above any questionnaire, and small enough that a huge file is refused before it is parsed slowly.
LIMITS = Limits(items=MAX_ANSWERS, values=15 * MAX_ANSWERS,
                hint="remove the entries the questionnaire does not ask for")

Value = int | float | str | list | None


@dataclass(frozen=True)
class Answer:
    """One answer: an option value (or list, number, text), `dont_know` or `na`, plus a note."""

    value: Value
    note: str = ""

    @property
    def special(self) -> bool:
        return self.value in (DONT_KNOW, NA)


@dataclass(frozen=True)
class Pilot:
    """One entry of the pilot register; months are 'YYYY-MM'."""

    name: str
    stage: str
    started: str
    production_since: str | None = None
    owner: bool = False
    kpi_baseline: bool = False
    blockers: tuple[str, ...] = ()
    value: float | None = None
    note: str = ""
    group: str | None = None  # pilots pursuing the same outcome share a group name

    @classmethod
    def from_dict(cls, data: dict) -> Pilot:
        """An entry as `to_dict` wrote it (already checked when it was read)."""
        return cls(data["name"], data["stage"], data["started"], data.get("production_since"),
                   bool(data.get("owner")), bool(data.get("kpi_baseline")), tuple(data.get("blockers") or ()),
                   data.get("value"), data.get("note") or "", data.get("group") or None)

    def to_dict(self) -> dict:
        """The entry as written in an answers file (defaults left out)."""
        data: dict[str, Any] = {"name": self.name, "stage": self.stage, "started": self.started}
        if self.production_since:
            data["production_since"] = self.production_since
        data["owner"] = self.owner
        data["kpi_baseline"] = self.kpi_baseline
        data["blockers"] = list(self.blockers)
        if self.value is not None:
            data["value"] = self.value
        if self.group:
            data["group"] = self.group
        if self.note:
            data["note"] = self.note
        return data


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
    organisation_profile: OrganisationProfile | None = None
    pilots: tuple[Pilot, ...] = ()  # the pilot register, in the order written
    language: str | None = None  # the assessment's language ('de'); None: English, the source

    def value(self, question_id: str) -> Value:
        answer = self.answers.get(question_id)
        return None if answer is None else answer.value


def read_answers(path: Path | str, questionnaire: Questionnaire | None = None) -> Response:
    """Read an answers file (YAML or JSON); with a questionnaire, check it too."""
    return _to_response(_answers_document(path), questionnaire)


def _answers_document(path: Path | str) -> Document:
    """An answers file read from disk and parsed, once for the same content: a report asks for its questionnaire,
    version and language before it reads the answers, and each parse costs about 8 ms of CPU (a large broken file
    far more). A file that cannot be parsed is not parsed again either: each reader gets the same problems, in an
    error of its own. The document is shared by its readers, so none may change it."""
    path = Path(path)
    document, problems = _parsed_answers(read_bytes(path, AnswersError, MAX_ANSWERS_BYTES), path.name)
    if problems is not None:
        raise AnswersError(list(problems))
    return document


@lru_cache(maxsize=4)
def _parsed_answers(raw: bytes, name: str) -> tuple[Document | None, tuple[Problem, ...] | None]:
    """The document, or the problems that stop it being parsed."""
    try:
        return parse_document(raw, name, AnswersError, MAX_ANSWERS_BYTES, LIMITS), None
    except AnswersError as exc:
        return None, tuple(exc.problems)


def parse_answers(raw: bytes | str, name: str = "answers.yaml", questionnaire: Questionnaire | None = None) -> Response:
    """Parse answers from text or bytes (an upload, say); with a questionnaire, check it too."""
    return _to_response(parse_document(raw, name, AnswersError, MAX_ANSWERS_BYTES, LIMITS), questionnaire)


def questionnaire_id_of(path: Path | str) -> str:
    """The questionnaire id an answers file names, without checking anything else."""
    data = _answers_document(path).data
    if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), str):
        raise AnswersError([Problem(Path(path).name, 1, "questionnaire", "missing; name the questionnaire id, e.g. 'questionnaire: ai-maturity'")])
    return data["questionnaire"]


def questionnaire_version_of(path: Path | str) -> str | None:
    """The questionnaire version an answers file names (None when it names none), without checking anything else."""
    data = _answers_document(path).data
    version = data.get("questionnaire_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def language_of(path: Path | str) -> str | None:
    """The installed language an answers file names (`language: de`), None when it names none or an unknown one
    (reading its answers then says where), without checking anything else."""
    data = _answers_document(path).data
    language = data.get("language") if isinstance(data, dict) else None
    return i18n.supported(language) if isinstance(language, str) else None


def check_text(text: str, what: str) -> None:
    """Raise AnswersError when `text` holds a character no database stores (NUL, lone surrogate)."""
    reason = text_problem(text)
    if reason:
        raise AnswersError(f"{what}: {reason}")


def _to_response(document: Document, questionnaire: Questionnaire | None) -> Response:
    data = document.data
    if not isinstance(data, dict):
        raise AnswersError([document.problem((), f"expected a mapping starting with 'format: {FORMAT}'")])
    try:
        model = AnswersFile.model_validate(data)
    except ValidationError as exc:
        raise AnswersError(model_problems(document, exc)) from None
    response = model.to_response()
    problems = register_problems(response, document)
    if questionnaire is not None:
        problems += check_response(response, questionnaire, document)
    problems = one_per_pilot(problems)
    if problems:
        raise AnswersError(problems)
    return response


# --- the answers file as a strict model -----------------------------------------------


def _number_as_text(value: Any) -> Any:
    """`questionnaire_version: 1.0` or `organisation: 2026` in YAML: numbers the writer meant as text."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _keys_as_text(value: Any) -> Any:
    """Mapping keys as text (YAML reads `1:` as a number): ids are text."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


def _yes_no(value: Any) -> Any:
    """`true` / `false` answer a yes/no question."""
    return ("yes" if value else "no") if isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_number_as_text)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
AnswerValue = Annotated[int | Finite | str | list[int | str] | None, BeforeValidator(_yes_no)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class AnswerEntry(_Strict):
    """One answer as written: a bare value, or {value, note}."""

    value: AnswerValue
    note: Annotated[str, Field(max_length=MAX_NOTE)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, raw: Any) -> Any:
        return raw if isinstance(raw, dict) else {"value": raw}


class Respondent(_Strict):
    """Who answered, by role only: no personal data is needed."""

    role: Annotated[str, Field(max_length=60)] | None = None
    name: Any = None

    @field_validator("name")
    @classmethod
    def _no_name(cls, name: Any) -> None:
        if name is not None:
            raise ValueError("no personal data is needed; remove respondent.name (the role is enough)")
        return None


def _currency_code(value: Any) -> Any:
    """An ISO 4217 code in capitals ('eur' is read as EUR); anything else is refused with an example."""
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        return value.strip().upper()
    raise ValueError(f"must be a three-letter currency code such as EUR, USD or GBP, got {value!r}")


CurrencyCode = Annotated[str, BeforeValidator(_currency_code)]


class OrganisationProfile(_Strict):
    """The organisation's size, industry, currency and role under the EU AI Act: owners are titled for the size,
    benchmarks compare like with like, values carry the currency, and the role tells which obligations apply."""

    size: Literal["small", "medium", "large"] | None = None
    industry: Annotated[str, Field(max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]*$")] | None = None
    currency: CurrencyCode | None = None
    ai_role: Literal["provider", "deployer", "both"] | None = None
    # ai-product: AI is what the organisation sells; ai-in-operations: AI runs inside its own processes
    business_model: Literal["ai-product", "ai-in-operations"] | None = None


Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _month_only(value: Any) -> Any:
    """A YAML date (2024-03-15) where a month is asked for: say how to write it rather than guess."""
    if isinstance(value, dt.date):
        raise ValueError(f"write the month only, e.g. {value:%Y-%m}")
    return value


class PilotEntry(_Strict):
    """One pilot as written in the register (see DESIGN.md, "Pilot portfolio")."""

    name: Annotated[str, Field(min_length=1, max_length=MAX_PILOT_NAME)]
    stage: Annotated[str, Field(max_length=64)]
    started: Annotated[Month, BeforeValidator(_month_only)]
    production_since: Annotated[Month, BeforeValidator(_month_only)] | None = None
    owner: bool = False
    kpi_baseline: bool = False
    blockers: Annotated[list[Annotated[str, Field(max_length=120)]], Field(max_length=20)] = []
    value: Annotated[float, Field(ge=0, le=MAX_PILOT_VALUE, allow_inf_nan=False)] | None = None
    note: Annotated[str, Field(max_length=MAX_NOTE)] = ""
    group: Annotated[Text, Field(max_length=MAX_PILOT_GROUP)] | None = None

    def to_pilot(self) -> Pilot:
        """The register entry the rest of Phasegate works with."""
        return Pilot(self.name, self.stage, self.started, self.production_since, self.owner, self.kpi_baseline,
                     tuple(self.blockers), self.value, self.note, (self.group or "").strip() or None)


class AnswersFile(_Strict):
    """The answers exchange format (see DESIGN.md, "Answers file")."""

    format: Literal[FORMAT]
    questionnaire: Annotated[Text, Field(max_length=100)]
    questionnaire_version: Annotated[Text, Field(max_length=100)]
    organisation: Annotated[Text, Field(max_length=200)] | None = None
    date: Any = None
    language: Annotated[Text, Field(max_length=20)] | None = None
    organisation_profile: OrganisationProfile | None = None
    respondent: Respondent | None = None
    targets: Annotated[dict[str, Annotated[int, Field(ge=1, le=4)]], BeforeValidator(_keys_as_text)] = {}
    pilots: Annotated[list[PilotEntry], Field(max_length=MAX_PILOTS)] | None = None
    answers: Annotated[dict[str, AnswerEntry], BeforeValidator(_keys_as_text)] = {}

    @field_validator("date")
    @classmethod
    def _taken_on(cls, value: Any) -> dt.date | None:
        """YYYY-MM-DD: a YAML date, or the same as text in JSON; not in the future."""
        if value is None:
            return None
        if isinstance(value, str) and len(value) == 10:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValueError(f"must be a date written YYYY-MM-DD, e.g. 2026-11-26, got {value!r}")
        if value > dt.date.today():
            raise ValueError(f"{value.isoformat()} is in the future; give the day the assessment was taken")
        return value

    @field_validator("language")
    @classmethod
    def _installed(cls, value: str | None) -> str | None:
        """A language Phasegate has a catalogue for, as its code ('de' for 'de-AT')."""
        if value is None:
            return None
        code = i18n.supported(value)
        if code is None:
            raise ValueError(f"unknown language {value!r}; installed: {', '.join(i18n.available())}")
        return code

    def to_response(self) -> Response:
        """The Response the rest of Phasegate works with."""
        return Response(
            questionnaire=self.questionnaire,
            questionnaire_version=self.questionnaire_version,
            answers={qid: Answer(a.value, a.note or "") for qid, a in self.answers.items()},
            organisation=self.organisation or "",
            role=self.respondent.role if self.respondent else None,
            targets=dict(self.targets),
            date=self.date,
            organisation_profile=self.organisation_profile,
            pilots=tuple(entry.to_pilot() for entry in self.pilots or ()),
            language=self.language,
        )


# Messages per field, where the generic wording would not say how to fix it.
_FIELD_MESSAGES = {
    "format": f"must be '{FORMAT}'",
    "respondent": "must be a mapping such as {role: executive}",
    "respondent.role": "must be a short text such as 'executive'",
    "targets": "must be a mapping of domain id to target phase, e.g. {governance: 3}",
    "answers": "must be a mapping of question id to answer",
    "organisation_profile": "must be a mapping such as {size: medium, industry: retail, currency: EUR}",
    "organisation_profile.size": "must be small, medium or large",
    "organisation_profile.industry": "must be a short lower-case id such as retail or financial-services",
    "organisation_profile.ai_role": "must be provider, deployer or both (the organisation's role under the EU AI Act)",
    "organisation_profile.business_model": "must be ai-product (AI is what you sell) or ai-in-operations (AI runs "
                                           "in your own processes)",
}
_UNION_TAGS = {"int", "float", "str", "none", "list[union[int,str]]", "function-after[_no_name(), any]"}


def model_problems(document: Document, exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as located problems that say how to fix them, one per place."""
    found: dict[tuple, Problem] = {}
    # Of the errors an answer gets from each type it could be, a non-finite number says the most.
    errors = sorted(exc.errors(include_url=False), key=lambda error: error["type"] != "finite_number")
    for error in errors:
        loc, message = _locate(error)
        key = loc[:2] if loc[:1] == ("pilots",) else loc  # one problem per pilot entry
        found.setdefault(key, document.problem(loc, message))
    return sorted(found.values(), key=lambda p: p.line or 0)


def _locate(error: dict) -> tuple[tuple, str]:
    """Where an error belongs in the file, and what to say there."""
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.lower() in _UNION_TAGS))
    kind, got = error["type"], error.get("input")
    if loc[:1] == ("answers",) and len(loc) >= 3:
        return _answer_problem(loc, error)
    if loc[:1] == ("pilots",):
        return loc, _pilot_message(loc, error)
    if kind == "extra_forbidden":
        expected = {(): ", ".join(AnswersFile.model_fields), ("respondent",): "role",
                    ("organisation_profile",): ", ".join(OrganisationProfile.model_fields)}.get(loc[:-1])
        return loc, f"unknown field; expected one of {expected}" if expected else "unknown field; remove it"
    if kind == "missing" or (kind == "string_type" and got is None):
        return loc, "required field is missing"
    if kind == "value_error":
        return loc, str(error["ctx"]["error"])
    if kind in ("string_too_long", "too_long") and loc in (("questionnaire",), ("questionnaire_version",), ("organisation",)):
        return loc, f"is {len(got)} characters long; at most {error['ctx']['max_length']} allowed"
    if loc[:1] == ("targets",) and len(loc) == 2:
        return loc, f"target phase must be 1-4, got {got!r}"
    hint = _FIELD_MESSAGES.get(".".join(map(str, loc)))
    if hint:
        return loc, f"{hint}, got {got!r}" if not isinstance(got, dict) else hint
    if kind == "string_type":
        return loc, f"must be text, got {type(got).__name__}"
    return loc, f"{error['msg'].lower()}, got {got!r}"


def _answer_problem(loc: tuple, error: dict) -> tuple[tuple, str]:
    at, field = loc[:2], loc[2]
    kind = error["type"]
    if kind == "extra_forbidden":
        return loc, "unknown field; an answer has only 'value' and 'note'"
    if kind == "missing":
        return at, "missing 'value'; write {value: 2, note: \"...\"}"
    if field == "note":
        if kind == "string_too_long":
            return loc[:3], f"note is {len(error['input'])} characters long; at most {MAX_NOTE} allowed"
        return loc[:3], "a note must be text"
    if kind == "finite_number":
        return at, "must be a finite number"
    return at, "must be an option value, a list of option values, dont_know or na"


PILOT_FIELDS = ", ".join(PilotEntry.model_fields)
PILOT_EXAMPLE = "{name: Churn model, stage: pilot, started: 2026-03}"
_PILOT_FIELD_MESSAGES = {
    "name": "must be the pilot's name as text",
    "stage": "must be a stage id such as pilot or production",
    "started": "must be a month written YYYY-MM, e.g. 2026-03",
    "production_since": "must be a month written YYYY-MM, e.g. 2026-03",
    "owner": "must be true or false (is there a named business owner?)",
    "kpi_baseline": "must be true or false (was the KPI measured before the pilot?)",
    "blockers": "must be a list of blocker ids, e.g. [governance.approval-queue]",
    "value": "must be a number: the expected annual value",
    "group": f"must be a short text of at most {MAX_PILOT_GROUP} characters naming the outcome the pilots share, "
             "e.g. Demand forecast",
    "note": f"must be text of at most {MAX_NOTE} characters",
}


def _pilot_message(loc: tuple, error: dict) -> str:
    """What to say about one problem in the pilot register."""
    kind, got = error["type"], error.get("input")
    if len(loc) == 1:
        if kind == "too_long":
            return f"{len(got)} pilots; at most {MAX_PILOTS} allowed: keep the register to the pilots that matter"
        return f"must be a list of pilots, each like {PILOT_EXAMPLE}"
    if len(loc) == 2:
        return f"must be a mapping such as {PILOT_EXAMPLE}"
    field = loc[2]
    if kind == "extra_forbidden":
        return f"unknown field; a pilot has {PILOT_FIELDS}"
    if kind == "missing":
        return f"required field is missing; e.g. {PILOT_EXAMPLE}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if field in ("name", "group") and kind in ("string_too_long", "too_long"):
        return f"is {len(got)} characters long; at most {error['ctx']['max_length']} allowed"
    if field == "name" and kind == "string_too_short":
        return "is empty; give the pilot a name"
    if field == "value" and kind in ("greater_than_equal", "less_than_equal", "finite_number"):
        return f"must be a number from 0 to {MAX_PILOT_VALUE:,.0f}, got {got!r}"
    if field == "blockers" and kind == "too_long":
        return "at most 20 blockers per pilot; keep the ones that hold it most"
    hint = _PILOT_FIELD_MESSAGES.get(field, "is not valid")
    return f"{hint}, got {got!r}" if not isinstance(got, (dict, list)) or field == "blockers" else hint


def month_number(month: str) -> int:
    """'2026-03' as a count of months, so that two months subtract."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def register_problems(response: Response, doc: Document) -> list[Problem]:
    """What the register gets wrong on its own: names used twice, months in the future or out of order."""
    today = response.date or dt.date.today()
    now = today.year * 12 + today.month - 1
    problems, seen = [], {}
    for index, pilot in enumerate(response.pilots):
        at = ("pilots", index)
        reason = _pilot_dates_problem(pilot, now, today)
        if reason:
            problems.append(doc.problem(at + (reason[0],), reason[1]))
        elif pilot.name in seen:
            problems.append(doc.problem(at + ("name",), f"'{pilot.name}' is already the name of pilots[{seen[pilot.name]}]; "
                                                      "names must be unique"))
        seen.setdefault(pilot.name, index)
    return problems


def _pilot_dates_problem(pilot: Pilot, now: int, today: dt.date) -> tuple[str, str] | None:
    when = f"the assessment's date ({today.isoformat()})"
    if month_number(pilot.started) > now:
        return "started", f"{pilot.started} is after {when}; give the month the pilot started"
    if pilot.production_since is None:
        return None
    if month_number(pilot.production_since) > now:
        return "production_since", f"{pilot.production_since} is after {when}; give the month it went live"
    if month_number(pilot.production_since) < month_number(pilot.started):
        return "production_since", (f"{pilot.production_since} is before the pilot started ({pilot.started}); "
                                    "check both months")
    return None


def pilot_problems(response: Response, questionnaire: Questionnaire, doc: Document) -> list[Problem]:
    """Register entries whose stage or blockers the questionnaire does not know, one problem per entry."""
    section = questionnaire.pilot_section()
    stages = [stage.id for stage in section.stages]
    blockers = {blocker.id for blocker in section.blockers}
    problems = []
    for index, pilot in enumerate(response.pilots):
        at = ("pilots", index)
        unknown = [(position, b) for position, b in enumerate(pilot.blockers) if b not in blockers]
        if pilot.stage not in stages:
            problems.append(doc.problem(at + ("stage",), f"unknown stage '{pilot.stage}' (known: {', '.join(stages)})"))
        elif unknown:
            known = ", ".join(b.id for b in section.blockers) or "none defined"
            problems.append(doc.problem(at + ("blockers", unknown[0][0]), f"unknown blocker '{unknown[0][1]}' (known: {known})"))
        elif len(set(pilot.blockers)) != len(pilot.blockers):
            problems.append(doc.problem(at + ("blockers",), "a blocker is listed twice; list each once"))
    return problems


_PILOT_PATH = re.compile(r"^pilots\[(\d+)\]")


def one_per_pilot(problems: list[Problem]) -> list[Problem]:
    """The problems with at most one per pilot entry (the first found), so a bad entry reads as one line."""
    seen: set[str] = set()
    kept = []
    for problem in problems:
        entry = _PILOT_PATH.match(problem.path)
        if entry:
            if entry.group(1) in seen:
                continue
            seen.add(entry.group(1))
        kept.append(problem)
    return kept


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
    return problems + pilot_problems(response, questionnaire, doc)


SPECIAL_LABELS = {DONT_KNOW: N_("Don't know"), NA: N_("Not applicable")}  # translated where shown (special_label)


def special_label(value: Value | None) -> str | None:
    """"Don't know" or "Not applicable" in the language of the moment; None for any other value."""
    return i18n.gettext(SPECIAL_LABELS[value]) if isinstance(value, str) and value in SPECIAL_LABELS else None


def answer_label(questionnaire: Questionnaire, question: Question, value: Value | None) -> str:
    """An answer as a person reads it, the same everywhere: option labels (the questionnaire's, in its language),
    never raw values ('Managed', "Don't know", 'Bias checks, Audit log'); "Not answered" when there is none. Its
    own words in the language of the moment."""
    if value is None:
        return i18n.gettext("Not answered")
    special = special_label(value)
    if special is not None:
        return special
    if question.type in ("number", "text"):
        return f"{value:g}" if isinstance(value, float) else str(value)
    labels = {o.value: o.label for o in questionnaire.options_for(question)}
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value) or i18n.gettext("None of the options")
    return labels.get(value, str(value))


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
        alone = [o for o in questionnaire.options_for(question) if o.exclusive and o.value in chosen]
        if alone and len(chosen) > 1:
            return (f"{alone[0].value!r} ({alone[0].label}) is chosen alone; keep it or the other options, "
                    "not both")
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
    if response.language:
        data["language"] = response.language
    if response.organisation_profile:
        data["organisation_profile"] = response.organisation_profile.model_dump(exclude_none=True)
    if response.role:
        data["respondent"] = {"role": response.role}
    if response.targets:
        data["targets"] = dict(response.targets)
    if response.pilots:
        data["pilots"] = [pilot.to_dict() for pilot in response.pilots]
    data["answers"] = {
        qid: {"value": a.value, "note": a.note} if a.note else a.value for qid, a in response.answers.items()
    }
    return data


def dated(response: Response, today: dt.date | None = None) -> Response:
    """The response with the date it was taken, as a file made from it carries: its own, else today (the date the
    app scores it against)."""
    return response if response.date else replace(response, date=today or dt.date.today())


def dump_answers(response: Response) -> str:
    """The response as an answers YAML file."""
    import yaml

    return yaml.safe_dump(response_to_dict(response), sort_keys=False, allow_unicode=True)

"""Assessments and their answers: the only module with queries for them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, delete, func, insert, literal, select, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

import i18n
from i18n import SOURCE, _
from questionnaires.errors import AnswersError, Problem
from questionnaires.loader import load_library
from scoring.answers import MAX_NOTE, Answer, OrganisationProfile, Pilot, Response, answer_problem, check_text
from scoring.words import N_
from storage import pilots as registers
from storage.gates import check_open
from storage.engine import now, writing
from storage.tables import answers, assessments
from storage.text import refuse_controls

TOKEN_BYTES = 32  # 256 bits; the token is the only key to a private assessment
MAX_TOKEN_LENGTH = 64
MAX_ORGANISATION = 200


@dataclass(frozen=True)
class Assessment:
    """One stored assessment. `token` is its private resume key, known only when the assessment was just
    created or was found by that token (the database keeps only its hash); otherwise it is empty."""

    id: int
    token: str
    questionnaire_id: str
    questionnaire_version: str
    organisation: str = ""
    role: str | None = None
    targets: dict[str, int] = field(default_factory=dict)
    workshop_id: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    baseline_id: int | None = None
    profile: dict | None = None  # organisation_profile: of an imported answers file, or given on Results
    pilots: tuple[Pilot, ...] = ()  # its pilot register, in order
    branding: dict | None = None  # prepared-by, colour, logo and commentary for its reports
    removed_at: dt.datetime | None = None  # a workshop participant the facilitator removed
    taken_on: dt.date | None = None  # the date of the answers file it was imported from (None: today)
    language: str = SOURCE  # the language its screens and reports speak

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def new_token() -> str:
    """A fresh random resume token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the database keeps of a secret token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_assessment(engine: Engine, questionnaire_id: str, questionnaire_version: str, *, organisation: str = "",
                      role: str | None = None, targets: dict[str, int] | None = None,
                      workshop_id: int | None = None, language: str = SOURCE) -> Assessment:
    """Start a new assessment (in `language`) and return it with its token."""
    with writing(engine) as conn:
        return _create(conn, questionnaire_id, questionnaire_version, organisation, role, targets, workshop_id,
                       language)


def _create(conn: Connection, questionnaire_id: str, version: str, organisation: str, role: str | None,
            targets: dict[str, int] | None, workshop_id: int | None, language: str = SOURCE) -> Assessment:
    stamp = now()
    token = new_token()
    row = {
        "questionnaire_id": refuse_controls(questionnaire_id, N_("questionnaire id")),
        "questionnaire_version": refuse_controls(version, N_("questionnaire version")),
        "organisation": _organisation(organisation), "role": _role(role), "targets": dict(targets or {}),
        "workshop_id": workshop_id, "created_at": stamp, "updated_at": stamp, "finished_at": None,
        "language": checked_language(language),
    }
    new_id = conn.execute(insert(assessments).values(token=hash_token(token), **row)
                          .returning(assessments.c.id)).scalar_one()
    return Assessment(id=new_id, token=token, **row)


def import_response(engine: Engine, response: Response, workshop_id: int | None = None) -> Assessment:
    """Store a whole response (an uploaded answers file) as a new assessment, in one transaction."""
    check_response_text(response)
    with writing(engine) as conn:
        assessment = _create(conn, response.questionnaire, response.questionnaire_version, response.organisation,
                             response.role, response.targets, workshop_id, response.language or SOURCE)
        _upsert_answers(conn, assessment.id, response.answers, ("value", "note"))
        kept = {"profile": response.organisation_profile.model_dump(exclude_none=True)
                if response.organisation_profile is not None else None, "taken_on": response.date}
        kept = {name: value for name, value in kept.items() if value is not None}
        if kept:
            conn.execute(update(assessments).where(assessments.c.id == assessment.id).values(**kept))
            assessment = dataclasses.replace(assessment, **kept)
        if response.pilots:
            registers.replace_register(conn, response.pilots, assessment_id=assessment.id)
            assessment = dataclasses.replace(assessment, pilots=tuple(response.pilots))
    return assessment


def check_response_text(response: Response) -> None:
    """AnswersError (TextError for a control character) when any text of a response could not be stored: its
    organisation, role, answers, notes and pilot register; the same rules as storing it."""
    check_value(response.role, N_("role"))
    _organisation(response.organisation)
    _role(response.role)
    for question_id, answer in response.answers.items():
        refuse_controls(question_id, N_("question id"))
        stored_value(answer.value)
        check_note(answer.note)
    for pilot in response.pilots:
        registers.checked_pilot(pilot)


def save_pilots(engine: Engine, assessment_id: int, register) -> None:
    """Store an assessment's pilot register as it now stands (checked by the caller), whole or not at all."""
    with writing(engine) as conn:
        _refuse_if_workshop_closed(conn, assessment_id)
        stamp = now()
        registers.replace_register(conn, register, assessment_id=assessment_id, stamp=stamp)
        _touch(conn, assessment_id, stamp)


def find_assessment(engine: Engine, token: str | None) -> Assessment | None:
    """The assessment with this resume token, or None when there is none."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(assessments).where(assessments.c.token == hash_token(token))).mappings().first()
        return _assessment(row, token, registers.load_registers(conn, [row["id"]])) if row else None


def list_assessments(engine: Engine, questionnaire_id: str | None = None) -> list[Assessment]:
    """Every stored assessment (of one questionnaire, if given), oldest first."""
    query = select(assessments).order_by(assessments.c.id)
    if questionnaire_id is not None:
        query = query.where(assessments.c.questionnaire_id == questionnaire_id)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
        found = registers.load_registers(conn, [row["id"] for row in rows])
    return [_assessment(row, "", found) for row in rows]


def _assessment(row, token: str = "", pilots_by_id: dict | None = None) -> Assessment:
    """An assessment from its row; its pilot register from `pilots_by_id` when the caller loaded it."""
    register = (pilots_by_id or {}).get(row["id"], ())
    return Assessment(**{**row, "token": token, "targets": dict(row["targets"] or {}), "pilots": register})


def load_answers(engine: Engine, assessment_id: int) -> dict[str, Answer]:
    """Every saved answer and note by question id; value None means a note without an answer."""
    query = (select(answers.c.question_id, answers.c.value, answers.c.note)
             .where(answers.c.assessment_id == assessment_id).order_by(answers.c.id))
    with engine.connect() as conn:
        return {row.question_id: Answer(row.value, row.note or "") for row in conn.execute(query)}


def load_response(engine: Engine, assessment: Assessment) -> Response:
    """The assessment as a Response, ready to score or export (notes without an answer left out)."""
    saved = load_answers(engine, assessment.id)
    return response_of(assessment, saved)


def response_of(assessment: Assessment, saved: dict[str, Answer]) -> Response:
    """A Response from an assessment and its saved answers, leaving out notes without an answer."""
    return Response(
        questionnaire=assessment.questionnaire_id,
        questionnaire_version=assessment.questionnaire_version,
        answers={qid: answer for qid, answer in saved.items() if answer.value is not None},
        organisation=assessment.organisation,
        role=assessment.role,
        targets=dict(assessment.targets),
        date=assessment.taken_on,
        organisation_profile=OrganisationProfile(**assessment.profile) if assessment.profile else None,
        pilots=tuple(assessment.pilots),
        language=assessment.language if assessment.language != SOURCE else None,  # English: the file says nothing
    )


def check_value(value, what: str = N_("answer")) -> None:
    """TextError when an answer's text (or any text in a list of choices) cannot be stored, in the language of the
    moment; `what` names the field in English, marked with N_ (e.g. "role name")."""
    for text in (value if isinstance(value, list) else [value]):
        if isinstance(text, str):
            refuse_controls(text, what)  # refuses all check_text refuses too (NUL, lone surrogates)


def stored_value(value):
    """An answer's value as stored: its text checked (TextError for a control character), carriage returns
    normalised."""
    check_value(value)
    if isinstance(value, str):
        return refuse_controls(value, N_("answer"))
    if isinstance(value, list):
        return [refuse_controls(v, N_("answer")) if isinstance(v, str) else v for v in value]
    return value


def _role(role: str | None) -> str | None:
    return refuse_controls(role, N_("role"))


def save_answer(engine: Engine, assessment_id: int, question_id: str, value) -> None:
    """Save one answer's value (None clears it), keeping its note."""
    with writing(engine) as conn:
        _upsert_answers(conn, assessment_id, {question_id: Answer(value)}, ("value",))


def save_note(engine: Engine, assessment_id: int, question_id: str, note: str) -> None:
    """Save one question's note, keeping its answer; a note over the limit is refused."""
    check_note(note)
    with writing(engine) as conn:
        _upsert_answers(conn, assessment_id, {question_id: Answer(None, note)}, ("note",))


def save_answers(engine: Engine, assessment_id: int, given: dict[str, Answer]) -> None:
    """Save many answers with their notes at once (values and notes replaced)."""
    for answer in given.values():
        check_note(answer.note)
    with writing(engine) as conn:
        _upsert_answers(conn, assessment_id, given, ("value", "note"))


def carry_forward(engine: Engine, assessment_id: int, new_version: str, given: dict[str, Answer],
                  targets: dict[str, int] | None = None, confirm=()) -> None:
    """Move an assessment to another questionnaire version in one transaction: its answers replaced by `given`
    (a pre-filled answer kept under the same id stays marked as carried over, and so is each answer in `confirm`,
    whose question changed meaning), its version (and targets) set."""
    for answer in given.values():
        check_note(answer.note)
    with writing(engine) as conn:
        mine = answers.c.assessment_id == assessment_id
        marked = set(conn.execute(select(answers.c.question_id).where(mine, answers.c.carried_over)).scalars())
        conn.execute(delete(answers).where(mine))
        values = {"questionnaire_version": new_version, **({} if targets is None else {"targets": dict(targets)})}
        _touch(conn, assessment_id, now(), **values)
        _upsert_answers(conn, assessment_id, given, ("value", "note"))
        still = (marked | set(confirm)) & set(given)
        if still:
            conn.execute(update(answers).where(mine, answers.c.question_id.in_(still)).values(carried_over=True))


def check_note(note: str) -> None:
    """AnswersError when a note is longer than allowed or holds what cannot be stored."""
    refuse_controls(note or "", N_("note"))  # first: it says in the screen's language all check_text would
    check_text(note or "", "The note")
    if len(note or "") > MAX_NOTE:
        raise AnswersError(_("The note is {length} characters long; at most {limit} are allowed. Shorten it; the "
                             "previously saved note is kept.").format(length=i18n.number(len(note)),
                                                                      limit=i18n.number(MAX_NOTE)))


def _upsert_answers(conn: Connection, assessment_id: int, given: dict[str, Answer], columns: tuple[str, ...]) -> None:
    if not given:
        return
    for question_id, answer in given.items():  # every answer passes here: refuse what no database stores
        refuse_controls(question_id, N_("question id"))
        check_text(question_id, "The question id")
        check_note(answer.note)
    refuse_invalid(_refuse_if_workshop_closed(conn, assessment_id), given, "value" in columns)
    stamp = now()
    rows = [{"assessment_id": assessment_id, "question_id": qid, "value": stored_value(a.value),
             "note": refuse_controls(a.note or "", N_("note")), "carried_over": False, "updated_at": stamp}
            for qid, a in given.items()]
    dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
    statement = dialect_insert(answers).values(rows)
    # Giving an answer, even the carried-over value again, confirms it; a note alone does not.
    confirmed = ("carried_over",) if "value" in columns else ()
    statement = statement.on_conflict_do_update(
        index_elements=[answers.c.assessment_id, answers.c.question_id],
        set_={name: statement.excluded[name] for name in (*columns, *confirmed, "updated_at")},
    )
    conn.execute(statement)
    _touch(conn, assessment_id, stamp)


def _refuse_if_workshop_closed(conn: Connection, assessment_id: int) -> tuple[str, str] | None:
    """Hook: answers to a closed workshop are refused inside the saving transaction (storage/workshops.py); the
    assessment's questionnaire id and version."""
    return check_open(conn, assessment_id)


def refuse_invalid(identity: tuple[str, str] | None, given: dict[str, Answer], with_values: bool) -> None:
    """AnswersError, with the answers file's wording, for an answer its question does not allow (a value out of
    range, an option it does not have, an id it does not ask), whoever saves it. Answers to a questionnaire
    version that is not installed here cannot be checked and are stored as given."""
    questionnaire = load_library().find(*identity) if identity is not None else None
    if questionnaire is None:
        return
    questions = {question.id: question for question in questionnaire.questions}
    problems = []
    for question_id, answer in given.items():
        question = questions.get(question_id)
        if question is None:
            problems.append(f"unknown question id '{question_id}' in '{questionnaire.id}' {questionnaire.version}")
        elif with_values and answer.value is not None:
            reason = answer_problem(questionnaire, question, answer.value)
            if reason:
                problems.append(f"answers.{question_id}: {reason}")
    if problems:
        raise AnswersError([Problem("", None, "", problem) for problem in problems])


def _touch(conn: Connection, assessment_id: int, stamp: dt.datetime, **values) -> None:
    conn.execute(update(assessments).where(assessments.c.id == assessment_id).values(updated_at=stamp, **values))


def set_targets(engine: Engine, assessment_id: int, targets: dict[str, int]) -> None:
    """Replace the target phase per domain."""
    with writing(engine) as conn:
        _touch(conn, assessment_id, now(), targets=dict(targets))


def set_branding(engine: Engine, assessment_id: int, branding: dict | None) -> None:
    """Keep the report branding (as `reports.branding.Branding.to_stored` gives it) with the assessment."""
    branding = stored_branding(branding)
    with writing(engine) as conn:
        conn.execute(update(assessments).where(assessments.c.id == assessment_id).values(branding=branding))


BRANDING_TEXTS = {"prepared_by": N_("prepared-by name"), "commentary": N_("commentary"),
                  "logo_name": N_("logo's file name"), "color": N_("colour")}


def stored_branding(branding: dict | None) -> dict | None:
    """A branding dict with its texts checked (TextError for a control character), carriage returns normalised."""
    if not branding:
        return branding
    return {name: refuse_controls(value, BRANDING_TEXTS.get(name, name.replace("_", " ")))
            if isinstance(value, str) and name != "logo" else value for name, value in branding.items()}


PROFILE_HINTS = {  # what to write, per field of the organisation profile, in the words of the form
    "size": "the size as small, medium or large",
    "industry": "the industry as a short id in lower case (letters, digits, - or _), e.g. retail",
    "currency": "the currency as a three-letter code such as EUR, USD or GBP",
    "ai_role": "the role under the EU AI Act as provider, deployer or both",
    "business_model": "the business model as ai-product or ai-in-operations",
}


def checked_profile(profile: dict | None, whose: str = "The organisation profile") -> dict | None:
    """An organisation's size, industry, currency and EU AI Act role as stored, those given (None when none is),
    checked with the answers file's `organisation_profile` model; AnswersError saying what to fix otherwise."""
    if not profile:
        return None
    for name, value in profile.items():
        if isinstance(value, str):
            refuse_controls(value, f"organisation profile's {name.replace('_', ' ')}")
    try:
        return OrganisationProfile(**profile).model_dump(exclude_none=True) or None
    except ValidationError as exc:
        wrong = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        raise AnswersError(f"{whose} was not saved: {_profile_hint(profile, wrong)}.") from None


def _profile_hint(profile: dict, wrong: set[str]) -> str:
    """What to write instead, for each refused field of a profile in the form's order, then the fields to leave out."""
    hints = ["give " + PROFILE_HINTS[name] + (_industry_suggestion(profile["industry"]) if name == "industry" else "")
             for name in PROFILE_HINTS if name in wrong]
    unknown = sorted(wrong - PROFILE_HINTS.keys())
    if unknown:
        hints.append(f"leave out {', '.join(unknown)} (a profile gives {', '.join(PROFILE_HINTS)})")
    return "; ".join(hints)


def _industry_suggestion(industry: object) -> str:
    """' (for 'Retail banking', write retail-banking)' where words typed for an industry make a valid id."""
    if not isinstance(industry, str) or not industry:
        return ""
    suggested = "-".join(industry.lower().split())
    try:
        OrganisationProfile(industry=suggested)
    except ValidationError:
        return ""
    return f" (for '{industry}', write {suggested})" if suggested != industry else ""


def set_profile(engine: Engine, assessment_id: int, profile: dict | None) -> None:
    """Keep the organisation's size, industry, currency and EU AI Act role with a self-assessment (checked like an
    answers file's profile): the benchmark compares it with organisations of the same industry and size, and the
    plan and the pilots' values use the rest."""
    cleaned = checked_profile(profile)
    with writing(engine) as conn:
        changed = conn.execute(update(assessments).where(assessments.c.id == assessment_id,
                                                         assessments.c.workshop_id.is_(None))
                               .values(profile=cleaned, updated_at=now())).rowcount
    if not changed:
        raise AnswersError("The organisation profile was not saved: a workshop participant's answers are compared "
                           "under the workshop's client profile, which the facilitator sets.")


def checked_language(language: str | None) -> str:
    """The language code to store ('de' for 'de-AT'); AnswersError naming the offered ones for any other."""
    found = i18n.supported(language)
    if found is None:
        raise AnswersError(f"The language '{language}' is not offered; choose one of: {', '.join(i18n.available())}.")
    return found


def set_language(engine: Engine, assessment_id: int, language: str) -> None:
    """Speak `language` on the assessment's screens and in its reports from now on."""
    with writing(engine) as conn:
        _touch(conn, assessment_id, now(), language=checked_language(language))


def set_organisation(engine: Engine, assessment_id: int, organisation: str) -> None:
    """Set the organisation's name shown in the report."""
    with writing(engine) as conn:
        _touch(conn, assessment_id, now(), organisation=_organisation(organisation))


def finish_assessment(engine: Engine, assessment_id: int) -> None:
    """Mark the assessment finished (the first time only); `services.finish_assessment` also stores its summary."""
    with writing(engine) as conn:
        stamp = now()
        conn.execute(update(assessments)
                     .where(assessments.c.id == assessment_id, assessments.c.finished_at.is_(None))
                     .values(finished_at=stamp, updated_at=stamp))


def count_answers(engine: Engine, assessment_id: int | None = None) -> int:
    """How many answer rows are stored (for one assessment, if given)."""
    query = select(func.count()).select_from(answers)
    if assessment_id is not None:
        query = query.where(answers.c.assessment_id == assessment_id)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _organisation(text: str) -> str:
    refuse_controls(text or "", N_("organisation name"))  # before the spaces are joined: a vertical tab is no space
    name = " ".join((text or "").split())
    check_text(name, "The organisation name")
    if len(name) > MAX_ORGANISATION:
        raise AnswersError(_("The organisation name is {length} characters long; at most {limit} are allowed.").format(
            length=len(name), limit=MAX_ORGANISATION))
    return name


# --- re-assessment: a series of assessments, each measured against its baseline ----------

MAX_SERIES = 200  # far more re-assessments than anyone runs; bounds a walk through a damaged chain


class ReassessmentError(AnswersError):
    """A re-assessment cannot start from this assessment; the message says why."""


def get_assessment(engine: Engine, assessment_id: int) -> Assessment | None:
    """The assessment with this id (token left empty), or None."""
    with engine.connect() as conn:
        row = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).mappings().first()
        return _assessment(row, "", registers.load_registers(conn, [assessment_id])) if row else None


def start_reassessment(engine: Engine, baseline: Assessment, questionnaire_version: str | None = None) -> Assessment:
    """A new assessment of the same organisation with `baseline` as its baseline: its answers and notes copied
    and marked as carried over, to confirm or change. Returned with its token."""
    if not baseline.finished:
        raise ReassessmentError("Only a finished assessment can be the baseline of a re-assessment; finish it first.")
    if baseline.workshop_id is not None:
        raise ReassessmentError("A workshop participant's answers are not re-assessed one by one; "
                                "the facilitator re-runs the workshop for the client instead.")
    with writing(engine) as conn:
        created = _create(conn, baseline.questionnaire_id, questionnaire_version or baseline.questionnaire_version,
                          baseline.organisation, baseline.role, baseline.targets, None, baseline.language)
        conn.execute(update(assessments).where(assessments.c.id == created.id)
                     .values(baseline_id=baseline.id, profile=baseline.profile, branding=baseline.branding))
        registers.replace_register(conn, baseline.pilots, assessment_id=created.id)
        copied = select(literal(created.id), answers.c.question_id, answers.c.value, answers.c.note, true(),
                        literal(created.created_at)).where(answers.c.assessment_id == baseline.id)
        conn.execute(insert(answers).from_select(
            ["assessment_id", "question_id", "value", "note", "carried_over", "updated_at"], copied))
    return dataclasses.replace(created, baseline_id=baseline.id, profile=baseline.profile,
                               branding=baseline.branding, pilots=tuple(baseline.pilots))


def carried_over_ids(engine: Engine, assessment_id: int) -> set[str]:
    """The questions whose answer was carried over from the baseline and not yet confirmed or changed."""
    query = select(answers.c.question_id).where(answers.c.assessment_id == assessment_id, answers.c.carried_over,
                                                answers.c.value.is_not(None))
    with engine.connect() as conn:
        return set(conn.execute(query).scalars())


def confirm_answers(engine: Engine, assessment_id: int, question_ids) -> None:
    """Confirm carried-over answers as they are: they count as given in this assessment."""
    wanted = list(question_ids)
    if not wanted:
        return
    with writing(engine) as conn:
        _refuse_if_workshop_closed(conn, assessment_id)
        stamp = now()
        conn.execute(update(answers).where(answers.c.assessment_id == assessment_id,
                                           answers.c.question_id.in_(wanted), answers.c.carried_over)
                     .values(carried_over=False, updated_at=stamp))
        _touch(conn, assessment_id, stamp)


def assessment_series(engine: Engine, assessment: Assessment) -> list[Assessment]:
    """The assessment and every baseline before it, oldest first (tokens empty, except the given one's)."""
    series, seen = [assessment], {assessment.id}
    while series[-1].baseline_id is not None and len(series) < MAX_SERIES:
        earlier = get_assessment(engine, series[-1].baseline_id)
        if earlier is None or earlier.id in seen:
            break
        series.append(earlier)
        seen.add(earlier.id)
    return series[::-1]

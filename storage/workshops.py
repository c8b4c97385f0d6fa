"""Workshops: create, join by code, list participants' responses, consensus, close.

Two secrets guard a workshop. The facilitator token (256 bits) is the key to the
dashboard, consensus and downloads. The join code only lets someone add a response; it
is 12 characters of Crockford base32 (60 bits), long enough that guessing one is futile
(at 10,000 guesses a second against 10,000 open workshops, a hit takes centuries on
average), yet easy to copy from a whiteboard in three groups of four.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

import i18n
from i18n import _, ngettext
from scoring.answers import DONT_KNOW, NA, Answer, Response
from scoring.words import N_
from scoring.workshop import DEFAULT_ROLES, Role, Room
from storage import repository as repo
from storage import retention
from storage.gates import (  # the gates' errors and checks, as the pages know them from here too
    ParticipantRemoved, WorkshopClosed, WorkshopError, _aware, _check_workshop_open, check_open, is_closed)
from storage.engine import writing
from storage.pilots import load_workshop_register, replace_register
from storage.text import refuse_controls
from config import setting
from storage.tables import (answers, assessments, consensus, join_attempts, pilots, summaries, workshop_events,
                            workshops)

FACILITATOR_TOKEN_BYTES = 32
JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
JOIN_CODE_LENGTH = 12
JOIN_CODE_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_CLIENT = 200
MAX_ROLES = 20
MAX_ROLE = 60
GROUPS = ("executive", "practitioner")
PATTERN_MIN_ANSWERS = 5  # fewer equal answers than this are no pattern
QUICKEST_HONEST_RUN = dt.timedelta(minutes=1)  # a whole questionnaire answered faster than this was not read
PARTICIPANT_COOKIE_DAYS = 90  # how long a browser remembers who answered in it
FREE_ATTEMPTS = 5  # wrong codes one browser session may type before it has to wait
ADDRESS_FREE_ATTEMPTS = 60  # wrong codes a whole network (a room behind one address) may type before anyone waits
ATTEMPT_WINDOW = dt.timedelta(minutes=15)  # wrong codes older than this are forgotten
MAX_WAIT_SECONDS = 300
REMOVED = "participant_removed"  # audit actions in workshop_events
RESTORED = "participant_restored"
ERASED = "participant_erased"
NEW_LINK = "new_link"
SHARED = "shared"
UNSHARED = "unshared"
FACILITATOR = "facilitator"  # the actor of an audit line when nobody is signed in: whoever holds the secret link
# What each audit action says, filled in with the facts stored with the line, in the language of whoever reads it.
# {participant}: the participant as the line names them (`participant_brief`).
EVENT_SENTENCES = {
    REMOVED: N_("Removed {participant} from every aggregate and export"),
    RESTORED: N_("Restored {participant}: counted again"),
    ERASED: N_("Erased {label}'s answers for good"),
    NEW_LINK: N_("made a new secret facilitator link; the old one no longer opens the workshop"),
    SHARED: N_("shared with {address}"),
    UNSHARED: N_("no longer shared with {address}"),
}


@dataclass(frozen=True)
class Workshop:
    """One stored workshop. `facilitator_token` is secret, known only when the workshop was just created or
    found by it (the database keeps its hash), else empty; `join_code` lets people answer."""

    id: int
    facilitator_token: str
    join_code: str
    client: str
    questionnaire_id: str
    questionnaire_version: str
    roles: tuple[Role, ...]
    anonymous: bool
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime
    baseline_id: int | None = None  # the earlier workshop for the same client that this one re-runs
    branding: dict | None = None  # prepared-by, colour, logo and commentary (see reports.branding.Branding)
    profile: dict | None = None  # the client's size, industry, currency and EU AI Act role: benchmark and plan
    language: str = "en"  # the engagement language: the dashboard, presenter view and workshop reports speak it

    def is_closed(self, at: dt.datetime | None = None) -> bool:
        """Closed by the facilitator, or past its closing time."""
        return is_closed(self.closed_at, self.closes_at, at)

    @property
    def display_code(self) -> str:
        """The join code in groups of four, for the whiteboard: 'K7QM-XR4P-9TZH'."""
        return "-".join(self.join_code[i:i + 4] for i in range(0, len(self.join_code), 4))


@dataclass(frozen=True)
class Participant:
    """One participant: a label by join order ('P-007'), their role and their response."""

    label: str
    assessment: repo.Assessment
    response: Response

    @property
    def role(self) -> str | None:
        return self.assessment.role

    @property
    def removed(self) -> bool:
        """Removed by the facilitator: kept, but left out of every aggregate and export."""
        return self.assessment.removed_at is not None

    def brief(self) -> str:
        """'P-002 · Executive · 1 answer': the participant as an audit line names them, in the language of the
        moment."""
        return participant_brief(self.facts())

    def facts(self) -> dict:
        """What an audit line keeps of the participant, to name them in the language of whoever reads it."""
        return {"label": self.label, "role": self.role, "answers": len(self._given())}

    def describe(self) -> str:
        """'P-002 · Executive · joined 26 Nov 09:12 UTC · finished 26 Nov 09:12 UTC · 14 answers · 2 don't know ·
        whole questionnaire in under a minute': what the facilitator needs to tell a stray entry from a person, in
        the language of the moment."""
        given = self._given()
        doubts = sum(1 for answer in given if answer.value == DONT_KNOW)
        finished = self.assessment.finished_at
        parts = [self.label, self.role or _("no role"), _("joined {moment}").format(moment=_moment(self.assessment.created_at)),
                 _("finished {moment}").format(moment=_moment(finished)) if finished else _("not finished"),
                 answers_text(len(given)), _("{count} don't know").format(count=doubts)]
        return " · ".join(parts + list(self.patterns()))

    def patterns(self) -> tuple[str, ...]:
        """What makes the response look like a test or a click-through rather than a considered answer."""
        found = []
        values = [json.dumps(a.value, sort_keys=True) for a in self._given() if a.value not in (DONT_KNOW, NA)]
        if len(values) >= PATTERN_MIN_ANSWERS and len(set(values)) == 1:
            found.append(_("all answers equal"))
        started, finished = self.assessment.created_at, self.assessment.finished_at
        if started and finished and _aware(finished) - _aware(started) < QUICKEST_HONEST_RUN:
            found.append(_("whole questionnaire in under a minute"))
        return tuple(found)

    def _given(self) -> list[Answer]:
        return [answer for answer in self.response.answers.values() if answer.value is not None]


def answers_text(count: int) -> str:
    """'1 answer', '14 answers' in the language of the moment."""
    return ngettext("{count} answer", "{count} answers", count).format(count=count)


def participant_brief(facts: dict) -> str:
    """'P-002 · Executive · 1 answer': a participant as an audit line names them, from the facts it keeps."""
    return " · ".join((facts["label"], facts.get("role") or _("no role"), answers_text(int(facts["answers"]))))


def _moment(at: dt.datetime | None) -> str:
    """'26 Nov 09:12 UTC' ('26. Nov. 09:12 UTC' in German)."""
    if not at:
        return _("unknown")
    return _("{day} {time} UTC").format(day=i18n.day_month(_aware(at).date()), time=f"{_aware(at):%H:%M}")


@dataclass(frozen=True)
class WorkshopEvent:
    """One audit line: when, who, what (an action id), the facts its sentence names (None on a line stored before
    they were kept) and the sentence as stored, in English (what a line without facts shows)."""

    at: dt.datetime
    actor: str
    action: str
    detail: str
    facts: dict | None = None

    def sentence(self) -> str:
        """What happened, in the language of the moment; a line stored without facts, as it was written."""
        if self.facts is None:
            return self.detail
        return event_sentence(self.action, self.facts) or self.detail

    def __str__(self) -> str:
        """'26 Nov 2026 09:12 UTC · Removed P-002 · Executive · 1 answer from every aggregate and export (by
        ana@example.com)', in the language of the moment."""
        at = _aware(self.at)
        who = self.actor if self.actor not in ("", FACILITATOR) else i18n.pgettext("audit actor", "facilitator")
        return _("{day} {time} UTC · {what} (by {who})").format(day=i18n.date(at.date(), "medium"),
                                                                  time=f"{at:%H:%M}", what=self.sentence(), who=who)


def event_sentence(action: str, facts: dict) -> str | None:
    """The sentence of an audit action with its facts, in the language of the moment; None when this release does
    not know the action or the facts do not fit it (a line a newer release wrote)."""
    message = EVENT_SENTENCES.get(action)
    if message is None:
        return None
    try:
        values = {**facts, "participant": participant_brief(facts)} if "answers" in facts else facts
        return _(message).format(**values)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def new_join_code() -> str:
    """A random join code (60 bits)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(text: str | None) -> str | None:
    """A typed join code in canonical form (case, dashes, spaces, O/I/L forgiven); None if it cannot be one."""
    code = "".join((text or "").split()).replace("-", "").upper().translate(JOIN_CODE_READS)
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_CODE_ALPHABET for c in code):
        return None
    return code


def check_roles(roles: Sequence[Role]) -> tuple[Role, ...]:
    """Roles cleaned up, or a WorkshopError saying what to fix."""
    cleaned, seen = [], set()
    for role in roles:
        name = " ".join(refuse_controls(role.name or "", N_("role name")).split())
        if not name:
            continue
        repo.check_value(name, N_("role name"))
        if len(name) > MAX_ROLE:
            raise WorkshopError(_("The role '{name}…' is {length} characters long; at most {limit} are allowed.").format(
                name=name[:20], length=len(name), limit=MAX_ROLE))
        if role.group not in (None, *GROUPS):
            raise WorkshopError(_("The role group of '{name}' must be executive, practitioner or empty.").format(
                name=name))
        if name.casefold() in seen:
            raise WorkshopError(_("The role '{name}' is listed twice; give each role once.").format(name=name))
        seen.add(name.casefold())
        cleaned.append(Role(name, role.group))
    if not cleaned:
        raise WorkshopError(_("Give at least one role, for example Executive."))
    if len(cleaned) > MAX_ROLES:
        raise WorkshopError(_("{count} roles given; at most {limit} are allowed.").format(count=len(cleaned),
                                                                                        limit=MAX_ROLES))
    return tuple(cleaned)


# --- workshops ---------------------------------------------------------------------------


def create_workshop(engine: Engine, client: str, questionnaire_id: str, questionnaire_version: str, *,
                    roles: Sequence[Role] = DEFAULT_ROLES, anonymous: bool = True,
                    closes_at: dt.datetime | None = None, baseline_id: int | None = None,
                    language: str = "en") -> Workshop:
    """Create a workshop with a fresh facilitator token and join code (`baseline_id`: the one it re-runs), in its
    engagement language."""
    client = " ".join(refuse_controls(client or "", N_("client's name")).split())
    repo.check_value(client, N_("client's name"))
    if not client or len(client) > MAX_CLIENT:
        raise WorkshopError(_("Name the client (1 to {limit} characters); it appears on the report.").format(
            limit=MAX_CLIENT))
    stamp = repo.now()
    if closes_at is not None and _aware(closes_at) <= stamp:
        raise WorkshopError(_("The closing time is in the past; choose a later time or none."))
    token = secrets.token_urlsafe(FACILITATOR_TOKEN_BYTES)
    row = {
        "facilitator_token": repo.hash_token(token), "join_code": new_join_code(),
        "client": client, "questionnaire_id": questionnaire_id, "questionnaire_version": questionnaire_version,
        "roles": [{"name": r.name, "group": r.group} for r in check_roles(roles)], "anonymous": anonymous,
        "closes_at": closes_at, "closed_at": None, "created_at": stamp, "baseline_id": baseline_id,
        "language": repo.checked_language(language),
    }
    with writing(engine) as conn:
        new_id = conn.execute(insert(workshops).values(row).returning(workshops.c.id)).scalar_one()
    return _workshop({**row, "id": new_id}, token)


def rerun_workshop(engine: Engine, workshop: Workshop, questionnaire_version: str | None = None) -> Workshop:
    """A new workshop for the same client, questionnaire and roles, with `workshop` as its baseline. It keeps the
    client's profile and the branding, but the commentary starts empty (it spoke of the earlier run's findings),
    and starts its pilot register as a copy of the earlier one, each pilot marked as carried over for the
    facilitator to confirm or change."""
    again = create_workshop(engine, workshop.client, workshop.questionnaire_id,
                            questionnaire_version or workshop.questionnaire_version, roles=workshop.roles,
                            anonymous=workshop.anonymous, baseline_id=workshop.id, language=workshop.language)
    branding = _without_commentary(workshop.branding)
    register = load_workshop_register(engine, workshop.id)
    with writing(engine) as conn:
        conn.execute(update(workshops).where(workshops.c.id == again.id)
                     .values(branding=branding, profile=workshop.profile))
        replace_register(conn, register, workshop_id=again.id)
        conn.execute(update(pilots).where(pilots.c.workshop_id == again.id).values(carried_over=True))
    return dataclasses.replace(again, branding=branding, profile=workshop.profile)


def _without_commentary(branding: dict | None) -> dict | None:
    if not branding:
        return branding
    kept = {**branding, "commentary": ""}
    return kept if any(kept.values()) else None


def carried_pilots(engine: Engine, workshop_id: int) -> list[str]:
    """The names of the pilots copied from the earlier run and not yet confirmed or changed, in register order."""
    query = (select(pilots.c.name).where(pilots.c.workshop_id == workshop_id, pilots.c.carried_over)
             .order_by(pilots.c.position))
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def confirm_pilots(engine: Engine, workshop_id: int, names: Sequence[str] | None = None) -> None:
    """Confirm carried-over pilots as they stand (all of them, or those named): they count as this run's own.
    Saving the register confirms every pilot in it too."""
    condition = [pilots.c.workshop_id == workshop_id, pilots.c.carried_over]
    if names is not None:
        condition.append(pilots.c.name.in_(list(names)))
    with writing(engine) as conn:
        conn.execute(update(pilots).where(*condition).values(carried_over=False, updated_at=repo.now()))


def find_by_code(engine: Engine, code: str | None) -> Workshop | None:
    """The workshop with this join code, or None."""
    code = normalise_code(code)
    return _find(engine, workshops.c.join_code == code) if code else None


def find_by_token(engine: Engine, token: str | None) -> Workshop | None:
    """The workshop whose facilitator token this is, or None."""
    if not token or len(token) > 64:
        return None
    found = _find(engine, workshops.c.facilitator_token == repo.hash_token(token))
    return dataclasses.replace(found, facilitator_token=token) if found else None


def get_workshop(engine: Engine, workshop_id: int) -> Workshop | None:
    """The workshop with this id (for code that already holds a key to it), or None."""
    return _find(engine, workshops.c.id == workshop_id)


def _find(engine: Engine, condition) -> Workshop | None:
    with engine.connect() as conn:
        row = conn.execute(select(workshops).where(condition)).mappings().first()
    return _workshop(row) if row else None


def _workshop(row, token: str = "") -> Workshop:
    roles = tuple(Role(r["name"], r.get("group")) for r in row["roles"] or [])
    values = {k: row[k] for k in ("id", "join_code", "client", "questionnaire_id",
                                  "questionnaire_version", "anonymous", "closes_at", "closed_at", "created_at")}
    return Workshop(roles=roles, facilitator_token=token, baseline_id=row.get("baseline_id"),
                    branding=row.get("branding"), profile=row.get("profile"), language=row.get("language") or "en",
                    **values)


def set_branding(engine: Engine, workshop_id: int, branding: dict | None) -> None:
    """Keep the workshop's branding (as `reports.branding.Branding.to_stored` gives it) for its PDF, deck, exports."""
    with writing(engine) as conn:
        conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(branding=branding))


def close_workshop(engine: Engine, workshop_id: int) -> None:
    """Close the workshop now: nobody joins or answers any more (the first close counts); `services.close_workshop`
    also stores its summary."""
    with writing(engine) as conn:
        conn.execute(update(workshops).where(workshops.c.id == workshop_id, workshops.c.closed_at.is_(None))
                     .values(closed_at=repo.now()))


# --- participants ------------------------------------------------------------------------


def join_workshop(engine: Engine, workshop: Workshop, role: str, language: str | None = None) -> repo.Assessment:
    """A new participant's assessment in the workshop, with their role and their own language (the engagement
    language unless they chose another); refused once closed or full."""
    if role not in {r.name for r in workshop.roles}:
        raise WorkshopError(_("Pick one of the workshop's roles: {roles}.").format(
            roles=", ".join(r.name for r in workshop.roles)))
    with writing(engine) as conn:
        _check_workshop_open(conn, workshop.id, exclusive=True)
        _check_room(conn, workshop.id)
        return repo._create(conn, workshop.questionnaire_id, workshop.questionnaire_version, workshop.client,
                            role, None, workshop.id, language or workshop.language)


def participant_cookie(workshop_id: int) -> str:
    """The name of the browser cookie that keeps a participant's resume token for one workshop."""
    return f"phasegate_p{workshop_id}"


def returning_participant(engine: Engine, workshop: Workshop, token: str | None) -> repo.Assessment | None:
    """The participant of this workshop whose resume token a browser kept, to continue as them; None when the
    token opens no participant of this workshop. ParticipantRemoved when the facilitator removed them: they stay
    removed, however they come back."""
    found = repo.find_assessment(engine, token)
    if found is None or found.workshop_id != workshop.id:
        return None
    if found.removed_at is not None:
        raise ParticipantRemoved()
    return found


def max_participants() -> int:
    """PHASEGATE_MAX_PARTICIPANTS: how many people one workshop accepts."""
    return int(setting("PHASEGATE_MAX_PARTICIPANTS"))


def _check_room(conn: Connection, workshop_id: int, restoring: bool = False) -> None:
    # Runs after _check_workshop_open(exclusive=True) locked the workshop's row, so joins to one workshop queue
    # there and each counts the ones before it: two joins cannot both take the last place.
    limit = max_participants()
    if _counted(conn, workshop_id) < limit:
        return
    if restoring:
        raise WorkshopError(_("The workshop already counts {limit} participants, the most it accepts "
                              "(PHASEGATE_MAX_PARTICIPANTS); remove someone first.").format(limit=limit))
    raise WorkshopError(_("This workshop is full: it accepts at most {limit} participants. Ask the facilitator if "
                          "you should be in it.").format(limit=limit))


def _lock_room(conn: Connection, workshop_id: int) -> None:
    conn.execute(select(workshops.c.id).where(workshops.c.id == workshop_id).with_for_update())


def _counted(conn: Connection, workshop_id: int) -> int:
    query = (select(func.count()).select_from(assessments)
             .where(assessments.c.workshop_id == workshop_id, assessments.c.removed_at.is_(None)))
    return conn.execute(query).scalar_one()


# --- wrong join codes ---------------------------------------------------------------------


class WrongCode(WorkshopError):
    """The typed code opens no workshop (and was counted against the browser and its network)."""

    def __init__(self):
        super().__init__(_("That code does not open a workshop. Check it against the whiteboard: it has 12 letters "
                           "and digits, in groups of four."))


class WaitBeforeTrying(WorkshopError):
    """Too many wrong codes lately, from this browser or from its whole network: no code is tried until `seconds`
    have passed."""

    def __init__(self, seconds: int, network: bool):
        self.seconds = seconds
        self.network = network
        told = (_("Too many wrong codes were typed from your network. Try again in {seconds} s.") if network
                else _("Too many wrong codes were typed in this browser. Try again in {seconds} s."))
        super().__init__(told.format(seconds=seconds))


@dataclass(frozen=True)
class Knocker:
    """Who is typing a join code, as the throttle counts them: hashes of their address and of their browser
    session. One person's typos use up their session's small allowance; a room sharing one address has a much
    larger one together, which still stops anyone guessing codes from many sessions."""

    address: str
    session: str

    @classmethod
    def of(cls, address: str | None, session: str) -> Knocker:
        return cls(client_key(address), repo.hash_token(f"join-session:{session}"))


def client_key(address: str | None) -> str:
    """What is kept of a client's address for throttling: a SHA-256, never the address itself."""
    return repo.hash_token(f"join:{address or 'local'}")


def forwarded_client(forwarded: str | None, connection: str | None, proxies: int) -> str | None:
    """The client's address behind `proxies` reverse proxies: the one that many hops from the right of the
    forwarding header (each proxy appends the address it was reached from, so what a client writes itself stays
    on the left, out of reach). 0 proxies: the connection's own address, the header ignored."""
    hops = [part.strip() for part in (forwarded or "").split(",") if part.strip()]
    if proxies <= 0 or not hops:
        return connection
    return hops[-proxies] if len(hops) >= proxies else hops[0]


def open_by_code(engine: Engine, typed: str | None, knocker: Knocker, at: dt.datetime | None = None) -> Workshop:
    """The workshop the typed code opens. WaitBeforeTrying while this browser or its network typed too many wrong
    codes lately (the code is not even looked up), WrongCode when it opens none (counted for both).

    The allowance is checked, the code looked up and a wrong one recorded in one transaction that queues behind
    any other try from the same address or session, so simultaneous tries cannot all slip through on one count.
    """
    at = at or repo.now()
    code = normalise_code(typed)
    with writing(engine) as conn:
        _queue_behind(conn, knocker)
        waiting = _waiting(conn, knocker, at)
        found = None
        if waiting is None:
            row = conn.execute(select(workshops).where(workshops.c.join_code == code)).mappings().first() if code else None
            found = _workshop(row) if row else None
            if found is None:
                _record(conn, (knocker.address, knocker.session), at)
    if waiting is not None:
        raise waiting
    if found is None:
        raise WrongCode()
    return found


def _queue_behind(conn: Connection, knocker: Knocker) -> None:
    # PostgreSQL: a lock per address and per session, held to the end of the transaction, always taken in the
    # same order. SQLite: the write transaction already holds the whole database.
    if conn.dialect.name != "postgresql":
        return
    for key in sorted({knocker.address, knocker.session}):
        conn.execute(select(func.pg_advisory_xact_lock(int(key[:15], 16))))


def _waiting(conn: Connection, knocker: Knocker, at: dt.datetime) -> WaitBeforeTrying | None:
    network = _wait(conn, knocker.address, ADDRESS_FREE_ATTEMPTS, at)
    mine = _wait(conn, knocker.session, FREE_ATTEMPTS, at)
    if not network and not mine:
        return None
    return WaitBeforeTrying(max(network, mine), network >= mine)


def join_wait(engine: Engine, client: str, at: dt.datetime | None = None, free: int = FREE_ATTEMPTS) -> int:
    """Seconds this client (an address or session key) must wait before trying another code (0: it may try now).

    The first `free` wrong codes in ATTEMPT_WINDOW cost nothing; each one after doubles the
    wait after the latest, up to MAX_WAIT_SECONDS. Kept in the database, so another replica
    does not reset it.
    """
    with engine.connect() as conn:
        return _wait(conn, client, free, at or repo.now())


def _wait(conn: Connection, client: str, free: int, at: dt.datetime) -> int:
    query = (select(join_attempts.c.failed_at).where(join_attempts.c.client == client,
                                                     join_attempts.c.failed_at > at - ATTEMPT_WINDOW))
    failures = [_aware(moment) for moment in conn.execute(query).scalars()]
    if len(failures) < free:
        return 0
    wait = min(2 ** min(len(failures) - free + 1, 16), MAX_WAIT_SECONDS)
    left = (max(failures) + dt.timedelta(seconds=wait) - at).total_seconds()
    return max(0, int(left + 0.999))


def record_wrong_code(engine: Engine, client: str, at: dt.datetime | None = None) -> None:
    """Remember one wrong code from this client (and forget attempts older than the window)."""
    with writing(engine) as conn:
        _record(conn, (client,), at or repo.now())


def _record(conn: Connection, clients: Sequence[str], at: dt.datetime) -> None:
    # Forgotten attempts go a batch at a time; rows another try is deleting are skipped, not waited for (two
    # transactions deleting the same old rows in different orders could deadlock on PostgreSQL).
    forgotten = (select(join_attempts.c.id).where(join_attempts.c.failed_at <= at - ATTEMPT_WINDOW).limit(500)
                 .with_for_update(skip_locked=True))
    conn.execute(delete(join_attempts).where(join_attempts.c.id.in_(forgotten)))
    conn.execute(insert(join_attempts), [{"client": client, "failed_at": at} for client in clients])


def workshop_of(engine: Engine, assessment: repo.Assessment) -> Workshop | None:
    """The workshop an assessment belongs to, or None for a self-assessment."""
    return get_workshop(engine, assessment.workshop_id) if assessment.workshop_id is not None else None


def list_participants(engine: Engine, workshop_id: int, removed: bool = False) -> list[Participant]:
    """The participants counted in the workshop with their responses, in join order; two queries however many
    there are. Labels number everyone who joined, so P-003 stays P-003 when P-002 is removed. `removed`: the
    participants the facilitator removed instead."""
    counted, left_out = room_participants(engine, workshop_id)
    return left_out if removed else counted


def room_participants(engine: Engine, workshop_id: int) -> tuple[list[Participant], list[Participant]]:
    """The participants counted and those removed, in join order, from one load of everyone's answers (two
    queries however many there are): what a page that shows both reads once per run."""
    with engine.connect() as conn:
        rows = conn.execute(select(assessments).where(assessments.c.workshop_id == workshop_id)
                            .order_by(assessments.c.id)).mappings().all()
        saved = conn.execute(
            select(answers.c.assessment_id, answers.c.question_id, answers.c.value, answers.c.note)
            .join(assessments, assessments.c.id == answers.c.assessment_id)
            .where(assessments.c.workshop_id == workshop_id, answers.c.value.is_not(None))
            .order_by(answers.c.id)
        ).all()
    by_assessment: dict[int, dict[str, Answer]] = {}
    for row in saved:
        by_assessment.setdefault(row.assessment_id, {})[row.question_id] = Answer(row.value, row.note or "")
    participants = []
    for number, row in enumerate(rows, start=1):
        assessment = repo._assessment(row)
        response = repo.response_of(assessment, by_assessment.get(assessment.id, {}))
        participants.append(Participant(f"P-{number:03d}", assessment, response))
    return [p for p in participants if not p.removed], [p for p in participants if p.removed]


def removed_count(engine: Engine, workshop_id: int) -> int:
    """How many participants the facilitator removed from the workshop (one count query, for live pages)."""
    query = (select(func.count()).select_from(assessments)
             .where(assessments.c.workshop_id == workshop_id, assessments.c.removed_at.is_not(None)))
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def remove_participant(engine: Engine, workshop_id: int, assessment_id: int, actor: str = "") -> Participant | None:
    """Leave one participant out of every aggregate and export from now on (their answers are kept, and they can
    be restored), with an audit line; None when they are not a counted participant of this workshop."""
    return _mark_removed(engine, workshop_id, assessment_id, actor, removing=True)


def restore_participant(engine: Engine, workshop_id: int, assessment_id: int, actor: str = "") -> Participant | None:
    """Count a removed participant again, with an audit line; None when they are not removed from this workshop."""
    return _mark_removed(engine, workshop_id, assessment_id, actor, removing=False)


def _mark_removed(engine: Engine, workshop_id: int, assessment_id: int, actor: str,
                  removing: bool) -> Participant | None:
    found = next((p for p in list_participants(engine, workshop_id, removed=not removing)
                  if p.assessment.id == assessment_id), None)
    if found is None:
        return None
    stamp = repo.now()
    state = assessments.c.removed_at.is_(None) if removing else assessments.c.removed_at.is_not(None)
    with writing(engine) as conn:
        if not removing:
            _lock_room(conn, workshop_id)  # a restore takes a place as a join does (a closed room may restore)
            _check_room(conn, workshop_id, restoring=True)
        changed = conn.execute(update(assessments).where(assessments.c.id == assessment_id, state)
                               .values(removed_at=stamp if removing else None)).rowcount
        if not changed:  # someone else did it a moment ago: one audit line is enough
            return None
        _forget_summary(conn, workshop_id)
        record_event(conn, workshop_id, REMOVED if removing else RESTORED, found.facts(), actor, stamp)
    return found


def erase_participant(engine: Engine, workshop_id: int, assessment_id: int, actor: str = "") -> Participant | None:
    """Delete a removed participant's answers for good (a test entry, a request to be forgotten), keeping an audit
    line that names only their number; None when they are not removed from this workshop."""
    found = next((p for p in list_participants(engine, workshop_id, removed=True) if p.assessment.id == assessment_id),
                 None)
    if found is None or not retention.remove_participant(engine, workshop_id, assessment_id):
        return None
    with writing(engine) as conn:
        record_event(conn, workshop_id, ERASED, {"label": found.label}, actor)
    return found


def record_event(conn: Connection, workshop_id: int, action: str, facts: dict, actor: str = "",
                 at: dt.datetime | None = None) -> None:
    """Write one audit line for the workshop (inside the caller's transaction): the action and the facts its
    sentence names, so each reader reads it in their language, and the sentence in English, as a release before
    the facts were kept reads it."""
    with i18n.use(i18n.SOURCE):
        detail = event_sentence(action, facts) or action
    conn.execute(insert(workshop_events).values(workshop_id=workshop_id, at=at or repo.now(), actor=actor or "",
                                                action=action, detail=detail, facts=facts))


def list_events(engine: Engine, workshop_id: int) -> list[WorkshopEvent]:
    """The workshop's audit lines, oldest first."""
    columns = (workshop_events.c.at, workshop_events.c.actor, workshop_events.c.action, workshop_events.c.detail,
               workshop_events.c.facts)
    query = (select(*columns).where(workshop_events.c.workshop_id == workshop_id)
             .order_by(workshop_events.c.at, workshop_events.c.id))
    with engine.connect() as conn:
        return [WorkshopEvent(row.at, row.actor, row.action, row.detail,
                              row.facts if isinstance(row.facts, dict) else None) for row in conn.execute(query)]


# --- consensus ---------------------------------------------------------------------------


def save_consensus(engine: Engine, workshop_id: int, question_id: str, value, note: str = "") -> None:
    """Record (or replace) the agreed answer to one question; a None value with no note removes it. An answer its
    question does not allow is refused as it is for a participant's answer."""
    repo.check_note(note)
    note = refuse_controls(note or "", N_("consensus note"))
    value = repo.stored_value(value)
    with writing(engine) as conn:
        identity = conn.execute(select(workshops.c.questionnaire_id, workshops.c.questionnaire_version)
                                .where(workshops.c.id == workshop_id)).first()
        repo.refuse_invalid(tuple(identity) if identity else None, {question_id: Answer(value)}, with_values=True)
        _forget_summary(conn, workshop_id)
        if value is None and not note:
            conn.execute(delete(consensus).where(consensus.c.workshop_id == workshop_id,
                                                 consensus.c.question_id == question_id))
            return
        row = {"workshop_id": workshop_id, "question_id": question_id, "value": value, "note": note or "",
               "updated_at": repo.now()}
        dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
        statement = dialect_insert(consensus).values(row)
        conn.execute(statement.on_conflict_do_update(
            index_elements=[consensus.c.workshop_id, consensus.c.question_id],
            set_={name: statement.excluded[name] for name in ("value", "note", "updated_at")},
        ))


def _forget_summary(conn: Connection, workshop_id: int) -> None:
    """A change to a closed room's result drops its stored summary (storage/summaries.py scores it again)."""
    conn.execute(delete(summaries).where(summaries.c.workshop_id == workshop_id))


def load_consensus(engine: Engine, workshop_id: int) -> dict[str, Answer]:
    """Every recorded consensus answer by question id."""
    query = select(consensus.c.question_id, consensus.c.value, consensus.c.note).where(consensus.c.workshop_id == workshop_id)
    with engine.connect() as conn:
        return {row.question_id: Answer(row.value, row.note or "") for row in conn.execute(query)}



def load_room(engine: Engine, workshop: Workshop,
              participants: list[Participant] | None = None) -> tuple[list[Participant], Room]:
    """The workshop's counted participants and what its result is made of (`scoring.workshop.aggregate_room` scores
    it). `participants`: the counted ones when the caller has just loaded them (`room_participants`), so their
    answers are not read twice."""
    if participants is None:
        participants = list_participants(engine, workshop.id)
    room = Room([(p.role, p.response) for p in participants], load_consensus(engine, workshop.id), workshop.roles,
                workshop.client, workshop.profile, load_workshop_register(engine, workshop.id))
    return participants, room

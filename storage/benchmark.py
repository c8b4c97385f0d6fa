"""The benchmark's peers: closed workshops and, where allowed, finished self-assessments, one per organisation.

A peer is a closed workshop, whose organisation result is the room's aggregate: a workshop
vouches for its client (workshop participants are never peers on their own, so a room
counts once however many joined). A finished self-assessment nobody vouches for is a peer
only when PHASEGATE_BENCHMARK_SELF_ASSESSMENTS allows it: anyone can finish one, so by
default made-up self-assessments can neither reach the floor of comparable organisations
nor stand around a real client to read its standing off. Each organisation counts once,
by its name with case, spacing and width folded: its latest vouched result, else its
latest self-assessment, so a client assessed every quarter does not outweigh the others
and a self-assessment under a client's name does not replace the client's workshop. The
organisation being compared is never its own peer.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, or_, select, update

from config import setting
from questionnaires.errors import PhasegateError
from questionnaires.models import Questionnaire
from scoring.answers import Answer
from scoring.benchmark import Benchmark, Peer, benchmark, profile_filters, shares, widest_filters
from scoring.engine import Result, score_response
from storage import repository as repo
from storage import workshops as ws
from storage.engine import writing
from storage.tables import answers, assessments, consensus, workshops

Finder = Callable[[str, str], Questionnaire | None]
KEPT_SECONDS = 600  # a peer's scored indices are reused this long (a closed workshop's consensus may still change)
KEPT_PEERS = 20_000


@dataclass(frozen=True)
class Stored:
    """One stored organisation result before scoring: which record, whose, when, its profile."""

    kind: str  # "assessment" or "workshop"
    id: int
    organisation: str
    at: dt.datetime
    profile: dict
    changed: object = None  # what its last change left behind, so a changed record is scored again, never recalled

    @property
    def vouched(self) -> bool:
        """True for a workshop's result: someone ran the room; a self-assessment anyone may have made up."""
        return self.kind == "workshop"


def self_assessments_count() -> bool:
    """Whether finished self-assessments nobody vouches for are peers (PHASEGATE_BENCHMARK_SELF_ASSESSMENTS)."""
    return bool(setting("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS"))


def peers(engine: Engine, questionnaire_id: str, find: Finder, *, organisation: str = "",
          exclude_assessment: int | None = None, exclude_workshop: int | None = None,
          within: dict[str, str] | None = None) -> list[Peer]:
    """Every peer organisation's latest result on this questionnaire (any version `find` knows), of those whose
    profile has `within` (all when None): only those are scored."""
    records = _closed_workshops(engine, questionnaire_id, exclude_workshop)
    if self_assessments_count():
        records += _finished_assessments(engine, questionnaire_id, exclude_assessment)
    records = _latest_per_organisation(records)
    own = _name_key(organisation)
    records = [r for r in records if (not own or _name_key(r.organisation) != own) and shares(r.profile, within or {})]
    url = engine.url.render_as_string(hide_password=True)
    known = {(r.kind, r.id): _recall(url, r) for r in records}
    missing = [r for r in records if known[(r.kind, r.id)] is None]
    scored = _score_assessments(engine, [r for r in missing if r.kind == "assessment"], find)
    scored.update(_score_workshops(engine, [r for r in missing if r.kind == "workshop"], find))
    for record in missing:
        result = scored.get((record.kind, record.id))
        known[(record.kind, record.id)] = _remember(url, record, {} if result is None else {
            d.id: d.index for d in result.domains if d.assessed})
    return [Peer(r.profile, known[(r.kind, r.id)]) for r in records if known[(r.kind, r.id)]]


_kept: OrderedDict = OrderedDict()
_kept_lock = threading.Lock()


def _key(url: str, record: Stored) -> tuple:
    return (url, record.kind, record.id, record.at, record.changed)


def _recall(url: str, record: Stored) -> dict | None:
    """The indices scored for this record lately (None: score it), so a page that shows the benchmark on every
    rerun does not score every past client each time."""
    with _kept_lock:
        found = _kept.get(_key(url, record))
    if found is None or time.monotonic() - found[0] > KEPT_SECONDS:
        return None
    return found[1]


def _remember(url: str, record: Stored, indices: dict) -> dict:
    with _kept_lock:
        _kept[_key(url, record)] = (time.monotonic(), indices)
        while len(_kept) > KEPT_PEERS:
            _kept.popitem(last=False)
    return indices


def benchmark_stored(engine: Engine, result: Result, profile: dict | None, find: Finder, *, organisation: str = "",
                     exclude_assessment: int | None = None, exclude_workshop: int | None = None) -> Benchmark:
    """The result's band per domain among the stored comparable organisations (see scoring.benchmark)."""
    found = peers(engine, result.questionnaire, find, organisation=organisation or result.organisation,
                  exclude_assessment=exclude_assessment, exclude_workshop=exclude_workshop,
                  within=widest_filters(profile_filters(profile)))
    return benchmark(result, found, profile)


def set_workshop_profile(engine: Engine, workshop_id: int, profile: dict | None) -> None:
    """Keep the client's industry and size with the workshop (checked like an answers file's profile)."""
    cleaned = repo.checked_profile(profile, "The client profile")
    with writing(engine) as conn:
        conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(profile=cleaned))


def _finished_assessments(engine: Engine, questionnaire_id: str, exclude: int | None) -> list[Stored]:
    query = (select(assessments.c.id, assessments.c.organisation, assessments.c.finished_at, assessments.c.profile,
                    assessments.c.updated_at)
             .where(assessments.c.questionnaire_id == questionnaire_id, assessments.c.workshop_id.is_(None),
                    assessments.c.removed_at.is_(None), assessments.c.finished_at.is_not(None)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [Stored("assessment", row.id, row.organisation or "", _aware(row.finished_at), _profile(row.profile),
                   _aware(row.updated_at)) for row in rows if row.id != exclude]


def _closed_workshops(engine: Engine, questionnaire_id: str, exclude: int | None) -> list[Stored]:
    stamp = repo.now()
    query = (select(workshops.c.id, workshops.c.client, workshops.c.closed_at, workshops.c.closes_at,
                    workshops.c.profile)
             .where(workshops.c.questionnaire_id == questionnaire_id,
                    or_(workshops.c.closed_at.is_not(None), workshops.c.closes_at <= stamp)))
    with engine.connect() as conn:
        rows = [row for row in conn.execute(query).all() if row.id != exclude]
        changes = _workshop_changes(conn, [row.id for row in rows])
    return [Stored("workshop", row.id, row.client or "", _aware(row.closed_at or row.closes_at), _profile(row.profile),
                   changes.get(row.id)) for row in rows]


def _workshop_changes(conn, ids: list[int]) -> dict[int, tuple]:
    """Per workshop, what any change to its aggregate moves: participants counted, their latest answer, the latest
    removal, and the consensus answers (a closed workshop may still have a stray participant removed)."""
    if not ids:
        return {}
    people = conn.execute(
        select(assessments.c.workshop_id, func.count().filter(assessments.c.removed_at.is_(None)),
               func.max(assessments.c.updated_at), func.max(assessments.c.removed_at))
        .where(assessments.c.workshop_id.in_(ids)).group_by(assessments.c.workshop_id)).all()
    agreed = conn.execute(select(consensus.c.workshop_id, func.count(), func.max(consensus.c.updated_at))
                          .where(consensus.c.workshop_id.in_(ids)).group_by(consensus.c.workshop_id)).all()
    found = {row[0]: tuple(str(v) for v in row[1:]) for row in people}
    for row in agreed:
        found[row[0]] = found.get(row[0], ()) + tuple(str(v) for v in row[1:])
    return found


def _latest_per_organisation(records: list[Stored]) -> list[Stored]:
    """One record per named organisation, its most recent vouched one, else its most recent; unnamed records each
    stand alone (an unnamed workshop is still one room)."""
    latest: dict[str, Stored] = {}
    alone = []
    for record in sorted(records, key=lambda r: (r.vouched, r.at, r.kind, r.id)):
        key = _name_key(record.organisation)
        if key:
            latest[key] = record
        else:
            alone.append(record)
    return sorted([*latest.values(), *alone], key=lambda r: (r.kind, r.id))


def _score_assessments(engine: Engine, records: list[Stored], find: Finder) -> dict[tuple[str, int], Result]:
    if not records:
        return {}
    ids = [r.id for r in records]
    with engine.connect() as conn:
        rows = {row["id"]: row for row in conn.execute(select(assessments).where(assessments.c.id.in_(ids))).mappings()}
        saved = conn.execute(select(answers.c.assessment_id, answers.c.question_id, answers.c.value, answers.c.note)
                             .where(answers.c.assessment_id.in_(ids), answers.c.value.is_not(None))
                             .order_by(answers.c.id)).all()
    given: dict[int, dict[str, Answer]] = {}
    for row in saved:
        given.setdefault(row.assessment_id, {})[row.question_id] = Answer(row.value, row.note or "")
    scored = {}
    for assessment_id, row in rows.items():
        stored = repo._assessment(row)
        questionnaire = _find(find, stored.questionnaire_id, stored.questionnaire_version)
        if questionnaire is None:
            continue
        try:
            response = repo.response_of(stored, given.get(assessment_id, {}))
            scored[("assessment", assessment_id)] = score_response(questionnaire, response)
        except (PhasegateError, ValueError):  # a record the current code cannot read is left out, not fatal
            continue
    return scored


def _score_workshops(engine: Engine, records: list[Stored], find: Finder) -> dict[tuple[str, int], Result]:
    scored = {}
    for record in records:
        workshop = ws.get_workshop(engine, record.id)
        questionnaire = _find(find, workshop.questionnaire_id, workshop.questionnaire_version) if workshop else None
        if questionnaire is None:
            continue
        participants, result = ws.aggregate_stored(engine, workshop, questionnaire)
        if participants:
            scored[("workshop", record.id)] = result.result
    return scored


def _find(find: Finder, questionnaire_id: str, version: str) -> Questionnaire | None:
    try:
        return find(questionnaire_id, version)
    except PhasegateError:
        return None


def _profile(stored: dict | None) -> dict:
    return {key: stored[key] for key in ("industry", "size") if stored and stored.get(key)}


def _name_key(name: str) -> str:
    """An organisation's name as compared: width-folded, without case and without any spaces ('ACME Corp' is
    'acme  corp' is 'AcmeCorp')."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def assessment_benchmark(engine: Engine, assessment: repo.Assessment, result: Result, find: Finder) -> Benchmark | None:
    """A stored self-assessment's benchmark (its own profile; never itself or its organisation's other results);
    None for a workshop participant, whose answers are one view of the room, not the organisation's result."""
    if assessment.workshop_id is not None:
        return None
    return benchmark_stored(engine, result, assessment.profile, find, organisation=assessment.organisation,
                            exclude_assessment=assessment.id)


def workshop_benchmark(engine: Engine, workshop: ws.Workshop, result: Result, find: Finder) -> Benchmark:
    """A workshop's benchmark: the room's result against other clients with the workshop's profile."""
    return benchmark_stored(engine, result, workshop.profile, find, organisation=workshop.client,
                            exclude_workshop=workshop.id)

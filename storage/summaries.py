"""Scored summaries: stored when a self-assessment is finished or a workshop closed, read by lists and the benchmark.

A summary holds what lists and the benchmark show of a result (see `scoring.summary`), so
neither scores stored responses again. It is kept true to the answers three ways:

- an assessment's summary carries the assessment's `updated_at` when it was scored
  (`stamp`): any later change to the assessment (an answer, its profile, its organisation)
  makes it stale;
- a workshop's summary is deleted by whatever changes the room's result after the close
  (a participant removed or restored, a consensus answer, the client profile), and a
  workshop closed by its closing time has none yet;
- each summary carries the fingerprint of the scoring rules and questionnaire content it
  was scored with; another fingerprint makes it stale.

Whoever reads summaries first scores the stale and missing ones (`refresh`): a few on the
spot, more in a background thread while the readers leave them out. `python cli.py db
rescore` scores them all at once, with a progress line. Self-assessments and workshops
are the organisation results; a workshop participant's own answers get no summary.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy import (Connection, Engine, Integer, String, and_, case, cast, delete, func, insert, null, or_, select,
                        tuple_, union_all)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from questionnaires.errors import PhasegateError
from questionnaires.models import Questionnaire
from scoring.engine import Result, score_response
from scoring.summary import DomainSummary, Summary, fingerprint, summarise
from scoring.workshop import aggregate_room
from storage import repository as repo
from storage import workshops as ws
from storage.engine import writing
from storage.tables import assessments, consensus, summaries, summary_domains, workshops

Finder = Callable[[str, str], Questionnaire | None]
LOG = logging.getLogger("phasegate")
LAZY_LIMIT = 200  # stale summaries a reader scores on the spot; more are scored in the background
ASSESSMENT, WORKSHOP = "assessment", "workshop"


def library_find(questionnaire_id: str, version: str) -> Questionnaire | None:
    """The questionnaire version from the library (shipped and PHASEGATE_QUESTIONNAIRES), or None."""
    from questionnaires.loader import find_questionnaire

    try:
        return find_questionnaire(questionnaire_id, version)
    except PhasegateError:
        return None


def name_key(name: str) -> str:
    """An organisation's name as compared: width-folded, without case and without any spaces ('ACME Corp' is
    'acme  corp' is 'AcmeCorp')."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


class _OnConnection:
    """An engine stand-in whose connections are one open connection: the storage functions read inside the
    migration's transaction, where the tables are as the migration left them."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect

    def connect(self):
        return nullcontext(self.conn)


@dataclass(frozen=True)
class _Store:
    """Where summaries are read and written: an engine, or the one connection of a migration."""

    reader: object
    engine: Engine | None = None

    @classmethod
    def of(cls, engine_or_conn: Engine | Connection) -> _Store:
        if isinstance(engine_or_conn, Connection):
            return cls(_OnConnection(engine_or_conn))
        return cls(engine_or_conn, engine_or_conn)

    def write(self):
        return writing(self.engine) if self.engine is not None else nullcontext(self.reader.conn)

    def read(self):
        return self.reader.connect()


# --- writing ---------------------------------------------------------------------------------------------------


def store_assessment(engine: Engine, assessment_id: int, find: Finder | None = None) -> bool:
    """Score a finished self-assessment and store its summary; False when it is none, or it changed meanwhile
    (the next reader scores it). A failure is logged, never raised: the summary is then made when first needed."""
    return _guarded(_store_assessment, _Store.of(engine), assessment_id, find or library_find)


def store_workshop(engine: Engine, workshop_id: int, find: Finder | None = None) -> bool:
    """Score a closed workshop's room and store its summary (see `store_assessment`)."""
    return _guarded(_store_workshop, _Store.of(engine), workshop_id, find or library_find)


def forget_workshop(conn: Connection, workshop_id: int) -> None:
    """Drop a workshop's summary inside the transaction that changes its result; the next reader scores it again."""
    conn.execute(delete(summaries).where(summaries.c.workshop_id == workshop_id))


def _guarded(store, where: _Store, record_id: int, find: Finder) -> bool:
    try:
        return store(where, record_id, find)
    except (PhasegateError, ValueError, SQLAlchemyError) as exc:
        LOG.warning("summary of %s not stored now (%s); it is scored when first needed", record_id,
                    exc.__class__.__name__)
        return False


def _store_assessment(where: _Store, assessment_id: int, find: Finder) -> bool:
    assessment = repo.get_assessment(where.reader, assessment_id)
    if assessment is None or not assessment.finished or assessment.workshop_id is not None:
        return False
    questionnaire = _find(find, assessment.questionnaire_id, assessment.questionnaire_version)
    result = None
    if questionnaire is not None:
        try:
            result = score_response(questionnaire, repo.load_response(where.reader, assessment))
        except (PhasegateError, ValueError):  # a record the current code cannot read is stored as unscored
            result = None
    row = {"kind": ASSESSMENT, "assessment_id": assessment.id, "organisation": assessment.organisation,
           **_identity(assessment.questionnaire_id, assessment.questionnaire_version, questionnaire, result),
           **_profile(assessment.profile)}
    mine = assessments.c.id == assessment.id
    with where.write() as conn:
        now = conn.execute(select(assessments.c.updated_at, assessments.c.removed_at).where(mine)).first()
        if now is None or _aware(now.updated_at) != _aware(assessment.updated_at) or now.removed_at is not None:
            return False  # changed while it was scored: that change left it stale, so the next reader scores it
        conn.execute(delete(summaries).where(summaries.c.assessment_id == assessment.id))
        row |= {"stamp": select(assessments.c.updated_at).where(mine).scalar_subquery(),
                "at": select(assessments.c.finished_at).where(mine).scalar_subquery()}
        _insert(conn, row, result)
    return True


def _store_workshop(where: _Store, workshop_id: int, find: Finder) -> bool:
    workshop = ws.get_workshop(where.reader, workshop_id)
    if workshop is None or not workshop.is_closed():
        return False
    with where.read() as conn:
        before = _workshop_signature(conn, workshop_id)
    questionnaire = _find(find, workshop.questionnaire_id, workshop.questionnaire_version)
    result = None
    if questionnaire is not None:
        try:
            participants, room = ws.load_room(where.reader, workshop)
            result = aggregate_room(questionnaire, room).result if participants else None
        except (PhasegateError, ValueError):
            result = None
    row = {"kind": WORKSHOP, "workshop_id": workshop.id, "organisation": workshop.client,
           "at": workshop.closed_at or workshop.closes_at,
           **_identity(workshop.questionnaire_id, workshop.questionnaire_version, questionnaire, result),
           **_profile(workshop.profile)}
    with where.write() as conn:
        if _workshop_signature(conn, workshop_id) != before:
            return False  # its result changed while it was scored; the change dropped any summary
        conn.execute(delete(summaries).where(summaries.c.workshop_id == workshop.id))
        _insert(conn, row, result)
    return True


def _workshop_signature(conn: Connection, workshop_id: int) -> tuple:
    """Everything a change to the room's result moves: the workshop's row, its counted participants and their
    latest answer, its latest removal, its consensus answers."""
    room = conn.execute(select(workshops.c.closed_at, workshops.c.closes_at, workshops.c.client, workshops.c.profile)
                        .where(workshops.c.id == workshop_id)).first()
    people = conn.execute(select(func.count().filter(assessments.c.removed_at.is_(None)),
                                 func.max(assessments.c.updated_at), func.max(assessments.c.removed_at))
                          .where(assessments.c.workshop_id == workshop_id)).first()
    agreed = conn.execute(select(func.count(), func.max(consensus.c.updated_at))
                          .where(consensus.c.workshop_id == workshop_id)).first()
    return tuple(str(value) for value in (*(room or ()), *people, *agreed))


def _identity(questionnaire_id: str, version: str, questionnaire: Questionnaire | None,
              result: Result | None) -> dict:
    summary = summarise(result) if result is not None else None
    return {"questionnaire_id": questionnaire_id, "questionnaire_version": version,
            "fingerprint": fingerprint(questionnaire), "scored": summary is not None, "summary": summary,
            "scored_at": repo.now()}


def _profile(profile: dict | None) -> dict:
    profile = profile or {}
    return {key: profile.get(key) or None for key in ("size", "industry", "ai_role")}


def _insert(conn: Connection, row: dict, result: Result | None) -> None:
    summary: Summary | None = row.pop("summary")
    row["organisation_key"] = name_key(row["organisation"])
    if summary is not None:
        row |= {"phase": summary.phase, "phase_name": summary.phase_name, "achieved": summary.achieved,
                "complete": summary.complete, "overall_index": summary.index, "assessed": summary.assessed}
    else:
        row["assessed"] = 0
    try:
        with conn.begin_nested():
            new_id = conn.execute(insert(summaries).values(**row).returning(summaries.c.id)).scalar_one()
    except IntegrityError:  # another process stored it a moment ago, from the same answers
        return
    if summary is not None and summary.domains:
        conn.execute(insert(summary_domains), [
            {"summary_id": new_id, "domain_id": d.id, "position": d.position, "assessed": d.assessed,
             "domain_index": d.index, "level": d.level, "achieved": d.achieved, "attainment": d.attainment}
            for d in summary.domains])


def _find(find: Finder, questionnaire_id: str, version: str) -> Questionnaire | None:
    try:
        return find(questionnaire_id, version)
    except PhasegateError:
        return None


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


# --- what is stale -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stale:
    """The records whose summary is missing or stale, and the current fingerprint of each stored version."""

    assessments: tuple[int, ...]
    workshops: tuple[int, ...]
    current: dict[tuple[str, str], str]

    def __len__(self) -> int:
        return len(self.assessments) + len(self.workshops)


def stale(engine_or_conn: Engine | Connection, find: Finder, questionnaire_id: str | None = None, *,
          workshop_ids: Iterable[int] | None = None) -> Stale:
    """The finished self-assessments and closed workshops (of one questionnaire, or these workshops only) whose
    summary is missing, older than their last change, or scored with other rules or questionnaire content."""
    where = _Store.of(engine_or_conn)
    only = None if workshop_ids is None else list(workshop_ids)
    with where.read() as conn:
        current, outdated = _fingerprints(conn, find, questionnaire_id, only)
        changed = [] if only is not None else _changed_assessments(conn, questionnaire_id)
        unscored = _unscored_workshops(conn, questionnaire_id, only)
    found_a = sorted(set(changed) | {a for a, _ in outdated if a is not None})
    found_w = sorted(set(unscored) | {w for _, w in outdated if w is not None})
    return Stale(tuple(found_a), tuple(found_w), current)


def _fingerprints(conn: Connection, find: Finder, questionnaire_id: str | None,
                  only: list[int] | None) -> tuple[dict, list]:
    s = summaries.c
    scope = _scope(questionnaire_id, only)
    stored = conn.execute(select(s.questionnaire_id, s.questionnaire_version, s.fingerprint).where(*scope)
                          .distinct()).all()
    current = {(row[0], row[1]): fingerprint(_find(find, row[0], row[1])) for row in stored}
    wrong = [(row[0], row[1], row[2]) for row in stored if current[(row[0], row[1])] != row[2]]
    if not wrong:
        return current, []
    rows = conn.execute(select(s.assessment_id, s.workshop_id).where(
        *scope, tuple_(s.questionnaire_id, s.questionnaire_version, s.fingerprint).in_(wrong))).all()
    return current, [(row[0], row[1]) for row in rows]


def _scope(questionnaire_id: str | None, only: list[int] | None) -> list:
    scope = [] if questionnaire_id is None else [summaries.c.questionnaire_id == questionnaire_id]
    if only is not None:
        scope.append(summaries.c.workshop_id.in_(only))
    return scope


def _changed_assessments(conn: Connection, questionnaire_id: str | None) -> list[int]:
    a, s = assessments.c, summaries.c
    query = (select(a.id).select_from(assessments.outerjoin(summaries, s.assessment_id == a.id))
             .where(a.workshop_id.is_(None), a.finished_at.is_not(None), a.removed_at.is_(None),
                    or_(s.id.is_(None), s.stamp.is_(None), s.stamp != a.updated_at)))
    if questionnaire_id is not None:
        query = query.where(a.questionnaire_id == questionnaire_id)
    return list(conn.execute(query).scalars())


def _unscored_workshops(conn: Connection, questionnaire_id: str | None, only: list[int] | None) -> list[int]:
    w, s = workshops.c, summaries.c
    query = (select(w.id).select_from(workshops.outerjoin(summaries, s.workshop_id == w.id))
             .where(s.id.is_(None), or_(w.closed_at.is_not(None), w.closes_at <= repo.now())))
    if questionnaire_id is not None:
        query = query.where(w.questionnaire_id == questionnaire_id)
    if only is not None:
        query = query.where(w.id.in_(only))
    return list(conn.execute(query).scalars())


# --- scoring again -----------------------------------------------------------------------------------------------


def rescore(engine_or_conn: Engine | Connection, find: Finder | None = None, found: Stale | None = None,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Score every missing or stale summary (or those `found`), calling `progress(seen, total)` after each record;
    how many were stored."""
    find = find or library_find
    where = _Store.of(engine_or_conn)
    found = found if found is not None else stale(engine_or_conn, find)
    total, seen, done = len(found), 0, 0
    for store, ids in ((_store_assessment, found.assessments), (_store_workshop, found.workshops)):
        for record_id in ids:
            done += _guarded(store, where, record_id, find)
            seen += 1
            if progress is not None:
                progress(seen, total)
    return done


def backfill(conn: Connection) -> int:
    """Store the summary of every finished self-assessment and closed workshop (inside a migration)."""
    return rescore(conn, library_find)


_background: set[tuple[str, str]] = set()
_background_lock = threading.Lock()


def refresh(engine: Engine, find: Finder, questionnaire_id: str | None = None, *,
            workshop_ids: Iterable[int] | None = None, limit: int = LAZY_LIMIT) -> frozenset[str] | None:
    """Bring the summaries a reader needs up to date: up to `limit` missing or stale ones are scored now, more in a
    background thread. The fingerprints the reader may trust meanwhile (stale ones left out), or None when every
    summary is current."""
    found = stale(engine, find, questionnaire_id, workshop_ids=workshop_ids)
    if len(found) <= limit:
        if len(found):
            rescore(engine, find, found)
        return None
    key = (engine.url.render_as_string(hide_password=True), questionnaire_id or "")
    with _background_lock:
        starting = key not in _background
        _background.add(key)
    if starting:
        LOG.info("scoring %d stored summaries again in the background", len(found))
        threading.Thread(target=_rescore_in_background, args=(engine, find, found, key), daemon=True,
                         name="phasegate-rescore").start()
    return frozenset(found.current.values())


def _rescore_in_background(engine: Engine, find: Finder, found: Stale, key: tuple[str, str]) -> None:
    try:
        rescore(engine, find, found)
    finally:
        with _background_lock:
            _background.discard(key)


# --- reading -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerQuery:
    """Which stored results are peers: the questionnaire, the fresh fingerprints, the kinds that count, the
    organisation compared (never its own peer) and the record it is (left out before the latest is chosen)."""

    questionnaire_id: str
    fresh: frozenset[str] | None  # the fingerprints to trust while others are scored again; None: all
    kinds: tuple[str, ...]
    organisation: str = ""
    exclude_assessment: int | None = None
    exclude_workshop: int | None = None


def _peers(query: PeerQuery, filters: dict[str, str]):
    """The peers as a CTE of summary ids and profiles: per organisation its latest vouched result, else its latest;
    then those that share `filters`, have an assessed domain and are not the organisation compared."""
    s, a = summaries.c, assessments.c
    vouched = case((s.kind == WORKSHOP, 1), else_=0)
    unnamed = case((s.organisation_key == "", s.id), else_=0)  # an unnamed result stands alone
    rank = func.row_number().over(partition_by=(s.organisation_key, unnamed),
                                  order_by=(vouched.desc(), s.at.desc(), s.kind.desc(),
                                            func.coalesce(s.assessment_id, s.workshop_id).desc()))
    counted = or_(s.kind == WORKSHOP, and_(a.removed_at.is_(None), a.finished_at.is_not(None), s.stamp == a.updated_at))
    conditions = [s.questionnaire_id == query.questionnaire_id, s.kind.in_(query.kinds), counted]
    if query.fresh is not None:
        conditions.append(s.fingerprint.in_(sorted(query.fresh)))
    if query.exclude_assessment is not None:
        conditions.append(func.coalesce(s.assessment_id, 0) != query.exclude_assessment)
    if query.exclude_workshop is not None:
        conditions.append(func.coalesce(s.workshop_id, 0) != query.exclude_workshop)
    ranked = (select(s.id, s.organisation_key, s.size, s.industry, s.assessed, rank.label("latest"))
              .select_from(summaries.outerjoin(assessments, a.id == s.assessment_id)).where(*conditions)
              .cte("ranked"))
    chosen = [ranked.c.latest == 1, ranked.c.assessed > 0]
    own = name_key(query.organisation)
    if own:
        chosen.append(ranked.c.organisation_key != own)
    chosen += [ranked.c[key] == value for key, value in filters.items() if key in ("size", "industry")]
    return select(ranked.c.id, ranked.c.size, ranked.c.industry).where(*chosen).cte("peers")


def level_counts(engine: Engine, query: PeerQuery, filters: dict[str, str]) -> tuple[int, dict[str, dict[int, int]]]:
    """How many peers share `filters`, and per domain how many of them stand at each half-phase level: one query,
    whose answer is as small at 100,000 stored results as at ten."""
    peers = _peers(query, filters)
    d = summary_domains.c
    levels = (select(d.domain_id, d.level, func.count().label("n")).join(peers, peers.c.id == d.summary_id)
              .where(d.level.is_not(None)).group_by(d.domain_id, d.level))
    total = select(cast(null(), String).label("domain_id"), cast(null(), Integer).label("level"),
                   func.count().label("n")).select_from(peers)
    counts: dict[str, dict[int, int]] = {}
    n = 0
    with engine.connect() as conn:
        for domain_id, level, count in conn.execute(union_all(levels, total)):
            if domain_id is None:
                n = int(count)
            else:
                counts.setdefault(domain_id, {})[int(level)] = int(count)
    return n, counts


def peer_figures(engine: Engine, query: PeerQuery, filters: dict[str, str]) -> list[tuple[dict, dict]]:
    """Each peer's profile and stored index per assessed domain (for tests and tools; the benchmark reads only
    `level_counts`)."""
    peers = _peers(query, filters)
    d = summary_domains.c
    rows = (select(peers.c.id, peers.c.size, peers.c.industry, d.domain_id, d.domain_index)
            .join(summary_domains, d.summary_id == peers.c.id).where(d.assessed).order_by(peers.c.id, d.position))
    found: dict[int, tuple[dict, dict]] = {}
    with engine.connect() as conn:
        for summary_id, size, industry, domain_id, index in conn.execute(rows):
            profile = {key: value for key, value in (("industry", industry), ("size", size)) if value}
            found.setdefault(summary_id, (profile, {}))[1][domain_id] = index
    return list(found.values())


@dataclass(frozen=True)
class StoredPhase:
    """A stored result's phase as a list shows it."""

    phase: int
    phase_name: str
    complete: bool
    achieved: int
    index: float

    def __str__(self) -> str:
        if self.complete:
            return f"all four phases achieved, index {self.index:.1f} / 4"
        return f"phase {self.phase} — {self.phase_name}, index {self.index:.1f} / 4"


def workshop_phases(engine: Engine, workshop_ids: Iterable[int], find: Finder | None = None) -> dict[int, StoredPhase]:
    """The stored phase of each closed workshop among these that has a scored room (missing or stale summaries are
    scored first): what a list of workshops shows without scoring each."""
    wanted = list(workshop_ids)
    if not wanted:
        return {}
    fresh = refresh(engine, find or library_find, workshop_ids=wanted)
    s = summaries.c
    query = (select(s.workshop_id, s.phase, s.phase_name, s.complete, s.achieved, s.overall_index)
             .where(s.workshop_id.in_(wanted), s.scored))
    if fresh is not None:
        query = query.where(s.fingerprint.in_(sorted(fresh)))
    with engine.connect() as conn:
        return {row[0]: StoredPhase(row[1], row[2] or "", bool(row[3]), row[4], row[5])
                for row in conn.execute(query)}


def load_summary(engine: Engine, *, assessment_id: int | None = None,
                 workshop_id: int | None = None) -> tuple[dict, Summary | None] | None:
    """The stored summary of one self-assessment or workshop as it stands (stale or not): its row (questionnaire,
    version, fingerprint, organisation, profile) and its figures (None when it could not be scored); None when
    none is stored."""
    s, d = summaries.c, summary_domains.c
    mine = s.assessment_id == assessment_id if assessment_id is not None else s.workshop_id == workshop_id
    with engine.connect() as conn:
        row = conn.execute(select(summaries).where(mine)).mappings().first()
        if row is None:
            return None
        domains = conn.execute(select(d.domain_id, d.position, d.assessed, d.domain_index, d.level, d.achieved,
                                      d.attainment).where(d.summary_id == row["id"]).order_by(d.position)).all()
    figures = None
    if row["scored"]:
        figures = Summary(row["phase"], row["phase_name"], row["achieved"], bool(row["complete"]),
                          row["overall_index"], tuple(DomainSummary(*domain) for domain in domains))
    return dict(row), figures

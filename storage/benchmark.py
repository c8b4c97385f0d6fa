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

Peers are read from the stored summaries (storage/summaries.py), never scored here: the
comparison is one query per profile filter tried, which counts per domain how many peers
stand at each half-phase level, whatever the number stored.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, update

from config import setting
from questionnaires.models import Questionnaire
from scoring.benchmark import (MIN_PEERS, Benchmark, Peer, benchmark_of_levels, filter_tries, profile_filters, shares,
                               widest_filters)
from scoring.engine import Result
from storage import repository as repo
from storage import summaries
from storage import workshops as ws
from storage.engine import writing
from storage.tables import workshops

Finder = Callable[[str, str], Questionnaire | None]


def self_assessments_count() -> bool:
    """Whether finished self-assessments nobody vouches for are peers (PHASEGATE_BENCHMARK_SELF_ASSESSMENTS)."""
    return bool(setting("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS"))


def _query(engine: Engine, questionnaire_id: str, find: Finder, organisation: str, exclude_assessment: int | None,
           exclude_workshop: int | None) -> summaries.PeerQuery:
    """Which stored results are peers, once the stale summaries of this questionnaire are scored again."""
    kinds = (summaries.WORKSHOP, summaries.ASSESSMENT) if self_assessments_count() else (summaries.WORKSHOP,)
    fresh = summaries.refresh(engine, find, questionnaire_id)
    return summaries.PeerQuery(questionnaire_id, fresh, kinds, organisation, exclude_assessment, exclude_workshop)


def peers(engine: Engine, questionnaire_id: str, find: Finder, *, organisation: str = "",
          exclude_assessment: int | None = None, exclude_workshop: int | None = None,
          within: dict[str, str] | None = None) -> list[Peer]:
    """Every peer organisation's latest result on this questionnaire (any version `find` knows) whose profile has
    `within` (all when None), with its stored indices."""
    query = _query(engine, questionnaire_id, find, organisation, exclude_assessment, exclude_workshop)
    found = summaries.peer_figures(engine, query, dict(within or {}))
    return [Peer(profile, indices) for profile, indices in found if shares(profile, within or {})]


def benchmark_stored(engine: Engine, result: Result, profile: dict | None, find: Finder, *, organisation: str = "",
                     exclude_assessment: int | None = None, exclude_workshop: int | None = None) -> Benchmark:
    """The result's band per domain among the stored comparable organisations (see scoring.benchmark): the whole
    profile, else the industry alone when fewer than MIN_PEERS share the whole profile."""
    query = _query(engine, result.questionnaire, find, organisation or result.organisation, exclude_assessment,
                   exclude_workshop)
    requested = profile_filters(profile)
    first = None
    for filters in filter_tries(requested):
        n, levels = summaries.level_counts(engine, query, filters)
        first = first or (filters, n, levels)
        if n >= MIN_PEERS:
            return benchmark_of_levels(result, n, levels, filters, requested)
    return benchmark_of_levels(result, first[1], first[2], first[0], requested)


def set_workshop_profile(engine: Engine, workshop_id: int, profile: dict | None) -> None:
    """Keep the client's industry and size with the workshop (checked like an answers file's profile)."""
    cleaned = repo.checked_profile(profile, "The client profile")
    with writing(engine) as conn:
        conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(profile=cleaned))
        summaries.forget_workshop(conn, workshop_id)  # a closed room is compared under its new profile


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

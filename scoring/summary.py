"""A result's scored summary: the figures stored beside a finished assessment or a closed workshop.

Lists and the benchmark read these figures instead of scoring every stored response again.
A summary is only as good as the rules and the questionnaire it was scored with, so each
carries a fingerprint of both: `RULES_VERSION` (raise it with any change to the scoring
arithmetic, the half-phase levels of the benchmark included) and a digest of the
questionnaire version's content. A summary whose fingerprint differs from the current
one is stale and is scored again before anything reads it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from questionnaires.models import Questionnaire
from scoring.benchmark import half_phase
from scoring.engine import Result

RULES_VERSION = 1  # raise with every change to how a response is scored or a benchmark level is read
UNSCORABLE = "unscorable"  # the fingerprint part of a record whose questionnaire version is not available


@dataclass(frozen=True)
class DomainSummary:
    """One domain's stored figures: its index (None when not assessed), the half-phase level the benchmark
    compares, the phases achieved and the attainment of its working phase (None once all four are achieved)."""

    id: str
    position: int
    assessed: bool
    index: float | None
    level: int | None
    achieved: int
    attainment: float | None


@dataclass(frozen=True)
class Summary:
    """The stored figures of one result: the overall phase and each domain's."""

    phase: int
    phase_name: str
    achieved: int
    complete: bool
    index: float
    domains: tuple[DomainSummary, ...]

    @property
    def assessed(self) -> int:
        """How many domains have a real answer (a result with none is never a peer)."""
        return sum(1 for domain in self.domains if domain.assessed)


def summarise(result: Result) -> Summary:
    """The figures of a scored result that lists and the benchmark read."""
    domains = tuple(_domain(position, domain) for position, domain in enumerate(result.domains))
    overall = result.overall
    return Summary(overall.phase, overall.phase_name, overall.achieved, overall.complete, overall.index, domains)


def _domain(position: int, domain) -> DomainSummary:
    working = next((phase for phase in domain.phases if phase.number == domain.achieved + 1), None)
    index = domain.index if domain.assessed else None
    return DomainSummary(domain.id, position, domain.assessed, index, None if index is None else half_phase(index),
                         domain.achieved, None if working is None else working.attainment)


_digests: dict[int, tuple[Questionnaire, str]] = {}
_digests_lock = threading.Lock()
KEPT_DIGESTS = 64


def fingerprint(questionnaire: Questionnaire | None) -> str:
    """What a summary was scored with: the rules' version and the questionnaire version's content (or that it was
    not available). Two loads of the same file give the same fingerprint."""
    if questionnaire is None:
        return f"{RULES_VERSION}:{UNSCORABLE}"
    with _digests_lock:
        kept = _digests.get(id(questionnaire))
    if kept is None or kept[0] is not questionnaire:
        digest = hashlib.sha256(questionnaire.model_dump_json().encode()).hexdigest()[:32]
        kept = (questionnaire, digest)
        with _digests_lock:
            if len(_digests) >= KEPT_DIGESTS:
                _digests.clear()
            _digests[id(questionnaire)] = kept
    return f"{RULES_VERSION}:{kept[1]}"

"""What scoring one response gives: per question, per phase, per domain and overall, as the reports, the app
and the command line read it. The rules that compute it are in `scoring.engine`; the plan's steps in
`scoring.steps`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scoring.answers import DONT_KNOW, NA, Value
from scoring.headline import ToNextPhase, working_bar
from scoring.pilots import PilotMetrics
from scoring.words import listed

if TYPE_CHECKING:  # a result holds the plan's steps, which scoring.steps defines on top of this module
    from scoring.steps import Step

STATUS_ATTAINED = "attained"
STATUS_NOT_ATTAINED = "not_attained"
STATUS_NOT_APPLICABLE = "not_applicable"
STATUS_UNKNOWN = "unknown"
STATUS_NOT_ANSWERED = "not_answered"
LOW_CONFIDENCE = 0.8

# Result objects are read-only by convention rather than frozen: frozen dataclasses are
# several times slower to build, and scoring builds dozens per response.


@dataclass(slots=True)
class QuestionResult:
    """How one question was answered and what it scored (score None: no real answer)."""

    id: str
    domain: str
    phase: int
    visible: bool
    value: Value
    score: float | None
    scored: bool
    note: str = ""

    @property
    def answered(self) -> bool:
        return self.value is not None

    @property
    def dont_know(self) -> bool:
        return self.value == DONT_KNOW

    @property
    def not_applicable(self) -> bool:
        return self.value == NA


@dataclass(slots=True)
class PhaseResult:
    """Attainment of one domain in one phase."""

    number: int
    name: str
    threshold: float
    attainment: float | None
    status: str
    visible: int
    answered: int
    dont_know: int
    not_applicable: int = 0

    @property
    def attained(self) -> bool:
        return self.status in (STATUS_ATTAINED, STATUS_NOT_APPLICABLE)


@dataclass(slots=True)
class DomainResult:
    """Where one domain stands on the roadmap."""

    id: str
    name: str
    weight: float
    assessed: bool
    achieved: int
    index: float | None
    phases: tuple[PhaseResult, ...]
    foundation_gap: bool
    target: int
    confidence: float
    to_next_phase: ToNextPhase | None = None

    @property
    def bar(self) -> float | None:
        """The working phase's attainment as a share of its threshold, 0-1 (1 once all four phases are achieved;
        None when not assessed or the working phase has no real answer): the progress that moves."""
        if not self.assessed:
            return None
        if self.achieved >= 4:
            return 1.0
        return working_bar(self.phases[self.achieved])

    @property
    def working_phase(self) -> int | None:
        return self.achieved + 1 if self.achieved < 4 else None

    def attainment(self) -> dict[str, float | None]:
        """Attainment per phase number (as text keys, for JSON)."""
        return {str(p.number): p.attainment for p in self.phases}


@dataclass(slots=True)
class Overall:
    """The organisation's position: weakest-link phase and weighted mean index."""

    phase: int
    phase_name: str
    achieved: int
    complete: bool
    index: float
    limiting_domains: tuple[str, ...]
    confidence: float
    summary: str
    primary_limiting_domain: str | None = None
    profile: str = ""
    critical_gaps: tuple[str, ...] = ()  # critical practices not in place, in questionnaire order
    released: tuple[str, ...] = ()  # limiting domains one answer from their working phase
    tied: tuple[str, ...] = ()  # limiting domains about equally far from the bar, when no single one is furthest


@dataclass(frozen=True)
class Result:
    """Everything the reports, the app and the CLI show about one response."""

    questionnaire: str
    questionnaire_version: str
    title: str
    organisation: str
    overall: Overall
    domains: tuple[DomainResult, ...]
    questions: dict[str, QuestionResult]
    actions: tuple[Step, ...]
    unknowns: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    size: str | None = None  # the organisation's size from its profile: small, medium or large
    pilots: PilotMetrics | None = None  # the pilot portfolio, when the answers have a register
    profile: dict = field(default_factory=dict)  # the organisation profile as given: size, industry, currency, ai_role
    likely_high_risk: bool = False  # a system is likely high-risk under the EU AI Act (see scoring.regulation)

    def domain(self, domain_id: str) -> DomainResult:
        return next(d for d in self.domains if d.id == domain_id)


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C', in the language of the moment."""
    return listed(names)

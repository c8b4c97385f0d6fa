"""Prioritised next steps: which low answers to fix first, and why."""

from __future__ import annotations

from operator import itemgetter

from questionnaires.models import Questionnaire
from scoring.engine import DomainResult, Overall, QuestionResult, Step

PHASE_FACTORS = {0: 1.0, 1: 0.5}
LATER_FACTOR = 0.25
LIMITING_BOOST = 1.5
EFFORT_ORDER = {"S": 0, "M": 1, "L": 2}
HORIZONS = {"now": "Now (0–3 months)", "next": "Next (3–9 months)", "later": "Later (9–18 months)"}


def phase_factor(offset: int) -> float:
    """Discount for a practice `offset` phases beyond the domain's working phase."""
    return PHASE_FACTORS.get(max(offset, 0), LATER_FACTOR)


def horizon_of(offset: int) -> str:
    """now: the working phase (or earlier); next: one phase on; later: beyond."""
    return "now" if offset <= 0 else "next" if offset == 1 else "later"


def next_steps(questionnaire: Questionnaire, questions: dict[str, QuestionResult],
               domains: tuple[DomainResult, ...], overall: Overall) -> tuple[Step, ...]:
    """Every visible low-scoring question with an action, ranked."""
    by_id = {d.id: d for d in domains}
    weights = {d.id: d.weight for d in questionnaire.domains}
    limiting = set(overall.limiting_domains)
    candidates = []
    for item in questionnaire.cached("steps.actionable", _actionable):
        question = item.question
        result = questions[question.id]
        score = result.score
        if score is None or score >= 1 or not result.visible:
            continue
        domain = by_id[question.domain]
        if question.phase > domain.target:
            continue
        candidates.append(_candidate(item, score, domain, weights[domain.id], domain.id in limiting))
    candidates.sort(key=itemgetter(0))
    return tuple(_step(rank, c) for rank, c in enumerate(candidates, start=1))


def _actionable(questionnaire: Questionnaire) -> tuple:
    from scoring.engine import compiled_items

    return tuple(item for item in compiled_items(questionnaire) if item.scores is not None and item.question.action)


def _candidate(item, score: float, domain: DomainResult, domain_weight: float, limiting: bool):
    question = item.question
    working = domain.working_phase or 4
    offset = question.phase - working
    gap = 1.0 - score
    factor = PHASE_FACTORS.get(offset, LATER_FACTOR) if offset > 0 else 1.0
    priority = question.weight * domain_weight * gap * factor * (LIMITING_BOOST if limiting else 1.0)
    key = (-round(priority, 9), -question.action.impact, EFFORT_ORDER[question.action.effort], item.order)
    why = (question.phase, domain.name, gap, question.weight, domain_weight, offset, working, limiting, priority)
    return key, question, score, horizon_of(offset), priority, why


def explain(phase: int, domain_name: str, gap: float, weight: float, domain_weight: float, offset: int,
            working: int, limiting: bool, priority: float) -> str:
    """The words behind a step's priority."""
    if offset <= 0:
        place = f"phase {phase} practice, {domain_name} works on phase {working} now"
    else:
        place = f"phase {phase} practice, {offset} phase{'s' if offset > 1 else ''} beyond {domain_name}'s working phase {working}"
    text = (f"Priority {priority:.2f} = gap {gap:.0%} × question weight {weight:g} × domain weight {domain_weight:g}"
            f" × phase factor {phase_factor(offset):g} ({place})")
    if limiting:
        text += f"; ×{LIMITING_BOOST:g} because {domain_name} limits the overall phase"
    return text


def _step(rank: int, candidate) -> Step:
    _, question, score, horizon, priority, why = candidate
    action = question.action
    # Positional: this runs for dozens of steps per response.
    return Step(rank, question.id, question.domain, question.phase, horizon, action.title, action.detail,
                action.owner, action.effort, action.impact, action.kpi, round(priority, 4), score, why)

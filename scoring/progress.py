"""Where a respondent is in a questionnaire: progress, steps per domain, what is still open."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.models import Question, Questionnaire
from scoring.engine import Result


@dataclass(frozen=True)
class Progress:
    """How far a respondent is: visible questions answered, required ones open, minutes left."""

    answered: int
    total: int
    open_required: tuple[str, ...]
    minutes_left: int

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0

    def text(self) -> str:
        """'23 of 48 answered · about 12 min left'."""
        left = "ready to finish" if not self.open_required else f"about {self.minutes_left} min left"
        return f"{self.answered} of {self.total} answered · {left}"


def progress(questionnaire: Questionnaire, result: Result) -> Progress:
    """Progress over the visible questions, from a scored result."""
    visible = [q for q in questionnaire.questions if result.questions[q.id].visible]
    answered = [q for q in visible if result.questions[q.id].answered]
    open_required = tuple(q.id for q in visible if q.required and not result.questions[q.id].answered)
    share_left = 1 - (len(answered) / len(visible) if visible else 1)
    minutes = max(1, round(questionnaire.estimated_minutes * share_left)) if share_left > 0 else 0
    return Progress(len(answered), len(visible), open_required, minutes)


def domain_questions(questionnaire: Questionnaire, result: Result, domain_id: str) -> list[Question]:
    """The visible questions of one domain, in questionnaire order."""
    return [q for q in questionnaire.questions if q.domain == domain_id and result.questions[q.id].visible]


def step_counts(questionnaire: Questionnaire, result: Result) -> dict[str, tuple[int, int]]:
    """Per domain id: (answered, visible) questions."""
    counts = {d.id: [0, 0] for d in questionnaire.domains}
    for question in questionnaire.questions:
        outcome = result.questions[question.id]
        if outcome.visible:
            counts[question.domain][1] += 1
            counts[question.domain][0] += outcome.answered
    return {domain: (done, total) for domain, (done, total) in counts.items()}


def step_label(name: str, answered: int, visible: int) -> str:
    """'Data 3/8', or 'Data ✓' once every visible question of the domain is answered."""
    return f"{name} ✓" if answered >= visible else f"{name} {answered}/{visible}"


def step_index(questionnaire: Questionnaire, step) -> int | None:
    """The step a picker or button asked for: an index in range or a domain id; None for anything else."""
    if isinstance(step, bool):
        return None
    if isinstance(step, int):
        return step if 0 <= step < len(questionnaire.domains) else None
    ids = [domain.id for domain in questionnaire.domains]
    return ids.index(step) if step in ids else None


def first_open_step(questionnaire: Questionnaire, result: Result) -> int:
    """The index of the first domain with an unanswered required question (0 when none is open)."""
    open_ids = set(progress(questionnaire, result).open_required)
    for index, domain in enumerate(questionnaire.domains):
        if any(q.domain == domain.id and q.id in open_ids for q in questionnaire.questions):
            return index
    return 0


def missing_by_domain(questionnaire: Questionnaire, missing: tuple[str, ...]) -> dict[str, list[Question]]:
    """Open required questions grouped by domain id, in questionnaire order."""
    wanted = set(missing)
    grouped: dict[str, list[Question]] = {}
    for question in questionnaire.questions:
        if question.id in wanted:
            grouped.setdefault(question.domain, []).append(question)
    return grouped

"""Progress, in two senses: where a respondent is in a questionnaire (steps, what is still open, carried-over
answers to confirm), and how far a domain has come toward its working phase's bar since a baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from questionnaires.models import Question, QuestionCount, Questionnaire, question_count
from scoring.engine import Result, join_names

if TYPE_CHECKING:  # scoring.compare builds on this module
    from scoring.compare import Comparison, DomainChange


@dataclass(frozen=True)
class Progress:
    """How far a respondent is: visible questions answered, required ones open, minutes left."""

    answered: int
    total: int
    open_required: tuple[str, ...]
    minutes_left: int
    count: QuestionCount | None = None  # the questionnaire's count, which `total` adds shown follow-ups to

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0

    def text(self) -> str:
        """'23 of 48 answered · about 12 min left'; '23 of 49 answered (48 + 1 follow-up) · ...' once an answer
        brought a follow-up in."""
        left = "ready to finish" if not self.open_required else f"about {self.minutes_left} min left"
        added = self.count.added(self.total) if self.count else ""
        return f"{self.answered} of {self.total} answered{added} · {left}"


def progress(questionnaire: Questionnaire, result: Result) -> Progress:
    """Progress over the visible questions, from a scored result."""
    visible = [q for q in questionnaire.questions if result.questions[q.id].visible]
    answered = [q for q in visible if result.questions[q.id].answered]
    open_required = tuple(q.id for q in visible if q.required and not result.questions[q.id].answered)
    count = question_count(questionnaire)
    return Progress(len(answered), len(visible), open_required, count.minutes_for(len(visible) - len(answered)), count)


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


def unconfirmed(questionnaire: Questionnaire, result: Result, carried) -> tuple[str, ...]:
    """The carried-over answers still to confirm, among the questions shown, in the order they are asked."""
    marked = set(carried)
    return tuple(q.id for d in questionnaire.domains for q in questionnaire.questions
                 if q.domain == d.id and q.id in marked and result.questions[q.id].visible)


def unconfirmed_text(count: int) -> str:
    """'3 carried-over answers are not confirmed yet.' (carried from a baseline, or from an earlier version of the
    questionnaire whose question changed meaning)"""
    if count == 1:
        return "1 carried-over answer is not confirmed yet."
    return f"{count} carried-over answers are not confirmed yet."


# --- the bar: progress toward the working phase, before and now ---------------------------
# A domain's bar is the engine's `DomainResult.bar`: its working phase's attainment over the threshold, capped at 1.

BAR_NOTE = ("The bar is how much of the practice its working phase asks for a domain has in place: at 100% the "
            "phase is achieved and the next one becomes the bar.")


def percent(share: float | None) -> str:
    """'85%'; '–' when unknown."""
    return "–" if share is None else f"{share:.0%}"


def day_text(date: dt.date) -> str:
    """'2 March 2026'."""
    return f"{date.day} {date:%B %Y}"


def _phases(numbers: range) -> str:
    """'phase 2', 'phases 2 and 3', 'phases 1, 2 and 3'."""
    return ("phase " if len(numbers) == 1 else "phases ") + join_names([str(n) for n in numbers])


def bar_change_text(change: DomainChange) -> str:
    """A domain's bar before and now, as its table row says it: '40% → 85% of the phase 2 bar', or, when its
    working phase changed, 'phase 2 achieved; now 35% of the phase 3 bar'."""
    if change.index_now is None:
        return "not assessed now"
    now = "all four phases complete" if change.achieved_now >= 4 else \
        f"now {percent(change.bar_now)} of the phase {change.achieved_now + 1} bar"
    if change.index_before is None:
        return f"not assessed then; {now}"
    before, after = change.achieved_before, change.achieved_now
    if after > before:
        return f"{_phases(range(before + 1, after + 1))} achieved; {now}"
    if after < before:
        return f"{_phases(range(after + 1, before + 1))} no longer achieved; {now}"
    if after >= 4:
        return "all four phases achieved"
    return f"{percent(change.bar_before)} → {percent(change.bar_now)} of the phase {after + 1} bar"


def _moved(change: DomainChange) -> float:
    """How far a domain moved toward the next phase: phases gained plus the change of bar (0 for no real answer),
    rounded so that equal moves are equal."""
    moved = (change.achieved_now + (change.bar_now or 0.0)) - (change.achieved_before + (change.bar_before or 0.0))
    return round(moved, 6)


def _movement(change: DomainChange) -> str:
    """'Governance rose from 40% to 85% of its phase 2 bar', 'Data achieved phase 2 and now stands at 35% of its
    phase 3 bar', ..."""
    name, before, after = change.name, change.achieved_before, change.achieved_now
    if after >= 4 > before:
        return f"{name} achieved all four phases"
    if change.bar_now is None:
        stands = f"has no real answer in phase {after + 1} yet"
    else:
        stands = f"now stands at {percent(change.bar_now)} of its phase {after + 1} bar"
    if after > before:
        return f"{name} achieved {_phases(range(before + 1, after + 1))} and {stands}"
    if after < before:
        return f"{name} no longer achieves {_phases(range(after + 1, before + 1))} and {stands}"
    if change.bar_before is None or change.bar_now is None:
        return f"{name} {stands}"
    went = "rose" if _moved(change) > 0 else "fell"
    return f"{name} {went} from {percent(change.bar_before)} to {percent(change.bar_now)} of its phase {after + 1} bar"


def _counted(n: int, one: str, many: str, none: str) -> str:
    return none if n == 0 else f"{n} {one if n == 1 else many}"


def progress_sentence(comparison: Comparison) -> str:
    """The progress since the baseline in one plain sentence: 'Since the assessment of 2 March 2026: phase 1 →
    phase 2; Governance rose from 40% to 85% of its phase 2 bar; 4 steps completed, 1 new gap.' The domain named
    is one that holds the organisation back now: the bar that matters next."""
    since = (f"the {comparison.baseline_kind} of {day_text(comparison.baseline_date)}" if comparison.baseline_date
             else "the baseline")
    if comparison.phase_before == comparison.phase_now:
        phase = f"still in phase {comparison.phase_now}"
    else:
        phase = f"phase {comparison.phase_before} → phase {comparison.phase_now}"
    closed = _counted(len(comparison.closed_steps), "step completed", "steps completed", "no step completed")
    gaps = _counted(len(comparison.new_gaps), "new gap", "new gaps", "no new gap")
    return f"Since {since}: {phase}; {_limiting_movement(comparison)}; {closed}, {gaps}."


def _limiting_movement(comparison: Comparison) -> str:
    """How the domain holding the organisation back now moved: of several, the one that rose most (the first in
    questionnaire order among equals), else the one that fell most."""
    compared = [d for d in comparison.domains if d.index_before is not None and d.index_now is not None]
    if not compared:
        return "no domain was assessed on both occasions"
    lowest = min(d.achieved_now for d in compared)
    if lowest >= 4:
        return "every domain has achieved all four phases"
    holding = [d for d in compared if d.achieved_now == lowest]
    rose = max(holding, key=_moved)
    if _moved(rose) > 0:
        return _movement(rose)
    fell = min(holding, key=_moved)
    if _moved(fell) < 0:
        return _movement(fell)
    if len(holding) > 1:
        return f"{join_names([d.name for d in holding])} have not moved toward their phase {lowest + 1} bar"
    if rose.bar_now is None:
        return f"{rose.name} still has no real answer in phase {lowest + 1}"
    return f"{rose.name} has not moved from {percent(rose.bar_now)} of its phase {lowest + 1} bar"

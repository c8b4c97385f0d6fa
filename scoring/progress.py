"""Progress, in two senses: where a respondent is in a questionnaire (steps, what is still open, carried-over
answers to confirm), and how far a domain has come toward its working phase's bar since a baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import i18n
from i18n import _, ngettext
from questionnaires.models import Question, QuestionCount, Questionnaire, question_count
from scoring.engine import Result, join_names
from scoring.words import N_
from scoring.words import share as shown_share

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
        facts = {"answered": self.answered, "total": self.total, "minutes": self.minutes_left,
                 "added": self.count.added(self.total) if self.count else ""}
        if not self.open_required:
            return _("{answered} of {total} answered{added} · ready to finish").format(**facts)
        return _("{answered} of {total} answered{added} · about {minutes} min left").format(**facts)


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
    return ngettext("{count} carried-over answer is not confirmed yet.",
                    "{count} carried-over answers are not confirmed yet.", count).format(count=count)


# --- the bar: progress toward the working phase, before and now ---------------------------
# A domain's bar is the engine's `DomainResult.bar`: its working phase's attainment over the threshold, capped at 1.

BAR_NOTE = N_("The bar is how much of the practice its working phase asks for a domain has in place: at 100% the "
              "phase is achieved and the next one becomes the bar.")  # shown through _()


def percent(share: float | None) -> str:
    """'85%'; '–' when unknown."""
    return "–" if share is None else shown_share(share)


def day_text(date: dt.date) -> str:
    """'2 March 2026' ('2. März 2026' in German)."""
    if i18n.current() == i18n.SOURCE:
        return f"{date.day} {date:%B %Y}"
    return i18n.date(date)


def _phases(numbers: range) -> str:
    """'phase 2', 'phases 2 and 3', 'phases 1, 2 and 3'."""
    return ngettext("phase {numbers}", "phases {numbers}", len(numbers)).format(
        numbers=join_names([str(n) for n in numbers]))


def bar_change_text(change: DomainChange) -> str:
    """A domain's bar before and now, as its table row says it: '40% → 85% of the phase 2 bar', or, when its
    working phase changed, 'phase 2 achieved; now 35% of the phase 3 bar'."""
    if change.index_now is None:
        return _("not assessed now")
    before, after = change.achieved_before, change.achieved_now
    facts = {"share": percent(change.bar_now), "phase": after + 1}
    if change.index_before is None:
        return _("not assessed then; all four phases complete") if after >= 4 else \
            _("not assessed then; now {share} of the phase {phase} bar").format(**facts)
    if after != before:
        facts["phases"] = _phases(range(before + 1, after + 1) if after > before else range(after + 1, before + 1))
        if after > before:
            return _("{phases} achieved; all four phases complete").format(**facts) if after >= 4 else \
                _("{phases} achieved; now {share} of the phase {phase} bar").format(**facts)
        return _("{phases} no longer achieved; now {share} of the phase {phase} bar").format(**facts)
    if after >= 4:
        return _("all four phases achieved")
    return _("{before} → {now} of the phase {phase} bar").format(before=percent(change.bar_before),
                                                                  now=percent(change.bar_now), phase=after + 1)


def _moved(change: DomainChange) -> float:
    """How far a domain moved toward the next phase: phases gained plus the change of bar (0 for no real answer),
    rounded so that equal moves are equal."""
    moved = (change.achieved_now + (change.bar_now or 0.0)) - (change.achieved_before + (change.bar_before or 0.0))
    return round(moved, 6)


def _movement(change: DomainChange) -> str:
    """'Governance rose from 40% to 85% of its phase 2 bar', 'Data achieved phase 2 and now stands at 35% of its
    phase 3 bar', ..."""
    before, after = change.achieved_before, change.achieved_now
    if after >= 4 > before:
        return _("{name} achieved all four phases").format(name=change.name)
    facts = {"name": change.name, "share": percent(change.bar_now), "phase": after + 1}
    if after != before:
        facts["phases"] = _phases(range(before + 1, after + 1) if after > before else range(after + 1, before + 1))
        if change.bar_now is None:
            text = _("{name} achieved {phases} and has no real answer in phase {phase} yet") if after > before else \
                _("{name} no longer achieves {phases} and has no real answer in phase {phase} yet")
        else:
            text = _("{name} achieved {phases} and now stands at {share} of its phase {phase} bar") if after > before \
                else _("{name} no longer achieves {phases} and now stands at {share} of its phase {phase} bar")
        return text.format(**facts)
    if change.bar_now is None:
        return _("{name} has no real answer in phase {phase} yet").format(**facts)
    if change.bar_before is None:
        return _("{name} now stands at {share} of its phase {phase} bar").format(**facts)
    text = _("{name} rose from {before} to {share} of its phase {phase} bar") if _moved(change) > 0 else \
        _("{name} fell from {before} to {share} of its phase {phase} bar")
    return text.format(before=percent(change.bar_before), **facts)


def progress_sentence(comparison: Comparison) -> str:
    """The progress since the baseline in one plain sentence: 'Since the assessment of 2 March 2026: phase 1 →
    phase 2; Governance rose from 40% to 85% of its phase 2 bar; 4 steps completed, 1 new gap.' The domain named
    is one that holds the organisation back now: the bar that matters next."""
    facts = {"day": day_text(comparison.baseline_date) if comparison.baseline_date else "",
             "before": comparison.phase_before, "now": comparison.phase_now,
             "movement": _limiting_movement(comparison), "closed": _closed(len(comparison.closed_steps)),
             "gaps": _new_gaps(len(comparison.new_gaps))}
    return _since_template(comparison).format(**facts)


def _since_template(comparison: Comparison) -> str:
    """The progress sentence's message: since when, and whether the phase moved."""
    same = comparison.phase_before == comparison.phase_now
    if not comparison.baseline_date:
        return _("Since the baseline: still in phase {now}; {movement}; {closed}, {gaps}.") if same else \
            _("Since the baseline: phase {before} → phase {now}; {movement}; {closed}, {gaps}.")
    if comparison.baseline_kind == "workshop":
        return _("Since the workshop of {day}: still in phase {now}; {movement}; {closed}, {gaps}.") if same else \
            _("Since the workshop of {day}: phase {before} → phase {now}; {movement}; {closed}, {gaps}.")
    return _("Since the assessment of {day}: still in phase {now}; {movement}; {closed}, {gaps}.") if same else \
        _("Since the assessment of {day}: phase {before} → phase {now}; {movement}; {closed}, {gaps}.")


def _closed(count: int) -> str:
    if not count:
        return _("no step completed")
    return ngettext("{count} step completed", "{count} steps completed", count).format(count=count)


def _new_gaps(count: int) -> str:
    if not count:
        return _("no new gap")
    return ngettext("{count} new gap", "{count} new gaps", count).format(count=count)


def _limiting_movement(comparison: Comparison) -> str:
    """How the domain holding the organisation back now moved: of several, the one that rose most (the first in
    questionnaire order among equals), else the one that fell most."""
    compared = [d for d in comparison.domains if d.index_before is not None and d.index_now is not None]
    if not compared:
        return _("no domain was assessed on both occasions")
    lowest = min(d.achieved_now for d in compared)
    if lowest >= 4:
        return _("every domain has achieved all four phases")
    holding = [d for d in compared if d.achieved_now == lowest]
    rose = max(holding, key=_moved)
    if _moved(rose) > 0:
        return _movement(rose)
    fell = min(holding, key=_moved)
    if _moved(fell) < 0:
        return _movement(fell)
    if len(holding) > 1:
        return _("{names} have not moved toward their phase {phase} bar").format(
            names=join_names([d.name for d in holding]), phase=lowest + 1)
    if rose.bar_now is None:
        return _("{name} still has no real answer in phase {phase}").format(name=rose.name, phase=lowest + 1)
    return _("{name} has not moved from {share} of its phase {phase} bar").format(name=rose.name,
                                                                                  share=percent(rose.bar_now),
                                                                                  phase=lowest + 1)

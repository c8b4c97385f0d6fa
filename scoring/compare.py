"""Progress since a baseline: two scored assessments compared, domain by domain and question by question.

A baseline may come from another questionnaire (a quick check before the full
assessment). Then only the scored questions both share are compared: both sides are
scored again with the current questionnaire cut down to those questions, so a domain's
index before and now rest on the same questions, weights and thresholds. A phase in
which the two share no question then counts as not applicable on both sides, rather
than blocking both at the phase before it.
`Comparison.shared_only` says so, and `compared_text` says it in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from i18n import _
from questionnaires.models import Questionnaire
from scoring.answers import Answer, Response, parse_answers
from scoring.engine import QuestionResult, Result, score_response
from scoring.progress import bar_change_text, day_text
from scoring.thresholds import below_threshold, meets_threshold
from scoring.words import N_

SHOWN_DIGITS = 1  # an index is printed with one decimal, in the app, its charts and the report


def shown_index(value: float | None) -> float | None:
    """An index as it is printed: rounded to one decimal (as Python formats it)."""
    return None if value is None else round(value, SHOWN_DIGITS)


def shown_delta(before: float | None, now: float | None) -> float | None:
    """The change printed beside two indexes: the difference of the indexes as printed, so a row reads true
    (1.26 → 1.44 is printed 1.3 → 1.4, +0.1, never +0.2)."""
    if before is None or now is None:
        return None
    return round(shown_index(now) - shown_index(before), SHOWN_DIGITS) + 0.0  # + 0.0: never a printed "-0.0"


def change_text(change: float | None) -> str:
    """'+0.1', '−0.3' (a true minus sign, as the report prints it); '–' when either side is not assessed."""
    return "–" if change is None else f"{change:+.{SHOWN_DIGITS}f}".replace("-", "−")


@dataclass(frozen=True)
class DomainChange:
    """One domain's index, phases achieved and bar of its working phase, before and now (index None: not
    assessed; bar None: no real answer in the working phase)."""

    id: str
    name: str
    index_before: float | None
    index_now: float | None
    achieved_before: int
    achieved_now: int
    bar_before: float | None = None
    bar_now: float | None = None

    @property
    def delta(self) -> float | None:
        """The exact change of index (for the JSON); what is printed is `change`."""
        if self.index_before is None or self.index_now is None:
            return None
        return self.index_now - self.index_before

    @property
    def change(self) -> float | None:
        """The change of index as printed."""
        return shown_delta(self.index_before, self.index_now)

    @property
    def bar_text(self) -> str:
        """'40% → 85% of the phase 2 bar', or 'phase 2 achieved; now 35% of the phase 3 bar'."""
        return bar_change_text(self)


@dataclass(frozen=True)
class QuestionChange:
    """A question that crossed its phase threshold: a step completed, or a new gap."""

    question: str
    domain: str
    phase: int
    text: str
    action: str
    score_before: float | None
    score_now: float | None


@dataclass(frozen=True)
class PilotFigure:
    """One figure of the pilot register at the baseline and now (None: not measurable then or now)."""

    label: str
    before: float | None
    now: float | None
    share: bool = False  # a share (printed as a percentage) rather than a count

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.now is None else self.now - self.before


PILOT_FIGURES = (  # labels in the language of the moment when the figures are made
    (N_("Pilots in the register"), "total", False),
    (N_("In production or scaled"), "reached", False),
    (N_("Conversion to production"), "conversion_rate", True),
    (N_("Stuck"), "stuck", False),
    (N_("Without a business owner"), "without_owner", False),
    (N_("Without a KPI baseline"), "without_kpi", False),
)


def pilot_changes(before, now) -> tuple[PilotFigure, ...]:
    """The pilot register's figures at the baseline and now (`scoring.pilots.PilotMetrics`); none unless both
    have a register."""
    if before is None or now is None or not (before.total or now.total):
        return ()
    return tuple(PilotFigure(_(label), getattr(before, name), getattr(now, name), share)
                 for label, name, share in PILOT_FIGURES)


@dataclass(frozen=True)
class Comparison:
    """What moved between a baseline and the assessment (or workshop) now."""

    baseline_date: dt.date | None
    baseline_questionnaire: str
    baseline_version: str
    phase_before: int
    phase_now: int
    index_before: float
    index_now: float
    domains: tuple[DomainChange, ...]
    closed_steps: tuple[QuestionChange, ...]
    new_gaps: tuple[QuestionChange, ...]
    compared_questions: int
    shared_only: bool
    baseline_kind: str = "assessment"  # what the baseline was: an "assessment" or a "workshop"
    pilots: tuple[PilotFigure, ...] = ()  # the pilot register then and now, when both have one

    @property
    def index_delta(self) -> float:
        return self.index_now - self.index_before

    @property
    def index_change(self) -> float:
        """The change of the overall index as printed."""
        return shown_delta(self.index_before, self.index_now)


@dataclass(frozen=True)
class TrendPoint:
    """One assessment of a series, for the trend line."""

    date: dt.date | None
    questionnaire: str
    index: float
    phase: int


def compare_results(baseline_questionnaire: Questionnaire, baseline: Result, questionnaire: Questionnaire,
                    current: Result, baseline_date: dt.date | None = None, kind: str = "assessment") -> Comparison:
    """Compare the current result with its baseline (on the questions both share when they differ); `kind` says
    what the baseline was: an "assessment" or a "workshop"."""
    shared = shared_questions(baseline_questionnaire, questionnaire)
    shared_only = set(shared) != _scored_ids(baseline_questionnaire) or set(shared) != _scored_ids(questionnaire)
    source, pilots = baseline, pilot_changes(baseline.pilots, current.pilots)
    if shared_only:
        baseline = _rescored(questionnaire, baseline, shared)
        current = _rescored(questionnaire, current, shared)
    before = {d.id: d for d in baseline.domains}
    domains = tuple(
        DomainChange(d.id, d.name, before[d.id].index, d.index, before[d.id].achieved, d.achieved,
                     before[d.id].bar, d.bar)
        for d in current.domains if d.id in before
    )
    closed, gaps = _crossings(questionnaire, baseline, current, shared)
    return Comparison(
        baseline_date=baseline_date,
        baseline_questionnaire=source.questionnaire,
        baseline_version=source.questionnaire_version,
        phase_before=baseline.overall.phase,
        phase_now=current.overall.phase,
        index_before=baseline.overall.index,
        index_now=current.overall.index,
        domains=domains,
        closed_steps=closed,
        new_gaps=gaps,
        compared_questions=len(shared),
        shared_only=shared_only,
        baseline_kind=kind,
        pilots=pilots,
    )


def shared_questions(first: Questionnaire, second: Questionnaire) -> tuple[str, ...]:
    """The scored question ids of `second` that `first` scores too, in `second`'s order."""
    known = _scored_ids(first)
    return tuple(q.id for q in second.questions if q.scored and q.id in known)


def _scored_ids(questionnaire: Questionnaire) -> set[str]:
    return {q.id for q in questionnaire.questions if q.scored}


def _rescored(questionnaire: Questionnaire, result: Result, keep: tuple[str, ...]) -> Result:
    """The result's answers to `keep`, scored with `questionnaire` cut down to those questions (targets as they were)."""
    wanted = set(keep)
    questionnaire = _restricted(questionnaire, wanted)
    answers = {qid: Answer(q.value, q.note) for qid, q in result.questions.items()
               if qid in wanted and q.value is not None}
    domains = {d.id for d in questionnaire.domains}
    response = Response(questionnaire.id, questionnaire.version, answers, result.organisation,
                        targets={d.id: d.target for d in result.domains if d.id in domains})
    return score_response(questionnaire, response)


def _restricted(questionnaire: Questionnaire, keep: set[str]) -> Questionnaire:
    """The questionnaire with only the questions in `keep`."""
    cut = questionnaire.model_copy(update={"questions": [q for q in questionnaire.questions if q.id in keep]})
    cut.__pydantic_private__["_cache"] = {}  # the full questionnaire's compiled items must not be shared
    return cut


def _crossings(questionnaire: Questionnaire, baseline: Result, current: Result,
               shared: tuple[str, ...]) -> tuple[tuple[QuestionChange, ...], tuple[QuestionChange, ...]]:
    """Questions that rose to their phase's threshold, and questions that fell below it."""
    closed, gaps = [], []
    for qid in shared:
        before, now = baseline.questions[qid], current.questions[qid]
        threshold = questionnaire.phase(now.phase).threshold
        if _below(before, threshold) and _at_or_above(now, threshold):
            closed.append(_change(questionnaire, before, now))
        elif _at_or_above(before, threshold) and _below(now, threshold):
            gaps.append(_change(questionnaire, before, now))
    return tuple(closed), tuple(gaps)


def _at_or_above(answer: QuestionResult, threshold: float) -> bool:
    return answer.visible and answer.score is not None and meets_threshold(answer.score, threshold)


def _below(answer: QuestionResult, threshold: float) -> bool:
    """A real answer under the threshold, or 'don't know' (unknown is not done); unanswered and n/a are neither."""
    if not answer.visible:
        return False
    return answer.dont_know or (answer.score is not None and below_threshold(answer.score, threshold))


def _change(questionnaire: Questionnaire, before: QuestionResult, now: QuestionResult) -> QuestionChange:
    question = questionnaire.question(now.id)
    action = question.action.title if question.action else ""
    return QuestionChange(now.id, now.domain, now.phase, question.text, action, before.score, now.score)


def trend_point(result: Result, date: dt.date | None) -> TrendPoint:
    """One assessment of a series as a point of the trend line."""
    return TrendPoint(date, result.questionnaire, result.overall.index, result.overall.phase)


def since_text(date: dt.date | None, kind: str = "assessment") -> str:
    """'Progress since 26 November 2026' (a workshop's: 'Progress since the workshop of 26 November 2026'), or
    'Progress since the baseline' when its date is unknown."""
    if not date:
        return _("Progress since the baseline")
    if kind == "workshop":
        return _("Progress since the workshop of {day}").format(day=day_text(date))
    return _("Progress since {day}").format(day=day_text(date))


def compared_text(comparison: Comparison) -> str:
    """The sentence that says what was compared, when only shared questions were."""
    if not comparison.shared_only:
        return ""
    text = _("Compared on the {count} questions both workshops share; the indexes below are scored on those "
             "questions alone.") if comparison.baseline_kind == "workshop" else \
        _("Compared on the {count} questions both assessments share; the indexes below are scored on those "
          "questions alone.")
    return text.format(count=comparison.compared_questions)


def progress_rows(comparison: Comparison) -> list[dict]:
    """The app's table of domains before and now, every figure as the report prints it (a change of phase is said
    in the bar's words, which leaves the narrow screen room for them)."""
    return [{"Domain": d.name, "Index before": shown_index(d.index_before), "Index now": shown_index(d.index_now),
             "Change": d.change, "Bar of the working phase": d.bar_text} for d in comparison.domains]


def comparison_to_dict(comparison: Comparison) -> dict:
    """The `progress` object of `cli.py score --baseline`."""
    return {
        "baseline": {
            "date": comparison.baseline_date.isoformat() if comparison.baseline_date else None,
            "questionnaire": comparison.baseline_questionnaire,
            "version": comparison.baseline_version,
        },
        "overall": {
            "phase_before": comparison.phase_before,
            "phase_now": comparison.phase_now,
            "index_before": _round(comparison.index_before),
            "index_now": _round(comparison.index_now),
        },
        "domains": [
            {"id": d.id, "index_before": _round(d.index_before), "index_now": _round(d.index_now),
             "delta": _round(d.delta), "achieved_before": d.achieved_before, "achieved_now": d.achieved_now,
             "bar_before": _round(d.bar_before), "bar_now": _round(d.bar_now)}
            for d in comparison.domains
        ],
        "closed_steps": [_question(c) for c in comparison.closed_steps],
        "new_gaps": [_question(c) for c in comparison.new_gaps],
        "compared_questions": comparison.compared_questions,
        "shared_only": comparison.shared_only,
        "baseline_kind": comparison.baseline_kind,
        "pilots": [{"figure": f.label, "before": _round(f.before), "now": _round(f.now)} for f in comparison.pilots],
        "note": compared_text(comparison),
    }


def _question(change: QuestionChange) -> dict:
    return {"question": change.question, "domain": change.domain, "phase": change.phase, "text": change.text,
            "action": change.action, "score_before": _round(change.score_before), "score_now": _round(change.score_now)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def progress_from_payload(payload: dict, questionnaire: Questionnaire, result: Result,
                          find) -> tuple[Comparison, list[TrendPoint]]:
    """In the PDF worker: the comparison and the trend again, from the plain payload the app sent with the job
    (`ui.baseline.BaselineProgress.payload`); `find(id, version)` finds the baseline's questionnaire."""
    response = parse_answers(payload["answers"])
    earlier = find(response.questionnaire, response.questionnaire_version)
    comparison = compare_results(earlier, score_response(earlier, response), questionnaire, result, response.date)
    series = [TrendPoint(dt.date.fromisoformat(day) if day else None, qid, index, phase)
              for day, qid, index, phase in payload["series"]]
    return comparison, series

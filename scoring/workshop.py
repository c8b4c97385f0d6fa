"""Many responses -> one workshop result.

Each participant's response is scored on its own; answers are aggregated per question
(n, mean, median, standard deviation, min, max, don't-know count), disputed questions are
flagged, domain indices are compared across roles, and the workshop's own answers —
consensus where the facilitator recorded one, else the median answer — are scored with
`score_response` like any single response.

Built for rooms of 5-200 people and fast enough for 20,000: every answer is coded once
into numpy arrays, the engine scores only each question's distinct answer values, and
visibility (`visible_if`) is evaluated once per distinct combination of the answers it
refers to. The scoring rules themselves (visibility, maximum points, thresholds, gating,
the domain index) are the engine's, applied here to whole columns of participants. The
workshop's own rules are spelled out in `METHOD`, which reports print.
"""

from __future__ import annotations

import dataclasses
import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from i18n import ngettext
from questionnaires.models import Question, Questionnaire
from scoring.answers import (DONT_KNOW, NA, Answer, OrganisationProfile, Pilot, Response, Value, answer_label,
                             special_label)
from scoring.engine import (
    LOW_CONFIDENCE,
    Result,
    achieved_phases,
    compiled_items,
    confidence_warning,
    domain_index,
    is_visible,
    question_score,
    score_response,
    seen_value,
    unanswered_phase_attained,
)
from scoring.steps import IMPACT_FACTORS
from scoring.thresholds import meets_threshold
from scoring.words import share

EXECUTIVE = "executive"
PRACTITIONER = "practitioner"
NO_ROLE = "No role given"

SOURCE_CONSENSUS = "consensus"
SOURCE_MEDIAN = "median"
SOURCE_NONE = "none"

DISAGREEMENT_LEVELS = 2.0
"""A question is disputed when answers lie this many option levels apart ..."""
DISAGREEMENT_STD = 1.0
"""... or when their standard deviation reaches this on a 0-4 scale."""
TRIM_SHARE = 0.05
"""Share of answers set aside at each end before measuring the spread (none below 20)."""
GAP_FLAG = 0.5
"""Executives and practitioners this far apart on a domain index (0-4) are called out."""
GAP_MIN_FINISHED = 2
"""Finished participants each side needs in a domain before executives and practitioners are compared."""
DISPUTE_SHARE = 1 / 3
"""At most this share of the scored questions is flagged as disputed (rounded up) ..."""
DISPUTES_AT_MOST = 10
"""... and never more than this many: what a room can settle in one sitting. The rest are counted as apart."""
CONFIDENCE_METHOD = (
    "The workshop's confidence is the share of the questions each participant sees that they answered with a "
    "real value, over the whole room: a participant who has not finished lowers it, and a question answered by "
    "one person out of ten counts as one tenth answered, not as answered."
)

METHOD = (
    "Each participant's answers are scored on their own. Per question the workshop shows the "
    "number of real answers (n), their mean, median, standard deviation (of this room, not a "
    "sample estimate), minimum and maximum in option points (0-4 on the five-level scale), and "
    "how many said \"don't know\". A question's answers are apart when they spread over two or "
    "more option levels or their standard deviation is 1 or more on a 0-4 scale; the spread "
    "sets aside the most extreme 5% of answers at each end (none with fewer than 20 answers), "
    "so one outlier in a large room does not make a dispute. Questions whose answers are apart are "
    "ranked by how much the difference matters: the spread on a 0-4 scale times the question's "
    "weight, its domain's weight and the impact factor of its step (impact 1/2/3: 0.8/1/1.2). The "
    "highest-ranked of them, at most a third of the scored questions and never more than ten, are "
    "the disputed questions; the others are counted as apart, so a polarised room still gets a "
    "short list to settle. A disputed question on which the room recorded an agreed answer stays "
    "listed as decided and no longer counts as open. The perception gap compares, per domain, the "
    "average maturity index of each role; executives versus practitioners (data & AI, IT & "
    "engineering) is called out from half a phase apart, and only once at least two participants "
    "on each side have finished and have an index in that domain (until then it reads \"too few "
    "answers yet\"). The workshop result uses the "
    "facilitator's consensus answer where one was recorded, else the median answer: for scale "
    "and single-choice questions the highest option that more than half of the participants "
    "reached or exceeded (the lower median), for yes/no questions 'yes' only when more than half "
    "said yes, for multiple-choice questions every option chosen by more than half, for numbers "
    "the lower median. When more than half of the answers to a question are \"don't know\" or "
    "\"not applicable\", the workshop answer is the more common of the two (a tie counts as "
    "\"don't know\"). That set of answers is then scored exactly like a single response. " + CONFIDENCE_METHOD
)


@dataclass(frozen=True)
class Role:
    """A participant role; `group` is 'executive', 'practitioner' or None."""

    name: str
    group: str | None = None


DEFAULT_ROLES = (
    Role("Executive", EXECUTIVE),
    Role("Business"),
    Role("Data & AI", PRACTITIONER),
    Role("IT & engineering", PRACTITIONER),
    Role("Risk & legal"),
)


@dataclass(frozen=True)
class OptionCount:
    """How many participants gave one answer (an option, don't know or n/a)."""

    value: Value
    label: str
    count: int


@dataclass(frozen=True)
class RoleAnswers:
    """How the participants of one role answered one question."""

    role: str
    answered: int  # participants of this role who answered it (once each, also for multiple choice)
    counts: tuple[OptionCount, ...]  # per answer, as in QuestionStats.distribution


@dataclass(frozen=True)
class QuestionStats:
    """The room's answers to one scored question; points are on the option scale."""

    id: str
    domain: str
    phase: int
    type: str
    text: str
    order: int
    max_points: float
    n: int
    mean: float | None
    median: float | None
    std: float | None
    min: float | None
    max: float | None
    spread: float | None
    dont_know: int
    not_applicable: int
    unanswered: int
    distribution: tuple[OptionCount, ...]
    disagreement: bool
    workshop_value: Value
    source: str
    note: str = ""
    by_role: tuple[RoleAnswers, ...] = ()  # the roles that answered, in the workshop's role order
    apart: bool = False  # answers two levels apart (or a standard deviation of 1 on 0-4), disputed or not
    dispute_weight: float = 0.0  # how much the difference matters: spread on 0-4 x weights x impact factor

    @property
    def std4(self) -> float:
        """The standard deviation on a 0-4 scale (0 without answers)."""
        return 0.0 if self.std is None or not self.max_points else self.std / self.max_points * 4

    @property
    def decided(self) -> bool:
        """The room recorded an agreed answer to this question."""
        return self.source == SOURCE_CONSENSUS


@dataclass(frozen=True)
class RoleCount:
    """Participation of one role: joined (has a response) and finished (every required answer)."""

    role: str
    joined: int
    finished: int


@dataclass(frozen=True)
class DomainSpread:
    """How far apart participants' indices (0-4) lie in one domain."""

    domain: str
    name: str
    n: int
    mean: float | None
    std: float | None
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None


@dataclass(frozen=True)
class RoleGap:
    """One domain's average index by role, and executives versus practitioners (`executives_finished`,
    `practitioners_finished`: the finished participants of each side with an index in this domain)."""

    domain: str
    name: str
    by_role: dict[str, float | None]
    counts: dict[str, int]
    executive: float | None
    practitioner: float | None
    executives_finished: int = 0
    practitioners_finished: int = 0

    @property
    def too_few(self) -> bool:
        """Fewer than GAP_MIN_FINISHED finished participants on either side: no gap is read yet."""
        return min(self.executives_finished, self.practitioners_finished) < GAP_MIN_FINISHED

    @property
    def gap(self) -> float | None:
        """Executive minus practitioner index: positive reads as executive optimism (None: too few answers)."""
        if self.too_few or self.executive is None or self.practitioner is None:
            return None
        return self.executive - self.practitioner

    @property
    def flagged(self) -> bool:
        return self.gap is not None and meets_threshold(abs(self.gap), GAP_FLAG)


@dataclass(frozen=True)
class Decision:
    """A consensus answer the facilitator recorded, next to the median it replaces."""

    question: str
    text: str
    value: Value
    label: str
    note: str
    median_value: Value
    median_label: str


@dataclass(frozen=True)
class WorkshopResult:
    """Everything the dashboard, the workshop report and the exports show."""

    questionnaire: str
    questionnaire_version: str
    client: str
    roles: tuple[Role, ...]
    participants: int
    finished: int
    participation: tuple[RoleCount, ...]
    questions: tuple[QuestionStats, ...]
    domain_spreads: tuple[DomainSpread, ...]
    role_gaps: tuple[RoleGap, ...]
    overall_by_role: dict[str, float | None]
    decisions: tuple[Decision, ...]
    response: Response
    result: Result
    sources: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.0  # the room's: share of the questions participants see that they answered

    @property
    def disagreements(self) -> tuple[QuestionStats, ...]:
        """Disputed questions, decided ones included, the one that matters most first (see `dispute_order`)."""
        return tuple(sorted((q for q in self.questions if q.disagreement), key=dispute_order))

    @property
    def open_disagreements(self) -> tuple[QuestionStats, ...]:
        """Disputed questions the room has not yet agreed an answer to, in the order of `disagreements`."""
        return tuple(q for q in self.disagreements if not q.decided)

    @property
    def apart_only(self) -> int:
        """Questions whose answers are apart but which did not make the list of disputed questions."""
        return sum(1 for q in self.questions if q.apart and not q.disagreement)

    @property
    def dont_knows(self) -> tuple[QuestionStats, ...]:
        """Questions to which someone in the room answered "don't know", in questionnaire order."""
        return tuple(q for q in self.questions if q.dont_know)

    def question(self, question_id: str) -> QuestionStats:
        return next(q for q in self.questions if q.id == question_id)

    def role_gap(self, domain_id: str) -> RoleGap:
        return next(g for g in self.role_gaps if g.domain == domain_id)


# --- the coded answer matrix ----------------------------------------------------------


@dataclass
class _Coded:
    """Every answer as a code per participant and question; tables per code per question."""

    codes: np.ndarray  # participants x questions, -1 = no answer; indexes the tables below
    values: list[list[Value]]  # per question: code -> answer value
    scores: list[np.ndarray]  # per question: code -> 0-1 score (nan: none); last entry: no answer
    dont_know: list[np.ndarray]
    not_applicable: list[np.ndarray]
    usable: list[np.ndarray]  # per question: code -> whether visible_if sees the answer (when the question shows)
    visible: np.ndarray = None  # participants x questions


_NO_ANSWER = Answer(None)


def _encode(questionnaire: Questionnaire, responses: Sequence[Response]) -> _Coded:
    """Code each distinct answer value once per question; score the distinct values only."""
    items = compiled_items(questionnaire)
    values = _answer_values([item.question.id for item in items], responses)
    matrix = np.full((len(responses), len(items)), -1, dtype=np.int32)
    coded = _Coded(matrix, [], [], [], [], [])
    for j, item in enumerate(items):
        column = values[j::len(items)]
        if item.question.type == "multi":  # the same choices in any order are one answer
            column = [frozenset(v) if type(v) is list else v for v in column]
        codes, uniques = pd.factorize(np.fromiter(column, dtype=object, count=len(column)))
        matrix[:, j] = codes
        column_values = [_choices(questionnaire, item.question, v) if type(v) is frozenset else v for v in uniques]
        coded.values.append(column_values)
        scores = [question_score(item, v) for v in column_values]
        coded.scores.append(np.array([np.nan if s is None else s for s in scores] + [np.nan]))
        coded.dont_know.append(np.array([v == DONT_KNOW for v in column_values] + [False]))
        coded.not_applicable.append(np.array([v == NA for v in column_values] + [False]))
        coded.usable.append(np.array([seen_value(True, v) is not None for v in column_values] + [False]))
    coded.visible = _visibility(items, {item.question.id: j for j, item in enumerate(items)}, coded)
    return coded


def _choices(questionnaire: Questionnaire, question: Question, chosen: frozenset) -> list:
    """A set of chosen values as a list in option order (values that are no option last)."""
    options = [o.value for o in questionnaire.options_for(question)]
    return [v for v in options if v in chosen] + sorted((v for v in chosen if v not in options), key=str)


def _answer_values(question_ids: list[str], responses: Sequence[Response]) -> list[Value]:
    """Every answer value, participant by participant (row-major), None where unanswered.

    Reading the answers in the order they were created keeps this memory-friendly; it is
    the one pass over Python objects, so it is kept tight.
    """
    getter = operator.itemgetter(*question_ids)
    single = len(question_ids) == 1
    answers: list[Answer] = []
    for response in responses:
        try:
            found = getter(response.answers)
            answers.extend((found,) if single else found)
        except KeyError:  # a partial response
            answers.extend([response.answers.get(q, _NO_ANSWER) for q in question_ids])
    return list(map(operator.attrgetter("value"), answers))


def _visibility(items, column: dict[str, int], coded: _Coded) -> np.ndarray:
    """Evaluate each visible_if once per distinct combination of the answers it refers to."""
    visible = np.ones(coded.codes.shape, dtype=bool)
    for j, item in enumerate(items):
        if item.visible_if is None:
            continue
        refs = [column[r] for r in item.visible_if.references if r in column and column[r] < j]
        if not refs:
            visible[:, j] = is_visible(item, lambda _: None)
            continue
        keys = np.stack([np.where(visible[:, r] & coded.usable[r][coded.codes[:, r]], coded.codes[:, r], -1)
                         for r in refs], axis=1)
        combinations, inverse = np.unique(keys, axis=0, return_inverse=True)
        outcomes = np.array([_evaluate(item, refs, combination, items, coded) for combination in combinations],
                            dtype=bool)
        visible[:, j] = outcomes[inverse.reshape(-1)]
    return visible


def _evaluate(item, refs: list[int], combination, items, coded: _Coded) -> bool:
    """The engine's visibility for one combination of seen answers (code -1: the expression sees nothing)."""
    known = {items[r].question.id: (None if code < 0 else coded.values[r][code]) for r, code in zip(refs, combination)}
    return is_visible(item, known.get)


def _score_matrix(coded: _Coded) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0-1 scores (nan: no real answer or hidden), don't-know and n/a masks, visible only."""
    shape = coded.codes.shape
    scores, dont_know, not_applicable = np.empty(shape), np.empty(shape, bool), np.empty(shape, bool)
    for j in range(shape[1]):
        codes = coded.codes[:, j]
        scores[:, j] = coded.scores[j][codes]
        dont_know[:, j] = coded.dont_know[j][codes]
        not_applicable[:, j] = coded.not_applicable[j][codes]
    scores[~coded.visible] = np.nan
    return scores, dont_know & coded.visible, not_applicable & coded.visible


# --- per-question statistics ----------------------------------------------------------


def levels_of(questionnaire: Questionnaire, question: Question) -> float:
    """Option levels a 0-1 score spans: options - 1 (scale, single), 1 (yes/no), 4 (multi)."""
    if question.type in ("scale", "single"):
        return max(len(questionnaire.options_for(question)) - 1, 1)
    return 1.0 if question.type == "yes_no" else 4.0


def spread_of(sorted_scores: np.ndarray, levels: float) -> float:
    """Range of the answers in option levels, the most extreme 5% at each end set aside."""
    n = len(sorted_scores)
    trim = int(np.floor(TRIM_SHARE * n + 1e-9))
    return float(sorted_scores[n - 1 - trim] - sorted_scores[trim]) * levels


def is_disagreement(spread: float, std4: float) -> bool:
    """Two or more option levels apart, or a standard deviation of 1 or more on 0-4."""
    return spread >= DISAGREEMENT_LEVELS - 1e-9 or std4 >= DISAGREEMENT_STD - 1e-9


def dispute_weight(questionnaire: Questionnaire, question: Question, spread: float) -> float:
    """How much a difference of `spread` option levels matters: the spread on 0-4, times the question's and its
    domain's weight and the impact factor of its step (1 without a step)."""
    impact = IMPACT_FACTORS[question.action.impact] if question.action else 1.0
    on_four = spread / levels_of(questionnaire, question) * 4
    return on_four * question.weight * questionnaire.domain(question.domain).weight * impact


def dispute_order(stats: QuestionStats) -> tuple:
    """The order disputes are taken in: the heaviest first, then the larger standard deviation, then
    questionnaire order."""
    return (-round(stats.dispute_weight, 9), -round(stats.std4, 9), stats.order)


def disputes_at_most(scored_questions: int) -> int:
    """How many questions may be flagged as disputed: a third of the scored ones (rounded up), at most ten."""
    return min(DISPUTES_AT_MOST, math.ceil(scored_questions * DISPUTE_SHARE - 1e-9))


def flag_disputes(stats: Sequence[QuestionStats]) -> tuple[QuestionStats, ...]:
    """The questions whose answers are apart, flagged as disputed in `dispute_order` up to `disputes_at_most`."""
    ranked = sorted((q for q in stats if q.apart), key=dispute_order)
    flagged = {q.id for q in ranked[:disputes_at_most(len(stats))]}
    return tuple(dataclasses.replace(q, disagreement=q.id in flagged) for q in stats)


def _question_stats(questionnaire, item, j: int, coded: _Coded, scores, dont_know, not_applicable,
                    workshop: dict[str, tuple[Value, str, str]], role_of: np.ndarray,
                    roles: tuple[Role, ...]) -> QuestionStats:
    question = item.question
    column = scores[:, j]
    real = np.sort(column[~np.isnan(column)])
    points = float(item.total)
    value, source, note = workshop.get(question.id, (None, SOURCE_NONE, ""))
    distribution = _distribution(questionnaire, question, j, coded)
    common = dict(
        id=question.id, domain=question.domain, phase=question.phase, type=question.type, text=question.text,
        order=item.order, max_points=points, n=len(real),
        dont_know=int(dont_know[:, j].sum()), not_applicable=int(not_applicable[:, j].sum()),
        unanswered=int((coded.visible[:, j] & (coded.codes[:, j] < 0)).sum()),
        distribution=distribution, workshop_value=value, source=source, note=note,
        by_role=_by_role(distribution, j, coded, role_of, roles),
    )
    if not len(real):
        return QuestionStats(mean=None, median=None, std=None, min=None, max=None, spread=None,
                             disagreement=False, **common)
    spread = spread_of(real, levels_of(questionnaire, question))
    std = float(real.std())
    apart = is_disagreement(spread, std * 4)
    return QuestionStats(
        mean=float(real.mean()) * points, median=float(np.median(real)) * points, std=std * points,
        min=float(real[0]) * points, max=float(real[-1]) * points, spread=spread,
        disagreement=apart, apart=apart, dispute_weight=dispute_weight(questionnaire, question, spread) if apart else 0.0,
        **common,
    )


def _distribution(questionnaire, question: Question, j: int, coded: _Coded) -> tuple[OptionCount, ...]:
    """The room's count per option, then don't know and n/a where allowed or given."""
    counts = _counts_by_value(_value_counts(coded, j))
    options = [(o.value, o.label) for o in questionnaire.options_for(question)]
    options += [(DONT_KNOW, special_label(DONT_KNOW))] if question.allow_dont_know or counts.get(DONT_KNOW) else []
    options += [(NA, special_label(NA))] if question.allow_na or counts.get(NA) else []
    return tuple(OptionCount(value, label, counts.get(value, 0)) for value, label in options)


def _by_role(distribution: tuple[OptionCount, ...], j: int, coded: _Coded, role_of: np.ndarray,
             roles: tuple[Role, ...]) -> tuple[RoleAnswers, ...]:
    """Each role's answers to question j, over the rows of the room's `distribution` (roles nobody of answered are
    left out); one bincount per question."""
    seen = coded.visible[:, j] & (coded.codes[:, j] >= 0)
    width = len(coded.values[j])
    if not width or not seen.any():
        return ()
    cells = role_of[seen].astype(np.int64) * width + coded.codes[seen, j]
    table = np.bincount(cells, minlength=len(roles) * width).reshape(len(roles), width)
    answered = []
    for i, role in enumerate(roles):
        if not table[i].any():
            continue
        counts = _counts_by_value((coded.values[j][c], int(n)) for c, n in enumerate(table[i]) if n)
        answered.append(RoleAnswers(role.name, int(table[i].sum()),
                                    tuple(OptionCount(o.value, o.label, counts.get(o.value, 0)) for o in distribution)))
    return tuple(answered)


def _counts_by_value(pairs) -> dict:
    """(answer value, count) pairs as a count per single value: each option chosen in a multiple choice counts."""
    counts: dict = {}
    for value, count in pairs:
        for part in (value if isinstance(value, list) else [value]):
            counts[part] = counts.get(part, 0) + count
    return counts


# --- the workshop's own answers -------------------------------------------------------


def median_answer(questionnaire: Questionnaire, question: Question, values: Sequence[Value]) -> Value:
    """The room's answer to one question from its participants' answers (None: no answer).

    More than half special answers: the more common of dont_know / na (a tie: dont_know).
    Otherwise, over the real answers: scale and single, the highest option that more than
    half reached or exceeded (lower median, options ordered by score); yes/no, 'yes' only
    when more than half said yes; multi, every option chosen by more than half; number,
    the lower median.
    """
    return median_of_counts(questionnaire, question, [(v, 1) for v in values])


def median_of_counts(questionnaire: Questionnaire, question: Question, counts: Sequence[tuple[Value, int]]) -> Value:
    """`median_answer` over (answer value, how many gave it) pairs."""
    counts = [(v, n) for v, n in counts if v is not None and n > 0]
    total = sum(n for _, n in counts)
    dont_know = sum(n for v, n in counts if v == DONT_KNOW)
    na = sum(n for v, n in counts if v == NA)
    if not total or question.type == "text":
        return None
    if dont_know + na > total / 2:
        return NA if na > dont_know else DONT_KNOW
    real = [(v, n) for v, n in counts if v not in (DONT_KNOW, NA)]
    if question.type == "number":
        return _lower_median([(v, n) for v, n in real if isinstance(v, (int, float)) and not isinstance(v, bool)])
    options = questionnaire.options_for(question)
    if question.type == "multi":
        chosen = [(set(v) if isinstance(v, list) else {v}, n) for v, n in real]
        answered = sum(n for _, n in chosen)
        return [o.value for o in options if sum(n for c, n in chosen if o.value in c) > answered / 2]
    ranking = sorted(range(len(options)), key=lambda i: (options[i].score, i))
    rank = {options[i].value: position for position, i in enumerate(ranking)}
    position = _lower_median([(rank[v], n) for v, n in real if v in rank])
    return None if position is None else options[ranking[position]].value


def _lower_median(counts: list[tuple[float, int]]) -> float | None:
    """The lower median of values given with their counts (None when there are none)."""
    ordered = sorted(counts, key=lambda pair: pair[0])
    wanted = (sum(n for _, n in ordered) + 1) // 2
    seen = 0
    for value, n in ordered:
        seen += n
        if seen >= wanted:
            return value
    return None


def _workshop_answers(questionnaire, items, coded: _Coded, consensus: Mapping[str, Answer]):
    """Per question: (value, source, note), and the medians consensus replaced."""
    answers, medians = {}, {}
    for j, item in enumerate(items):
        question = item.question
        median = median_of_counts(questionnaire, question, _value_counts(coded, j))
        medians[question.id] = median
        if question.id in consensus and consensus[question.id].value is not None:
            answers[question.id] = (consensus[question.id].value, SOURCE_CONSENSUS, consensus[question.id].note)
        elif median is not None:
            answers[question.id] = (median, SOURCE_MEDIAN, "")
    return answers, medians


def _value_counts(coded: _Coded, j: int) -> list[tuple[Value, int]]:
    """(answer value, count) over the participants who see question j."""
    codes = coded.codes[:, j][coded.visible[:, j] & (coded.codes[:, j] >= 0)]
    per_code = np.bincount(codes, minlength=len(coded.values[j]))
    return [(coded.values[j][code], int(count)) for code, count in enumerate(per_code)]


# --- domains and roles ----------------------------------------------------------------


# Gating for every pattern of attained phases (bit p: phase p+1 attained) -> phases achieved.
_ACHIEVED = np.array([achieved_phases([bool(pattern >> p & 1) for p in range(4)]) for pattern in range(16)])


def participant_indices(questionnaire: Questionnaire, scores, visible, not_applicable) -> np.ndarray:
    """Each participant's domain indices (participants x domains; nan: not assessed).

    The engine's rules on whole columns: attainment per cell is the weighted mean of real
    scores, checked with `meets_threshold` (or `unanswered_phase_attained` without a real
    answer), then the engine's gating and `domain_index`.
    """
    items = compiled_items(questionnaire)
    weights = np.array([item.question.weight for item in items])
    indices = np.full((scores.shape[0], len(questionnaire.domains)), np.nan)
    for k, domain in enumerate(questionnaire.domains):
        attainment = np.full((scores.shape[0], 4), np.nan)
        attained = np.zeros((scores.shape[0], 4), dtype=bool)
        answered = np.zeros(scores.shape[0])
        for p in range(4):
            cols = [j for j, item in enumerate(items)
                    if item.question.domain == domain.id and item.question.phase == p + 1 and item.question.scored]
            real = ~np.isnan(scores[:, cols])
            weight = real @ weights[cols]
            total = np.where(real, scores[:, cols], 0.0) @ weights[cols]
            with np.errstate(invalid="ignore", divide="ignore"):
                attainment[:, p] = np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)
            threshold = questionnaire.phase(p + 1).threshold
            without_answer = unanswered_phase_attained(visible[:, cols].sum(axis=1), not_applicable[:, cols].sum(axis=1))
            attained[:, p] = np.where(weight > 0, meets_threshold(attainment[:, p], threshold), without_answer)
            answered += real.sum(axis=1)
        achieved = _ACHIEVED[attained @ (1 << np.arange(4))]
        partial = np.nan_to_num(attainment[np.arange(len(achieved)), np.minimum(achieved, 3)])
        index = np.empty(len(achieved))
        for phases in range(5):
            rows = achieved == phases
            index[rows] = domain_index(phases, partial[rows])
        indices[:, k] = np.where(answered > 0, index, np.nan)
    return indices


def domain_indices(questionnaire: Questionnaire, responses: Sequence[Response]) -> np.ndarray:
    """Each response's domain indices as score_response computes them (participants x domains; nan: not assessed)."""
    coded = _encode(questionnaire, responses)
    scores, _, not_applicable = _score_matrix(coded)
    return participant_indices(questionnaire, scores, coded.visible, not_applicable)


def _mean(values: np.ndarray) -> float | None:
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else None


def _role_list(roles: Sequence[Role], given: Sequence[str | None]) -> tuple[Role, ...]:
    known = {r.name for r in roles}
    extra = [name for name in dict.fromkeys(r if r else NO_ROLE for r in given) if name not in known]
    return tuple(roles) + tuple(Role(name) for name in extra)


def _role_gaps(questionnaire, indices, role_of: np.ndarray, roles: tuple[Role, ...],
               finished: np.ndarray) -> tuple[RoleGap, ...]:
    groups = {g: np.isin(role_of, [i for i, r in enumerate(roles) if r.group == g]) for g in (EXECUTIVE, PRACTITIONER)}
    gaps = []
    for k, domain in enumerate(questionnaire.domains):
        column = indices[:, k]
        by_role = {r.name: _mean(column[role_of == i]) for i, r in enumerate(roles)}
        counts = {r.name: int((~np.isnan(column[role_of == i])).sum()) for i, r in enumerate(roles)}
        done = finished & ~np.isnan(column)
        gaps.append(RoleGap(domain.id, domain.name, by_role, counts,
                            _mean(column[groups[EXECUTIVE]]), _mean(column[groups[PRACTITIONER]]),
                            int((done & groups[EXECUTIVE]).sum()), int((done & groups[PRACTITIONER]).sum())))
    return tuple(gaps)


def _overall_indices(questionnaire, indices: np.ndarray) -> np.ndarray:
    weights = np.array([d.weight for d in questionnaire.domains])
    assessed = ~np.isnan(indices)
    total = (assessed * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nan_to_num(indices) @ weights / np.where(total > 0, total, 1), np.nan)


def _domain_spread(domain, column: np.ndarray) -> DomainSpread:
    values = column[~np.isnan(column)]
    if not len(values):
        return DomainSpread(domain.id, domain.name, 0, None, None, None, None, None, None, None)
    q1, median, q3 = (float(v) for v in np.percentile(values, [25, 50, 75]))
    return DomainSpread(domain.id, domain.name, len(values), float(values.mean()), float(values.std()),
                        float(values.min()), q1, median, q3, float(values.max()))


def room_confidence(scores: np.ndarray, visible: np.ndarray, not_applicable: np.ndarray) -> float:
    """Share of the (participant, question) pairs a participant sees, not answered n/a, that have a real answer.

    Everyone in the room counts: half the room unfinished cannot read as full confidence. No one: 0.
    """
    seen = visible & ~not_applicable
    total = int(seen.sum())
    return int((~np.isnan(scores) & seen).sum()) / total if total else 0.0


def _with_room_confidence(result: Result, confidence: float, participants: int, finished: int) -> Result:
    """The workshop's own result, its confidence (and the warning about it) the room's rather than the median's."""
    warnings = [w for w in result.warnings if w != confidence_warning(result.overall.confidence)]
    if participants and confidence < LOW_CONFIDENCE:
        warnings.append(ngettext("Confidence is {confidence}: the room has answered {confidence} of the questions it "
                                 "sees, and {finished} of {participants} participants have finished; let the others "
                                 "finish or resolve the unknowns before acting on the result.",
                                 "Confidence is {confidence}: the room has answered {confidence} of the questions it "
                                 "sees, and {finished} of {participants} participants have finished; let the others "
                                 "finish or resolve the unknowns before acting on the result.",
                                 finished).format(confidence=share(confidence), finished=finished,
                                                      participants=participants))
    overall = dataclasses.replace(result.overall, confidence=confidence)
    return dataclasses.replace(result, overall=overall, warnings=tuple(warnings))


def _finished(questionnaire, coded: _Coded) -> np.ndarray:
    required = np.array([q.required for q in questionnaire.questions])
    missing = coded.visible & (coded.codes < 0) & required
    return ~missing.any(axis=1)


# --- the whole workshop ---------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """What a workshop's result is made of, as stored: its participants' (role, response) pairs, the consensus
    answers, its roles and client, the client's profile and the pilot register the facilitator keeps."""

    participants: Sequence[tuple[str | None, Response]]
    consensus: Mapping[str, Answer] = field(default_factory=dict)
    roles: Sequence[Role] = DEFAULT_ROLES
    client: str = ""
    profile: Mapping | None = None
    register: Sequence[Pilot] = ()


def aggregate_room(questionnaire: Questionnaire, room: Room) -> WorkshopResult:
    """The room's result: its answers aggregated in the wording of the client's size and without what its business
    model is not asked, the consensus applied, and the plan made with the room's register and the client's profile,
    as an assessment's own shape its plan."""
    client = room.profile or {}
    questionnaire = questionnaire.for_size(client.get("size")).for_business_model(client.get("business_model"))
    result = aggregate_workshop(questionnaire, room.participants, room.consensus, room.roles, room.client)
    profile = client_profile(room.profile)
    if not room.register and profile is None:
        return result
    response = dataclasses.replace(result.response, pilots=tuple(room.register), organisation_profile=profile)
    rescored = dataclasses.replace(score_response(questionnaire, response), overall=result.result.overall,
                                   warnings=result.result.warnings)
    return dataclasses.replace(result, response=response, result=rescored)


def client_profile(profile: Mapping | None) -> OrganisationProfile | None:
    """A workshop's client profile as the scoring reads it (None when none is given, or a stored one no longer
    reads)."""
    if not profile:
        return None
    try:
        return OrganisationProfile(**profile)
    except ValueError:
        return None



def aggregate_workshop(
    questionnaire: Questionnaire,
    participants: Sequence[tuple[str | None, Response]],
    consensus: Mapping[str, Answer] | None = None,
    roles: Sequence[Role] = DEFAULT_ROLES,
    client: str = "",
) -> WorkshopResult:
    """Aggregate (role, response) pairs and score the workshop's own answers."""
    consensus = {k: v for k, v in (consensus or {}).items() if any(q.id == k for q in questionnaire.questions)}
    items = compiled_items(questionnaire)
    responses = [response for _, response in participants]
    coded = _encode(questionnaire, responses)
    scores, dont_know, not_applicable = _score_matrix(coded)
    workshop, medians = _workshop_answers(questionnaire, items, coded, consensus)
    all_roles = _role_list(roles, [role for role, _ in participants])
    position = {r.name: i for i, r in enumerate(all_roles)}
    role_of = np.array([position[role or NO_ROLE] for role, _ in participants], dtype=np.int32)
    stats = flag_disputes([_question_stats(questionnaire, item, j, coded, scores, dont_know, not_applicable, workshop,
                                           role_of, all_roles)
                           for j, item in enumerate(items) if item.question.scored])
    indices = participant_indices(questionnaire, scores, coded.visible, not_applicable)
    overall = _overall_indices(questionnaire, indices)
    finished = _finished(questionnaire, coded)
    response = Response(questionnaire.id, questionnaire.version, organisation=client,
                        answers={qid: Answer(value, note) for qid, (value, _, note) in workshop.items()})
    scored_columns = np.array([item.question.scored for item in items], dtype=bool)
    confidence = room_confidence(scores[:, scored_columns], coded.visible[:, scored_columns],
                                 not_applicable[:, scored_columns])
    return WorkshopResult(
        questionnaire=questionnaire.id,
        questionnaire_version=questionnaire.version,
        client=client,
        roles=all_roles,
        participants=len(participants),
        finished=int(finished.sum()),
        participation=tuple(RoleCount(r.name, int((role_of == i).sum()), int(finished[role_of == i].sum()))
                            for i, r in enumerate(all_roles)),
        questions=stats,
        domain_spreads=tuple(_domain_spread(d, indices[:, k]) for k, d in enumerate(questionnaire.domains)),
        role_gaps=_role_gaps(questionnaire, indices, role_of, all_roles, finished),
        overall_by_role={r.name: _mean(overall[role_of == i]) for i, r in enumerate(all_roles)},
        decisions=_decisions(questionnaire, consensus, medians),
        response=response,
        result=_with_room_confidence(score_response(questionnaire, response), confidence, len(participants),
                                     int(finished.sum())),
        sources={qid: source for qid, (_, source, _) in workshop.items()},
        confidence=confidence,
    )


def _decisions(questionnaire, consensus: Mapping[str, Answer], medians: dict[str, Value]) -> tuple[Decision, ...]:
    decisions = []
    for question in questionnaire.questions:
        answer = consensus.get(question.id)
        if answer is None or answer.value is None:
            continue
        median = medians.get(question.id)
        decisions.append(Decision(question.id, question.text, answer.value, answer_label(questionnaire, question, answer.value),
                                  answer.note, median, answer_label(questionnaire, question, median)))
    return tuple(decisions)

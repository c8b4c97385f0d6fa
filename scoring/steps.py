"""The plan: which low answers to act on, in which order, in which horizon, and why.

The rules are the design's "Prioritised next steps":
1. Candidates are visible questions with an action and a score below 1, within the
   domain's target. A question at or above its phase threshold yields no step unless its
   domain limits the organisation. A critical or regulatory practice answered "don't know"
   is a candidate too: unknown is not done.
2. Priority = question weight x domain weight x gap x phase factor x limiting boost x
   impact factor x pilot factor; effort (S, M, L) breaks ties, then questionnaire order.
   The pilot factor lifts remedy steps only: 1 + 0.5 x the larger of the share of stuck
   pilots whose blockers the step remedies and the share of live pilots missing the owner
   or KPI baseline the step provides. Regulatory steps take no phase discount: they are
   ranked by exposure (x2 when a system is likely high-risk) and deadline (x1.25 when it is
   within a year or past).
3. One prerequisite rule: only an open prerequisite (below its phase bar) holds a step
   back. A step inherits the priority of the open steps that wait on it, so progress on a
   prerequisite never pushes its dependent below where it would stand with the
   prerequisite done; then a stable topological order (graphlib).
4. Now holds the forced steps -- critical practices not in place, the classification of a
   likely high-risk system, portfolio triage -- and then the highest-ranked steps of the
   working phases up to PLAN_NOW_CAPACITY. A large (L) step enters Now only as the
   prerequisite of another Now step or when it alone holds its domain's working phase;
   Now is never empty while a working phase has an open practice. Basics before polish:
   an optimise-level step is neither in Now nor among the first five while its domain has
   establish or extend steps open. While another domain works two phases or more ahead of
   the organisation, a limiting domain's next phase may enter Now too. The rest of the working phase and the next phase go to
   Next, everything else to Later; a domain that has achieved every phase up to its target
   yields nothing in Now but its forced steps.
5. Ranks run through Now, then Next, then Later: rank 1 is the first thing to do, and no
   step comes after a step with a higher rank.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import i18n
from config import setting
from i18n import _, ngettext
from questionnaires.models import DEFAULT_TRIAGE, Question, Questionnaire
from scoring.compiled import compiled_items
from scoring.results import DomainResult, Overall, QuestionResult, join_names
from scoring.headline import number
from scoring.pilots import Portfolio
from scoring.words import N_, decimal, figure, share
from scoring.thresholds import at_lowest_level, below_threshold, meets_threshold

PHASE_FACTORS = {0: 1.0, 1: 0.5}
LATER_FACTOR = 0.25
LIMITING_BOOST = 1.5
IMPACT_FACTORS = {1: 0.8, 2: 1.0, 3: 1.2}
PILOT_WEIGHT = 0.5  # pilot factor = 1 + PILOT_WEIGHT x the share of pilots the step unblocks
EXPOSURE_FACTOR = 2.0  # a regulatory step when a system is likely high-risk
DEADLINE_FACTOR = 1.25  # a regulatory step whose obligation applies within DEADLINE_DAYS, or already applies
DEADLINE_DAYS = 365
TRIAGE_AT = 3  # stuck pilots from which the plan opens with a portfolio decision
TRIAGE_ID = "pilots.triage"
TOP_STEPS = 5  # the first steps a client reads; polish never sits among them while basics are open
EFFORT_ORDER = {"S": 0, "M": 1, "L": 2}
ESTABLISH_AT_MOST = 0.25  # a score at or below this means the practice is not in place yet


class Labels(Mapping):
    """Labels kept in English (marked with N_), read in the language of the moment: `HORIZONS["now"]` is
    'Now (0–3 months)' in English and 'Jetzt (0–3 Monate)' in German."""

    def __init__(self, labels: dict[str, str]):
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return _(self._labels[key])

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


HORIZONS = Labels({"now": N_("Now (0–3 months)"), "next": N_("Next (3–9 months)"),
                   "later": N_("Later (9–18 months)")})
HORIZON_ORDER = ("now", "next", "later")
HORIZON_RANK = {horizon: rank for rank, horizon in enumerate(HORIZON_ORDER)}
SIZES = ("small", "medium", "large")
DEFAULT_SIZE = "medium"


@dataclass(slots=True)
class Step:
    """One prioritised next step, with why it ranks where it does."""

    rank: int
    question: str
    domain: str
    phase: int
    horizon: str
    title: str
    detail: str
    owner: str
    effort: str
    impact: int
    kpi: str
    priority: float
    score: float
    basis: tuple = ()
    why_basis: tuple = ()
    requires: tuple[str, ...] = ()
    level: str = ""
    kind: str = "practice"  # practice, critical, regulatory or triage
    is_open: bool = True  # below its phase bar: a prerequisite still to take, not merely polish

    @property
    def why(self) -> str:
        """One plain sentence a client reads: why this step is in the plan, and why here (built on demand)."""
        return why_sentence(self.why_basis) if self.why_basis else ""

    @property
    def reason(self) -> str:
        """The arithmetic behind the priority, in words (built on demand)."""
        return explain(*self.basis)


def phase_factor(offset: int) -> float:
    """Discount for a practice `offset` phases beyond the domain's working phase."""
    return PHASE_FACTORS.get(max(offset, 0), LATER_FACTOR)


def horizon_of(offset: int) -> str:
    """now: the working phase (or earlier); next: one phase on; later: beyond."""
    return "now" if offset <= 0 else "next" if offset == 1 else "later"


def critical_gap(question: Question, result: QuestionResult) -> bool:
    """A critical practice not in place: shown, and answered at the lowest level or "don't know"."""
    return question.critical and result.visible and (
        result.dont_know or (result.score is not None and at_lowest_level(result.score)))


def now_capacity() -> int:
    """PLAN_NOW_CAPACITY: how many steps Now holds (read from the environment each time, parsed once per value)."""
    raw = os.environ.get("PLAN_NOW_CAPACITY")
    capacity = _CAPACITIES.get(raw)
    if capacity is None:
        capacity = max(1, int(setting("PLAN_NOW_CAPACITY")))
        if len(_CAPACITIES) < 64:
            _CAPACITIES[raw] = capacity
    return capacity


_CAPACITIES: dict[str | None, int] = {}


class Lift(NamedTuple):
    """What the register says about one step: the stuck pilots it unblocks, the pilots missing what it provides."""

    waiting: int = 0  # stuck pilots whose blockers this step remedies
    stuck: int = 0
    blocker: str = ""  # the label of the blocker most of them name
    named: int = 0  # how many of them name it
    missing: str = ""  # "owner" or "baseline": what the pilots below lack that this step provides
    lacking: int = 0
    live: int = 0  # pilots in flight or in production (active pilots, for the triage step)
    factor: float = 1.0
    months: int = 0  # the triage step: after how many months an active pilot counts as stuck


NO_LIFT = Lift()


class Why(NamedTuple):
    """What the plain "why" of a step is built from (a named tuple: one is built for every step of every plan)."""

    kind: str
    domain: str
    phase: int
    level: str
    working: int | None
    finished: bool
    limiting: bool
    offset: int
    lift: Lift = NO_LIFT
    needed_by: int = 0
    unknown: bool = False  # answered "don't know"
    high_risk: bool = False
    deadline: dt.date | None = None
    on: dt.date | None = None
    below_bar: int = 0  # the open practices of its domain's working phase, this one included (0: not counted)


def _new_why(fields: tuple) -> Why:
    """A Why from its fields in order, without the keyword handling of the named tuple's constructor (hot path)."""
    return tuple.__new__(Why, fields)


@dataclass(slots=True)
class _Candidate:
    key: tuple  # (-priority, effort rank, questionnaire order): the order of the ranking
    question: Question | None  # None for the triage step
    qid: str
    score: float
    level: str
    kind: str
    base_horizon: str
    forced: bool  # in Now whatever its phase, effort and the capacity
    priority: float
    basis: tuple
    why: Why
    domain: DomainResult
    requires: tuple[str, ...]
    is_open: bool  # below its phase threshold: a prerequisite still to be taken (not merely polish)
    large: bool  # effort L
    holds_phase: bool = False  # the only open practice of its domain's working phase


def next_steps(questionnaire: Questionnaire, questions: dict[str, QuestionResult], domains: tuple[DomainResult, ...],
               overall: Overall, size: str | None = None, capacity: int | None = None,
               pilots: Portfolio | None = None, high_risk: bool = False, on: dt.date | None = None,
               business_model: str | None = None) -> tuple[Step, ...]:
    """The plan: every step worth taking, ranked in the order to act, each with its horizon and reasons.

    `pilots` (the register) lifts the steps that unblock stuck pilots and adds the portfolio decision;
    `high_risk` says a system is likely high-risk under the EU AI Act; `on` is the assessment's date; `size` and
    `business_model` title each step's owner."""
    on = on or dt.date.today()
    candidates = _candidates(questionnaire, questions, domains, overall, pilots, high_risk, on)
    if not candidates:
        return ()
    ordered = in_dependency_order(candidates)
    held = _polish_held(ordered)
    horizons = _horizons(ordered, capacity or now_capacity(), held)
    planned = sorted(ordered, key=lambda c: HORIZON_RANK[horizons[c.qid]])  # stable: the order within a horizon
    if held:
        planned = _basics_first(planned, horizons, held)
    needed_by = _needed_by(planned)
    texts = questionnaire.cached("steps.texts", _no_texts)
    return tuple(_step(rank, c, horizons[c.qid], needed_by.get(c.qid, 0), questionnaire, (size, business_model), texts)
                 for rank, c in enumerate(planned, start=1))


# --- candidates -------------------------------------------------------------------------------


def _candidates(questionnaire: Questionnaire, questions: dict[str, QuestionResult], domains: tuple[DomainResult, ...],
                overall: Overall, pilots: Portfolio | None, high_risk: bool, on: dt.date) -> list[_Candidate]:
    by_id = {d.id: (d, d.working_phase, d.achieved) for d in domains}
    weights, thresholds, actionable = questionnaire.cached("steps.lookups", _step_lookups)
    limiting = overall.limiting_domains
    lifts = pilot_lifts(questionnaire, pilots) if pilots is not None else {}
    far_ahead = any((d.working_phase or 5) >= overall.phase + 2 for d in domains if d.assessed)
    found = []
    for item, qid, domain_id, phase, weight, impact, effort_rank, order, requires, marked, regulatory, deadline \
            in actionable:
        result = questions[qid]
        if not result.visible:
            continue
        question = item.question
        score = result.score
        critical = marked and (result.dont_know or (score is not None and at_lowest_level(score)))  # critical_gap, inlined
        if score is None:
            if not (result.dont_know and (critical or regulatory)):
                continue
            score = 0.0  # unknown is not done: ranked as not in place, said as unknown
        if score >= 1:
            continue
        domain, working_phase, achieved = by_id[domain_id]
        target = domain.target
        if phase > target and not critical:
            continue
        threshold = thresholds[phase]
        is_limiting = domain_id in limiting
        if meets_threshold(score, threshold) and not is_limiting:
            continue
        finished = achieved >= target  # nothing left to reach within its target: polish only
        working = working_phase or 4
        offset = phase - working
        gap = 1.0 - score
        level = "establish" if score <= ESTABLISH_AT_MOST else "extend" if below_threshold(score, threshold) else "optimise"
        factor = 1.0 if regulatory or offset <= 0 else PHASE_FACTORS.get(offset, LATER_FACTOR)
        # The factors multiply in the design's order, so the figures never move.
        priority = (weight * weights[domain_id] * gap * factor * (LIMITING_BOOST if is_limiting else 1.0) * impact)
        lift = lifts.get(qid, NO_LIFT)
        if lift.factor != 1.0:
            priority *= lift.factor
        urgent = regulatory and deadline is not None and (deadline - on).days <= DEADLINE_DAYS
        if regulatory:
            priority *= (EXPOSURE_FACTOR if high_risk else 1.0) * (DEADLINE_FACTOR if urgent else 1.0)
        classify = regulatory and high_risk and level == "establish" and phase <= 1
        forced = critical or classify
        kind = "critical" if critical else "regulatory" if regulatory else "practice"
        if forced:
            base = "now"
        elif regulatory:
            base = "now" if high_risk or offset <= 0 else "next"
        else:  # while the rest is two phases ahead, a limiting domain's next phase may start now
            base = "later" if finished else "now" if is_limiting and offset == 1 and far_ahead else horizon_of(offset)
        basis = (phase, domain.name, gap, weight, weights[domain_id], offset, working, is_limiting, priority,
                 question.action.impact, lift, regulatory, regulatory and high_risk, urgent)
        why = _new_why((kind, domain.name, phase, level, working_phase, finished, is_limiting, offset, lift, 0,
                        result.score is None, high_risk and regulatory, deadline, on, 0))
        found.append(_Candidate((-round(priority, 9), effort_rank, order), question, qid, score, level, kind, base,
                                forced, priority, basis, why, domain, requires, level != "optimise", effort_rank == 2))
    _mark_phase_holders(found)
    triage = _triage(questionnaire, pilots, found, domains, on)
    if triage is not None:
        found.append(triage)
    return found


def _mark_phase_holders(found: list[_Candidate]) -> None:
    """A step that is the only open practice of its domain's working phase holds that phase alone."""
    open_in_cell: dict[str, int] = {}
    for candidate in found:
        if candidate.is_open and candidate.why.offset == 0 and not candidate.why.finished:
            open_in_cell[candidate.domain.id] = open_in_cell.get(candidate.domain.id, 0) + 1
    for candidate in found:
        why = candidate.why
        if candidate.is_open and why.offset == 0 and not why.finished:
            count = open_in_cell[candidate.domain.id]
            candidate.holds_phase = count == 1
            candidate.why = _new_why(why[:14] + (count,))
        else:
            candidate.holds_phase = False


def _triage(questionnaire: Questionnaire, pilots: Portfolio | None, found: list[_Candidate],
            domains: tuple[DomainResult, ...], on: dt.date) -> _Candidate | None:
    """With TRIAGE_AT or more stuck pilots, the plan opens with a decision on every active pilot."""
    if pilots is None or pilots.stuck < TRIAGE_AT:
        return None
    domain = next((d for d in domains if d.id == "economics"), domains[0])
    top = max((c.priority for c in found), default=1.0)
    active = sum(1 for row in pilots.rows if row.kind == "active")
    lift = Lift(pilots.stuck, pilots.stuck, live=active, months=pilots.section.stuck_after_months)
    why = Why("triage", domain.name, 1, "establish", domain.working_phase, False, False, 0, lift, on=on)
    basis = (1, domain.name, 1.0, 1.0, 1.0, 0, domain.working_phase or 4, False, top, 3, lift)
    effort = EFFORT_ORDER[triage_action(questionnaire).effort]
    return _Candidate((-round(top, 9), effort, -1), None, TRIAGE_ID, 0.0, "establish", "triage", "now", True, top,
                      basis, why, domain, (), True, False)


def triage_action(questionnaire: Questionnaire):
    """The wording of the portfolio decision: the questionnaire's own, or the built-in one."""
    section = questionnaire.pilot_section()
    action = getattr(section, "triage_action", None)
    return _in_language(action() if callable(action) else _DEFAULT_TRIAGE)


def _in_language(action):
    """A built-in triage wording in the language of the moment; a questionnaire's own (or its translation's) as it
    is."""
    if action is not _DEFAULT_TRIAGE and action is not DEFAULT_TRIAGE:
        return action
    return _Triage(_(action.title), _(action.detail), action.owner, _(action.kpi), action.effort)


@dataclass(frozen=True)
class _Triage:
    title: str = N_("Decide scale, merge or stop for every active pilot within 60 days")
    detail: str = N_("Put every active pilot in front of the executive sponsor with its owner, its KPI baseline, its "
                     "blocker and its cost to date. Decide for each: scale it with a date and a budget, merge it with "
                     "pilots that pursue the same outcome, or stop it and free its team.")
    owner: str = "sponsor"
    kpi: str = N_("Share of active pilots with a recorded scale, merge or stop decision (target 100% within 60 days)")
    effort: str = "S"


_DEFAULT_TRIAGE = _Triage()


def _step_lookups(questionnaire: Questionnaire) -> tuple:
    """What ranking needs from the questionnaire, built once: domain weights, phase thresholds, and per
    actionable question its id, domain, phase, weight, impact factor, effort rank and questionnaire order."""
    actionable = tuple(
        (item, item.question.id, item.question.domain, item.question.phase, item.question.weight,
         IMPACT_FACTORS[item.question.action.impact], EFFORT_ORDER[item.question.action.effort], item.order,
         tuple(item.question.action.requires), item.question.critical, item.question.track == "regulatory",
         item.question.deadline)
        for item in _actionable(questionnaire))
    return ({d.id: d.weight for d in questionnaire.domains},
            {phase.number: phase.threshold for phase in questionnaire.roadmap.phases}, actionable)


def _actionable(questionnaire: Questionnaire) -> tuple:
    return tuple(item for item in compiled_items(questionnaire) if item.scores is not None and item.question.action)


# --- what the register lifts -------------------------------------------------------------------


def pilot_factor(waiting: int, stuck: int) -> float:
    """1 + 0.5 x the share of pilots a step unblocks (or provides what they lack)."""
    return 1.0 + PILOT_WEIGHT * waiting / stuck if stuck else 1.0


def remedies(questionnaire: Questionnaire) -> dict[str, tuple[str, ...]]:
    """Per blocker id, the actionable questions whose steps unblock it (a blocker without its own remedy list:
    every actionable question of its domain)."""
    return questionnaire.cached("steps.remedies", _remedies)


def _remedies(questionnaire: Questionnaire) -> dict[str, tuple[str, ...]]:
    actionable = [item.question for item in _actionable(questionnaire)]
    found = {}
    for blocker in questionnaire.pilot_section().blockers:
        listed = tuple(getattr(blocker, "remedy", ()) or ())
        found[blocker.id] = listed or tuple(q.id for q in actionable if q.domain == blocker.domain)
    return found


def pilot_lifts(questionnaire: Questionnaire, portfolio: Portfolio) -> dict[str, Lift]:
    """Per question id, what the register says about its step (only questions the register lifts)."""
    section = questionnaire.pilot_section()
    by_blocker = remedies(questionnaire)
    labels = {b.id: b.label for b in section.blockers}
    stuck = portfolio.stuck
    waiting: dict[str, int] = {}
    naming: dict[str, dict[str, int]] = {}
    for row in portfolio.rows:
        if not row.stuck:
            continue
        unblocked = set()
        for blocker in row.pilot.blockers:
            for qid in by_blocker.get(blocker, ()):
                unblocked.add(qid)
                counts = naming.setdefault(qid, {})
                counts[blocker] = counts.get(blocker, 0) + 1
        for qid in unblocked:
            waiting[qid] = waiting.get(qid, 0) + 1
    live = [row for row in portfolio.rows if row.kind in ("active", "reached")]
    flags = {}
    for missing, listed, lacking in (
            ("owner", getattr(section, "owner_remedy", ()) or (), sum(1 for r in live if not r.pilot.owner)),
            ("baseline", getattr(section, "baseline_remedy", ()) or (), sum(1 for r in live if not r.pilot.kpi_baseline))):
        if lacking:
            for qid in listed:
                flags.setdefault(qid, (missing, lacking))
    lifts = {}
    for qid in set(waiting) | set(flags):
        count = waiting.get(qid, 0)
        blocker, named = "", 0
        for blocker_id, times in naming.get(qid, {}).items():  # the blocker most of them name, vocabulary order on ties
            if times > named:
                blocker, named = labels.get(blocker_id, blocker_id), times
        missing, lacking = flags.get(qid, ("", 0))
        factor = max(pilot_factor(count, stuck), pilot_factor(lacking, len(live)))
        lifts[qid] = Lift(count, stuck, blocker, named, missing, lacking, len(live), factor)
    return lifts


# --- order and horizons -------------------------------------------------------------------------


def in_dependency_order(candidates: list[_Candidate]) -> list[_Candidate]:
    """Highest priority first, every step after the open steps it requires; a prerequisite takes the rank of
    the best step waiting on it, so partial progress on it never demotes what depends on it.

    This runs for every response a workshop or a benchmark scores, so it orders by hand (Kahn's algorithm on a
    heap); the questionnaire's loader has already refused requires that run in a circle, with graphlib."""
    by_id = {c.qid: c for c in candidates}
    left: dict[str, int] = {}
    followers: dict[str, list[str]] = {}
    for candidate in candidates:
        for required in candidate.requires:
            prerequisite = by_id.get(required)
            if prerequisite is not None and prerequisite.is_open:
                followers.setdefault(required, []).append(candidate.qid)
                left[candidate.qid] = left.get(candidate.qid, 0) + 1
    ranked = sorted(candidates, key=lambda c: c.key)
    if not followers:
        return ranked
    effective: dict[str, tuple] = {}
    waits_on = {qid: [] for qid in left}
    for prerequisite, dependents in followers.items():
        for dependent in dependents:
            waits_on[dependent].append(prerequisite)
    for candidate in ranked:  # best first: the first key to reach a prerequisite is the best waiting on it
        if candidate.qid in effective:
            continue
        effective[candidate.qid] = candidate.key
        stack = list(waits_on.get(candidate.qid, ()))
        while stack:
            prerequisite = stack.pop()
            if prerequisite not in effective:
                effective[prerequisite] = candidate.key
                stack.extend(waits_on.get(prerequisite, ()))
    ready = [(effective[c.qid], c.key, c.qid) for c in candidates if c.qid not in left]
    heapq.heapify(ready)
    placed: list[_Candidate] = []
    while ready:
        qid = heapq.heappop(ready)[2]
        placed.append(by_id[qid])
        for follower in followers.get(qid, ()):
            left[follower] -= 1
            if left[follower] == 0:
                heapq.heappush(ready, (effective[follower], by_id[follower].key, follower))
    return placed


def _horizons(ordered: list[_Candidate], capacity: int, polish_held: set[str]) -> dict[str, str]:
    """Horizon per step: never earlier than an open step it requires; Now holds the forced steps, then fills up."""
    by_id = {c.qid: c for c in ordered}
    now: list[str] = []  # the forced steps first, each after the open steps it requires
    for candidate in ordered:
        if candidate.forced:
            now += [r for r in _open_prerequisites(candidate.qid, by_id) if r not in now] + [candidate.qid]
    pulled = set(now)
    wanted = {c.qid: max(HORIZON_RANK[c.base_horizon], 1 if c.qid in polish_held else 0) for c in ordered}
    for candidate in reversed(ordered):
        for required in candidate.requires:  # a finished domain's practice another domain builds on is no polish
            prerequisite = by_id.get(required)
            if (prerequisite is not None and prerequisite.is_open and prerequisite.domain.working_phase is None
                    and prerequisite.domain.id != candidate.domain.id):
                wanted[required] = min(wanted[required], wanted[candidate.qid])
    horizon: dict[str, str] = {}
    for candidate in ordered:  # prerequisites come first in `ordered`: their horizon is known
        qid = candidate.qid
        if qid in pulled:
            horizon[qid] = "now"
            continue
        for required in candidate.requires:
            if required in horizon and by_id[required].is_open:
                wanted[qid] = max(wanted[qid], HORIZON_RANK[horizon[required]])
        horizon[qid] = HORIZON_ORDER[wanted[qid]]
    for candidate in ordered:
        qid = candidate.qid
        if horizon[qid] != "now" or qid in pulled or (candidate.large and not candidate.holds_phase):
            continue
        missing = [r for r in _open_prerequisites(qid, by_id) if r not in now] if candidate.requires else []
        if len(now) + len(missing) + 1 <= capacity:
            now += missing + [qid]
            pulled.update(missing)
            pulled.add(qid)
    if not now:  # never an empty Now while a working phase has an open practice
        first = next((c for c in ordered if horizon[c.qid] == "now" and c.is_open), None)
        if first is not None:
            now = _open_prerequisites(first.qid, by_id) + [first.qid]
            pulled = set(now)
    for qid, place in horizon.items():  # what Now has no room for waits in Next, and so do its dependents
        if place == "now" and qid not in pulled:
            horizon[qid] = "next"
    return horizon


def _polish_held(ordered: list[_Candidate]) -> set[str]:
    """Optimise-level steps of domains that still have establish or extend steps open: basics come first."""
    basics = {c.domain.id for c in ordered if c.is_open and c.kind != "triage"}
    return {c.qid for c in ordered if not c.is_open and not c.forced and c.domain.id in basics}


def _basics_first(planned: list[_Candidate], horizons: dict[str, str], held: set[str]) -> list[_Candidate]:
    """Polish held back by open basics never sits among the first TOP_STEPS: it waits until they are filled and
    takes the horizon of the step before it (moving a step down never puts it before an open prerequisite, and
    nothing waits on polish)."""
    placed: list[_Candidate] = []
    waiting: list[_Candidate] = []
    index = 0
    while index < len(planned) and len(placed) < TOP_STEPS:
        candidate = planned[index]
        (waiting if candidate.qid in held else placed).append(candidate)
        index += 1
    if not waiting:
        return planned
    _follow(waiting, placed, horizons)
    return placed + planned[index:]


def _follow(waiting: list[_Candidate], placed: list[_Candidate], horizons: dict[str, str]) -> None:
    """Append the waiting steps, none in an earlier horizon than the step before them."""
    last = HORIZON_RANK[horizons[placed[-1].qid]] if placed else 0
    for candidate in waiting:
        last = max(last, HORIZON_RANK[horizons[candidate.qid]])
        horizons[candidate.qid] = HORIZON_ORDER[last]
        placed.append(candidate)
    waiting.clear()


def _open_prerequisites(question_id: str, by_id: dict[str, _Candidate]) -> list[str]:
    """Every open step this one requires, directly or not, prerequisites first."""
    found: list[str] = []
    stack = [(question_id, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded:
            if current != question_id and current not in found:
                found.append(current)
            continue
        stack.append((current, True))
        for required in reversed(by_id[current].requires):
            if required in by_id and by_id[required].is_open and required not in found:
                stack.append((required, False))
    return found


def _needed_by(planned: list[_Candidate]) -> dict[str, int]:
    """How many planned steps require each open step."""
    counts: dict[str, int] = {}
    open_ids = {c.qid for c in planned if c.is_open}
    for candidate in planned:
        for required in candidate.requires:
            if required in open_ids:
                counts[required] = counts.get(required, 0) + 1
    return counts


def waits_for(step: Step, steps: tuple[Step, ...]) -> list[Step]:
    """The open steps of the plan this step waits for: the one prerequisite rule of the ranking, the
    "after N" marks and the timeline."""
    if not step.requires:
        return []
    return [s for s in steps if s.question in step.requires and s.is_open]


# --- the step as printed --------------------------------------------------------------------------


def owner_title(questionnaire: Questionnaire, owner: str, size: str | None, business_model: str | None = None) -> str:
    """The owner as printed: a role of the questionnaire's table, titled for the organisation's size and business
    model."""
    titles = questionnaire.roles.get(owner)
    return titles.title(size if size in SIZES else DEFAULT_SIZE, business_model) if titles else owner


def _step(rank: int, candidate: _Candidate, horizon: str, needed_by: int, questionnaire: Questionnaire,
          audience: tuple[str | None, str | None], texts: dict) -> Step:
    key = (candidate.qid, candidate.level, audience, i18n.current())  # the built-in triage wording is translated
    fixed = texts.get(key)
    if fixed is None:
        fixed = texts[key] = _step_texts(candidate, questionnaire, *audience)
    qid, domain, phase, title, detail, owner, effort, impact, kpi, requires = fixed
    why = candidate.why
    if needed_by:
        why = _new_why(why[:9] + (needed_by,) + why[10:])
    return Step(rank, qid, domain, phase, horizon, title, detail, owner, effort, impact, kpi,
                round(candidate.priority, 4), candidate.score, candidate.basis, why, requires, candidate.level,
                candidate.kind, candidate.is_open)


def _no_texts(questionnaire: Questionnaire) -> dict:
    return {}


def _step_texts(candidate: _Candidate, questionnaire: Questionnaire, size: str | None,
                business_model: str | None) -> tuple:
    """What a step says that depends only on its question, its level and the organisation's size and business
    model."""
    if candidate.question is None:
        action = triage_action(questionnaire)
        return (TRIAGE_ID, candidate.domain.id, 1, action.title, action.detail,
                owner_title(questionnaire, action.owner, size, business_model), action.effort, 3, action.kpi, ())
    question = candidate.question
    action = question.action
    wording = getattr(action.by_level, candidate.level, None) if action.by_level else None
    title, detail = (wording.title, wording.detail) if wording else (action.title, action.detail)
    kpi = (getattr(wording, "kpi", None) if wording else None) or action.kpi
    effort = (getattr(wording, "effort", None) if wording else None) or action.effort
    return (question.id, question.domain, question.phase, title, detail,
            owner_title(questionnaire, action.owner, size, business_model), effort, action.impact, kpi,
            tuple(action.requires))


# --- why, in one plain sentence ---------------------------------------------------------------------



def why_sentence(why: Why) -> str:
    """One plain sentence a client reads: why this step is in the plan, and why here."""
    text = _why_head(why)
    clauses = _why_clauses(why)
    if clauses:
        return _("{reason}; {more}.").format(reason=text, more=join_names(clauses))
    return _("{reason}.").format(reason=text)


def _why_head(why: Why) -> str:
    name = why.domain
    if why.kind == "triage":
        lift = why.lift
        return _("{stuck} of your {live} active pilots have been stuck for more than {months} months; a decision on "
                 "each frees budget and people for the ones that can reach production").format(
            stuck=lift.stuck, live=lift.live, months=lift.months)
    state = "unknown" if why.unknown else why.level
    if why.kind == "critical":
        return _(CRITICAL_WORDS[state])
    if why.high_risk:
        if why.deadline:
            return _(HIGH_RISK_WORDS[why.on is not None and why.deadline <= why.on][state]).format(
                day=_day(why.deadline))
        return _(HIGH_RISK_WORDS[None][state])
    if why.kind == "regulatory" and why.deadline:
        return _(REGULATORY_WORDS[why.on is not None and why.deadline <= why.on][state]).format(day=_day(why.deadline))
    if why.finished:
        return _("{domain} has reached its target phase, and this keeps the practice strong as AI use grows").format(
            domain=name)
    if why.limiting and why.offset <= 0:
        return _(LIMITING_WORDS[_among(why)][state]).format(domain=name, phase=why.working, count=why.below_bar)
    if why.offset < 0:
        return _("{domain} has passed phase {phase}, but this practice lags behind and later work builds on it").format(
            domain=name, phase=why.phase)
    if why.offset == 0:
        return _(COMPLETE_WORDS[_among(why)][state]).format(domain=name, phase=why.phase, count=why.below_bar)
    if why.offset == 1:
        return _(NEXT_WORDS[state]).format(domain=name)
    return _("{domain} will need this for phase {phase}, once phase {working} is done").format(
        domain=name, phase=why.phase, working=why.working)


# The reasons, one whole message per case: a practice's state (establish, extend, optimise, or unknown for
# "don't know") and, in the working phase, how much of it is left below the bar (none, the last one, one of N).
CRITICAL_WORDS = {
    "establish": N_("This practice is critical whatever the phase, and it is not in place yet"),
    "extend": N_("This practice is critical whatever the phase, and it is only partly in place"),
    "optimise": N_("This practice is critical whatever the phase, and it works and can be taken further"),
    "unknown": N_("This practice is critical whatever the phase, and nobody could say whether it is in place"),
}
HIGH_RISK_WORDS = {
    None: {
        "establish": N_("Some of your AI systems are likely high-risk under the EU AI Act, and this practice is not "
                        "in place yet"),
        "extend": N_("Some of your AI systems are likely high-risk under the EU AI Act, and this practice is only "
                     "partly in place"),
        "optimise": N_("Some of your AI systems are likely high-risk under the EU AI Act, and this practice works "
                       "and can be taken further"),
        "unknown": N_("Some of your AI systems are likely high-risk under the EU AI Act, and nobody could say "
                      "whether this practice is in place"),
    },
    True: {
        "establish": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that have "
                        "applied since {day}, and this practice is not in place yet"),
        "extend": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that have "
                     "applied since {day}, and this practice is only partly in place"),
        "optimise": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that have "
                       "applied since {day}, and this practice works and can be taken further"),
        "unknown": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that have "
                      "applied since {day}, and nobody could say whether this practice is in place"),
    },
    False: {
        "establish": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that apply "
                        "from {day}, and this practice is not in place yet"),
        "extend": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that apply "
                     "from {day}, and this practice is only partly in place"),
        "optimise": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that apply "
                       "from {day}, and this practice works and can be taken further"),
        "unknown": N_("Some of your AI systems are likely high-risk under the EU AI Act, with obligations that apply "
                      "from {day}, and nobody could say whether this practice is in place"),
    },
}
REGULATORY_WORDS = {
    True: {
        "establish": N_("The EU AI Act's obligations have applied since {day}, and this practice is not in place yet"),
        "extend": N_("The EU AI Act's obligations have applied since {day}, and this practice is only partly in place"),
        "optimise": N_("The EU AI Act's obligations have applied since {day}, and this practice works and can be "
                       "taken further"),
        "unknown": N_("The EU AI Act's obligations have applied since {day}, and nobody could say whether this "
                      "practice is in place"),
    },
    False: {
        "establish": N_("The EU AI Act's obligations apply from {day}, and this practice is not in place yet"),
        "extend": N_("The EU AI Act's obligations apply from {day}, and this practice is only partly in place"),
        "optimise": N_("The EU AI Act's obligations apply from {day}, and this practice works and can be taken "
                       "further"),
        "unknown": N_("The EU AI Act's obligations apply from {day}, and nobody could say whether this practice is "
                      "in place"),
    },
}
LIMITING_WORDS = {
    "": {
        "establish": N_("{domain} holds the organisation at phase {phase}, and this practice is not in place yet"),
        "extend": N_("{domain} holds the organisation at phase {phase}, and this practice is only partly in place"),
        "optimise": N_("{domain} holds the organisation at phase {phase}, and this practice works and can be taken "
                       "further"),
        "unknown": N_("{domain} holds the organisation at phase {phase}, and nobody could say whether this practice "
                      "is in place"),
    },
    "last": {
        "establish": N_("{domain} holds the organisation at phase {phase}, and this practice is not in place yet (the "
                        "last in that phase below the bar)"),
        "extend": N_("{domain} holds the organisation at phase {phase}, and this practice is only partly in place "
                     "(the last in that phase below the bar)"),
        "optimise": N_("{domain} holds the organisation at phase {phase}, and this practice works and can be taken "
                       "further (the last in that phase below the bar)"),
        "unknown": N_("{domain} holds the organisation at phase {phase}, and nobody could say whether this practice "
                      "is in place (the last in that phase below the bar)"),
    },
    "one of": {
        "establish": N_("{domain} holds the organisation at phase {phase}, and this practice is not in place yet (one "
                        "of {count} in that phase still below the bar)"),
        "extend": N_("{domain} holds the organisation at phase {phase}, and this practice is only partly in place "
                     "(one of {count} in that phase still below the bar)"),
        "optimise": N_("{domain} holds the organisation at phase {phase}, and this practice works and can be taken "
                       "further (one of {count} in that phase still below the bar)"),
        "unknown": N_("{domain} holds the organisation at phase {phase}, and nobody could say whether this practice "
                      "is in place (one of {count} in that phase still below the bar)"),
    },
}
COMPLETE_WORDS = {
    "": {
        "establish": N_("{domain} needs this to complete phase {phase}, and this practice is not in place yet"),
        "extend": N_("{domain} needs this to complete phase {phase}, and this practice is only partly in place"),
        "optimise": N_("{domain} needs this to complete phase {phase}, and this practice works and can be taken "
                       "further"),
        "unknown": N_("{domain} needs this to complete phase {phase}, and nobody could say whether this practice is "
                      "in place"),
    },
    "last": {
        "establish": N_("{domain} needs this to complete phase {phase}, and this practice is not in place yet (the "
                        "last in that phase below the bar)"),
        "extend": N_("{domain} needs this to complete phase {phase}, and this practice is only partly in place (the "
                     "last in that phase below the bar)"),
        "optimise": N_("{domain} needs this to complete phase {phase}, and this practice works and can be taken "
                       "further (the last in that phase below the bar)"),
        "unknown": N_("{domain} needs this to complete phase {phase}, and nobody could say whether this practice is "
                      "in place (the last in that phase below the bar)"),
    },
    "one of": {
        "establish": N_("{domain} needs this to complete phase {phase}, and this practice is not in place yet (one of "
                        "{count} in that phase still below the bar)"),
        "extend": N_("{domain} needs this to complete phase {phase}, and this practice is only partly in place (one "
                     "of {count} in that phase still below the bar)"),
        "optimise": N_("{domain} needs this to complete phase {phase}, and this practice works and can be taken "
                       "further (one of {count} in that phase still below the bar)"),
        "unknown": N_("{domain} needs this to complete phase {phase}, and nobody could say whether this practice is "
                      "in place (one of {count} in that phase still below the bar)"),
    },
}
NEXT_WORDS = {
    "establish": N_("{domain} needs this for its next phase, and this practice is not in place yet"),
    "extend": N_("{domain} needs this for its next phase, and this practice is only partly in place"),
    "optimise": N_("{domain} needs this for its next phase, and this practice works and can be taken further"),
    "unknown": N_("{domain} needs this for its next phase, and nobody could say whether this practice is in place"),
}


def _among(why: Why) -> str:
    """How much of the domain's working phase is left below the bar: '' (nothing said), 'last' or 'one of'."""
    if not why.below_bar:
        return ""
    return "last" if why.below_bar == 1 else "one of"


def _day(day) -> str:
    """'2 August 2026' in English, '2. August 2026' in German."""
    if i18n.current() == i18n.SOURCE:
        return f"{day.day} {day:%B %Y}"
    return i18n.date(day)





def _why_clauses(why: Why) -> list[str]:
    clauses = []
    lift = why.lift
    if why.kind != "triage":
        if lift.waiting:
            clauses.append(_waiting_clause(lift))
        if lift.lacking:
            clauses.append(_lacking_clause(lift))
    if why.needed_by:
        clauses.append(ngettext("{count} other step in the plan builds on it",
                                "{count} other steps in the plan build on it", why.needed_by).format(
            count=number(why.needed_by)))
    return clauses


def _waiting_clause(lift: Lift) -> str:
    """'3 of your 5 stuck pilots wait on it (“No data access” for 2 of them)'."""
    facts = {"waiting": lift.waiting, "stuck": lift.stuck, "blocker": lift.blocker, "named": lift.named}
    if not lift.blocker:
        which = ""
    elif lift.named == lift.waiting:
        which = "named"
    else:
        which = "some"
    if lift.stuck == 1:
        text = WAITING_ONE[which]
        return _(text).format(**facts)
    if lift.waiting == lift.stuck:
        return _(WAITING_ALL[which]).format(**facts)
    if which == "named":
        text = ngettext("{waiting} of your {stuck} stuck pilots waits on it (“{blocker}”)",
                        "{waiting} of your {stuck} stuck pilots wait on it (“{blocker}”)", lift.waiting)
    elif which == "some":
        text = ngettext("{waiting} of your {stuck} stuck pilots waits on it (“{blocker}” for {named} of them)",
                        "{waiting} of your {stuck} stuck pilots wait on it (“{blocker}” for {named} of them)",
                        lift.waiting)
    else:
        text = ngettext("{waiting} of your {stuck} stuck pilots waits on it",
                        "{waiting} of your {stuck} stuck pilots wait on it", lift.waiting)
    return text.format(**facts)


WAITING_ONE = {"": N_("your one stuck pilot waits on it"),
               "named": N_("your one stuck pilot waits on it (“{blocker}”)"),
               "some": N_("your one stuck pilot waits on it (“{blocker}” for {named} of them)")}
WAITING_ALL = {"": N_("all {stuck} of your stuck pilots wait on it"),
               "named": N_("all {stuck} of your stuck pilots wait on it (“{blocker}”)"),
               "some": N_("all {stuck} of your stuck pilots wait on it (“{blocker}” for {named} of them)")}
def waiting_words(waiting: int, stuck: int) -> str:
    """'3 of your 5 stuck pilots wait', 'your one stuck pilot waits', 'all 4 of your stuck pilots wait'."""
    if stuck == 1:
        return _("your one stuck pilot waits")
    if waiting == stuck:
        return _("all {stuck} of your stuck pilots wait").format(stuck=stuck)
    return ngettext("{waiting} of your {stuck} stuck pilots waits", "{waiting} of your {stuck} stuck pilots wait",
                    waiting).format(waiting=waiting, stuck=stuck)


def _lacking_clause(lift: Lift) -> str:
    """'7 of your 12 pilots are without a KPI baseline', 'your one pilot is without a business owner'."""
    owner = lift.missing == "owner"
    if lift.live == 1:
        text = _("your one pilot is without a business owner") if owner else \
            _("your one pilot is without a KPI baseline")
    elif lift.lacking == lift.live:
        text = _("all {live} of your pilots are without a business owner") if owner else \
            _("all {live} of your pilots are without a KPI baseline")
    elif owner:
        text = ngettext("{lacking} of your {live} pilots is without a business owner",
                        "{lacking} of your {live} pilots are without a business owner", lift.lacking)
    else:
        text = ngettext("{lacking} of your {live} pilots is without a KPI baseline",
                        "{lacking} of your {live} pilots are without a KPI baseline", lift.lacking)
    return text.format(lacking=lift.lacking, live=lift.live)


def explain(phase: int, domain_name: str, gap: float, weight: float, domain_weight: float, offset: int,
            working: int, limiting: bool, priority: float, impact: int = 2, lift: Lift = NO_LIFT,
            regulatory: bool = False, exposed: bool = False, urgent: bool = False) -> str:
    """The arithmetic behind a step's priority, for the methodology page and a tooltip: the product, then each
    further factor; every part one message."""
    factor = 1.0 if regulatory else phase_factor(offset)
    parts = [_("Priority {priority} = gap {gap} × question weight {weight} × domain weight {domain_weight} × phase "
               "factor {factor} ({place}) × impact factor {impact_factor} (impact {impact})").format(
        priority=decimal(priority, 2), gap=share(gap), weight=figure(weight), domain_weight=figure(domain_weight),
        factor=figure(factor), place=_place(phase, domain_name, offset, working, regulatory),
        impact_factor=figure(IMPACT_FACTORS[impact]), impact=impact)]
    if limiting:
        parts.append(_("×{boost} because {domain} limits the overall phase").format(boost=figure(LIMITING_BOOST),
                                                                                   domain=domain_name))
    if lift.factor != 1.0:
        parts.append(_("× pilot factor {factor} (1 + {weight} × the larger share: {shares})").format(
            factor=decimal(lift.factor, 2), weight=figure(PILOT_WEIGHT), shares=", ".join(_lift_shares(lift))))
    if exposed:
        parts.append(_("× exposure {factor} (a system is likely high-risk under the EU AI Act)").format(
            factor=figure(EXPOSURE_FACTOR)))
    if urgent:
        parts.append(_("× deadline {factor} (the obligation applies within a year, or already applies)").format(
            factor=figure(DEADLINE_FACTOR)))
    return "; ".join(parts)


def _place(phase: int, domain_name: str, offset: int, working: int, regulatory: bool) -> str:
    """Where the practice stands against its domain's working phase, as the explanation names it."""
    facts = {"phase": phase, "domain": domain_name, "working": working, "offset": offset}
    if offset <= 0:
        return _("phase {phase} practice, {domain} works on phase {working} now").format(**facts)
    if regulatory:
        return ngettext("phase {phase} practice, {offset} phase beyond {domain}'s working phase {working}; a "
                        "regulatory practice takes no phase discount",
                        "phase {phase} practice, {offset} phases beyond {domain}'s working phase {working}; a "
                        "regulatory practice takes no phase discount", offset).format(**facts)
    return ngettext("phase {phase} practice, {offset} phase beyond {domain}'s working phase {working}",
                    "phase {phase} practice, {offset} phases beyond {domain}'s working phase {working}",
                    offset).format(**facts)


def _lift_shares(lift: Lift) -> list[str]:
    """The shares of pilots a step helps, as the explanation names them."""
    shares = []
    if lift.waiting:
        shares.append(_("{waiting}/{stuck} stuck pilots it unblocks").format(waiting=lift.waiting, stuck=lift.stuck))
    if lift.lacking:
        text = _("{lacking}/{live} pilots without an owner") if lift.missing == "owner" else \
            _("{lacking}/{live} pilots without a KPI baseline")
        shares.append(text.format(lacking=lift.lacking, live=lift.live))
    return shares

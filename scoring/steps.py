"""The plan: which low answers to act on, in which order, in which horizon, and why.

The rules are the design's "Prioritised next steps":
1. Candidates are visible questions with an action and a score below 1, within the
   domain's target. A question at or above its phase threshold yields no step unless its
   domain limits the organisation.
2. Priority = question weight x domain weight x gap x phase factor x limiting boost x
   impact factor x pilot factor (1 + 0.5 x the share of stuck pilots blocked in the
   step's domain); effort (S, M, L) breaks ties, then questionnaire order.
3. A step never ranks above an open step it requires (a stable topological order).
4. Now holds at most PLAN_NOW_CAPACITY steps of the domains' working phases; a large
   (L) step enters Now only as the prerequisite of another Now step. The rest of the
   working phase and the next phase go to Next, everything else to Later. A domain that
   has achieved every phase up to its target yields nothing in Now.
5. Ranks run through Now, then Next, then Later: rank 1 is the first thing to do.
"""

from __future__ import annotations

import heapq
import os
from dataclasses import dataclass

from config import setting
from questionnaires.models import Question, Questionnaire
from scoring.engine import DomainResult, Overall, QuestionResult, Step
from scoring.headline import number
from scoring.pilots import Portfolio

PHASE_FACTORS = {0: 1.0, 1: 0.5}
LATER_FACTOR = 0.25
LIMITING_BOOST = 1.5
IMPACT_FACTORS = {1: 0.8, 2: 1.0, 3: 1.2}
PILOT_WEIGHT = 0.5  # pilot factor = 1 + PILOT_WEIGHT x (stuck pilots blocked in the domain / stuck pilots)
NO_PILOTS = (0, 0)  # (stuck pilots waiting on the domain, stuck pilots)
NO_WAIT = (0, 1.0, "", 0)  # no stuck pilot waits: (waiting, pilot factor, top blocker's label, pilots naming it)
EFFORT_ORDER = {"S": 0, "M": 1, "L": 2}
ESTABLISH_AT_MOST = 0.25  # a score at or below this means the practice is not in place yet
HORIZONS = {"now": "Now (0–3 months)", "next": "Next (3–9 months)", "later": "Later (9–18 months)"}
HORIZON_ORDER = ("now", "next", "later")
SIZES = ("small", "medium", "large")
DEFAULT_SIZE = "medium"


def phase_factor(offset: int) -> float:
    """Discount for a practice `offset` phases beyond the domain's working phase."""
    return PHASE_FACTORS.get(max(offset, 0), LATER_FACTOR)


def horizon_of(offset: int) -> str:
    """now: the working phase (or earlier); next: one phase on; later: beyond."""
    return "now" if offset <= 0 else "next" if offset == 1 else "later"


def level_of(score: float, threshold: float) -> str:
    """establish (not in place), extend (below the phase threshold) or optimise (at or above it)."""
    if score <= ESTABLISH_AT_MOST:
        return "establish"
    return "extend" if score < threshold - 1e-12 else "optimise"


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


@dataclass(slots=True)
class _Candidate:
    key: tuple
    question: Question
    score: float
    level: str
    base_horizon: str
    priority: float
    basis: tuple
    domain: DomainResult
    limiting: bool
    offset: int
    finished: bool
    qid: str
    requires: tuple[str, ...]
    is_open: bool  # below its phase threshold: a prerequisite still to be taken (not merely polish)
    large: bool  # effort L


def next_steps(questionnaire: Questionnaire, questions: dict[str, QuestionResult], domains: tuple[DomainResult, ...],
               overall: Overall, size: str | None = None, capacity: int | None = None,
               pilots: Portfolio | None = None) -> tuple[Step, ...]:
    """The plan: every step worth taking, ranked in the order to act, each with its horizon and reasons;
    `pilots` (the register) raises the steps of the domains that stuck pilots wait on."""
    candidates = _candidates(questionnaire, questions, domains, overall, pilots)
    if not candidates:
        return ()
    ordered = _in_dependency_order(sorted(candidates, key=lambda c: c.key))
    horizons = _horizons(ordered, capacity or now_capacity())
    planned = [c for horizon in HORIZON_ORDER for c in ordered if horizons[c.qid] == horizon]
    needed_by = _needed_by(planned)
    return tuple(_step(rank, c, horizons[c.qid], needed_by.get(c.qid, 0), questionnaire, size)
                 for rank, c in enumerate(planned, start=1))


def _candidates(questionnaire: Questionnaire, questions: dict[str, QuestionResult], domains: tuple[DomainResult, ...],
                overall: Overall, pilots: Portfolio | None = None) -> list[_Candidate]:
    by_id = {d.id: d for d in domains}
    weights, thresholds, actionable = questionnaire.cached("steps.lookups", _step_lookups)
    limiting = overall.limiting_domains
    stuck = pilots.stuck if pilots is not None else 0
    # Per domain: the stuck pilots waiting on it and the pilot factor, worked out once per response.
    factors = {d: (n, pilot_factor(n, stuck), *pilots.top_blocker(d)) for d, n in pilots.stuck_by_domain.items()
               if n} if stuck else {}
    found = []
    for item, qid, domain_id, phase, weight, impact, effort_rank, order, requires in actionable:
        result = questions[qid]
        score = result.score
        if score is None or score >= 1 or not result.visible:
            continue
        domain = by_id[domain_id]
        target = domain.target
        if phase > target:
            continue
        threshold = thresholds[phase]
        is_limiting = domain_id in limiting
        if score >= threshold - 1e-12 and not is_limiting:
            continue
        # The step's priority; the factors multiply in the design's order, so the figures never move.
        finished = domain.achieved >= target  # nothing left to reach within its target: polish only
        working = domain.working_phase or 4
        offset = phase - working
        gap = 1.0 - score
        domain_weight = weights[domain_id]
        priority = (weight * domain_weight * gap * (PHASE_FACTORS.get(offset, LATER_FACTOR) if offset > 0 else 1.0)
                    * (LIMITING_BOOST if is_limiting else 1.0) * impact)
        waiting, factor, blocker, named = factors.get(domain_id, NO_WAIT) if factors else NO_WAIT
        if waiting:
            priority = priority * factor
        question = item.question
        base = "later" if finished else ("now" if offset <= 0 else "next" if offset == 1 else "later")
        basis = (phase, domain.name, gap, weight, domain_weight, offset, working, is_limiting, priority,
                 question.action.impact, waiting, stuck, blocker, named)
        level = "establish" if score <= ESTABLISH_AT_MOST else "extend" if score < threshold - 1e-12 else "optimise"
        found.append(_Candidate((-round(priority, 9), effort_rank, order), question, score, level, base, priority,
                                basis, domain, is_limiting, offset, finished, qid, requires, level != "optimise",
                                effort_rank == 2))
    return found


def _step_lookups(questionnaire: Questionnaire) -> tuple:
    """What ranking needs from the questionnaire, built once: domain weights, phase thresholds, and per
    actionable question its id, domain, phase, weight, impact factor, effort rank and questionnaire order."""
    actionable = tuple(
        (item, item.question.id, item.question.domain, item.question.phase, item.question.weight,
         IMPACT_FACTORS[item.question.action.impact], EFFORT_ORDER[item.question.action.effort], item.order,
         tuple(item.question.action.requires))
        for item in _actionable(questionnaire))
    return ({d.id: d.weight for d in questionnaire.domains},
            {phase.number: phase.threshold for phase in questionnaire.roadmap.phases}, actionable)


def _actionable(questionnaire: Questionnaire) -> tuple:
    from scoring.engine import compiled_items

    return tuple(item for item in compiled_items(questionnaire) if item.scores is not None and item.question.action)


def pilot_factor(waiting: int, stuck: int) -> float:
    """1 + 0.5 x the share of stuck pilots that wait on a domain: pilots stuck there raise its steps."""
    return 1.0 + PILOT_WEIGHT * waiting / stuck if stuck else 1.0


def _open(candidate: _Candidate) -> bool:
    """A step still to be taken as a prerequisite: below its phase threshold (not merely polish)."""
    return candidate.is_open


def _in_dependency_order(ranked: list[_Candidate]) -> list[_Candidate]:
    """The ranked steps, each moved down just far enough to follow every open step it requires."""
    open_ids = {c.qid for c in ranked if c.is_open}
    waits = {c.qid: [r for r in c.requires if r in open_ids] for c in ranked}
    if not any(waits.values()):
        return ranked
    position = {c.qid: index for index, c in enumerate(ranked)}
    followers: dict[str, list[str]] = {}
    for qid, required in waits.items():
        for prerequisite in required:
            followers.setdefault(prerequisite, []).append(qid)
    left = {qid: len(required) for qid, required in waits.items()}
    ready = [position[qid] for qid, count in left.items() if count == 0]
    heapq.heapify(ready)
    placed: list[_Candidate] = []
    while ready:
        chosen = ranked[heapq.heappop(ready)]
        placed.append(chosen)
        for follower in followers.get(chosen.qid, ()):
            left[follower] -= 1
            if left[follower] == 0:
                heapq.heappush(ready, position[follower])
    if len(placed) < len(ranked):  # only if requires ran in a circle, which loading refuses
        placed += [c for c in ranked if c not in placed]
    return placed


HORIZON_RANK = {horizon: rank for rank, horizon in enumerate(HORIZON_ORDER)}


def _horizons(ordered: list[_Candidate], capacity: int) -> dict[str, str]:
    """Horizon per question id: a step is never in an earlier horizon than a step it requires; Now is capped."""
    by_id = {c.qid: c for c in ordered}
    horizon: dict[str, str] = {}
    for candidate in ordered:
        wanted = HORIZON_RANK[candidate.base_horizon]
        for required in candidate.requires:
            if required in horizon and by_id[required].is_open:
                wanted = max(wanted, HORIZON_RANK[horizon[required]])
        horizon[candidate.qid] = HORIZON_ORDER[wanted]
    now: list[str] = []
    for candidate in ordered:
        qid = candidate.qid
        if horizon[qid] != "now" or qid in now or candidate.large:
            continue
        missing = [r for r in _open_prerequisites(qid, by_id, horizon) if r not in now] if candidate.requires else []
        if len(now) + len(missing) + 1 <= capacity:
            now += missing + [qid]
    for qid, place in horizon.items():
        if place == "now" and qid not in now:
            horizon[qid] = "next"
    return horizon


def _open_prerequisites(question_id: str, by_id: dict[str, _Candidate], horizon: dict[str, str]) -> list[str]:
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
            if required in by_id and by_id[required].is_open and required not in found and horizon.get(required) == "now":
                stack.append((required, False))
    return found


def _needed_by(planned: list[_Candidate]) -> dict[str, int]:
    """How many planned steps require each step."""
    counts: dict[str, int] = {}
    open_ids = {c.qid for c in planned if c.is_open}
    for candidate in planned:
        for required in candidate.requires:
            if required in open_ids:
                counts[required] = counts.get(required, 0) + 1
    return counts


def owner_title(questionnaire: Questionnaire, owner: str, size: str | None) -> str:
    """The owner as printed: a role of the questionnaire's table, titled for the organisation's size."""
    titles = questionnaire.roles.get(owner)
    return getattr(titles, size if size in SIZES else DEFAULT_SIZE) if titles else owner


def _step(rank: int, candidate: _Candidate, horizon: str, needed_by: int, questionnaire: Questionnaire,
          size: str | None) -> Step:
    texts = questionnaire.cached("steps.texts", _no_texts)
    key = (candidate.question.id, candidate.level, size)
    fixed = texts.get(key)
    if fixed is None:
        fixed = texts[key] = _step_texts(candidate.question, candidate.level, questionnaire, size)
    qid, domain, phase, title, detail, owner, effort, impact, kpi, requires = fixed
    basis = candidate.basis
    why = (candidate.domain.name, phase, candidate.level, candidate.domain.working_phase, candidate.finished,
           candidate.limiting, candidate.offset, basis[10], basis[11], needed_by, basis[12], basis[13])
    return Step(rank, qid, domain, phase, horizon, title, detail, owner, effort, impact, kpi,
                round(candidate.priority, 4), candidate.score, basis, why, requires, candidate.level)


def _no_texts(questionnaire: Questionnaire) -> dict:
    return {}


def _step_texts(question: Question, level: str, questionnaire: Questionnaire, size: str | None) -> tuple:
    """What a step says that depends only on its question, its level and the organisation's size."""
    action = question.action
    wording = getattr(action.by_level, level, None) if action.by_level else None
    title, detail = (wording.title, wording.detail) if wording else (action.title, action.detail)
    return (question.id, question.domain, question.phase, title, detail, owner_title(questionnaire, action.owner, size),
            action.effort, action.impact, action.kpi, tuple(action.requires))


STATE_WORDS = {"establish": "is not in place yet", "extend": "is only partly in place",
               "optimise": "is in place but not yet at its best"}


def why_sentence(domain_name: str, phase: int, level: str, working: int | None, finished: bool, limiting: bool,
                 offset: int, waiting: int = 0, stuck: int = 0, needed_by: int = 0, blocker: str = "",
                 named: int = 0) -> str:
    """One plain sentence a client reads: why this step is in the plan, and why here."""
    state = STATE_WORDS[level]
    if finished:
        text = f"{domain_name} has reached its target phase; this polishes a practice that {state}."
    elif limiting and offset <= 0:
        text = f"{domain_name} holds the organisation at phase {working}, and this phase {phase} practice {state}."
    elif offset < 0:
        text = f"{domain_name} passed phase {phase}, but this practice {state}, and later phases build on it."
    elif offset == 0:
        text = f"{domain_name} needs this to complete phase {phase}: the practice {state}."
    elif offset == 1:
        text = f"Prepares {domain_name} for phase {phase}, its next phase: the practice {state}."
    else:
        text = f"A phase {phase} practice for {domain_name}, for after phase {working} and the phases between."
    if waiting:
        which = ""
        if blocker:  # the blocker most of them name, in the register's words
            which = f" (“{blocker}”" + (f" for {named} of them)" if named < waiting else ")")
        text = f"{text[:-1]}, and {waiting_words(waiting, stuck)} on {domain_name}{which}."
    if needed_by:
        text += (f" {number(needed_by).capitalize()} other step{'s' if needed_by > 1 else ''} in the plan "
                 f"build{'s' if needed_by == 1 else ''} on it.")
    return text


def waiting_words(waiting: int, stuck: int) -> str:
    """'3 of your 5 stuck pilots wait', 'your one stuck pilot waits', 'all 4 of your stuck pilots wait'."""
    if stuck == 1:
        return "your one stuck pilot waits"
    if waiting == stuck:
        return f"all {stuck} of your stuck pilots wait"
    return f"{waiting} of your {stuck} stuck pilots wait{'s' if waiting == 1 else ''}"


def explain(phase: int, domain_name: str, gap: float, weight: float, domain_weight: float, offset: int,
            working: int, limiting: bool, priority: float, impact: int = 2, waiting: int = 0, stuck: int = 0,
            blocker: str = "", named: int = 0) -> str:
    """The arithmetic behind a step's priority, for the methodology page and a tooltip (`blocker` and `named`
    are for the plain why only)."""
    if offset <= 0:
        place = f"phase {phase} practice, {domain_name} works on phase {working} now"
    else:
        place = f"phase {phase} practice, {offset} phase{'s' if offset > 1 else ''} beyond {domain_name}'s working phase {working}"
    text = (f"Priority {priority:.2f} = gap {gap:.0%} × question weight {weight:g} × domain weight {domain_weight:g}"
            f" × phase factor {phase_factor(offset):g} ({place}) × impact factor {IMPACT_FACTORS[impact]:g} "
            f"(impact {impact})")
    if limiting:
        text += f"; ×{LIMITING_BOOST:g} because {domain_name} limits the overall phase"
    if waiting:
        text += (f"; × pilot factor {pilot_factor(waiting, stuck):.2f} (1 + {PILOT_WEIGHT:g} × {waiting}/{stuck} stuck "
                 f"pilots waiting on {domain_name})")
    return text

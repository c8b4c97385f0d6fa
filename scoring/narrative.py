"""The story a client reads: findings, risks, quotes, a draft RACI, a risk register and a timeline.

Everything here is derived from the scored result by fixed rules, never typed by hand, so the
same answers always tell the same story.

Findings (the first three rules that apply, in this order):

| rule       | when                                              | sentence                                           |
|------------|---------------------------------------------------|----------------------------------------------------|
| limiting   | a domain limits the organisation                  | it holds the organisation at phase p, at a of t    |
| complete   | every assessed domain achieved all four phases    | what remains is keeping the practices at that level|
| strongest  | the highest index is not a limiting domain        | it leads, with phase k achieved                    |
| near miss  | a domain is one answer from its working phase     | one practice raised one level completes the phase  |
| unknowns   | some answers are "don't know"                     | they count as not in place until someone checks    |
| confidence | every question shown has a real answer            | the result rests on no unknowns                    |

Risks (the first three that apply, in this order):

| rule            | when                                                  | sentence                                       |
|-----------------|-------------------------------------------------------|------------------------------------------------|
| governance gap  | the first High entry of the register in Governance    | what can go wrong, and the step that closes it |
| MLOps gap       | the first High entry of the register in MLOps         | the same                                       |
| foundation gap  | a domain has a later phase on an unfinished earlier one | such work tends to stall before production   |
| due unknowns    | "don't know" on practices of a working or earlier phase | each is a risk until someone checks          |
| other gaps      | further High, then Medium entries of the register     | what can go wrong, and the step that closes it |
| low confidence  | confidence below 80%                                  | too many unknowns to act on unchecked          |

Risk register: every visible governance and MLOps practice within the domain's target that is
below its phase's threshold or unknown. Severity: High when the practice is not in place (or unknown) in the
domain's working phase or an earlier one; Medium when it is partly in place there, or not in
place one phase ahead; Low otherwise. What can go wrong comes from a table of practices,
matched on the question id, with a sentence per domain when none matches.

Draft RACI for the top steps: Responsible is the step's owner; Accountable the executive who
answers for the step's domain (sized to the organisation), or the owner when that is the CEO; Consulted the owners of the steps it
requires or that require it, or the domain's standing partner when there are none; Informed the
AI steering group and the business unit leads (the leadership team in a small organisation).

Quotes: up to three respondents' notes, from the lowest-scoring questions first, then the
longest note, then questionnaire order; quoted as typed, so notes longer than QUOTE_LIMIT characters
are left to the domain pages, which print every note whole.

Timeline: Now steps start in month 0, Next steps in month 3; a step starts once every step it
requires has ended, and no more than PLAN_NOW_CAPACITY steps run at once. S takes about a
month, M two, L a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.models import Questionnaire
from scoring.engine import LOW_CONFIDENCE, DomainResult, QuestionResult, Result, Step, join_names
from scoring.headline import number
from scoring.steps import DEFAULT_SIZE, ESTABLISH_AT_MOST, SIZES, now_capacity, owner_title

FINDINGS = 3
RISKS = 3
QUOTES = 3
QUOTE_LIMIT = 240
RACI_STEPS = 5
RISK_DOMAINS = ("governance", "mlops")
SEVERITIES = ("High", "Medium", "Low")
DURATION_MONTHS = {"S": 1, "M": 2, "L": 3}
HORIZON_START = {"now": 0, "next": 3}
TIMELINE_STEPS = 10
FIRST_STEPS = 3  # the steps the Results page shows first
WEAKEST_LINK = ("The organisation is at the phase of its weakest domain: a phase counts once every domain has "
                "achieved the one before it.")

# What can go wrong when a practice is missing, matched on a fragment of the question id
# (first match wins, so the more specific fragments come first).
EXPOSURES = (
    ("registry", "A production model cannot be traced to its version, owner or approval."),
    ("inventory", "Nobody can say which AI systems are in use, so none of them can be governed."),
    ("register", "Nobody can say which AI systems are in use, so none of them can be governed."),
    ("board-decisions", "Higher-risk launches are decided case by case, with nobody empowered to say no."),
    ("board", "AI decisions have no body with the authority to take them, so they stall or are taken by default."),
    ("sponsor", "No executive answers for AI, so decisions that cross departments stall."),
    ("classif", "High-risk use cases get the same light handling as harmless ones."),
    ("approval", "A model can go live without anyone signing off its risks."),
    ("gate", "Models can move into production without a defined check."),
    ("bias", "A model can treat groups of customers or staff unfairly without anyone checking."),
    ("escalation", "When a model misbehaves, nobody knows who may stop it, or how fast."),
    ("stress-test", "Governance that has never been tried on a real launch may break on the first one."),
    ("explain", "Decisions made with AI cannot be explained to the people they affect or to a regulator."),
    ("ai-act-role", "The organisation does not know which EU AI Act obligations apply to it."),
    ("ai-act", "Systems may breach EU AI Act obligations without anyone noticing."),
    ("revalidat", "Models stay in service after the assumptions behind them have changed."),
    ("portfolio-risk", "The board cannot see AI risk against its appetite."),
    ("shadow", "Staff use AI tools outside any control, with company data."),
    ("production-path", "Pilots have no agreed route into production, so they stall."),
    ("architecture", "Each team builds production AI its own way, multiplying cost and risk."),
    ("version", "A production model cannot be reproduced or traced to the data it learned from."),
    ("reproduc", "A production model cannot be rebuilt or rolled back when it fails."),
    ("security", "A model can be attacked or manipulated in ways nobody has tested for."),
    ("genai", "Generative AI answers can be wrong or unsafe without anyone measuring how often."),
    ("vendor", "Dependence on a single AI vendor can lock in cost and leave no way out."),
    ("pipeline", "Every release depends on manual hand-offs, which are slow and error-prone."),
    ("drift", "A model that degrades in production goes unnoticed until customers notice."),
    ("monitor", "A model that degrades in production goes unnoticed until customers notice."),
    ("integration", "Models stay outside the systems where decisions are made, so their value is not realised."),
    ("service-level", "A failing AI service has no agreed response time and no playbook."),
    ("stability", "Outages of AI services are not measured, so they recur."),
    ("retrain", "Models go stale because retraining depends on someone remembering."),
    ("platform", "Teams build and run AI on different stacks, duplicating effort and controls."),
    ("self-service", "Teams cannot reach production without the central team, which becomes a bottleneck."),
)
DOMAIN_EXPOSURES = {
    "governance": "An AI risk the organisation should control is left uncontrolled.",
    "mlops": "Production models depend on manual work that can fail unnoticed.",
}
STATES = {"missing": "Not in place", "unknown": "Unknown", "partial": "Partly in place"}

# The executive who answers for a domain, by organisation size (small, medium, large).
ACCOUNTABLE = {
    "data": ("CTO", "Chief Data Officer", "Chief Data Officer"),
    "governance": ("CEO", "Chief Risk Officer", "Chief Risk Officer"),
    "mlops": ("CTO", "Chief Technology Officer", "Chief Technology Officer"),
    "organization": ("CEO", "Chief Operating Officer", "Chief Operating Officer"),
    "economics": ("CEO", "Chief Financial Officer", "Chief Financial Officer"),
}
DEFAULT_ACCOUNTABLE = ("CEO", "Executive AI sponsor", "Executive AI sponsor")
TOP_EXECUTIVES = ("CEO", "Chief Executive Officer")  # nobody above them: they answer for their own steps
# Whom a domain's steps consult when no other step in the plan is linked to them.
PARTNERS = {
    "data": "Data protection officer",
    "governance": "Legal counsel",
    "mlops": "Information security",
    "organization": "HR",
    "economics": "Finance",
}
DEFAULT_PARTNER = "Legal counsel"
INFORMED = {"small": ("Leadership team",), "medium": ("AI steering group", "Business unit leads"),
            "large": ("AI steering committee", "Business unit leads")}


@dataclass(frozen=True, slots=True)
class Quote:
    """A respondent's note, quoted as typed, with the question it was written on."""

    text: str
    domain: str
    question: str


@dataclass(frozen=True, slots=True)
class RaciRow:
    """Who does, answers for, is asked about and is told about one step."""

    step: Step
    responsible: str
    accountable: str
    consulted: tuple[str, ...]
    informed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskEntry:
    """One line of the risk register: what can go wrong, how likely it bites now, what closes it."""

    question: str
    domain: str
    phase: int
    severity: str
    state: str
    exposure: str
    step: Step | None
    owner: str


@dataclass(frozen=True, slots=True)
class Slot:
    """When a step runs on the timeline, in months from the start of the plan."""

    step: Step
    start: int
    end: int
    after: tuple[int, ...]  # ranks of the planned steps it waits for


@dataclass(frozen=True, slots=True)
class Narrative:
    """Findings, risks, quotes, RACI, risk register and timeline of one result."""

    findings: tuple[str, ...]
    risks: tuple[str, ...]
    quotes: tuple[Quote, ...]
    raci: tuple[RaciRow, ...]
    register: tuple[RiskEntry, ...]
    timeline: tuple[Slot, ...]


def narrate(questionnaire: Questionnaire, result: Result) -> Narrative:
    """The whole story of one result, by the rules in this module's docstring."""
    register = risk_register(questionnaire, result)
    return Narrative(findings(result), risks(result, register), quotes(questionnaire, result),
                     raci(result), register, timeline(result.actions))


# --- findings -------------------------------------------------------------------------------


def findings(result: Result) -> tuple[str, ...]:
    """Up to three findings: the first rules of the table that apply."""
    found = [text for rule in FINDING_RULES for text in rule(result)]
    return tuple(found[:FINDINGS])


def _limiting(result: Result) -> list[str]:
    primary = result.overall.primary_limiting_domain
    if primary is None:
        return []
    domain = result.domain(primary)
    phase = domain.phases[domain.achieved]
    where = (f"its phase {phase.number} practices stand at {phase.attainment:.0%}, against the "
             f"{phase.threshold:.0%} the phase asks for" if phase.attainment is not None
             else f"none of its phase {phase.number} practices has a known answer yet")
    limiting = result.overall.limiting_domains
    if len(limiting) == 1:
        return [f"{domain.name} holds the organisation at phase {result.overall.phase}: {where}."]
    return [f"{number(len(limiting)).capitalize()} domains hold the organisation at phase {result.overall.phase}; "
            f"{domain.name} is furthest from the bar: {where}."]


def _complete(result: Result) -> list[str]:
    if not result.overall.complete:
        return []
    return ["Every assessed domain has achieved all four phases; what remains is keeping the practices at that "
            "level as the portfolio grows."]


def _strongest(result: Result) -> list[str]:
    assessed = [d for d in result.domains if d.assessed]
    if len(assessed) < 2 or result.overall.complete:
        return []
    top = max(round(d.index, 2) for d in assessed)
    best = [d for d in assessed if round(d.index, 2) == top]
    if any(d.id in result.overall.limiting_domains for d in best) or len(best) == len(assessed):
        return []
    names = join_names([d.name for d in best])
    lead = f"{names} is the strongest domain, with" if len(best) == 1 else f"{names} are the strongest domains, each with"
    first = best[0]
    if first.achieved >= 4:
        return [f"{lead} all four phases achieved: a way of working the other domains can copy."]
    return [f"{lead} phase {first.achieved} achieved and phase {first.working_phase} under way: "
            "a base the other domains can build on."]


def _near_miss(result: Result) -> list[str]:
    limiting = set(result.overall.limiting_domains)
    close = [d for d in result.domains if d.to_next_phase and d.to_next_phase.answers_needed == 1]
    close.sort(key=lambda d: d.id not in limiting)
    if not close:
        return []
    domain = close[0]
    phase = domain.to_next_phase.phase
    if limiting == {domain.id}:
        return [f"{domain.name} is one answer from completing phase {phase}: raising a single practice by one level "
                f"would move the whole organisation to phase {min(phase + 1, 4)}."]
    return [f"{domain.name} is one answer from completing phase {phase}: raising a single practice by one level "
            "would do it."]


def _unknowns(result: Result) -> list[str]:
    count = len(result.unknowns)
    if not count:
        return []
    were = "question was" if count == 1 else "questions were"
    return [f"{number(count).capitalize()} {were} answered “don't know”; until someone checks, the result counts "
            f"{'it' if count == 1 else 'them'} as not in place."]


def _confidence(result: Result) -> list[str]:
    if result.unknowns or not any(d.assessed for d in result.domains):
        return []
    return ["Every question shown has a real answer, so the result rests on no unknowns."]


FINDING_RULES = (_limiting, _complete, _strongest, _near_miss, _unknowns, _confidence)


# --- risk register and risks ----------------------------------------------------------------


def risk_register(questionnaire: Questionnaire, result: Result) -> tuple[RiskEntry, ...]:
    """Every governance and MLOps practice below its phase's bar (or unknown), most severe first."""
    steps = {s.question: s for s in result.actions}
    entries = []
    for order, question in enumerate(questionnaire.questions):
        answer = result.questions[question.id]
        if question.domain not in RISK_DOMAINS or not _open_practice(answer):
            continue
        domain = result.domain(question.domain)
        if not domain.assessed or question.phase > domain.target:
            continue
        state = practice_state(answer, questionnaire.phase(question.phase).threshold)
        if state == "polish":
            continue  # at or above its phase's bar: room to improve, not a risk
        step = steps.get(question.id)
        owner = step.owner if step else owner_title(questionnaire, question.action.owner, result.size) \
            if question.action else ""
        entry = RiskEntry(question.id, domain.name, question.phase, severity(state, question.phase, domain),
                          STATES[state], exposure(question.id, question.domain), step, owner)
        entries.append((SEVERITIES.index(entry.severity), step.rank if step else 10 ** 6, order, entry))
    return tuple(entry for *_, entry in sorted(entries, key=lambda e: e[:3]))


def _open_practice(answer: QuestionResult) -> bool:
    return answer.visible and answer.scored and (answer.dont_know or (answer.score is not None and answer.score < 1))


def practice_state(answer: QuestionResult, threshold: float) -> str:
    """missing, unknown, partial (below the phase threshold) or polish (at or above it)."""
    if answer.dont_know:
        return "unknown"
    if answer.score <= ESTABLISH_AT_MOST:
        return "missing"
    return "partial" if answer.score < threshold - 1e-12 else "polish"


def severity(state: str, phase: int, domain: DomainResult) -> str:
    """High: missing (or unknown) in the working phase or earlier; Medium: partly there, or missing one phase on."""
    working = domain.working_phase or 4
    if phase <= working and state in ("missing", "unknown"):
        return "High"
    if (phase <= working and state == "partial") or (phase == working + 1 and state in ("missing", "unknown")):
        return "Medium"
    return "Low"


def exposure(question_id: str, domain_id: str) -> str:
    """What can go wrong while this practice is missing."""
    practice = question_id.split(".", 1)[-1]
    for fragment, sentence in EXPOSURES:
        if fragment in practice:
            return sentence
    return DOMAIN_EXPOSURES.get(domain_id, "A practice the current phase depends on is missing.")


def risks(result: Result, register: tuple[RiskEntry, ...]) -> tuple[str, ...]:
    """Up to three risks: the first rules of the table that apply, never the same sentence twice."""
    found: list[str] = []
    for rule in RISK_RULES:
        for text in rule(result, register):
            if text not in found:
                found.append(text)
    return tuple(found[:RISKS])


def _entry_risk(entry: RiskEntry) -> str:
    closes = f" Step {entry.step.rank} closes this gap." if entry.step else ""
    return f"{entry.exposure}{closes}"


def _domain_gap(domain_id: str):
    def rule(result: Result, register: tuple[RiskEntry, ...]) -> list[str]:
        names = {d.id: d.name for d in result.domains}
        first = next((e for e in register if e.severity == "High" and e.domain == names.get(domain_id)), None)
        return [_entry_risk(first)] if first else []

    return rule


def _foundation(result: Result, register) -> list[str]:
    shaky = [d for d in result.domains if d.foundation_gap]
    if not shaky:
        return []
    domain = shaky[0]
    missing = next(p.number for p in domain.phases if not p.attained)
    built = max(p.number for p in domain.phases if p.status == "attained")
    return [f"{domain.name} has phase {built} practices in place without the phase {missing} foundation under them; "
            "work built that way tends to stall before it reaches production."]


def _due_unknowns(result: Result, register) -> list[str]:
    due = [qid for qid in result.unknowns
           if result.questions[qid].phase <= (result.domain(result.questions[qid].domain).working_phase or 4)]
    if not due:
        return []
    count = len(due)
    verb = "is" if count == 1 else "are"
    return [f"Nobody could say whether {number(count)} practice{'s' if count != 1 else ''} the current phase needs "
            f"{verb} in place; each is a risk until someone checks."]


def _other_gaps(result: Result, register: tuple[RiskEntry, ...]) -> list[str]:
    return [_entry_risk(e) for e in register if e.severity in ("High", "Medium")]


def _low_confidence(result: Result, register) -> list[str]:
    if result.overall.confidence >= LOW_CONFIDENCE:
        return []
    return [f"Only {result.overall.confidence:.0%} of the questions have a real answer: the result rests on too many "
            "unknowns to act on without checking them first."]


RISK_RULES = (_domain_gap("governance"), _domain_gap("mlops"), _foundation, _due_unknowns, _other_gaps,
              _low_confidence)


# --- quotes ---------------------------------------------------------------------------------


def quotes(questionnaire: Questionnaire, result: Result) -> tuple[Quote, ...]:
    """Up to three notes: lowest-scoring questions first, then the longest note, then questionnaire order."""
    names = {d.id: d.name for d in result.domains}
    noted = []
    for order, question in enumerate(questionnaire.questions):
        answer = result.questions[question.id]
        text = " ".join(answer.note.split())
        if answer.visible and text and len(text) <= QUOTE_LIMIT:  # longer notes are printed whole in their domain
            score = answer.score if answer.score is not None else (1.0 if answer.not_applicable else 0.0)
            noted.append(((score, -len(text), order), Quote(text, names[question.domain], question.text)))
    return tuple(quote for _, quote in sorted(noted, key=lambda n: n[0])[:QUOTES])


# --- RACI -----------------------------------------------------------------------------------


def raci(result: Result, count: int = RACI_STEPS) -> tuple[RaciRow, ...]:
    """A draft RACI for the top steps, by the rule in this module's docstring."""
    size = result.size if result.size in SIZES else DEFAULT_SIZE
    column = SIZES.index(size)
    rows = []
    for step in result.actions[:count]:
        accountable = ACCOUNTABLE.get(step.domain, DEFAULT_ACCOUNTABLE)[column]
        if step.owner in TOP_EXECUTIVES:
            accountable = step.owner
        linked = _linked_owners(step, result.actions)
        consulted = tuple(o for o in linked if o not in (step.owner, accountable))
        if not consulted:
            consulted = (PARTNERS.get(step.domain, DEFAULT_PARTNER),)
        rows.append(RaciRow(step, step.owner, accountable, consulted, INFORMED[size]))
    return tuple(rows)


def _linked_owners(step: Step, steps: tuple[Step, ...]) -> list[str]:
    """The owners of the steps this one requires or that require it, in rank order, each once."""
    owners: list[str] = []
    for other in steps:
        if other is step or not (other.question in step.requires or step.question in other.requires):
            continue
        if other.owner not in owners:
            owners.append(other.owner)
    return owners


# --- timeline -------------------------------------------------------------------------------


def timeline(steps: tuple[Step, ...], capacity: int | None = None, limit: int = TIMELINE_STEPS) -> tuple[Slot, ...]:
    """Now and Next steps placed in months: after their prerequisites, at most `capacity` at once."""
    capacity = capacity or now_capacity()
    planned = [s for s in steps if s.horizon in HORIZON_START][:limit]
    ends: dict[str, int] = {}
    slots: list[Slot] = []
    for step in planned:
        waits = [s for s in planned if s.question in step.requires and s.question in ends]
        start = max([HORIZON_START[step.horizon]] + [ends[s.question] for s in waits])
        duration = DURATION_MONTHS[step.effort]
        start = _free_start(slots, start, duration, capacity)
        ends[step.question] = start + duration
        slots.append(Slot(step, start, start + duration, tuple(s.rank for s in waits)))
    return tuple(slots)


def _free_start(slots: list[Slot], start: int, duration: int, capacity: int) -> int:
    """The first month from `start` when fewer than `capacity` steps run through the whole duration."""
    while True:
        busy = [s for s in slots if s.start < start + duration and s.end > start]
        if len(busy) < capacity:
            return start
        start = min(s.end for s in busy if s.end > start)


def step_facts(step: Step, domain_name: str, steps: tuple[Step, ...]) -> str:
    """'Governance · phase 1 · owner: CTO · effort S · impact 3/3 · after 1': one line under a step's title."""
    after = after_text(step, steps)
    return " · ".join(part for part in (domain_name, f"phase {step.phase}", f"owner: {step.owner}",
                                        f"effort {step.effort}", f"impact {step.impact}/3", after) if part)


def after_text(step: Step, steps: tuple[Step, ...]) -> str:
    """'after 1 and 3': the ranks of the open steps this one waits for ('' when none)."""
    ranks = [str(s.rank) for s in steps if s.question in step.requires]
    return f"after {join_names(ranks)}" if ranks else ""


# --- the pilot portfolio in words ---------------------------------------------------------

PILOT_NAMES = 10  # pilots named in a sentence before "and N more"


@dataclass(frozen=True)
class PilotBrief:
    """The pilot portfolio in four sentences: the summary's one line, how many are stuck, which to stop, and
    which gate holds the rest.

    Rules:
    - summary: "S of T pilots are older than M months without reaching production; R reached production."
    - stuck: the same count with the conversion rate against the reference's one in five.
    - stop: the pilots whose verdict is `stop`, oldest first (at most PILOT_NAMES named).
    - gate: the blocker named by the most stuck pilots, with its domain and the plan's first step there
      (a blocker named as often comes second); then the pilots to fix outside that gate, by domain.
    """

    summary: str
    stuck: str
    stop: str
    gate: str


def pilot_brief(metrics, steps: tuple = ()) -> PilotBrief:
    """The four sentences of a `scoring.pilots.PilotMetrics`; `steps` is the ranked plan."""
    months, total = metrics.stuck_after_months, metrics.total
    are = "pilot is" if total == 1 else "pilots are"
    summary = (f"{_count_of(metrics.stuck, total)} {are} older than {months} months without reaching production; "
               f"{metrics.reached} reached production.")
    stuck = f"{_count_of(metrics.stuck, total)} {are} stuck: active for more than {months} months without reaching production."
    rate = metrics.conversion_rate
    if rate is not None:
        stuck += (f" {rate:.0%} of the pilots started at least {months} months ago reached production; the reference "
                  f"is {metrics.reference['reaches_production']:.0%}, about one in five.")
    return PilotBrief(summary, stuck, _stop_sentence(metrics), _gate_sentence(metrics, steps))


def _count_of(part: int, total: int) -> str:
    return f"{part} of {total}" if total != 1 else ("The one" if part else "None of the one")


def _listed(names: list[str]) -> str:
    shown = names[:PILOT_NAMES]
    more = len(names) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _stop_sentence(metrics) -> str:
    stop = [item.name for item in metrics.items if item.verdict == "stop"]
    if not stop:
        return "No pilot needs stopping: every stuck pilot has a business owner or a KPI baseline."
    if len(stop) == 1:
        return (f"Stop 1 pilot: {stop[0]}. It has been stuck for more than {metrics.stuck_after_months} months with "
                "neither a business owner nor a KPI baseline; free its budget and team, or name an owner and "
                "measure a baseline within a month.")
    return (f"Stop {len(stop)} pilots: {_listed(stop)}. Each has been stuck for more than "
            f"{metrics.stuck_after_months} months with neither a business owner nor a KPI baseline; free their "
            "budget and teams, or name an owner and measure a baseline within a month for the ones worth keeping.")


def _gate_sentence(metrics, steps: tuple) -> str:
    ranked = sorted(metrics.stuck_by_blocker.items(), key=lambda pair: -pair[1])  # stable: vocabulary order on ties
    parts = []
    if ranked:
        blocker, count = ranked[0]
        domain = metrics.blocker_domains.get(blocker, "")
        name = metrics.domain_names.get(domain, domain)
        label = metrics.blocker_labels.get(blocker, blocker)
        if metrics.stuck == 1:
            text = f"The gate that holds the one stuck pilot is {name}: it names “{label}”"
        else:
            text = (f"The gate that holds most stuck pilots is {name}: {count} of the {metrics.stuck} "
                    f"name{'s' if count == 1 else ''} “{label}”")
        if len(ranked) > 1 and ranked[1][1] == count:
            other = metrics.blocker_domains.get(ranked[1][0], "")
            text += (" and" if metrics.stuck == 1 else ", as many") + (
                f" “{metrics.blocker_labels.get(ranked[1][0], ranked[1][0])}” ({metrics.domain_names.get(other, other)})")
        parts.append(text + _step_words(domain, name, steps) + ".")
    elif metrics.stuck:
        parts.append("No stuck pilot names a blocker: ask each pilot's team what holds it up and record it.")
    parts += _fix_words(metrics)
    return " ".join(parts) or "No pilot is held up by a blocker."


def _fix_words(metrics) -> list[str]:
    """Where the pilots to fix wait, by the first domain that blocks each."""
    fix = [item for item in metrics.items if item.verdict == "fix"]
    blocked = [item for item in fix if item.blocking_domains]
    unblocked = len(fix) - len(blocked)
    if not fix:
        return []
    if len(fix) == 1:
        item = fix[0]
        if blocked:
            return [f"The one pilot to fix, {item.name}, waits on {_domain_list(item.blocking_domains, metrics)}."]
        return []  # its reason in the triage table asks what holds it up
    by_domain: dict[str, list[str]] = {}
    for item in blocked:
        by_domain.setdefault(item.blocking_domains[0], []).append(item.name)
    waits = [f"{_listed(names)} wait{'s' if len(names) == 1 else ''} on {metrics.domain_names.get(d, d)}"
             for d, names in by_domain.items()]
    if unblocked:
        waits.append(f"{unblocked} name{'s' if unblocked == 1 else ''} no blocker")
    return [f"Of the {len(fix)} pilots to fix, {'; '.join(waits)}."]


def _domain_list(domains, metrics) -> str:
    return _listed([metrics.domain_names.get(d, d) for d in domains])


def _step_words(domain: str, name: str, steps: tuple) -> str:
    step = next((s for s in steps if s.domain == domain), None)
    if step is None:
        return f"; the plan has no open {name} step"
    return f"; the plan's {name} work starts with step {step.rank}, “{step.title}”"

"""The pilot portfolio: funnel metrics and one triage verdict per pilot, from the register in the answers.

The rules are the design's "Pilot portfolio":
- Ages are whole calendar months from `started` to the assessment's date.
- A stage's kind says what it means: idea (not started), active (in flight), reached
  (in production) or stopped. Owners, KPI baselines and blockers are counted over every
  pilot in the register.
- Stuck: an active pilot older than `stuck_after_months`.
- Conversion rate: of the pilots started at least `stuck_after_months` ago (ideas left
  out), the share that reached production; None when there are none.
- Triage, first rule that holds: an active pilot is `stop` when stuck with neither owner
  nor KPI baseline, `fix` when stuck or blocked, else `continue`; a pilot in production is
  `fix` when blocked, `scale` with an owner and a KPI baseline, else `continue`. Ideas and
  stopped pilots get no verdict.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field

from questionnaires.models import PilotSection, Questionnaire
from scoring.answers import Pilot, month_number

VERDICTS = ("stop", "fix", "scale", "continue")
VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
# The triage rules in words, as the report's methodology page prints them (first rule that holds).
PILOT_TRIAGE_RULES = (
    ("Stuck", "An active pilot (in a stage such as pilot or ready for production) more than the stuck threshold old "
              "that has not reached production"),
    ("Stop", "Stuck, with neither a named business owner nor a KPI baseline"),
    ("Fix", "Stuck or blocked; the reason names the blocking domain and the plan's highest-ranked step there. A "
            "pilot in production that names a blocker is held back from scaling"),
    ("Scale", "In production, with a business owner and a KPI baseline"),
    ("Continue", "Any other active pilot or pilot in production. Ideas and stopped pilots get no verdict"),
)
REFERENCE = {
    "reaches_production": 0.2,
    "reaches_production_text": "about one AI pilot in five reaches production",
    "never_past_pilot": 0.73,
    "never_past_pilot_text": "73% of AI initiatives never get past the pilot stage",
    "source": "the 2026 article on taking enterprise AI from pilot purgatory to production that Phasegate's "
              "model is based on",
}


@dataclass(slots=True)
class Row:
    """One pilot with what the metrics need: its stage's kind, its age, whether it is stuck, what blocks it."""

    pilot: Pilot
    kind: str
    age: int
    stuck: bool
    domains: tuple[str, ...]  # domains of its blockers, in questionnaire order


@dataclass(frozen=True)
class Portfolio:
    """The register read against a questionnaire on a date: what the plan and the metrics both start from."""

    section: PilotSection
    domain_names: dict[str, str]
    rows: tuple[Row, ...]
    stuck: int
    stuck_by_domain: dict[str, int]
    lookups: tuple = ()  # stage ids, blocker ids, stage labels and kinds, blocker labels and domains
    stuck_by_blocker: dict[str, int] = field(default_factory=dict)  # stuck pilots naming each blocker

    def top_blocker(self, domain_id: str) -> tuple[str, int]:
        """The label of the blocker of this domain that most stuck pilots name (vocabulary order on ties), and
        how many name it; ('', 0) when none does."""
        blocker_ids, labels, domains = self.lookups[1], self.lookups[4], self.lookups[5]
        best, count = "", 0
        for blocker in blocker_ids:
            named = self.stuck_by_blocker.get(blocker, 0)
            if named > count and domains.get(blocker) == domain_id:
                best, count = labels[blocker], named
        return best, count

    def stuck_waiting_on(self, domain_id: str) -> int:
        """How many stuck pilots name a blocker in this domain."""
        return self.stuck_by_domain.get(domain_id, 0)


@dataclass(slots=True)
class PilotItem:
    """One pilot's line in the triage table."""

    name: str
    stage: str
    age_months: int
    verdict: str | None
    reason: str
    blocking_domains: tuple[str, ...]


@dataclass(frozen=True)
class PilotMetrics:
    """The portfolio's figures, the reference beside them, and the triage."""

    total: int
    by_stage: dict[str, int]
    reached: int
    conversion_rate: float | None
    median_age_months: float | None
    stuck: int
    without_owner: int
    without_kpi: int
    blockers: dict[str, int]
    blocked_domains: dict[str, int]
    value_waiting: float
    stuck_after_months: int
    items: tuple[PilotItem, ...]
    stage_labels: dict[str, str] = field(default_factory=dict)
    stage_kinds: dict[str, str] = field(default_factory=dict)
    domain_names: dict[str, str] = field(default_factory=dict)
    stuck_by_domain: dict[str, int] = field(default_factory=dict)  # stuck pilots waiting on each domain
    stuck_by_blocker: dict[str, int] = field(default_factory=dict)  # stuck pilots naming each blocker
    blocker_labels: dict[str, str] = field(default_factory=dict)
    blocker_domains: dict[str, str] = field(default_factory=dict)
    cohort: int = 0  # pilots started at least `stuck_after_months` ago, ideas left out: the conversion rate's base
    reference: dict = field(default_factory=lambda: dict(REFERENCE))

    def verdicts(self) -> dict[str, int]:
        """How many pilots got each verdict, in verdict order."""
        return {v: sum(1 for item in self.items if item.verdict == v) for v in VERDICTS}


def age_in_months(started: str, on: dt.date) -> int:
    """Whole calendar months from the month a pilot started to the date given."""
    return on.year * 12 + on.month - 1 - month_number(started)


def pilot_portfolio(questionnaire: Questionnaire, pilots: tuple[Pilot, ...], on: dt.date) -> Portfolio:
    """The register read against the questionnaire's pilot section on the assessment's date."""
    section, kinds, blocker_domain, order, names, domains_of, lookups = questionnaire.cached("pilots.lookups", _lookups)
    today, months = on.year * 12 + on.month - 1, section.stuck_after_months
    rows, stuck, by_domain, by_blocker = [], 0, {}, {}
    for pilot in pilots:
        kind = kinds.get(pilot.stage, "active")
        age = today - _month(pilot.started)
        blockers = pilot.blockers
        if blockers:
            domains = domains_of.get(blockers)
            if domains is None:
                domains = _blocking_domains(blockers, blocker_domain, order, domains_of)
        else:
            domains = ()
        is_stuck = kind == "active" and age > months
        rows.append(Row(pilot, kind, age, is_stuck, domains))
        if is_stuck:
            stuck += 1
            for domain in domains:
                by_domain[domain] = by_domain.get(domain, 0) + 1
            for blocker in set(blockers):
                by_blocker[blocker] = by_blocker.get(blocker, 0) + 1
    return Portfolio(section, names, tuple(rows), stuck, by_domain, lookups, by_blocker)


MONTHS: dict[str, int] = {}  # 'YYYY-MM' -> month number, read once per process
KNOWN_BLOCKER_SETS = 4096  # blocker lists whose domains are remembered per questionnaire


def _month(text: str) -> int:
    number = MONTHS.get(text)
    if number is None:
        number = month_number(text)
        if len(MONTHS) < 10_000:
            MONTHS[text] = number
    return number


def _blocking_domains(blockers: tuple[str, ...], blocker_domain: dict, order: dict, known: dict) -> tuple[str, ...]:
    """The domains of a pilot's blockers, in questionnaire order, remembered per blocker list."""
    domains = tuple(sorted({blocker_domain[b] for b in blockers if b in blocker_domain}, key=order.get))
    if len(known) < KNOWN_BLOCKER_SETS:
        known[blockers] = domains
    return domains


def _lookups(questionnaire: Questionnaire) -> tuple:
    """What reading a register needs from the questionnaire, built once: section, stage kinds, blocker domains,
    domain order and names, and a memo of the domains of each blocker list."""
    section = questionnaire.pilot_section()
    return (section, {stage.id: stage.kind for stage in section.stages},
            {blocker.id: blocker.domain for blocker in section.blockers},
            {domain.id: index for index, domain in enumerate(questionnaire.domains)},
            {domain.id: domain.name for domain in questionnaire.domains}, {}, _section_lookups(section))


def _section_lookups(section: PilotSection) -> tuple:
    return ([stage.id for stage in section.stages], [b.id for b in section.blockers],
            {stage.id: stage.label for stage in section.stages}, {stage.id: stage.kind for stage in section.stages},
            {b.id: b.label for b in section.blockers}, {b.id: b.domain for b in section.blockers})


def pilot_metrics(portfolio: Portfolio, steps: tuple = ()) -> PilotMetrics:
    """The metrics and the triage of a portfolio; `steps` is the ranked plan that `fix` verdicts point to."""
    rows, section = portfolio.rows, portfolio.section
    stage_ids, blocker_ids, stage_labels, stage_kinds, blocker_labels, blocker_domains = (
        portfolio.lookups or _section_lookups(section))
    months = section.stuck_after_months
    stages: dict[str, int] = {}
    blockers: dict[str, int] = {}
    domains: dict[str, int] = {}
    stuck_blockers: dict[str, int] = {}
    active_ages = []
    reached = without_owner = without_kpi = cohort = converted = 0
    value_waiting = 0
    for row in rows:
        pilot, kind = row.pilot, row.kind
        stages[pilot.stage] = stages.get(pilot.stage, 0) + 1
        if kind == "active":
            active_ages.append(row.age)
        elif kind == "reached":
            reached += 1
        if kind != "idea" and row.age >= months:
            cohort += 1
            converted += kind == "reached"
        if not pilot.owner:
            without_owner += 1
        if not pilot.kpi_baseline:
            without_kpi += 1
        if pilot.blockers:
            named = set(pilot.blockers)
            for blocker in named:
                blockers[blocker] = blockers.get(blocker, 0) + 1
            if row.stuck:
                for blocker in named:
                    stuck_blockers[blocker] = stuck_blockers.get(blocker, 0) + 1
        for domain in row.domains:
            domains[domain] = domains.get(domain, 0) + 1
        if row.stuck:
            value_waiting += pilot.value or 0
    domain_order = portfolio.domain_names  # a dict iterates in domain order
    waits: dict = {}
    return PilotMetrics(
        total=len(rows),
        by_stage={stage: stages.get(stage, 0) for stage in stage_ids},
        reached=reached,
        conversion_rate=converted / cohort if cohort else None,
        median_age_months=statistics.median(active_ages) if active_ages else None,
        stuck=portfolio.stuck,
        without_owner=without_owner,
        without_kpi=without_kpi,
        blockers=_ordered(blockers, blocker_ids),
        blocked_domains=_ordered(domains, domain_order),
        value_waiting=value_waiting,
        stuck_after_months=months,
        items=tuple(sorted([triage(row, portfolio, steps, waits) for row in rows], key=_item_order)),
        # The questionnaire's lookups are shared by every result of it, never copied: read them, do not change them.
        stage_labels=stage_labels,
        stage_kinds=stage_kinds,
        domain_names=portfolio.domain_names,
        stuck_by_domain=_ordered(portfolio.stuck_by_domain, domain_order),
        stuck_by_blocker=_ordered(stuck_blockers, blocker_ids),
        blocker_labels=blocker_labels,
        blocker_domains=blocker_domains,
        cohort=cohort,
    )


def conversion_rate(rows: tuple[Row, ...], months: int) -> float | None:
    """Of the pilots started at least `months` ago (ideas left out), the share that reached production."""
    cohort = [row for row in rows if row.kind != "idea" and row.age >= months]
    return sum(1 for row in cohort if row.kind == "reached") / len(cohort) if cohort else None


def triage(row: Row, portfolio: Portfolio, steps: tuple = (), waits: dict | None = None) -> PilotItem:
    """One pilot's verdict (stop, fix, scale, continue; None for ideas and stopped pilots) and its reason;
    `waits` remembers, for one register, what each set of blocking domains waits on."""
    verdict, reason = _verdict(row, portfolio, steps, {} if waits is None else waits)
    return PilotItem(row.pilot.name, row.pilot.stage, row.age, verdict, reason, row.domains)


def _verdict(row: Row, portfolio: Portfolio, steps: tuple, waits: dict) -> tuple[str | None, str]:
    pilot, months = row.pilot, portfolio.section.stuck_after_months
    if row.kind == "idea":
        return None, "An idea, not started yet: no verdict until it becomes a pilot."
    if row.kind == "stopped":
        return None, "Stopped: nothing left to decide."
    if row.kind == "active" and row.stuck and not pilot.owner and not pilot.kpi_baseline:
        return "stop", (f"{_months(row.age)} without reaching production, with neither a business owner nor a KPI "
                        "baseline: stop it and free its budget and team.")
    if row.domains:
        waiting = waits.get(row.domains)
        if waiting is None:
            waiting = waits[row.domains] = f"waiting on {_names(row.domains, portfolio)}: {_first_step(row.domains, steps)}"
        if row.kind == "reached":
            return "fix", f"In production but held back from scaling, {waiting}."
        start = f"{_months(row.age)} without reaching production" if row.stuck else f"Blocked after {_months(row.age)}"
        return "fix", f"{start}, {waiting}."
    if row.stuck:
        ask = "its business owner" if pilot.owner else "the team"
        return "fix", (f"{_months(row.age)} without reaching production and no blocker recorded: ask {ask} what "
                       "holds it up and record the blocker.")
    missing = _missing(pilot)
    if row.kind == "reached":
        if not missing:
            done = "Scaled" if _is_last_reached(pilot.stage, portfolio.section) else "In production"
            return "scale", f"{done}, with a business owner and a KPI baseline: extend it to more teams and markets."
        return "continue", f"In production, but without {missing}: add that before scaling it."
    todo = f"; before month {months}, {_todo(pilot)}" if missing else ""
    return "continue", f"{_months(row.age).capitalize()} in and not blocked: keep going{todo}."


def _months(count: int) -> str:
    return f"{count} month{'s' if count != 1 else ''}"


def _missing(pilot: Pilot) -> str:
    gaps = [text for text, present in (("a business owner", pilot.owner), ("a KPI baseline", pilot.kpi_baseline))
            if not present]
    return " or ".join(gaps)


def _todo(pilot: Pilot) -> str:
    tasks = [text for text, present in (("name a business owner", pilot.owner),
                                        ("measure a KPI baseline", pilot.kpi_baseline)) if not present]
    return " and ".join(tasks)


def _is_last_reached(stage_id: str, section: PilotSection) -> bool:
    last = LAST_REACHED.get(id(section))
    if last is None or last[0] is not section:
        reached = [stage.id for stage in section.stages if stage.kind == "reached"]
        last = LAST_REACHED[id(section)] = (section, reached[-1] if len(reached) > 1 else None)
        if len(LAST_REACHED) > 64:
            LAST_REACHED.clear()
    return stage_id == last[1]


LAST_REACHED: dict[int, tuple] = {}  # id(section) -> (section, its last reached stage when it has two or more)


def _names(domains: tuple[str, ...], portfolio: Portfolio) -> str:
    """'Data', 'Data and Governance', 'Data, MLOps and Governance'."""
    names = [portfolio.domain_names.get(d, d) for d in domains]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _first_step(domains: tuple[str, ...], steps: tuple) -> str:
    """The highest-ranked step of the plan in the blocking domains, in words."""
    step = next((s for s in steps if s.domain in domains), None)
    if step is None:
        return "the plan has no open step there; take it to the steering group"
    return f"start with step {step.rank} of the plan, “{step.title}”"


def _count(values) -> dict[str, int]:
    return dict(Counter(values))


def _ordered(counts: dict[str, int], order: list[str]) -> dict[str, int]:
    """The non-zero counts in the given order (ids not in it last, by id)."""
    known = [key for key in order if counts.get(key)]
    return {key: counts[key] for key in known + sorted(set(counts) - set(order))}


def _item_order(item: PilotItem) -> tuple:
    """Decisions first (stop, fix, scale, continue, then no verdict), oldest first, then by name."""
    return (VERDICT_RANK.get(item.verdict, len(VERDICTS)), -item.age_months, item.name)


def pilots_to_dict(metrics: PilotMetrics) -> dict:
    """The `pilots` object of `score --format json`."""
    return {
        "total": metrics.total,
        "by_stage": dict(metrics.by_stage),
        "reached": metrics.reached,
        "conversion_rate": None if metrics.conversion_rate is None else round(metrics.conversion_rate, 4),
        "median_age_months": metrics.median_age_months,
        "stuck": metrics.stuck,
        "stuck_after_months": metrics.stuck_after_months,
        "without_owner": metrics.without_owner,
        "without_kpi": metrics.without_kpi,
        "blockers": dict(metrics.blockers),
        "blocked_domains": dict(metrics.blocked_domains),
        "value_waiting": _number(metrics.value_waiting),
        "verdicts": metrics.verdicts(),
        "reference": dict(metrics.reference),
        "items": [
            {"name": item.name, "stage": item.stage, "age_months": item.age_months, "verdict": item.verdict,
             "reason": item.reason, "blocking_domains": list(item.blocking_domains)}
            for item in metrics.items
        ],
    }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)

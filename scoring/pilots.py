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
  nor KPI baseline, but `merge` instead when its `group` holds another stuck pilot (the
  group's stuck pilots become one pilot with a named owner and one KPI); `fix` when stuck
  or blocked, naming the plan's highest-ranked step that removes one of its blockers (the
  blocker's `remedy` questions; an empty remedy means any step of the blocker's domain),
  or saying to escalate the blocker when the plan has none; else `continue`. A pilot in
  production is `fix` when blocked, `scale` with an owner and a KPI baseline, else
  `continue`, told to measure its value against a holdout or control group when it has no
  baseline (a baseline cannot be measured after launch) and to name an owner when it has
  none. Ideas and stopped pilots get no verdict.
- Value waiting: the expected annual value of the stuck pilots not told to stop. Pilots
  proposed for merging count with the value each was given: together they carry the value
  of the merged pilot. None ("not estimated") when there are such pilots and none of them
  gives a value; 0 when there are none.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
from collections import Counter
from dataclasses import dataclass, field

import i18n
from config import setting
from i18n import _, ngettext
from questionnaires.models import PilotSection, Questionnaire
from scoring.answers import OrganisationProfile, Pilot, month_number
from scoring.words import N_, listed, quoted

VERDICTS = ("stop", "merge", "fix", "scale", "continue")
VERDICT_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
# The triage rules in words, as the report's methodology page prints them (first rule that holds); `triage_rules`
# gives them in the language of the moment, the stuck threshold filled in.
PILOT_TRIAGE_RULES = (
    (N_("Stuck"), N_("An active pilot (in a stage such as pilot or ready for production) more than {months} months "
                     "old that has not reached production")),
    ("Stop", N_("Stuck, with neither a named business owner nor a KPI baseline")),
    ("Merge", N_("As for stop, but another stuck pilot pursues the same outcome (the register puts them in one "
                 "group): merge the group's stuck pilots into one pilot with a named owner and one KPI")),
    ("Fix", N_("Stuck or blocked; the reason names the blocker and the plan's highest-ranked step that removes it, "
               "or, when the plan has none, says to escalate the blocker to the executive sponsor. A pilot in "
               "production that names a blocker is held back from scaling")),
    ("Scale", N_("In production, with a business owner and a KPI baseline")),
    ("Continue", N_("Any other active pilot or pilot in production. A pilot in production without a KPI baseline is "
                    "told to measure its value against a holdout or control group before it is widened, one without "
                    "a business owner to name one. Ideas and stopped pilots get no verdict")),
    (N_("Value waiting"), N_("The expected annual value of the stuck pilots that are not to be stopped, as given in "
                             "the register; pilots to merge count with the value each was given. Not estimated when "
                             "none of them gives a value")),
)
def triage_rules(stuck_after_months: int) -> list[tuple[str, str]]:
    """The triage rules as the method page prints them, in the language of the moment: a verdict named as the triage
    table names it, the stuck threshold in months."""
    verdicts = {"Stop": i18n.pgettext("verdict", "Stop"), "Merge": i18n.pgettext("verdict", "Merge"),
                "Fix": i18n.pgettext("verdict", "Fix"), "Scale": i18n.pgettext("verdict", "Scale"),
                "Continue": i18n.pgettext("verdict", "Continue")}
    return [(verdicts.get(term) or _(term), _(rule).format(months=stuck_after_months))
            for term, rule in PILOT_TRIAGE_RULES]


REFERENCE = {
    "reaches_production": 0.2,
    "reaches_production_text": N_("about one AI pilot in five reaches production"),  # shown through _()
    "never_past_pilot": 0.73,
    "never_past_pilot_text": N_("73% of AI initiatives never get past the pilot stage"),
    "source": N_("an industry article (2026) on taking enterprise AI from pilot purgatory to production"),
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
    # Groups with two or more stuck pilots: the group's name -> its stuck pilots' names, oldest first.
    stuck_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
    group: str | None = None  # pilots pursuing the same outcome share it


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
    value_waiting: float | None  # None: not estimated (stuck pilots count, none of them gives a value)
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
    currency: str = ""  # ISO 4217: the currency of the register's values
    blocker_remedies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # blocker id -> its remedy questions

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
    rows, stuck, by_domain, by_blocker, groups = [], 0, {}, {}, {}
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
            if pilot.group:
                groups.setdefault(pilot.group, []).append((-age, pilot.name))
    merged = {group: tuple(name for _, name in sorted(members)) for group, members in sorted(groups.items())
              if len(members) > 1}
    return Portfolio(section, names, tuple(rows), stuck, by_domain, lookups, by_blocker, merged)


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


def default_currency() -> str:
    """PHASEGATE_CURRENCY: the currency of the register's values when the organisation profile names none (read
    from the environment each time, checked once per value: scoring a workshop asks for it per response)."""
    raw = os.environ.get("PHASEGATE_CURRENCY")
    currency = _CURRENCIES.get(raw)
    if currency is None:
        currency = str(setting("PHASEGATE_CURRENCY"))
        if len(_CURRENCIES) < 64:
            _CURRENCIES[raw] = currency
    return currency


_CURRENCIES: dict[str | None, str] = {}


def profile_currency(profile: OrganisationProfile | None) -> str | None:
    """The currency the organisation profile names, if it names one."""
    return profile.currency if profile is not None and profile.currency else None


def format_money(value: float | None, currency: str) -> str:
    """A value as the report, the deck and the app print it: 'EUR 7,900,000'; 'not estimated' for None."""
    if value is None:
        return _("not estimated")
    if i18n.current() != i18n.SOURCE:  # the language's own form: '7.900.000 €' in German
        return i18n.money(value, currency) if currency else i18n.number(value, 0)
    return f"{currency} {value:,.0f}" if currency else f"{value:,.0f}"


def pilot_metrics(portfolio: Portfolio, steps: tuple = (), currency: str | None = None) -> PilotMetrics:
    """The metrics and the triage of a portfolio; `steps` is the ranked plan that `fix` verdicts point to, and
    `currency` the one the register's values are in (the PHASEGATE_CURRENCY setting when None)."""
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
    plan = Plan.of(steps, section)
    items = []
    waiting: list[float] = []  # the values given of the pilots that count in the value waiting
    counted = 0
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
        item = triage(row, portfolio, steps, plan)
        items.append(item)
        if counts_as_waiting(row, item.verdict):
            counted += 1
            if pilot.value is not None:
                waiting.append(pilot.value)
    domain_order = portfolio.domain_names  # a dict iterates in domain order
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
        # Sorted: the same sum in any register order. Nothing waiting is 0; pilots waiting without a value, None.
        value_waiting=sum(sorted(waiting)) if waiting or not counted else None,
        stuck_after_months=months,
        items=tuple(sorted(items, key=_item_order)),
        # The questionnaire's lookups are shared by every result of it, never copied: read them, do not change them.
        stage_labels=stage_labels,
        stage_kinds=stage_kinds,
        domain_names=portfolio.domain_names,
        stuck_by_domain=_ordered(portfolio.stuck_by_domain, domain_order),
        stuck_by_blocker=_ordered(stuck_blockers, blocker_ids),
        blocker_labels=blocker_labels,
        blocker_domains=blocker_domains,
        cohort=cohort,
        currency=currency or default_currency(),
        blocker_remedies={b.id: tuple(b.remedy) for b in section.blockers},
    )


def verdict_counts(metrics: PilotMetrics) -> str:
    """'3 to stop, 3 to merge and 1 to fix': the verdicts given, in verdict order ('' for none)."""
    counts = metrics.verdicts()
    return _join([_(VERDICT_COUNTS[verdict]).format(count=counts[verdict]) for verdict in VERDICTS if counts[verdict]])


VERDICT_COUNTS = {"stop": N_("{count} to stop"), "merge": N_("{count} to merge"), "fix": N_("{count} to fix"),
                  "scale": N_("{count} to scale"), "continue": N_("{count} to continue")}


def counts_as_waiting(row: Row, verdict: str | None) -> bool:
    """Whether a pilot's value counts in the value waiting: stuck, and not to be stopped."""
    return row.stuck and verdict != "stop"


@dataclass(slots=True)
class Plan:
    """What `fix` verdicts read from the ranked plan, indexed once per register: the highest-ranked step of each
    question and of each domain, and the words worked out for each list of blockers."""

    section: PilotSection
    by_question: dict
    by_domain: dict
    words: dict = field(default_factory=dict)  # blocker ids -> what the pilot waits on and where to start

    @classmethod
    def of(cls, steps, section: PilotSection) -> Plan:
        """The plan's steps indexed by question and by domain (the triage step removes no blocker: left out)."""
        by_question, by_domain = {}, {}
        for step in sorted(steps, key=lambda s: s.rank):
            if step.kind == "triage":
                continue
            by_question.setdefault(step.question, step)
            by_domain.setdefault(step.domain, step)
        return cls(section, by_question, by_domain)

    def remedy_step(self, blocker_id: str):
        """The highest-ranked step of the plan that removes this blocker: one of its remedy questions' steps, or,
        when its remedy list is empty, any step of its domain; None when the plan has none."""
        steps = self.remedy_steps(blocker_id)
        return steps[0] if steps else None

    def remedy_steps(self, blocker_id: str) -> list:
        """The plan's steps that remove this blocker, highest-ranked first (its domain's first step when the
        blocker lists no remedy)."""
        blocker = self.section.blocker(blocker_id)
        if blocker is None:
            return []
        if not blocker.remedy:
            first = self.by_domain.get(blocker.domain)
            return [first] if first else []
        return sorted((self.by_question[qid] for qid in blocker.remedy if qid in self.by_question),
                      key=lambda s: s.rank)


def triage(row: Row, portfolio: Portfolio, steps: tuple = (), plan: Plan | None = None) -> PilotItem:
    """One pilot's verdict (stop, merge, fix, scale, continue; None for ideas and stopped pilots) and its reason;
    `plan` is `steps` indexed once for the whole register."""
    verdict, reason = _verdict(row, portfolio, plan or Plan.of(steps, portfolio.section))
    return PilotItem(row.pilot.name, row.pilot.stage, row.age, verdict, reason, row.domains, row.pilot.group)


def _verdict(row: Row, portfolio: Portfolio, plan: Plan) -> tuple[str | None, str]:
    pilot, months = row.pilot, portfolio.section.stuck_after_months
    age = {"months": _months(row.age)}
    if row.kind == "idea":
        return None, _("An idea, not started yet: no verdict until it becomes a pilot.")
    if row.kind == "stopped":
        return None, _("Stopped: nothing left to decide.")
    if row.kind == "active" and row.stuck and not pilot.owner and not pilot.kpi_baseline:
        others = _merge_with(pilot, portfolio)
        if others:
            return "merge", _("{months} without reaching production, with neither a business owner nor a KPI "
                              "baseline: merge it with {others} into one pilot with a named owner and one KPI.").format(
                others=others, **age)
        return "stop", _("{months} without reaching production, with neither a business owner nor a KPI baseline: "
                         "stop it and free its budget and team.").format(**age)
    if pilot.blockers:
        waiting = plan.words.get(pilot.blockers)
        if waiting is None:
            waiting = plan.words[pilot.blockers] = _waiting(pilot.blockers, plan, portfolio)
        if row.kind == "reached":
            return "fix", _("In production but held back from scaling by {waiting}.").format(waiting=waiting)
        if row.stuck:
            return "fix", _("{months} without reaching production, held up by {waiting}.").format(waiting=waiting,
                                                                                                   **age)
        return "fix", _("Blocked after {months} by {waiting}.").format(waiting=waiting, **age)
    if row.stuck:
        if pilot.owner:
            text = _("{months} without reaching production and no blocker recorded: ask its business owner what "
                     "holds it up and record the blocker.")
        else:
            text = _("{months} without reaching production and no blocker recorded: ask the team what holds it up "
                     "and record the blocker.")
        return "fix", text.format(**age)
    if row.kind == "reached":
        return _live(pilot, portfolio.section)
    if pilot.owner and pilot.kpi_baseline:
        text = _("{months} in and not blocked: keep going.")
    elif pilot.kpi_baseline:
        text = _("{months} in and not blocked: keep going; before month {month}, name a business owner.")
    elif pilot.owner:
        text = _("{months} in and not blocked: keep going; before month {month}, measure a KPI baseline.")
    else:
        text = _("{months} in and not blocked: keep going; before month {month}, name a business owner and measure a "
                 "KPI baseline.")
    text = text.format(month=months, **age)
    return "continue", text[:1].upper() + text[1:]


def _live(pilot: Pilot, section: PilotSection) -> tuple[str, str]:
    """A pilot in production with no blocker: scale it with an owner and a baseline; else say what it lacks. A
    baseline cannot be measured after launch: a holdout or control group measures its value instead."""
    scaled = _is_last_reached(pilot.stage, section)
    if pilot.owner and pilot.kpi_baseline:
        return "scale", (_("Scaled, with a business owner and a KPI baseline: extend it to more teams and markets.")
                         if scaled else _("In production, with a business owner and a KPI baseline: extend it to "
                                          "more teams and markets."))
    if pilot.kpi_baseline:
        return "continue", (_("Scaled without a business owner: name one before widening it.") if scaled else
                            _("In production without a business owner: name one before widening it."))
    if pilot.owner:
        return "continue", (_("Scaled without a KPI baseline: measure its value against a holdout or control group "
                              "before widening it.") if scaled else
                            _("In production without a KPI baseline: measure its value against a holdout or control "
                              "group before widening it."))
    return "continue", (_("Scaled without a business owner or a KPI baseline: name an owner, and measure its value "
                          "against a holdout or control group before widening it.") if scaled else
                        _("In production without a business owner or a KPI baseline: name an owner, and measure its "
                          "value against a holdout or control group before widening it."))


def _merge_with(pilot: Pilot, portfolio: Portfolio) -> str:
    """The other stuck pilots of the pilot's group, in words ('B', 'B and C', 'B, C and 3 more'); '' when none."""
    members = portfolio.stuck_groups.get(pilot.group, ()) if pilot.group else ()
    others = [name for name in members if name != pilot.name]
    if len(others) > MERGE_NAMES:
        more = len(others) - MERGE_NAMES + 1
        return ngettext("{names} and {count} more of its group", "{names} and {count} more of its group",
                        more).format(names=", ".join(others[:MERGE_NAMES - 1]), count=more)
    return _join(others)


MERGE_NAMES = 3  # the other pilots of a group named in a merge verdict; more are counted


def _waiting(blockers: tuple[str, ...], plan: Plan, portfolio: Portfolio) -> str:
    """What a pilot waits on and where to start: the blocker whose remedy step ranks highest and that step, or,
    when the plan has no step that removes any of its blockers, to escalate them."""
    labels = portfolio.lookups[4] if portfolio.lookups else {b.id: b.label for b in portfolio.section.blockers}
    found = [(step.rank, index, blocker, step) for index, blocker in enumerate(blockers)
             if (step := plan.remedy_step(blocker)) is not None]
    if not found:
        return ngettext("{named}: the plan has no open step that removes it; escalate it to the executive sponsor",
                        "{named}: the plan has no open step that removes them; escalate them to the executive sponsor",
                        len(blockers)).format(named=_join([quoted(labels.get(b, b)) for b in blockers]))
    blocker, step = min(found, key=lambda found_one: found_one[:2])[2:]
    others = len(blockers) - 1
    label = quoted(labels.get(blocker, blocker))
    if others:
        label = ngettext("{label} (and {count} other blocker)", "{label} (and {count} other blockers)",
                         others).format(label=label, count=others)
    steps = plan.remedy_steps(blocker)[:REMEDY_STEPS]
    if len(steps) == 1:
        return _("{blocker}: start with step {rank} of the plan, “{title}”").format(blocker=label, rank=step.rank,
                                                                                   title=step.title)
    return _("{blocker}: start with steps {ranks} of the plan, {titles}").format(
        blocker=label, ranks=_join([str(s.rank) for s in steps]), titles=_join([quoted(s.title) for s in steps]))


REMEDY_STEPS = 2  # open remedy steps a fix verdict names


def _months(count: int) -> str:
    return ngettext("{count} month", "{count} months", count).format(count=count)





def _is_last_reached(stage_id: str, section: PilotSection) -> bool:
    last = LAST_REACHED.get(id(section))
    if last is None or last[0] is not section:
        reached = [stage.id for stage in section.stages if stage.kind == "reached"]
        last = LAST_REACHED[id(section)] = (section, reached[-1] if len(reached) > 1 else None)
        if len(LAST_REACHED) > 64:
            LAST_REACHED.clear()
    return stage_id == last[1]


LAST_REACHED: dict[int, tuple] = {}  # id(section) -> (section, its last reached stage when it has two or more)


def _join(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'; '' for none."""
    return listed(names)


def _count(values) -> dict[str, int]:
    return dict(Counter(values))


def _ordered(counts: dict[str, int], order: list[str]) -> dict[str, int]:
    """The non-zero counts in the given order (ids not in it last, by id)."""
    known = [key for key in order if counts.get(key)]
    return {key: counts[key] for key in known + sorted(set(counts) - set(order))}


def _item_order(item: PilotItem) -> tuple:
    """Decisions first (stop, merge, fix, scale, continue, then no verdict), oldest first, then by name."""
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
        "value_waiting": None if metrics.value_waiting is None else _number(metrics.value_waiting),
        "currency": metrics.currency,
        "verdicts": metrics.verdicts(),
        "reference": dict(metrics.reference),
        "items": [
            {"name": item.name, "stage": item.stage, "age_months": item.age_months, "verdict": item.verdict,
             "reason": item.reason, "blocking_domains": list(item.blocking_domains), "group": item.group}
            for item in metrics.items
        ],
    }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)

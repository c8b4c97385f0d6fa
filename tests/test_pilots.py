"""The pilot portfolio: the questionnaire's section, the register in answers files, metrics, triage, the plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import main
from questionnaires import QuestionnaireError, parse_questionnaire
from questionnaires.loader import shipped_library
from scoring.migrate import migrate_response
from scoring import Answer, Response, parse_answers, result_to_dict, score_response
from scoring.answers import AnswersError, OrganisationProfile, Pilot, dump_answers
from scoring.narrative import pilot_brief
from scoring.pilots import (PILOT_TRIAGE_RULES, VERDICTS, age_in_months, format_money, pilot_metrics, pilot_portfolio,
                            pilots_to_dict, profile_currency, triage, verdict_counts)
from scoring.steps import pilot_factor, waiting_words
from tests.conftest import DATA, ROOT

TINY = (DATA / "tiny.yaml").read_text(encoding="utf-8")
GOOD = (DATA / "tiny-answers.yaml").read_text(encoding="utf-8")
ON = dt.date(2026, 11, 26)


# --- the questionnaire's pilots section -------------------------------------------------


def questionnaire_problems(old: str, new: str) -> list[str]:
    assert old in TINY
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(TINY.replace(old, new, 1), "tiny.yaml")
    return caught.value.lines()


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("domain: governance}\n    - {id: governance.no-risk-review", "domain: risk}\n    - {id: governance.no-risk-review",
         "tiny.yaml:107 pilots.blockers[0].domain: unknown domain 'risk' (known: data, governance)"),
        ("{id: data.no-access,", "{id: governance.approval-queue,",
         "tiny.yaml:109 pilots.blockers[2].id: duplicate blocker id 'governance.approval-queue' (first used by blockers[0])"),
        ("{id: scaled, label: Scaled", "{id: production, label: Scaled",
         "tiny.yaml:104 pilots.stages[4].id: duplicate stage id 'production' (first used by stages[3])"),
        ("label: In production, kind: reached}", "label: In production, kind: stopped}",
         None),
        ("label: Stopped, kind: stopped}", "label: Stopped, kind: halted}",
         "tiny.yaml:105 pilots.stages[5].kind: must be one of 'idea', 'active', 'reached' or 'stopped', got 'halted'"),
        ("stuck_after_months: 6", "stuck_after_months: 0",
         "tiny.yaml:110 pilots.stuck_after_months: must be at least 1, got 0"),
        ("stuck_after_months: 6", "stuck_after_months: 6\n  colour: red",
         "tiny.yaml:111 pilots.colour: unknown field; remove it or check its spelling (see questionnaires/README.md)"),
    ],
    ids=["blocker-unknown-domain", "duplicate-blocker", "duplicate-stage", "still-reached", "unknown-kind",
         "stuck-zero", "unknown-field"],
)
def test_a_bad_pilots_section_gets_a_located_message(old, new, expected):
    if expected is None:  # scaled still counts as reached: the file stays valid
        assert parse_questionnaire(TINY.replace(old, new, 1), "tiny.yaml").pilots.stages[3].kind == "stopped"
        return
    assert questionnaire_problems(old, new) == [expected]


def test_a_funnel_without_a_reached_stage_is_refused():
    text = TINY.replace("kind: reached}", "kind: stopped}")
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "tiny.yaml")
    assert caught.value.lines() == ["tiny.yaml:99 pilots.stages: no stage of kind 'reached'; add a stage that counts as "
                                    "production (kind: reached)"]


def test_a_questionnaire_without_a_pilots_section_gets_the_default_fitted_to_its_domains():
    plain = parse_questionnaire(TINY.split("pilots:\n")[0], "plain.yaml")
    section = plain.pilot_section()
    assert plain.pilots is None
    assert [(s.id, s.kind) for s in section.stages] == [
        ("idea", "idea"), ("pilot", "active"), ("ready", "active"), ("production", "reached"), ("scaled", "reached"),
        ("stopped", "stopped")]
    assert [(b.id, b.domain) for b in section.blockers] == [("governance.approval-queue", "governance"),
                                                           ("data.no-access", "data")]
    assert section.stuck_after_months == 6


def test_five_domain_questionnaires_get_all_five_default_blockers():
    older = shipped_library().get("quick-check", "2.0.0")  # declares no section: the default one
    assert older.pilots is None
    assert [b.id for b in older.pilot_section().blockers] == [
        "governance.approval-queue", "mlops.no-integration", "organization.no-owner", "economics.no-business-case",
        "data.no-access"]


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_both_shipped_questionnaires_declare_their_pilot_register(questionnaire_id):
    questionnaire = shipped_library().newest()[questionnaire_id]
    section = questionnaire.pilots
    assert section is not None and section.stuck_after_months == 6
    assert [(s.id, s.kind) for s in section.stages] == [
        ("idea", "idea"), ("pilot", "active"), ("ready", "active"), ("production", "reached"), ("scaled", "reached"),
        ("stopped", "stopped")]
    ids = [b.id for b in section.blockers]
    # Every default blocker keeps its id and domain, so a register written for 2.0.0 reads the same in 2.1.0.
    assert {"governance.approval-queue", "mlops.no-integration", "organization.no-owner",
            "economics.no-business-case", "data.no-access"} <= set(ids)
    domains = [d.id for d in questionnaire.domains]
    assert {b.domain for b in section.blockers} == set(domains)  # every domain can be named as blocking
    assert all(b.id.split(".")[0] == b.domain for b in section.blockers)
    assert len(ids) == len(set(ids)) == 15


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_a_register_for_the_previous_version_carries_over_unchanged(questionnaire_id):
    library = shipped_library()
    older, newer = library.get(questionnaire_id, "2.1.0"), library.get(questionnaire_id, "2.2.0")
    assert newer.version == "2.2.0"
    assert {q.id for q in older.questions} <= {q.id for q in newer.questions}
    pilots = (Pilot("Chatbot", "pilot", "2025-01", blockers=("governance.approval-queue",)),
              Pilot("Churn", "production", "2024-01", production_since="2024-09", owner=True, kpi_baseline=True))
    response = Response(questionnaire_id, "2.1.0", {}, "Example Corp", date=ON, pilots=pilots)
    carried, notes = migrate_response(response, library, "2.2.0")
    assert carried.pilots == pilots
    before = result_to_dict(score_response(older, response))["pilots"]
    after = result_to_dict(score_response(newer, carried))["pilots"]
    assert before == after


# --- the register in answers files ------------------------------------------------------


def with_register(*entries: str, date: str = "2026-11-26") -> str:
    register = "".join(f"  - {entry}\n" for entry in entries)
    return GOOD.replace("respondent:", f"date: {date}\npilots:\n{register}respondent:")


def register_problems(text: str, questionnaire=None) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "answers.yaml", questionnaire)
    return caught.value.lines()


OK_ENTRY = "{name: Churn model, stage: production, started: 2024-03, production_since: 2025-01, owner: true, kpi_baseline: true}"


@pytest.mark.parametrize(
    "entry, expected",
    [
        ("{name: Chatbot, stage: piloting, started: 2025-01}",
         "answers.yaml:8 pilots[1].stage: unknown stage 'piloting' (known: idea, pilot, ready, production, scaled, stopped)"),
        ("{name: Chatbot, stage: pilot, started: 2025-01, blockers: [data.no-access, legal.waiting]}",
         "answers.yaml:8 pilots[1].blockers[1]: unknown blocker 'legal.waiting' (known: governance.approval-queue, "
         "governance.no-risk-review, data.no-access)"),
        ("{name: Chatbot, stage: pilot, started: 2026-12}",
         "answers.yaml:8 pilots[1].started: 2026-12 is after the assessment's date (2026-11-26); give the month the "
         "pilot started"),
        ("{name: Chatbot, stage: production, started: 2025-06, production_since: 2025-02}",
         "answers.yaml:8 pilots[1].production_since: 2025-02 is before the pilot started (2025-06); check both months"),
        ("{name: " + "n" * 121 + ", stage: pilot, started: 2025-01}",
         "answers.yaml:8 pilots[1].name: is 121 characters long; at most 120 allowed"),
        ("{name: Churn model, stage: pilot, started: 2025-01}",
         "answers.yaml:8 pilots[1].name: 'Churn model' is already the name of pilots[0]; names must be unique"),
        ("{name: Chatbot, stage: pilot, started: 2025-1}",
         "answers.yaml:8 pilots[1].started: must be a month written YYYY-MM, e.g. 2026-03, got '2025-1'"),
        ("{name: Chatbot, stage: pilot, started: 2025-01-15}",
         "answers.yaml:8 pilots[1].started: write the month only, e.g. 2025-01"),
        ("{name: Chatbot, stage: pilot, started: 2025-01, value: -5}",
         "answers.yaml:8 pilots[1].value: must be a number from 0 to 1,000,000,000,000, got -5"),
        ("{name: Chatbot, stage: pilot, started: 2025-01, owner: maybe}",
         "answers.yaml:8 pilots[1].owner: must be true or false (is there a named business owner?), got 'maybe'"),
        ("{name: Chatbot, stage: pilot, started: 2025-01, sponsor: CFO}",
         "answers.yaml:8 pilots[1].sponsor: unknown field; a pilot has name, stage, started, production_since, owner, "
         "kpi_baseline, blockers, value, note, group"),
        ("{name: Chatbot, stage: pilot, started: 2031-01, value: -1, extra: 1}",
         "answers.yaml:8 pilots[1].value: must be a number from 0 to 1,000,000,000,000, got -1"),
    ],
    ids=["unknown-stage", "unknown-blocker", "future-start", "production-before-start", "name-too-long",
         "duplicate-name", "month-malformed", "a-full-date", "negative-value", "owner-not-a-boolean", "unknown-field",
         "three-faults-one-line"],
)
def test_a_bad_register_entry_gets_exactly_one_located_error_and_nothing_is_imported(tiny, entry, expected):
    assert register_problems(with_register(OK_ENTRY, entry), tiny) == [expected]


def test_every_bad_entry_gets_its_own_line(tiny):
    text = with_register("{name: A, stage: piloting, started: 2025-01}", OK_ENTRY,
                         "{name: B, stage: pilot, started: 2030-01}", "{name: C, stage: pilot, started: 2025-01}")
    assert register_problems(text, tiny) == [
        "answers.yaml:9 pilots[2].started: 2030-01 is after the assessment's date (2026-11-26); give the month the pilot "
        "started",
        "answers.yaml:7 pilots[0].stage: unknown stage 'piloting' (known: idea, pilot, ready, production, scaled, stopped)",
    ]


def test_a_start_in_the_future_is_measured_against_today_when_the_answers_have_no_date(tiny):
    next_year = f"{dt.date.today().year + 1}-01"
    text = GOOD.replace("respondent:", f"pilots:\n  - {{name: A, stage: pilot, started: {next_year}}}\nrespondent:")
    assert register_problems(text, tiny)[0].startswith(f"answers.yaml:6 pilots[0].started: {next_year} is after")


def test_more_than_five_hundred_pilots_are_refused_in_one_line(tiny):
    entries = [f"{{name: P{i}, stage: pilot, started: 2025-01}}" for i in range(501)]
    assert register_problems(with_register(*entries), tiny) == [
        "answers.yaml:6 pilots: 501 pilots; at most 500 allowed: keep the register to the pilots that matter"]


def test_five_hundred_pilots_are_accepted(tiny):
    entries = [f"{{name: P{i}, stage: pilot, started: 2025-01}}" for i in range(500)]
    assert len(parse_answers(with_register(*entries), "answers.yaml", tiny).pilots) == 500


def test_stage_and_blocker_ids_are_only_checked_against_a_questionnaire():
    text = with_register("{name: A, stage: piloting, started: 2025-01, blockers: [x.y]}")
    assert parse_answers(text, "answers.yaml").pilots[0].stage == "piloting"


def test_the_register_is_read_with_its_defaults_and_written_back_unchanged(tiny):
    text = with_register(OK_ENTRY, "{name: Chatbot, stage: pilot, started: 2025-01, blockers: [governance.approval-queue], "
                                   "value: 120000.5, note: Waiting since March}")
    response = parse_answers(text, "answers.yaml", tiny)
    assert response.pilots == (
        Pilot("Churn model", "production", "2024-03", "2025-01", True, True, (), None, ""),
        Pilot("Chatbot", "pilot", "2025-01", None, False, False, ("governance.approval-queue",), 120000.5,
              "Waiting since March"),
    )
    assert parse_answers(dump_answers(response), "again.yaml", tiny) == response
    as_json = json.dumps(__import__("scoring").response_to_dict(response))
    assert parse_answers(as_json, "again.json", tiny) == response


# --- metrics -----------------------------------------------------------------------------


def pilot(name: str, stage: str, started: str, owner: bool = False, kpi: bool = False, blockers=(), value=None,
          group=None) -> Pilot:
    return Pilot(name, stage, started, None, owner, kpi, tuple(blockers), value, group=group)


# Eleven pilots on 2026-11-26, one for each rule: ages in months after the start month.
REGISTER = (
    pilot("A", "production", "2024-03", owner=True, kpi=True, value=400000),                      # 32, scale
    pilot("B", "pilot", "2025-01", blockers=["governance.approval-queue"], value=100000),         # 22, stuck, stop
    pilot("C", "ready", "2026-01", owner=True, blockers=["governance.approval-queue", "data.no-access"],
          value=50000),                                                                           # 10, stuck, fix
    pilot("D", "pilot", "2026-08"),                                                               # 3, continue
    pilot("E", "pilot", "2025-02", kpi=True),                                                     # 21, stuck, fix
    pilot("F", "idea", "2026-10"),                                                                # 1, no verdict
    pilot("G", "stopped", "2025-06", blockers=["data.no-access"]),                                # 17, no verdict
    pilot("H", "pilot", "2026-05", blockers=["data.no-access"]),                                  # 6, not stuck, fix
    pilot("I", "scaled", "2023-01", owner=True, kpi=True),                                        # 46, scale
    pilot("J", "production", "2025-09", owner=True),                                              # 14, continue
    pilot("K", "production", "2026-09", owner=True, kpi=True, blockers=["governance.no-risk-review"]),  # 2, fix
)


def metrics_of(tiny, register=REGISTER, on=ON, steps=()):
    return pilot_metrics(pilot_portfolio(tiny, tuple(register), on), steps)


@pytest.mark.parametrize(
    "started, on, months",
    [("2026-11", dt.date(2026, 11, 30), 0), ("2026-05", dt.date(2026, 11, 1), 6), ("2025-12", dt.date(2026, 1, 31), 1),
     ("2024-03", dt.date(2026, 11, 26), 32)],
)
def test_ages_are_whole_calendar_months_to_the_assessments_date(started, on, months):
    assert age_in_months(started, on) == months


@pytest.mark.parametrize(
    "field, expected",
    [
        ("total", 11),
        ("by_stage", {"idea": 1, "pilot": 4, "ready": 1, "production": 3, "scaled": 1, "stopped": 1}),
        ("reached", 4),
        ("conversion_rate", 3 / 8),  # A, I, J reached of A B C E G H I J (started 6+ months ago, no idea)
        ("cohort", 8),
        ("median_age_months", 10),   # active: 3, 6, 10, 21, 22
        ("stuck", 3),                # B, C, E; H is exactly 6 months old, not older
        ("without_owner", 6),        # B, D, E, F, G, H: every pilot counts, ideas and stopped ones too
        ("without_kpi", 7),          # B, C, D, F, G, H, J
        ("blockers", {"governance.approval-queue": 2, "governance.no-risk-review": 1, "data.no-access": 3}),
        ("blocked_domains", {"data": 3, "governance": 3}),  # C, G, H wait on data; B, C, K on governance
        ("value_waiting", 50000),    # C: B is to stop, E has no value
        ("currency", "EUR"),         # PHASEGATE_CURRENCY's default
        ("stuck_after_months", 6),
        ("stuck_by_domain", {"data": 1, "governance": 2}),  # of the stuck B, C, E: B and C on governance, C on data
        ("stuck_by_blocker", {"governance.approval-queue": 2, "data.no-access": 1}),
    ],
)
def test_each_metric_of_the_eleven_pilot_register(tiny, field, expected):
    assert getattr(metrics_of(tiny), field) == expected


def test_the_verdicts_are_counted_in_verdict_order(tiny):
    assert metrics_of(tiny).verdicts() == {"stop": 1, "merge": 0, "fix": 4, "scale": 2, "continue": 2}  # F, G: none


def test_each_pilot_gets_its_verdict_decisions_first_then_oldest_first(tiny):
    items = metrics_of(tiny).items
    assert [(i.name, i.age_months, i.verdict, i.blocking_domains) for i in items] == [
        ("B", 22, "stop", ("governance",)),
        ("E", 21, "fix", ()),
        ("C", 10, "fix", ("data", "governance")),
        ("H", 6, "fix", ("data",)),
        ("K", 2, "fix", ("governance",)),
        ("I", 46, "scale", ()),
        ("A", 32, "scale", ()),
        ("J", 14, "continue", ()),
        ("D", 3, "continue", ()),
        ("G", 17, None, ("data",)),
        ("F", 1, None, ()),
    ]


@pytest.mark.parametrize(
    "register, rate",
    [((), None), ((pilot("new", "pilot", "2026-09"),), None), ((pilot("idea", "idea", "2020-01"),), None),
     ((pilot("old", "stopped", "2020-01"), pilot("live", "production", "2021-01")), 0.5),
     ((pilot("young", "production", "2026-10"), pilot("old", "pilot", "2024-01")), 0.0)],
    ids=["empty", "only-young-pilots", "only-ideas", "half", "young-production-left-out"],
)
def test_the_conversion_rate_counts_pilots_started_long_enough_ago(tiny, register, rate):
    assert metrics_of(tiny, register).conversion_rate == rate


def test_the_reference_names_the_articles_figures_and_source(tiny):
    reference = metrics_of(tiny).reference
    assert (reference["reaches_production"], reference["never_past_pilot"]) == (0.2, 0.73)
    assert reference["reaches_production_text"] == "about one AI pilot in five reaches production"
    assert reference["never_past_pilot_text"] == "73% of AI initiatives never get past the pilot stage"
    assert "article" in reference["source"]


# --- triage: one rule per row -------------------------------------------------------------

def step(rank: int, question: str, title: str, kind: str = "practice") -> SimpleNamespace:
    """A step of the plan as triage reads it; its domain is its question's."""
    return SimpleNamespace(rank=rank, question=question, domain=question.split(".")[0], title=title, kind=kind)


STEPS = (step(2, "governance.approval", "Introduce model approval"), step(4, "data.pipelines", "Automate pipelines"))
# The plan as a fix verdict reads it. Step 1 is Governance's first step but removes no blocker; step 3, the portfolio
# triage, removes none either, whatever its domain.
PLAN = (step(1, "governance.board", "Set up an AI board"), step(2, "governance.approval", "Introduce model approval"),
        SimpleNamespace(rank=3, question="pilots.triage", domain="data", title="Decide scale, merge or stop",
                        kind="triage"),
        step(4, "data.pipelines", "Automate pipelines"))
REMEDIES = {"governance.approval-queue": ["governance.approval"], "governance.no-risk-review": ["governance.controls"],
            "data.no-access": ["data.inventory", "data.pipelines"]}


def with_remedies(portfolio, remedies):
    """The portfolio read against a pilot section whose blockers have these remedy lists (none: empty)."""
    section = portfolio.section
    blockers = [b.model_copy(update={"remedy": list(remedies.get(b.id, ()))}) for b in section.blockers]
    return dataclasses.replace(portfolio, section=section.model_copy(update={"blockers": blockers}))


def triaged(tiny, entry, remedies=REMEDIES, steps=PLAN):
    portfolio = with_remedies(pilot_portfolio(tiny, (entry,), ON), remedies)
    return triage(portfolio.rows[0], portfolio, steps)


STOP = ("22 months without reaching production, with neither a business owner nor a KPI baseline: stop it and free its "
        "budget and team.")


@pytest.mark.parametrize(
    "entry, verdict, reason",
    [
        (pilot("p", "pilot", "2025-01"), "stop", STOP),
        (pilot("p", "pilot", "2025-01", blockers=["governance.approval-queue"]), "stop", STOP),
        (pilot("p", "ready", "2025-01", owner=True, blockers=["governance.approval-queue"]), "fix",
         "22 months without reaching production, held up by “Waiting for model approval”: start with step 2 of the "
         "plan, “Introduce model approval”."),
        (pilot("p", "ready", "2025-01", owner=True, blockers=["data.no-access"]), "fix",
         "22 months without reaching production, held up by “No access to production data”: start with step 4 of the "
         "plan, “Automate pipelines”."),
        (pilot("p", "pilot", "2025-01", kpi=True, blockers=["data.no-access", "governance.approval-queue"]), "fix",
         "22 months without reaching production, held up by “Waiting for model approval” (and 1 other blocker): start "
         "with step 2 of the plan, “Introduce model approval”."),
        (pilot("p", "pilot", "2025-01", kpi=True, blockers=["governance.no-risk-review"]), "fix",
         "22 months without reaching production, held up by “No risk review”: the plan has no open step that removes "
         "it; escalate it to the executive sponsor."),
        (pilot("p", "pilot", "2025-01", owner=True), "fix",
         "22 months without reaching production and no blocker recorded: ask its business owner what holds it up and "
         "record the blocker."),
        (pilot("p", "pilot", "2025-01", kpi=True), "fix",
         "22 months without reaching production and no blocker recorded: ask the team what holds it up and record the "
         "blocker."),
        (pilot("p", "pilot", "2026-09", blockers=["governance.approval-queue"]), "fix",
         "Blocked after 2 months by “Waiting for model approval”: start with step 2 of the plan, “Introduce model "
         "approval”."),
        (pilot("p", "production", "2024-01", owner=True, kpi=True, blockers=["data.no-access"]), "fix",
         "In production but held back from scaling by “No access to production data”: start with step 4 of the plan, "
         "“Automate pipelines”."),
        (pilot("p", "production", "2024-01", owner=True, kpi=True), "scale",
         "In production, with a business owner and a KPI baseline: extend it to more teams and markets."),
        (pilot("p", "scaled", "2024-01", owner=True, kpi=True), "scale",
         "Scaled, with a business owner and a KPI baseline: extend it to more teams and markets."),
        (pilot("p", "production", "2024-01", owner=True), "continue",
         "In production without a KPI baseline: measure its value against a holdout or control group before widening "
         "it."),
        (pilot("p", "scaled", "2024-01", owner=True), "continue",
         "Scaled without a KPI baseline: measure its value against a holdout or control group before widening it."),
        (pilot("p", "production", "2024-01", kpi=True), "continue",
         "In production without a business owner: name one before widening it."),
        (pilot("p", "production", "2024-01"), "continue",
         "In production without a business owner or a KPI baseline: name an owner, and measure its value against a "
         "holdout or control group before widening it."),
        (pilot("p", "pilot", "2026-10"), "continue",
         "1 month in and not blocked: keep going; before month 6, name a business owner and measure a KPI baseline."),
        (pilot("p", "ready", "2026-05", owner=True, kpi=True), "continue", "6 months in and not blocked: keep going."),
        (pilot("p", "idea", "2020-01"), None, "An idea, not started yet: no verdict until it becomes a pilot."),
        (pilot("p", "stopped", "2020-01", blockers=["data.no-access"]), None, "Stopped: nothing left to decide."),
    ],
    ids=["stop-stuck-no-owner-no-kpi", "stop-even-when-blocked", "fix-names-the-remedy-not-the-domains-first-step",
         "fix-remedy-in-another-domain", "fix-the-highest-ranked-remedy-of-two-blockers", "fix-no-remedy-open-escalates",
         "fix-stuck-owner-asks", "fix-stuck-no-blocker", "fix-blocked-young", "fix-production-blocked",
         "scale-production", "scale-scaled", "live-without-kpi-holdout", "scaled-without-kpi-holdout",
         "live-without-owner", "live-without-both", "continue-young", "continue-six-months-is-not-stuck", "idea",
         "stopped"],
)
def test_triage_follows_the_first_rule_that_holds(tiny, entry, verdict, reason):
    item = triaged(tiny, entry)
    assert (item.verdict, item.reason) == (verdict, reason)


@pytest.mark.parametrize(
    "steps, reason",
    [
        (PLAN, "start with step 1 of the plan, “Set up an AI board”."),
        (PLAN[1:], "start with step 2 of the plan, “Introduce model approval”."),
        ((), "the plan has no open step that removes it; escalate it to the executive sponsor."),
    ],
    ids=["the-domains-first-step", "the-next-one", "no-step"],
)
def test_a_blocker_with_an_empty_remedy_is_removed_by_any_step_of_its_domain(tiny, steps, reason):
    entry = pilot("p", "pilot", "2025-01", owner=True, blockers=["governance.approval-queue"])
    item = triaged(tiny, entry, remedies={}, steps=steps)
    assert item.reason == f"22 months without reaching production, held up by “Waiting for model approval”: {reason}"


def test_the_portfolio_triage_step_never_counts_as_a_remedy(tiny):
    entry = pilot("p", "pilot", "2026-09", blockers=["data.no-access"])
    assert triaged(tiny, entry, remedies={}).reason == (
        "Blocked after 2 months by “No access to production data”: start with step 4 of the plan, “Automate "
        "pipelines”.")


def test_two_blockers_without_an_open_remedy_are_escalated_together(tiny):
    entry = pilot("p", "pilot", "2025-01", owner=True, blockers=["governance.no-risk-review", "data.no-access"])
    assert triaged(tiny, entry, steps=PLAN[:2]).reason == (
        "22 months without reaching production, held up by “No risk review” and “No access to production data”: the "
        "plan has no open step that removes them; escalate them to the executive sponsor.")


# --- triage: a group's stuck pilots are merged, not stopped ----------------------------------


def verdicts_of(tiny, register) -> list[tuple[str, str | None, str]]:
    return [(item.name, item.verdict, item.reason) for item in metrics_of(tiny, register, steps=PLAN).items]


MERGE = "with neither a business owner nor a KPI baseline: merge it with {} into one pilot with a named owner and one KPI."


@pytest.mark.parametrize(
    "register, expected",
    [
        ((pilot("A", "pilot", "2025-01", group="churn"), pilot("B", "ready", "2025-06", group="churn")),
         [("A", "merge", "22 months without reaching production, " + MERGE.format("B")),
          ("B", "merge", "17 months without reaching production, " + MERGE.format("A"))]),
        ((pilot("A", "pilot", "2025-01", group="churn"), pilot("B", "ready", "2025-06", group="pricing")),
         [("A", "stop", STOP),
          ("B", "stop", "17 months without reaching production, with neither a business owner nor a KPI baseline: "
                        "stop it and free its budget and team.")]),
        ((pilot("A", "pilot", "2025-01", group="churn"), pilot("B", "pilot", "2026-10", group="churn")),
         [("A", "stop", STOP),
          ("B", "continue", "1 month in and not blocked: keep going; before month 6, name a business owner and "
                            "measure a KPI baseline.")]),
        ((pilot("A", "pilot", "2025-01", group="churn"), pilot("B", "pilot", "2025-06", owner=True, group="churn")),
         [("A", "merge", "22 months without reaching production, " + MERGE.format("B")),
          ("B", "fix", "17 months without reaching production and no blocker recorded: ask its business owner what "
                       "holds it up and record the blocker.")]),
        (tuple(pilot(name, "pilot", started, group="forecast")
               for name, started in (("A", "2025-01"), ("B", "2025-02"), ("C", "2025-03"), ("D", "2025-04"))),
         [("A", "merge", "22 months without reaching production, " + MERGE.format("B, C and D")),
          ("B", "merge", "21 months without reaching production, " + MERGE.format("A, C and D")),
          ("C", "merge", "20 months without reaching production, " + MERGE.format("A, B and D")),
          ("D", "merge", "19 months without reaching production, " + MERGE.format("A, B and C"))]),
        (tuple(pilot(name, "pilot", "2025-01", group="forecast") for name in "ABCDE"),
         [(name, "merge", "22 months without reaching production, " + MERGE.format(others))
          for name, others in (("A", "B, C and 2 more of its group"), ("B", "A, C and 2 more of its group"),
                               ("C", "A, B and 2 more of its group"), ("D", "A, B and 2 more of its group"),
                               ("E", "A, B and 2 more of its group"))]),
    ],
    ids=["two-stuck-of-one-group-merge", "alone-in-its-group-stop", "the-other-is-not-stuck",
         "the-other-has-an-owner", "four-named", "five-counted"],
)
def test_stuck_pilots_of_one_group_are_proposed_for_merging_not_each_for_stopping(tiny, register, expected):
    assert verdicts_of(tiny, register) == expected


def test_merge_comes_between_stop_and_fix_everywhere_verdicts_are_counted(tiny):
    register = (pilot("A", "pilot", "2025-01", group="churn"), pilot("B", "ready", "2025-06", group="churn"),
                pilot("C", "pilot", "2024-01"), pilot("D", "pilot", "2026-01", owner=True))
    metrics = metrics_of(tiny, register)
    assert VERDICTS == ("stop", "merge", "fix", "scale", "continue")
    assert metrics.verdicts() == {"stop": 1, "merge": 2, "fix": 1, "scale": 0, "continue": 0}
    assert [(item.name, item.verdict) for item in metrics.items] == [("C", "stop"), ("A", "merge"), ("B", "merge"),
                                                                    ("D", "fix")]
    assert verdict_counts(metrics) == "1 to stop, 2 to merge and 1 to fix"
    assert verdict_counts(metrics_of(tiny, (pilot("idea", "idea", "2026-10"),))) == ""


# --- the value waiting in stuck pilots ----------------------------------------------------------


@pytest.mark.parametrize(
    "register, value",
    [
        ((pilot("fix", "pilot", "2025-01", owner=True, value=300000), pilot("stop", "pilot", "2025-01", value=900000)),
         300000),
        ((pilot("stop", "pilot", "2025-01", value=900000),), 0),
        ((pilot("fix", "pilot", "2025-01", owner=True),), None),
        ((pilot("fix", "pilot", "2025-01", owner=True, value=0),), 0),
        ((pilot("fix", "pilot", "2025-01", owner=True, value=300000), pilot("fix-2", "pilot", "2025-01", kpi=True)),
         300000),
        ((pilot("A", "pilot", "2025-01", value=200000, group="churn"),
          pilot("B", "pilot", "2025-03", value=50000, group="churn")), 250000),
        ((pilot("young", "pilot", "2026-10", value=70000), pilot("live", "production", "2024-01", value=400000)), 0),
        ((), 0),
    ],
    ids=["a-stopped-pilot-left-out", "nothing-waits-but-a-pilot-to-stop", "no-value-given-is-not-zero",
         "a-value-of-zero-is-zero", "a-missing-value-adds-nothing", "pilots-to-merge-count-each",
         "pilots-not-stuck-left-out", "empty-register"],
)
def test_value_waiting_counts_the_stuck_pilots_not_told_to_stop(tiny, register, value):
    assert metrics_of(tiny, register).value_waiting == value


@pytest.mark.parametrize(
    "value, currency, text",
    [(7_900_000, "EUR", "EUR 7,900,000"), (2720000.0, "USD", "USD 2,720,000"), (1234.6, "CHF", "CHF 1,235"),
     (0, "GBP", "GBP 0"), (None, "EUR", "not estimated")],
)
def test_money_is_printed_with_its_currency_first(value, currency, text):
    assert format_money(value, currency) == text


@pytest.mark.parametrize(
    "profile, expected",
    [(None, None), (OrganisationProfile(), None), (OrganisationProfile(size="small", currency="CHF"), "CHF")],
    ids=["no-profile", "no-currency", "a-currency"],
)
def test_the_currency_comes_from_the_organisation_profile_when_it_names_one(profile, expected):
    assert profile_currency(profile) == expected


@pytest.mark.parametrize("environment, given, expected", [(None, None, "EUR"), ("USD", None, "USD"),
                                                          ("USD", "GBP", "GBP")],
                         ids=["default", "from-the-setting", "the-profile-wins"])
def test_the_metrics_carry_the_currency_of_the_profile_else_of_the_setting(tiny, monkeypatch, environment, given,
                                                                           expected):
    if environment is not None:
        monkeypatch.setenv("PHASEGATE_CURRENCY", environment)
    else:
        monkeypatch.delenv("PHASEGATE_CURRENCY", raising=False)
    metrics = pilot_metrics(pilot_portfolio(tiny, REGISTER, ON), (), given)
    assert metrics.currency == expected
    assert pilots_to_dict(metrics)["currency"] == expected


def test_an_answers_files_currency_reaches_the_json_and_no_value_is_null(tiny):
    text = with_register("{name: Chatbot, stage: pilot, started: 2025-01, owner: true, value: 250000}").replace(
        "date: 2026-11-26", "date: 2026-11-26\norganisation_profile: {size: small, currency: GBP}")
    pilots = result_to_dict(score_response(tiny, parse_answers(text, "answers.yaml", tiny)))["pilots"]
    assert (pilots["value_waiting"], pilots["currency"]) == (250000, "GBP")
    unvalued = with_register("{name: Chatbot, stage: pilot, started: 2025-01, owner: true}")
    pilots = result_to_dict(score_response(tiny, parse_answers(unvalued, "answers.yaml", tiny)))["pilots"]
    assert (pilots["value_waiting"], pilots["currency"]) == (None, "EUR")


def test_the_methodology_states_merge_the_remedy_the_holdout_and_the_value_rule():
    rules = dict(PILOT_TRIAGE_RULES)
    assert list(rules) == ["Stuck", "Stop", "Merge", "Fix", "Scale", "Continue", "Value waiting"]
    assert "merge the group's stuck pilots into one pilot with a named owner and one KPI" in rules["Merge"]
    assert "the plan's highest-ranked step that removes it" in rules["Fix"]
    assert "escalate the blocker to the executive sponsor" in rules["Fix"]
    assert "holdout or control group" in rules["Continue"]
    assert rules["Value waiting"] == ("The expected annual value of the stuck pilots that are not to be stopped, as "
                                      "given in the register; pilots to merge count with the value each was given. Not "
                                      "estimated when none of them gives a value")


STAGES = ["idea", "pilot", "ready", "production", "scaled", "stopped"]
STARTS = ["2023-05", "2025-01", "2026-05", "2026-06", "2026-11"]
BLOCKER_LISTS = [(), ("governance.approval-queue",), ("data.no-access",),
                 ("governance.approval-queue", "data.no-access"), ("data.no-access", "governance.approval-queue")]
GROUPS = [None, None, "churn", "pricing"]
MAX_PILOTS = 12
PILOT_BYTES = 13  # go on, name length, four letters, stage, start, flags, blockers, three for the value


def pilot_from(chunk: bytes) -> Pilot:
    """One pilot read from its bytes (the first, whether to go on, is read by `register_from`)."""
    _, length, *letters, stage, started, flags, blockers, high, middle, low = chunk
    name = "".join("abcdef"[letter % 6] for letter in letters[:1 + length % 4])
    value = ((high * 65536 + middle * 256 + low) % (10**6 + 1) if high >= 16 else 0) if flags & 16 else None
    return pilot(name, STAGES[stage % len(STAGES)], STARTS[started % len(STARTS)], owner=bool(flags & 1),
                 kpi=bool(flags & 2), blockers=BLOCKER_LISTS[blockers % len(BLOCKER_LISTS)], value=value,
                 group=GROUPS[flags >> 2 & 3])


def register_from(picks: bytes) -> list[Pilot]:
    """Pilots read while each one's first byte says go on (five times in six), at most twelve, names unique."""
    register = {}
    for start in range(0, len(picks), PILOT_BYTES):
        if picks[start] % 6 == 0:
            break
        entry = pilot_from(picks[start:start + PILOT_BYTES])
        register.setdefault(entry.name, entry)
    return list(register.values())


# A register drawn as one byte string: a draw per field of every pilot made generating an example cost more than
# checking it. As the list strategy did, a register has about five pilots and is empty one time in six, a name has
# one to four of the letters a-f (a repeated name is dropped), each field is spread over its choices, half the
# pilots give a value (zero one time in sixteen, as the integers strategy favoured its bounds) and half a group;
# shrinking lowers every byte, so towards an empty register and first choices.
registers = st.binary(min_size=MAX_PILOTS * PILOT_BYTES, max_size=MAX_PILOTS * PILOT_BYTES).map(register_from)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(register=registers, data=st.data())
def test_value_waiting_never_counts_a_pilot_told_to_stop(tiny, register, data):
    metrics = metrics_of(tiny, register, steps=STEPS)
    stopped = {item.name for item in metrics.items if item.verdict == "stop"}
    stuck = {item.name for item in metrics.items if metrics.stage_kinds[item.stage] == "active" and item.age_months > 6}
    given = [p.value for p in register if p.name in stuck - stopped and p.value is not None]
    waiting = stuck - stopped
    assert metrics.value_waiting == (sum(given) if given or not waiting else None)
    # Whatever value the pilots to stop carry, the value waiting and the verdicts stay the same.
    revalued = [dataclasses.replace(p, value=data.draw(st.none() | st.integers(0, 10**6))) if p.name in stopped else p
                for p in register]
    again = metrics_of(tiny, revalued, steps=STEPS)
    assert (again.value_waiting, again.verdicts()) == (metrics.value_waiting, metrics.verdicts())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(register=registers, data=st.data())
def test_the_order_of_the_pilots_never_changes_a_result(tiny, register, data):
    shuffled = data.draw(st.permutations(register))
    assert metrics_of(tiny, shuffled, steps=STEPS) == metrics_of(tiny, register, steps=STEPS)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(register=registers, started=st.sampled_from(["2020-01", "2026-05", "2026-11"]),
       stage=st.sampled_from(["production", "scaled"]))
def test_adding_a_pilot_that_reached_production_never_lowers_the_conversion_rate(tiny, register, started, stage):
    before = metrics_of(tiny, register).conversion_rate
    after = metrics_of(tiny, register + [pilot("reached-one", stage, started)]).conversion_rate
    assert before is None or after >= before


@settings(max_examples=25, deadline=None, derandomize=True)
@given(register=registers, data=st.data())
def test_the_order_of_the_pilots_never_changes_the_scored_result(tiny, register, data):
    shuffled = data.draw(st.permutations(register))
    one, other = scored(tiny, register), scored(tiny, shuffled)
    assert result_to_dict(one) == result_to_dict(other)
    assert [s.why for s in one.actions] == [s.why for s in other.actions]
    if one.pilots is not None:
        assert pilot_brief(one.pilots, one.actions) == pilot_brief(other.pilots, other.actions)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(register=registers, started=st.sampled_from(["2020-01", "2025-06", "2026-05", "2026-11"]),
       stage=st.sampled_from(["production", "scaled"]), owner=st.booleans(), kpi=st.booleans())
def test_a_pilot_in_production_never_lowers_the_rate_nor_adds_a_stuck_pilot(tiny, register, started, stage, owner,
                                                                            kpi):
    before = metrics_of(tiny, register)
    after = metrics_of(tiny, register + [pilot("reached-one", stage, started, owner=owner, kpi=kpi)])
    assert before.conversion_rate is None or after.conversion_rate >= before.conversion_rate
    assert (after.reached, after.stuck, after.value_waiting) == (before.reached + 1, before.stuck, before.value_waiting)


# --- the portfolio in words (the report's brief) ------------------------------------------------


def test_the_brief_of_the_eleven_pilot_register_in_four_sentences(tiny):
    brief = pilot_brief(metrics_of(tiny), STEPS)
    assert brief.summary == "3 of 11 pilots are older than 6 months without reaching production; 4 reached production."
    assert brief.stuck == ("3 of 11 pilots are stuck: active for more than 6 months without reaching production. 38% of "
                           "the pilots started at least 6 months ago reached production; the reference is 20%, about "
                           "one in five. The 2 stuck pilots not to be stopped carry EUR 50,000 of expected value a "
                           "year.")
    assert brief.stop == ("Stop 1 pilot: B. It has been stuck for more than 6 months with neither a business owner nor a "
                          "KPI baseline; free its budget and team, or name an owner and measure a baseline within a "
                          "month.")
    # B and C name the approval queue, C also data access: Governance is the gate; E, C, H and K are to fix.
    assert brief.gate == ("The gate that holds most stuck pilots is Governance: 2 of the 3 name “Waiting for model "
                          "approval”; the plan removes it with step 2, “Introduce model approval”. Of the "
                          "4 pilots to fix, C and H wait on Data; K waits on Governance; 1 names no blocker.")


@pytest.mark.parametrize(
    "register, stop, gate",
    [
        ((pilot("Y", "pilot", "2026-10"),),
         "No pilot needs stopping: every stuck pilot has a business owner or a KPI baseline.",
         "No pilot is held up by a blocker."),
        ((pilot("S", "pilot", "2025-01", owner=True),),
         "No pilot needs stopping: every stuck pilot has a business owner or a KPI baseline.",
         "No stuck pilot names a blocker: ask each pilot's team what holds it up and record it."),
        ((pilot("P", "pilot", "2025-01", blockers=["data.no-access"]),
          pilot("Q", "ready", "2025-03", blockers=["governance.approval-queue"])),
         "Stop 2 pilots: P and Q. Each has been stuck for more than 6 months with neither a business owner nor a KPI "
         "baseline; free their budget and teams, or name an owner and measure a baseline within a month for the ones "
         "worth keeping.",
         "The gate that holds most stuck pilots is Governance: 1 of the 2 names “Waiting for model approval”, as many "
         "“No access to production data” (Data); the plan removes the first with step 2, “Introduce model approval”, "
         "and the second with step 4, “Automate pipelines”."),
        ((pilot("R", "pilot", "2025-01", owner=True, blockers=["governance.no-risk-review"]),),
         "No pilot needs stopping: every stuck pilot has a business owner or a KPI baseline.",
         "The gate that holds the one stuck pilot is Governance: it names “No risk review”; the plan removes it with "
         "step 2, “Introduce model approval”. The one pilot to fix, R, waits on Governance."),
    ],
    ids=["nothing-stuck", "stuck-without-blocker", "tie-between-two-gates", "one-to-fix"],
)
def test_the_brief_says_what_to_stop_and_what_blocks(tiny, register, stop, gate):
    brief = pilot_brief(metrics_of(tiny, register), STEPS)
    assert (brief.stop, brief.gate) == (stop, gate)


def test_the_brief_says_when_the_plan_has_no_step_in_the_gates_domain(tiny):
    register = (pilot("P", "pilot", "2025-01", blockers=["data.no-access"]),)
    assert pilot_brief(metrics_of(tiny, register), ()).gate == (
        "The gate that holds the one stuck pilot is Data: it names “No access to production data”; the plan has no open "
        "step that removes it: escalate it to the executive sponsor.")


# --- pilots drive the plan -----------------------------------------------------------------

ANSWERS = {"data.inventory": 3, "data.pipelines": 2, "data.monitoring": "yes", "data.products": "products",
           "governance.board": 1, "governance.approval": 1, "governance.controls": ["bias", "audit"]}
STUCK = (pilot("B", "pilot", "2025-01", blockers=["governance.approval-queue"]),
         pilot("C", "ready", "2026-01", owner=True, blockers=["governance.approval-queue", "data.no-access"]),
         pilot("E", "pilot", "2025-02", kpi=True))


def scored(tiny, register=()):
    response = Response("tiny", "1.0.0", {k: Answer(v) for k, v in ANSWERS.items()}, "Example Corp", date=ON,
                        pilots=tuple(register))
    return score_response(tiny, response)


@pytest.mark.parametrize("waiting, stuck, factor", [(0, 0, 1.0), (0, 3, 1.0), (2, 3, 1 + 0.5 * 2 / 3), (3, 3, 1.5),
                                                    (1, 4, 1.125)])
def test_the_pilot_factor_is_one_plus_half_the_share_of_stuck_pilots_waiting(waiting, stuck, factor):
    assert pilot_factor(waiting, stuck) == pytest.approx(factor)


@pytest.mark.parametrize("waiting, stuck, words", [(3, 5, "3 of your 5 stuck pilots wait"), (1, 5, "1 of your 5 stuck pilots waits"),
                                                   (4, 4, "all 4 of your stuck pilots wait"), (1, 1, "your one stuck pilot waits")])
def test_the_waiting_pilots_are_counted_in_words(waiting, stuck, words):
    assert waiting_words(waiting, stuck) == words


def test_stuck_pilots_raise_the_steps_of_the_domain_they_wait_on_and_say_so(tiny):
    plain = {s.question: s for s in scored(tiny).actions}
    steps = {s.question: s for s in scored(tiny, STUCK).actions}
    board = steps["governance.board"]
    assert board.priority == pytest.approx(plain["governance.board"].priority * (1 + 0.5 * 2 / 3), abs=1e-4)
    assert board.priority == 3.6
    assert board.why.startswith("Governance holds the organisation at phase 1")
    assert board.why.endswith(" 2 of your 3 stuck pilots wait on it (“Waiting for model approval”).")
    assert board.reason.endswith("; ×1.5 because Governance limits the overall phase; × pilot factor 1.33 "
                                 "(1 + 0.5 × the larger share: 2/3 stuck pilots it unblocks)")
    assert steps["data.pipelines"].why.endswith(" 1 of your 3 stuck pilots waits on it (“No access to production "
                                                "data”).")


def test_the_why_names_the_blocker_most_stuck_pilots_name_and_how_many_when_not_all(tiny):
    mixed = (pilot("B", "pilot", "2025-01", blockers=["governance.no-risk-review"]),
             pilot("C", "ready", "2026-01", owner=True, blockers=["governance.approval-queue"]),
             pilot("D", "ready", "2025-06", blockers=["governance.approval-queue", "governance.no-risk-review"]),
             pilot("E", "pilot", "2025-02", kpi=True, blockers=["governance.approval-queue"]))
    board = next(s for s in scored(tiny, mixed).actions if s.question == "governance.board")
    assert board.why.endswith(" all 4 of your stuck pilots wait on it (“Waiting for model approval” for 3 of them).")


def test_without_stuck_pilots_the_plan_is_unchanged(tiny):
    young = (pilot("Y", "pilot", "2026-10", blockers=["governance.approval-queue"]),)
    assert [(s.question, s.priority, s.why) for s in scored(tiny, young).actions] == [
        (s.question, s.priority, s.why) for s in scored(tiny).actions]


def test_the_result_carries_the_metrics_and_fix_points_at_the_plan(tiny):
    result = scored(tiny, STUCK)
    assert result.pilots.stuck == 3
    assert result.actions[0].kind == "triage"  # three stuck pilots: the portfolio decision comes first
    # C names the approval queue and data access: the two highest-ranked steps that remove the blocker whose first
    # remedy ranks highest, past the triage step.
    assert next(i for i in result.pilots.items if i.name == "C").reason == (
        "10 months without reaching production, held up by “Waiting for model approval” (and 1 other blocker): start "
        "with steps 2 and 4 of the plan, “Set up an AI board” and “Introduce model approval”.")
    assert scored(tiny).pilots is None


# --- the JSON contract and the command line ----------------------------------------------------


def test_score_json_has_the_pilots_object_only_when_the_answers_have_a_register(tiny):
    data = result_to_dict(scored(tiny, STUCK))
    assert list(data["pilots"]) == ["total", "by_stage", "reached", "conversion_rate", "median_age_months", "stuck",
                                    "stuck_after_months", "without_owner", "without_kpi", "blockers", "blocked_domains",
                                    "value_waiting", "currency", "verdicts", "reference", "items"]
    assert data["pilots"]["items"][0] == {
        "name": "B", "stage": "pilot", "age_months": 22, "verdict": "stop",
        "reason": "22 months without reaching production, with neither a business owner nor a KPI baseline: stop it "
                  "and free its budget and team.",
        "blocking_domains": ["governance"], "group": None}
    assert (data["pilots"]["conversion_rate"], data["pilots"]["verdicts"]) == (0.0, {"stop": 1, "merge": 0, "fix": 2,
                                                                                     "scale": 0, "continue": 0})
    assert (data["pilots"]["value_waiting"], data["pilots"]["currency"]) == (None, "EUR")  # C and E give no value
    assert "pilots" not in result_to_dict(scored(tiny))


def test_score_on_the_command_line_prints_the_register_as_json_and_as_a_table(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(with_register(OK_ENTRY, "{name: Chatbot, stage: pilot, started: 2025-01, owner: true, blockers: "
                                            "[governance.approval-queue], value: 250000}"), encoding="utf-8")
    as_json = CliRunner().invoke(main, ["score", str(path), "--questionnaire", str(DATA / "tiny.yaml"), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    pilots = json.loads(as_json.output)["pilots"]
    assert (pilots["total"], pilots["stuck"], pilots["value_waiting"], pilots["conversion_rate"]) == (2, 1, 250000, 0.5)
    table = CliRunner().invoke(main, ["score", str(path), "--questionnaire", str(DATA / "tiny.yaml")])
    assert table.exit_code == 0, table.output
    assert "Pilot portfolio: 2 pilots, 1 reached production, 1 stuck (active for more than 6 months)" in table.output
    assert "  Conversion: 50% of the pilots started 6+ months ago reached production (reference: about one AI pilot in " \
           "five reaches production)" in table.output
    assert ("  Without a business owner: 0; without a KPI baseline: 1; value waiting in stuck pilots: EUR 250,000"
            in table.output)
    assert "    fix      Chatbot: 22 months without reaching production, held up by “Waiting for model approval”" \
        in table.output


def test_a_bad_register_on_the_command_line_is_one_line_per_entry(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(with_register(OK_ENTRY, "{name: Chatbot, stage: piloting, started: 2031-01}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--questionnaire", str(DATA / "tiny.yaml")])
    assert (result.exit_code, result.output) == (1, "error: answers.yaml:8 pilots[1].started: 2031-01 is after the "
                                                    "assessment's date (2026-11-26); give the month the pilot started\n")


def test_the_retailer_example_scores_end_to_end():
    result = CliRunner().invoke(main, ["score", str(ROOT / "examples" / "retailer-pilots.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    pilots = json.loads(result.output)["pilots"]
    assert (pilots["total"], pilots["reached"], pilots["stuck"], pilots["without_owner"], pilots["without_kpi"]) == (
        12, 1, 8, 12, 12)
    # Every stuck pilot is to be stopped: no value waits in the others.
    assert (pilots["conversion_rate"], pilots["value_waiting"], pilots["currency"]) == (0.1, 0, "EUR")
    assert pilots["verdicts"] == {"stop": 8, "merge": 0, "fix": 1, "scale": 0, "continue": 2}
    assert pilots["blocked_domains"] == {"data": 2, "governance": 3, "mlops": 3, "organization": 1, "economics": 1}
    table = CliRunner().invoke(main, ["score", str(ROOT / "examples" / "retailer-pilots.yaml")])
    assert "  Pilots waiting on: Governance 3, MLOps 3, Data 2, Organization 1, Economics 1\n" in table.output

"""What each key of `cli.py score --format json` means: the JSON contract, documented once.

`scoring.serialize.result_to_dict` writes the keys, `docs/json.md` is generated from this table, and
`tests/test_docs.py` checks that every key the command prints is here and every key here is printed. A key path
joins names with dots; `[]` is an item of a list; `<phase>`, `<domain>`, `<stage>`, `<blocker>` and `<verdict>`
stand for the keys that vary with the questionnaire.
"""

from __future__ import annotations

import re

RATIO = "from 0 to 1"

CONTRACT: dict[str, str] = {
    "questionnaire.id": "The questionnaire's id, e.g. `ai-maturity`",
    "questionnaire.version": "The version the answers were scored on (after any migration)",
    "questionnaire.title": "The questionnaire's title",
    "organisation": "The organisation's name as given in the answers file (may be empty)",
    "overall.phase": "The organisation's phase, 1–4: the phase after the one its weakest domain achieved (4 once "
                     "all are achieved)",
    "overall.phase_name": "The name of that phase, e.g. `Build the Foundation`",
    "overall.achieved": "Phases the weakest domain achieved, 0–4",
    "overall.complete": "`true` when every domain achieved its target and no critical practice is open",
    "overall.index": "Weighted mean of the assessed domains' maturity indexes, 0–4",
    "overall.limiting_domains[]": "Ids of the domains at the weakest achieved phase: they hold the organisation back",
    "overall.confidence": f"Share of the questions shown that have a real answer, {RATIO}",
    "overall.summary": "One sentence: phase, index and what holds the organisation back",
    "overall.primary_limiting_domain": "The one limiting domain furthest from its bar, or `null` when two or more "
                                       "are about as far",
    "overall.profile": "The headline as the report prints it: where the domains work and which are furthest "
                       "from the bar",
    "overall.critical_gaps[]": "Question ids of critical practices not in place (lowest answer or don't know)",
    "overall.released_domains[]": "Limiting domains within one answer of their bar",
    "overall.tied_domains[]": "Limiting domains about as far from their bar as the furthest one",
    "overall.likely_high_risk": "`true` when a system is likely high-risk under the EU AI Act (by industry and "
                                "role, or by a pilot held up by a legal question in such an industry)",
    "domains[].id": "The domain's id",
    "domains[].name": "The domain's name",
    "domains[].assessed": "`false` when the domain has no real answer at all; it is then left out of the phase "
                          "and the index",
    "domains[].achieved": "Phases the domain achieved, 0–4, each only with every earlier one",
    "domains[].working_phase": "The phase the domain works on now (the one after the last achieved); `null` when "
                               "not assessed",
    "domains[].index": "The domain's maturity index: phases achieved plus the working phase's attainment, 0–4",
    "domains[].attainment.<phase>": f"Weighted mean score of the domain's answered questions of that phase, {RATIO}; "
                                    "`null` when none is answered",
    "domains[].phase_status.<phase>": "`attained` (its attainment reaches the threshold), `not_attained`, "
                                      "`not_applicable` (every answer there is not applicable), `unknown` (answered "
                                      "only \"don't know\") or `not_answered`",
    "domains[].foundation_gap": "`true` when a later phase is attained while an earlier one is not",
    "domains[].target": "The phase this domain aims for (default 4; `targets` in the answers file or `--target`)",
    "domains[].confidence": f"Share of the domain's questions shown that have a real answer, {RATIO}",
    "domains[].to_next_phase": "What the working phase still needs, or `null` when every phase is achieved",
    "domains[].to_next_phase.phase": "The working phase",
    "domains[].to_next_phase.attainment": "Its attainment now",
    "domains[].to_next_phase.threshold": "The attainment that achieves it",
    "domains[].to_next_phase.answers_needed": "The fewest answers one level higher that would achieve it",
    "domains[].bar": f"The working phase's attainment as a share of its threshold, at most 1 ({RATIO})",
    "actions[].rank": "1 is the first thing to do; ranks run through Now, Next and Later",
    "actions[].question": "The question the step comes from, or `pilots.triage` for the portfolio decision",
    "actions[].domain": "The domain of that question",
    "actions[].phase": "The roadmap phase of that question",
    "actions[].horizon": "`now` (0–3 months), `next` (3–6 months) or `later`",
    "actions[].kind": "`practice`, `critical`, `regulatory` or `triage`",
    "actions[].title": "The step, worded for the level the practice is at",
    "actions[].detail": "What the step involves",
    "actions[].owner": "The role that owns the step, titled for the organisation's size",
    "actions[].effort": "`S` (weeks), `M` (a quarter) or `L` (several quarters)",
    "actions[].impact": "1 (helpful) to 3 (unblocks production)",
    "actions[].kpi": "How progress on the step is measured",
    "actions[].priority": "The priority the step was ranked by (see the methodology)",
    "actions[].requires[]": "Question ids of open steps this one builds on; it comes after them",
    "actions[].level": "`establish`, `extend` or `optimise`: where the practice stands",
    "actions[].why": "Why this step matters for this organisation, in a sentence",
    "actions[].reason": "How its priority was computed, factor by factor",
    "unknowns[]": "Question ids answered \"don't know\"",
    "warnings[]": "Problems with the answers file that did not stop the scoring, one line each",
    "pilots": "The pilot portfolio; only when the answers file has a register",
    "pilots.total": "Pilots in the register",
    "pilots.by_stage.<stage>": "Pilots per stage of the questionnaire's pilot stages",
    "pilots.reached": "Pilots in production or scaled",
    "pilots.conversion_rate": f"Share of the pilots started at least `stuck_after_months` ago (ideas left out) that "
                              f"reached production, {RATIO}; `null` when there are none",
    "pilots.median_age_months": "Median age of the active pilots in whole months; `null` when there are none",
    "pilots.stuck": "Active pilots older than `stuck_after_months`",
    "pilots.stuck_after_months": "The age from which an active pilot counts as stuck",
    "pilots.without_owner": "Pilots without a business owner",
    "pilots.without_kpi": "Pilots without a KPI baseline",
    "pilots.blockers.<blocker>": "Pilots held up by each blocker",
    "pilots.blocked_domains.<domain>": "Stuck pilots held up in each domain",
    "pilots.value_waiting": "The stated yearly value of the stuck pilots, in `currency`; `null` when none is stated",
    "pilots.currency": "Three-letter currency code of the values",
    "pilots.verdicts.<verdict>": "Pilots per verdict: `stop`, `merge`, `fix`, `scale` or `continue`",
    "pilots.reference.reaches_production": "The article's share of pilots that reach production, for comparison",
    "pilots.reference.reaches_production_text": "The same, as a sentence",
    "pilots.reference.never_past_pilot": "The article's share of AI initiatives that never get past the pilot",
    "pilots.reference.never_past_pilot_text": "The same, as a sentence",
    "pilots.reference.source": "Where the reference figures come from",
    "pilots.items[].name": "The pilot's name",
    "pilots.items[].stage": "Its stage id",
    "pilots.items[].age_months": "Whole months since it started, to the assessment's date; `null` when the start "
                                 "is not given",
    "pilots.items[].verdict": "`stop`, `merge`, `fix`, `scale` or `continue`; `null` for ideas, pilots in "
                              "production and stopped ones",
    "pilots.items[].reason": "Why that verdict, in a sentence",
    "pilots.items[].blocking_domains[]": "Domains of its blockers",
    "pilots.items[].group": "The group of pilots pursuing the same outcome, or `null`",
    "progress": "Progress since a baseline; only with `--baseline`",
    "progress.baseline.date": "When the baseline was taken (`YYYY-MM-DD`), or `null` when not known",
    "progress.baseline.questionnaire": "The baseline's questionnaire id",
    "progress.baseline.version": "The baseline's questionnaire version",
    "progress.baseline_kind": "`assessment` or `workshop`",
    "progress.overall.phase_before": "The organisation's phase then",
    "progress.overall.phase_now": "Its phase now",
    "progress.overall.index_before": "The overall index then",
    "progress.overall.index_now": "The overall index now",
    "progress.domains[].id": "The domain's id",
    "progress.domains[].index_before": "Its index then",
    "progress.domains[].index_now": "Its index now",
    "progress.domains[].delta": "The change of its index",
    "progress.domains[].achieved_before": "Phases it had achieved then",
    "progress.domains[].achieved_now": "Phases it has achieved now",
    "progress.domains[].bar_before": "Its working phase's share of the bar then",
    "progress.domains[].bar_now": "Its working phase's share of the bar now",
    "progress.closed_steps[]": "Practices that were a gap then and are at their bar now",
    "progress.new_gaps[]": "Practices that were at their bar then and are a gap now",
    "progress.<change>[].question": "The question id",
    "progress.<change>[].domain": "Its domain",
    "progress.<change>[].phase": "Its phase",
    "progress.<change>[].text": "The question as asked",
    "progress.<change>[].action": "The title of its step",
    "progress.<change>[].score_before": f"Its score then, {RATIO}",
    "progress.<change>[].score_now": f"Its score now, {RATIO}",
    "progress.compared_questions": "How many questions both assessments share",
    "progress.shared_only": "`true` when the indexes were scored on the shared questions alone (the versions "
                            "differ)",
    "progress.pilots[].figure": "A pilot figure compared, e.g. pilots in production",
    "progress.pilots[].before": "Its value then",
    "progress.pilots[].now": "Its value now",
    "progress.note": "What was compared, in a sentence",
    "benchmark": "The comparison with similar organisations; only with `--benchmark`",
    "benchmark.available": "`false` while fewer than `min_peers` comparable organisations finished the same "
                           "questionnaire",
    "benchmark.n": "Comparable organisations found",
    "benchmark.min_peers": "The fewest peers a benchmark is shown for, so that no organisation can be recognised",
    "benchmark.filters.<filter>": "The profile the peers share (`size`, `industry`), after any broadening",
    "benchmark.requested.<filter>": "The profile asked for, before any broadening",
    "benchmark.summary": "Who the organisation is compared with, or why there is no comparison, in a sentence",
    "benchmark.domains[].id": "The domain's id",
    "benchmark.domains[].name": "The domain's name",
    "benchmark.domains[].index": "The organisation's index in the domain",
    "benchmark.domains[].band": "Its band among the peers: `bottom fifth` to `top fifth`",
    "benchmark.domains[].percentile": "The band as a range of percentiles, e.g. `80–100`",
    "benchmark.domains[].n": "Peers with that domain assessed",
}

PLACEHOLDERS = {
    "attainment": "<phase>", "phase_status": "<phase>", "by_stage": "<stage>", "blockers": "<blocker>",
    "blocked_domains": "<domain>", "verdicts": "<verdict>", "filters": "<filter>", "requested": "<filter>",
}
CHANGES = ("closed_steps", "new_gaps")


def key_paths(data, prefix: str = "") -> set[str]:
    """Every key path in printed JSON, with the keys that vary with the questionnaire put as placeholders."""
    found = set()
    if isinstance(data, dict):
        if prefix:
            found.add(prefix)
        parent = prefix.rsplit(".", 1)[-1].removesuffix("[]")
        for key, value in data.items():
            name = PLACEHOLDERS.get(parent, key)
            found |= key_paths(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(data, list):
        found.add(prefix + "[]")
        for item in data:
            found |= key_paths(item, prefix + "[]")
    else:
        found.add(prefix)
    return {re.sub(r"^progress\.(closed_steps|new_gaps)\[\]\.", "progress.<change>[].", path) for path in found}


def documented(path: str) -> bool:
    """Whether a printed key path is in the contract (lists and objects with documented members count)."""
    return path in CONTRACT or any(key.startswith(path + ".") or key.startswith(path + "[]") for key in CONTRACT)

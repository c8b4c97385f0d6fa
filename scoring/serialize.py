"""The scored result as plain data: the `score --format json` contract."""

from __future__ import annotations

from scoring.engine import DomainResult, Result, Step
from scoring.pilots import pilots_to_dict


def result_to_dict(result: Result) -> dict:
    """The JSON contract of `cli.py score --format json`."""
    overall = result.overall
    data = {
        "questionnaire": {"id": result.questionnaire, "version": result.questionnaire_version, "title": result.title},
        "organisation": result.organisation,
        "overall": {
            "phase": overall.phase,
            "phase_name": overall.phase_name,
            "achieved": overall.achieved,
            "complete": overall.complete,
            "index": _round(overall.index),
            "limiting_domains": list(overall.limiting_domains),
            "confidence": _round(overall.confidence),
            "summary": overall.summary,
            "primary_limiting_domain": overall.primary_limiting_domain,
            "profile": overall.profile,
            "critical_gaps": list(overall.critical_gaps),
            "released_domains": list(overall.released),
            "tied_domains": list(overall.tied),
            "likely_high_risk": result.likely_high_risk,
        },
        "domains": [_domain(d) for d in result.domains],
        "actions": [_step(s) for s in result.actions],
        "unknowns": list(result.unknowns),
        "warnings": list(result.warnings),
    }
    if result.pilots is not None:
        data["pilots"] = pilots_to_dict(result.pilots)
    return data


def _domain(domain: DomainResult) -> dict:
    return {
        "id": domain.id,
        "name": domain.name,
        "assessed": domain.assessed,
        "achieved": domain.achieved,
        "working_phase": domain.working_phase if domain.assessed else None,
        "index": _round(domain.index),
        "attainment": {key: _round(value) for key, value in domain.attainment().items()},
        "phase_status": {str(p.number): p.status for p in domain.phases},
        "foundation_gap": domain.foundation_gap,
        "target": domain.target,
        "confidence": _round(domain.confidence),
        "to_next_phase": _to_next(domain),
        "bar": _round(domain.bar),
    }


def _to_next(domain: DomainResult) -> dict | None:
    step = domain.to_next_phase
    if step is None:
        return None
    return {"phase": step.phase, "attainment": _round(step.attainment), "threshold": step.threshold,
            "answers_needed": step.answers_needed}


def _step(step: Step) -> dict:
    return {
        "rank": step.rank,
        "question": step.question,
        "domain": step.domain,
        "phase": step.phase,
        "horizon": step.horizon,
        "title": step.title,
        "detail": step.detail,
        "owner": step.owner,
        "effort": step.effort,
        "impact": step.impact,
        "kpi": step.kpi,
        "priority": step.priority,
        "requires": list(step.requires),
        "level": step.level,
        "kind": step.kind,
        "why": step.why,
        "reason": step.reason,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)

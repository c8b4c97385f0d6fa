"""Progress since the baseline for the app: the series loaded and scored, and the same as plain data for the
PDF worker. No Streamlit here (the worker imports it too)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from scoring.answers import dump_answers
from scoring.compare import Comparison, TrendPoint, compare_results, progress_from_payload, trend_point
from scoring.engine import Result, score_response
from storage import repository as repo


@dataclass(frozen=True)
class BaselineProgress:
    """What moved since the baseline, the trend over the series, and what the PDF worker needs to redo it."""

    comparison: Comparison
    series: tuple[TrendPoint, ...]
    payload: dict  # plain data: the baseline's answers file (with its date) and the series' points


def taken_on(assessment: repo.Assessment) -> dt.date | None:
    """When an assessment was taken: the date of the answers file it was imported from, else the day it was
    finished (or started, while still open)."""
    if assessment.taken_on is not None:
        return assessment.taken_on
    moment = assessment.finished_at or assessment.created_at
    return moment.date() if moment else None


def baseline_progress(engine, assessment: repo.Assessment, questionnaire, result: Result, find) -> BaselineProgress | None:
    """Progress since the assessment's baseline, or None without one; `find(id, version)` gives a questionnaire or None."""
    if assessment.baseline_id is None:
        return None
    points: list[TrendPoint] = []
    baseline = None
    for earlier in repo.assessment_series(engine, assessment)[:-1]:
        earlier_questionnaire = find(earlier.questionnaire_id, earlier.questionnaire_version)
        if earlier_questionnaire is None:
            continue  # a version no longer installed: left out of the trend
        response = dataclasses.replace(repo.load_response(engine, earlier), date=taken_on(earlier))
        scored = score_response(earlier_questionnaire, response)
        points.append(trend_point(scored, response.date))
        if earlier.id == assessment.baseline_id:
            baseline = (earlier_questionnaire, scored, response)
    if baseline is None:
        return None
    points.append(trend_point(result, taken_on(assessment)))
    comparison = compare_results(baseline[0], baseline[1], questionnaire, result, baseline[2].date)
    payload = {"answers": dump_answers(baseline[2]),
               "series": [[p.date.isoformat() if p.date else None, p.questionnaire, p.index, p.phase] for p in points]}
    return BaselineProgress(comparison, tuple(points), payload)

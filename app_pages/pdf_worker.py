"""PDF rendering in worker processes, so one user's download never freezes everyone else's screen.

No Streamlit here: the workers import this module on their own. Inputs cross the process
boundary as plain data (the answers in the exchange format), never as live objects.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from config import setting
from reports.workers import process_pool

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            workers = max(1, int(setting("PHASEGATE_REPORT_WORKERS")))
            # Workers import the report stack when they start, so the first PDF does not pay for it,
            # and exit when the server dies.
            _pool = process_pool(workers, multiprocessing.get_context("spawn"), preload=["reports.pdf"])
            for _ in range(workers):  # start every worker now rather than on the first request
                _pool.submit(int)
        return _pool


def prepare() -> None:
    """Start the workers ahead of the first request (report pages call this on arrival)."""
    _executor()


def _reset() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def _submit(function, *args) -> Future:
    try:
        return _executor().submit(function, *args)
    except BrokenProcessPool:
        _reset()
        return _executor().submit(function, *args)


def submit_pdf(answers: str, branding: dict, generated: dt.date | None = None, baseline: dict | None = None,
               full: bool = False) -> Future:
    """Start rendering the report of an answers file (exchange format text); the future yields PDF bytes.
    `baseline`: the payload of `app_pages.baseline.BaselineProgress`, for the progress section; `full` adds the
    appendix of every answer."""
    return _submit(render_pdf_bytes, answers, branding, generated, baseline, full)


def submit_workshop_pdf(workshop_id: int) -> Future:
    """Start rendering a workshop's report from what is stored now; the future yields PDF bytes."""
    return _submit(render_workshop_pdf_bytes, workshop_id)


def render_pdf_bytes(answers: str, branding: dict, generated: dt.date | None = None, baseline: dict | None = None,
                     full: bool = False) -> bytes:
    """In a worker: score the answers and render the branded PDF report."""
    from questionnaires import find_questionnaire
    from reports.branding import Branding
    from reports.pdf import render_pdf
    from scoring.answers import parse_answers
    from scoring.engine import score_response

    response = parse_answers(answers)
    questionnaire = find_questionnaire(response.questionnaire, response.questionnaire_version)
    result = score_response(questionnaire, response)
    progress, series = None, ()
    if baseline is not None:
        from app_pages.baseline import progress_from_payload

        progress, series = progress_from_payload(baseline, questionnaire, result, find_questionnaire)
    return render_pdf(questionnaire, result, Branding(**branding), generated=generated, progress=progress,
                      series=series, full=full)


def render_workshop_pdf_bytes(workshop_id: int) -> bytes:
    """In a worker: aggregate the stored workshop and render its report (settings come from the environment)."""
    from questionnaires import find_questionnaire
    from reports import workshop_charts
    from reports.pdf import render_pdf
    from storage import get_engine
    from storage import workshops as ws

    engine = get_engine()
    workshop = ws.get_workshop(engine, workshop_id)
    questionnaire = find_questionnaire(workshop.questionnaire_id, workshop.questionnaire_version)
    _, current = ws.aggregate_stored(engine, workshop, questionnaire)
    return render_pdf(questionnaire, current.result, workshop=workshop_charts.workshop_view(questionnaire, current))


def shutdown() -> None:
    """Stop the workers (tests, shutdown)."""
    _reset()

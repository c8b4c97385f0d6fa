"""Process pools whose workers never outlive the process that started them, and the report jobs they run.

A worker waiting for its next job holds both ends of its job queue, so it never sees the
pool's owner go: after a `kill -9` of the server it would wait forever, holding a few
hundred MB. Each worker therefore watches its parent and exits when that parent is gone.

A watchdog thread rather than `prctl(PR_SET_PDEATHSIG)`: the death signal fires when the
*thread* that started the worker ends, and the app starts its workers from a script
thread that ends after every page run, which would kill healthy workers.

A worker can also warm up before its first job (`warm_up`): the questionnaires parsed, one chart
converted, one report laid out, so the first real report costs about what every later one does.
The jobs cross the process boundary as plain data (answers in the exchange format, the branding
as stored), never as live objects. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext, SpawnContext, SpawnProcess

PARENT_CHECK_SECONDS = 0.5
LOG = logging.getLogger("phasegate")


def process_pool(max_workers: int, context: BaseContext, preload: Sequence[str] = (),
                 warm: bool = False) -> ProcessPoolExecutor:
    """A process pool whose workers import `preload` when they start (and with `warm`, run `warm_up`), and exit
    when this process dies."""
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=context, initializer=start_worker,
                               initargs=(os.getpid(), tuple(preload), warm))


PLAIN_MAIN = "reports.worker_main"
_main_lock = threading.Lock()


class _PlainMainProcess(SpawnProcess):
    """A spawned process whose main module is `reports.worker_main` rather than the parent's.

    A spawned child first re-runs the module it finds as `__main__` in the parent, and Streamlit puts the app's
    page script there. The module is named at the moment the child is started, so it is swapped for the plain one
    just for that moment (and put back unless Streamlit has set another meanwhile, which is then left as it is)."""

    @staticmethod
    def _Popen(process_obj):
        plain = importlib.import_module(PLAIN_MAIN)
        with _main_lock:
            before = sys.modules["__main__"]
            sys.modules["__main__"] = plain
            try:
                return SpawnProcess._Popen(process_obj)
            finally:
                if sys.modules["__main__"] is plain:
                    sys.modules["__main__"] = before


class PlainSpawnContext(SpawnContext):
    """Multiprocessing's "spawn", with workers that start from a plain module instead of the parent's main one."""

    Process = _PlainMainProcess


def plain_spawn_context() -> BaseContext:
    """The context the app's worker pools start from (see `PlainSpawnContext`)."""
    return PlainSpawnContext()


def start_worker(owner: int, preload: Sequence[str] = (), warm: bool = False) -> None:
    """Worker initializer: watch the pool's owner, import the modules the jobs need, and warm up when asked."""
    watch_parent(owner)
    for module in preload:
        importlib.import_module(module)
    if warm:
        try:
            warm_up()
        except Exception as exc:  # noqa: BLE001 - a failed warm-up only costs speed; an initializer error would
            # break the whole pool, and every PDF with it
            LOG.warning("report worker warm-up failed (%s); the first report pays for it", exc.__class__.__name__)


# --- warming up and the jobs --------------------------------------------------------------

WARM_UP_DAY = dt.date(2025, 1, 1)
_warmed: dict[str, float] = {}


def warm_up() -> dict[str, float]:
    """Pay a worker's one-off costs now rather than on a user's first report: parse every questionnaire, convert
    one chart, lay out one report (fonts, stylesheet, templates, the PDF writer). Then move everything loaded
    out of the garbage collector's way (`gc.freeze`), so later collections do not walk it again.

    Returns the seconds each stage took (also kept for `warm_up_figures`)."""
    from questionnaires.loader import load_library

    figures: dict[str, float] = {}
    started = time.perf_counter()
    library = load_library()
    figures["questionnaires"] = time.perf_counter() - started

    from reports.charts import converted_svg

    started = time.perf_counter()
    converted_svg({"data": {"values": [{"a": 1}]}, "mark": "bar",  # converted, never read from the disk cache
                   "encoding": {"x": {"field": "a", "type": "quantitative"}}, "config": {"font": "DejaVu Sans"}})
    figures["chart"] = time.perf_counter() - started

    started = time.perf_counter()
    _warm_report(library)
    figures["report"] = time.perf_counter() - started
    gc.collect()
    gc.freeze()
    _warmed.clear()
    _warmed.update(figures)
    return figures


def _warm_report(library) -> None:
    """Lay out the smallest shipped questionnaire's report with every question unanswered."""
    from reports.pdf import render_pdf
    from scoring.answers import Response
    from scoring.engine import score_response

    newest = sorted(library.newest().values(), key=lambda q: len(q.questions))
    if not newest:
        return
    questionnaire = newest[0]
    result = score_response(questionnaire, Response(questionnaire.id, questionnaire.version, {}))
    render_pdf(questionnaire, result, generated=WARM_UP_DAY)


def warm_up_figures() -> dict[str, float]:
    """In a worker: what its warm-up took, by stage (empty when it did not warm up)."""
    return dict(_warmed)


def render_answers_pdf(answers: str, branding: dict | None, generated: dt.date | None = None,
                       baseline: dict | None = None, full: bool = False, benchmark: dict | None = None) -> bytes:
    """In a worker: score an answers file (exchange format text) and render its branded PDF report.

    `branding`: as `reports.branding.Branding.to_stored` keeps it (None: the default); `baseline`: the payload of
    `ui.baseline.BaselineProgress`, for the progress section; `full` adds the appendix of every answer;
    `benchmark`: `scoring.benchmark.benchmark_to_dict` of the comparison with similar organisations."""
    import i18n
    from questionnaires import QuestionnaireError, find_questionnaire
    from scoring.benchmark import benchmark_from_dict
    from reports.branding import Branding
    from reports.pdf import gc_paused, render_pdf
    from scoring.answers import parse_answers
    from scoring.engine import score_response

    response = parse_answers(answers)
    with gc_paused(), i18n.use(response.language):  # the report speaks the language the answers file names
        brand = Branding.from_stored(branding)
        try:
            questionnaire = in_language(response.questionnaire, response.questionnaire_version)
        except QuestionnaireError:  # a version with no translation into it: its questions as written
            questionnaire = find_questionnaire(response.questionnaire, response.questionnaire_version)
        result = score_response(questionnaire, response)
        progress, series = None, ()
        if baseline is not None:
            from scoring.compare import progress_from_payload

            progress, series = progress_from_payload(baseline, questionnaire, result, find_questionnaire)
        return render_pdf(questionnaire, result, brand, generated=generated, progress=progress, series=series,
                          full=full, benchmark=benchmark_from_dict(benchmark) if benchmark else None)


def in_language(questionnaire_id: str, version: str, written_if_missing: bool = False):
    """A shipped questionnaire version in the language of the moment (as written for English and the
    pseudo-language); one without that translation is a QuestionnaireError, or with `written_if_missing` the
    questionnaire as written (a workshop's report still speaks its language around the questions)."""
    import i18n
    from questionnaires import QuestionnaireError, find_questionnaire
    from questionnaires.translation import find_in_language

    if i18n.current() in (i18n.SOURCE, i18n.PSEUDO):
        return find_questionnaire(questionnaire_id, version)
    try:
        return find_in_language(questionnaire_id, version, i18n.current())
    except QuestionnaireError:
        if not written_if_missing:
            raise
        return find_questionnaire(questionnaire_id, version)


def in_environment(settings: dict[str, str | None], job, *args):
    """In a worker: run `job` with the settings of the process that submitted it (`config.environment`)."""
    from config import applied_environment

    applied_environment(settings)
    return job(*args)


def render_workshop_pdf(workshop_id: int) -> bytes:
    """In a worker: aggregate the stored workshop and render its report, with the progress since its first run
    when it is a re-run (settings come from the environment)."""
    import i18n
    import services
    from questionnaires import find_questionnaire
    from reports import workshop_charts
    from reports.pdf import gc_paused, render_pdf
    from storage import get_engine
    from storage import workshops as ws

    engine = get_engine()
    workshop = ws.get_workshop(engine, workshop_id)
    with i18n.use(workshop.language):  # the workshop's report speaks its engagement language
        questionnaire = in_language(workshop.questionnaire_id, workshop.questionnaire_version, written_if_missing=True)
        _, current = services.aggregate_stored(engine, workshop, questionnaire)
        brand = workshop_charts.workshop_branding(workshop)
        from storage.benchmark import workshop_benchmark

        bench = workshop_benchmark(engine, workshop, current.result, find_questionnaire)
        with gc_paused():
            view, progress = workshop_charts.stored_workshop_view(  # a re-run's first run in the same language
                engine, workshop, questionnaire, current, brand.color,
                find=lambda questionnaire_id, version: in_language(questionnaire_id, version, written_if_missing=True))
            return render_pdf(questionnaire, current.result, brand, benchmark=bench, workshop=view,
                              progress=progress)


def watch_parent(owner: int) -> threading.Thread:
    """Exit this process as soon as its parent or the pool's owner is gone."""
    # Under "spawn" the parent is the owner; under "forkserver" it is the fork server,
    # which itself exits when the owner dies. Checking both also covers an owner that
    # died before this worker got here.
    parent = os.getppid()
    watchdog = threading.Thread(target=_exit_when_orphaned, args=(parent, owner), name="parent-watchdog",
                                daemon=True)
    watchdog.start()
    return watchdog


def _exit_when_orphaned(parent: int, owner: int) -> None:
    stop = threading.Event()
    while not orphaned(parent, owner):
        stop.wait(PARENT_CHECK_SECONDS)
    os._exit(1)  # no clean-up: nobody is left to receive a result


def orphaned(parent: int, owner: int) -> bool:
    """True once this process was re-parented, or the owner no longer exists."""
    if os.getppid() != parent:
        return True
    if owner == parent:
        return False
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # the owner's number now belongs to someone else's process
        return True
    return False

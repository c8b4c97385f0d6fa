"""The PDF report, ready before anyone asks: rendered in worker processes as soon as a page with a download
button opens, kept per assessment (and per workshop) and rendered again only when what goes into it changes.

A render runs in a worker so one user's download never freezes everyone else's screen. The workers start
(and warm up: questionnaires, the chart converter, one report) when the first page needs them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
import time
from collections import OrderedDict
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import streamlit as st

from config import environment, setting
from i18n import _
from questionnaires import PhasegateError
from reports.filenames import response_name
from reports.workers import (in_environment, plain_spawn_context, process_pool, render_answers_pdf,
                             render_workshop_pdf)
from ui import state
from scoring.words import N_
from ui.flow import plain

KEPT_REPORTS = 32  # finished or running renders kept, across sessions (a few hundred KB each)
POLL_SECONDS = 0.25  # how often a waiting button looks at its render (and whether the page moved on)
GIVE_UP_SECONDS = 300
PREPARING = N_("Preparing the PDF…")
ANSWERS_KEPT = N_("your answers are saved and the answers file below still works")
ROOM_KEPT = N_("the room's answers are saved and the other downloads still work")
WORKER_FAILED = N_("The PDF could not be made ({reason}). Try again; {kept}.")
TOO_SLOW = N_("The PDF is taking far longer than usual. Try again in a moment; {kept}.")


def _stop(workers: ProcessPoolExecutor) -> None:
    workers.shutdown(wait=False, cancel_futures=True)


@st.cache_resource(show_spinner=False, on_release=_stop)
def pool() -> ProcessPoolExecutor:
    """The server's PDF workers, started (and warming up) on first use and shared by every session; `pool.clear()`
    stops them, and the next call starts new ones."""
    workers = max(1, int(setting("PHASEGATE_REPORT_WORKERS")))
    # Each worker imports the report stack and warms up (questionnaires, one chart, one report) when it starts, so
    # the first PDF costs what later ones do; workers exit when the server dies.
    # Spawned from a plain main module, not app.py: a worker never loads Streamlit, pandas or pyarrow.
    started = process_pool(workers, plain_spawn_context(), preload=["reports.pdf"], warm=True)
    for _ in range(workers):  # start every worker now rather than on the first request
        started.submit(int)
    return started


def prepare() -> None:
    """Start the workers ahead of the first request (pages with a report call this on arrival)."""
    pool()


def _submit(function, *args) -> Future:
    """Run `function(*args)` in a worker, with this process's settings as they are now."""
    try:
        return pool().submit(in_environment, environment(), function, *args)
    except BrokenProcessPool:  # a worker died (killed, out of memory): the next pool is a fresh one
        pool.clear()
        return pool().submit(in_environment, environment(), function, *args)


def submit_pdf(answers: str, branding: dict | None, generated: dt.date | None = None, baseline: dict | None = None,
               full: bool = False, benchmark: dict | None = None) -> Future:
    """Start rendering the report of an answers file (exchange format text); the future yields PDF bytes.
    `branding` as `Branding.to_stored` keeps it; `baseline`: the payload of `ui.baseline.BaselineProgress`,
    for the progress section; `full` adds the appendix of every answer."""
    return _submit(render_answers_pdf, answers, branding, generated, baseline, full, benchmark)


def submit_workshop_pdf(workshop_id: int) -> Future:
    """Start rendering a workshop's report from what is stored now; the future yields PDF bytes."""
    return _submit(render_workshop_pdf, workshop_id)


# Kept under their old names: the same jobs, run in this process.
render_pdf_bytes = render_answers_pdf
render_workshop_pdf_bytes = render_workshop_pdf


def shutdown() -> None:
    """Stop the workers and forget their renders (tests, shutdown)."""
    pool.clear()
    renders.clear()


# --- one render per set of inputs ---------------------------------------------------------------


@dataclass(frozen=True)
class PdfInputs:
    """Everything a report is made of: the answers file (answers, targets, organisation, pilots), the branding as
    stored, the baseline's progress payload, which document and the date printed on it."""

    answers: str
    branding: dict | None
    baseline: dict | None
    full: bool
    generated: dt.date
    benchmark: dict | None = None  # scoring.benchmark.benchmark_to_dict, when there is one to show

    def key(self, assessment_id: int) -> str:
        """A hash of the inputs: equal inputs give the same key, any change a new one."""
        text = json.dumps([assessment_id, self.answers, self.branding or {}, self.baseline, self.full,
                           self.generated.isoformat(), self.benchmark], sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Render:
    """One render of one set of inputs, running or done."""

    key: str
    future: Future
    started: float


@dataclass(frozen=True)
class WorkshopPdfInputs:
    """Everything a workshop's report is made of, as stored when the dashboard was drawn: the workshop (client,
    branding, profile, roles, open or closed), the room's aggregate (the counted participants' answers, the
    consensus, the room's pilot register), the benchmark against past clients, and the date printed on it. The
    worker reads the same from the database when it renders."""

    workshop_id: int
    stored: str  # the above as canonical text
    generated: dt.date

    def key(self) -> str:
        """A hash of the inputs: equal inputs give the same key, any change a new one."""
        text = json.dumps(["workshop", self.workshop_id, self.stored, self.generated.isoformat()])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Renders:
    """The renders kept for every session: the newest `KEPT_REPORTS`, and the newest render of each document (an
    assessment's report or full report, a workshop's)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, Render] = OrderedDict()
        self._latest: dict[tuple, str] = {}
        self._lock = threading.Lock()

    def of(self, key: str, document: tuple, start) -> Render:
        """The render with this key: the one already running or done, else a new one `start()`ed now. A render
        that failed stays (so its message shows) until `forget`. A new render of the same document cancels the one
        before while it still waits for a worker (a colour being tried out, say)."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                found = Render(key, start(), time.monotonic())
                self._kept[key] = found
                before = self._kept.get(self._latest.get(document, ""))
                if before is not None and before.future.cancel():  # False once a worker has started on it
                    del self._kept[before.key]
                while len(self._kept) > KEPT_REPORTS:
                    self._kept.popitem(last=False)
            self._kept.move_to_end(key)
            self._latest[document] = key
            return found

    def forget(self, key: str) -> None:
        """Drop a render (after a failure, so the next look starts a fresh one)."""
        with self._lock:
            self._kept.pop(key, None)

    def holds(self, render: Render) -> bool:
        """True while this very render is the one kept under its key."""
        with self._lock:
            return self._kept.get(render.key) is render

    def kept(self) -> dict[str, Render]:
        """The renders kept now, by key, least recently asked for first."""
        with self._lock:
            return dict(self._kept)


@st.cache_resource(show_spinner=False)
def renders() -> Renders:
    """The server's renders, shared by every session; `renders.clear()` forgets them."""
    return Renders()


def render_for(assessment_id: int, inputs: PdfInputs, submit=submit_pdf) -> Render:
    """The render of an assessment's report from these inputs (see `Renders.of`)."""
    return renders().of(inputs.key(assessment_id), ("assessment", assessment_id, inputs.full),
                        lambda: submit(inputs.answers, inputs.branding, inputs.generated, inputs.baseline,
                                       inputs.full, inputs.benchmark))


def workshop_render_for(inputs: WorkshopPdfInputs, submit=submit_workshop_pdf) -> Render:
    """The render of a workshop's report from these inputs (see `Renders.of`)."""
    return renders().of(inputs.key(), ("workshop", inputs.workshop_id), lambda: submit(inputs.workshop_id))


def forget_render(key: str) -> None:
    """Drop a render (after a failure, so the next look starts a fresh one)."""
    renders().forget(key)


def inputs_of(now, full: bool = False, today: dt.date | None = None) -> PdfInputs:
    """The report inputs of the open assessment (`ui.state.Current`). Raises BrandingError when the
    stored branding is not usable."""
    from reports.branding import Branding
    from scoring.answers import dump_answers

    stored = Branding.from_stored(now.assessment.branding).to_stored() if now.assessment.branding else None
    moved = state.baseline_progress(now)
    return PdfInputs(dump_answers(now.response), stored, moved.payload if moved is not None else None, full,
                     today or dt.date.today(), benchmark_of(now))


def benchmark_of(now) -> dict | None:
    """The open assessment's benchmark as plain data for the worker, or None when there is none to show."""
    from scoring.benchmark import benchmark_to_dict
    from storage import get_engine
    from storage.benchmark import assessment_benchmark
    from storage.errors import StorageError

    try:
        bench = assessment_benchmark(get_engine(), now.assessment, state.result(now), state.library().find)
    except StorageError:  # the report is made without the comparison rather than not at all
        return None
    return benchmark_to_dict(bench) if bench is not None and bench.available else None


def workshop_inputs_of(engine, workshop, questionnaire, room=None, today: dt.date | None = None) -> WorkshopPdfInputs:
    """The report inputs of a workshop as stored now (`workshop` as `storage.workshops` reads it); `room`: its
    aggregate (`services.aggregate_stored`) when the page has just made it, else made here."""
    import services
    from storage import workshops as ws

    if room is None:
        _, room = services.aggregate_stored(engine, workshop, questionnaire)
    kept = dataclasses.replace(workshop, facilitator_token="")  # the secret link is no input of the report
    stored = repr((kept, kept.is_closed(), room, workshop_benchmark_of(engine, workshop, room)))
    return WorkshopPdfInputs(workshop.id, stored, today or dt.date.today())


def workshop_benchmark_of(engine, workshop, room) -> dict | None:
    """The workshop's benchmark as plain data, or None when there is none to show."""
    from scoring.benchmark import benchmark_to_dict
    from storage.benchmark import workshop_benchmark
    from storage.errors import StorageError

    try:
        bench = workshop_benchmark(engine, workshop, room.result, state.library().find)
    except StorageError:  # the worker tells the database's failure, if it lasts
        return None
    return benchmark_to_dict(bench) if bench.available else None


def failure_text(error: BaseException, kept: str = ANSWERS_KEPT) -> str:
    """What to tell the user about a render that failed (never a traceback); `kept`: what still works."""

    if isinstance(error, PhasegateError):
        return _("The PDF could not be made:\n\n{problems}").format(
            problems="\n".join(f"- {plain(line)}" for line in error.lines()))
    if isinstance(error, CancelledError):  # replaced by a newer one (changed inputs) before a worker took it
        return _("The branding or the answers changed while this PDF waited its turn. Try again to make it anew.")
    if isinstance(error, BrokenProcessPool):
        return _(WORKER_FAILED).format(reason=_("the report worker stopped"), kept=_(kept))
    return _(WORKER_FAILED).format(reason=error.__class__.__name__, kept=_(kept))


def download_button(now, *, key: str, full: bool = False) -> None:
    """The "Download PDF" button of the open assessment (`ui.state.Current`), as `offer` draws it."""
    try:
        inputs = inputs_of(now, full)
    except PhasegateError as exc:
        st.error(failure_text(exc))
        return
    offer(render_for(now.assessment.id, inputs), key=key,
          name=response_name(now.response, "pdf", "full" if full else ""))


def workshop_download_button(engine, workshop, questionnaire, room=None, *, key: str, name: str) -> str:
    """The workshop report's button on its dashboard, as `offer` draws it; `room` as `workshop_inputs_of`. Returns
    the key of the inputs it was prepared from."""
    inputs = workshop_inputs_of(engine, workshop, questionnaire, room)
    offer(workshop_render_for(inputs), key=key, name=name, label=_("Workshop report (PDF)"),
          icon=":material/picture_as_pdf:", kept=ROOM_KEPT)
    return inputs.key()


def offer(render: Render, *, key: str, name: str, label: str | None = None, icon: str = ":material/download:",
          kept: str = ANSWERS_KEPT) -> None:
    """A PDF's download button for a render that started as the page was drawn: until it is ready the button says
    so and turns into the download when the render ends; a failure shows what happened (and that `kept` still
    works) and a Try again button.

    The wait runs beside the page, in a parallel fragment of the page's own run, never on a browser timer: a
    `run_every` timer still ticking while another page starts sends a rerun of this page's fragment that lands
    after the new page has drawn, and the browser then clears that page, leaving it blank. Any click (a change of
    page too) ends the wait at once, at its next look, and the next run simply looks again."""
    label = label or _("Download PDF")
    if render.future.done():
        _finished(render, key, name, label, icon, kept)
        return

    @st.fragment(parallel=True, key=f"{key}_waiting")
    def waiting() -> None:
        state.speak_again()  # a fragment runs without the router, and so without the page's language
        if not renders().holds(render):  # Try again was pressed (or the render was let go): the page starts a new one
            st.rerun()
        slot = st.empty()
        slot.button(_(PREPARING), key=f"{key}_preparing", disabled=True, type="primary",
                    icon=":material/hourglass_top:",
                    help=_("The report is laid out in the background; the button turns into the download when it "
                           "is ready."))
        beat = st.empty()
        while not render.future.done():
            if time.monotonic() - render.started > GIVE_UP_SECONDS:
                forget_render(render.key)
                slot.error(_(TOO_SLOW).format(kept=_(kept)))
                return
            wait([render.future], timeout=POLL_SECONDS)
            beat.empty()  # a point where a click or a change of page stops this wait
        with slot.container():
            _finished(render, key, name, label, icon, kept)

    waiting()


def _finished(render: Render, key: str, name: str, label: str, icon: str, kept: str) -> None:
    error = CancelledError() if render.future.cancelled() else render.future.exception()
    if error is not None:
        st.error(failure_text(error, kept))
        st.button(_("Try again"), key=f"{key}_retry", icon=":material/refresh:", on_click=forget_render,
                  args=(render.key,))
        return
    st.download_button(label, render.future.result(), file_name=name, mime="application/pdf", key=key,
                       type="primary", icon=icon, on_click="ignore")

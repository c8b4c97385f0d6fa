"""PDF worker processes die with the process that started them, even after a `kill -9`."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cold_pdf_workers import cold_app_workers
from tests.conftest import DATA, ROOT
from tests.pdf_text import pdf_words

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")

STARTUP_SECONDS = 120  # the app's workers warm up (one report each) before they take jobs
EXIT_SECONDS = 20

# The app's pool, started the way a report page starts it, then jobs enough that every worker runs. Its worker skips
# the warm-up (tests/cold_pdf_workers.py): what is tested is that it exits, and it watches its owner from its start.
APP_SERVER = """
import os, sys
from tests.cold_pdf_workers import without_warm_up
from ui import pdf_worker

pdf_worker.process_pool = without_warm_up
pdf_worker.prepare()
pool = pdf_worker.pool()
[future.result() for future in [pool.submit(os.getpid) for _ in range(8)]]
print("ready", flush=True)
sys.stdin.read()
"""
# One worker: each worker watches its owner from its own start (`reports.workers.start_worker`), sharing nothing
# with the others, so a second one (warming up on a report of its own first) would prove nothing the first does not.
ONE_WORKER = 1


def stat(pid: int) -> tuple[str, int] | None:
    """State letter and parent of a process; None when it no longer exists."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = text[text.rindex(")") + 2:].split()[:2]
    return state, int(ppid)


def alive(pid: int) -> bool:
    """True while the process runs; a zombie has already given back its memory."""
    found = stat(pid)
    return found is not None and found[0] not in "ZX"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = stat(int(entry.name))
            if info and info[1] == pid and info[0] not in "ZX":
                found.append(int(entry.name))
    return sorted(found)


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`."""
    below = children(pid)
    return below + [grandchild for child in below for grandchild in descendants(child)]


def wait_for(condition: Callable[[], object], seconds: float, what: str):
    """Poll `condition` until it holds (returning its value) or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"{what} within {seconds} s")


def read_line(process: subprocess.Popen, seconds: float) -> str:
    """One line of the process's output, or a failure after `seconds`."""
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    assert ready, f"no output within {seconds} s"
    return process.stdout.readline().strip()


def start(args: list[str], workers: int = 2, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PHASEGATE_REPORT_WORKERS": str(workers), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, **kwargs)


def kill_and_expect_all_gone(parent: subprocess.Popen, workers: list[int], helpers: list[int]) -> None:
    """kill -9 the parent, then every worker (and multiprocessing's helpers) must exit by itself."""
    started = workers + helpers
    try:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + EXIT_SECONDS
        while time.monotonic() < deadline and any(alive(pid) for pid in started):
            time.sleep(0.1)
        left = {pid: cmdline(pid)[:120] for pid in started if alive(pid)}
        assert not left, f"still running {EXIT_SECONDS} s after the parent was killed: {left}"
    finally:
        for pid in started:  # never leave a failed run's workers behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_apps_pdf_workers_exit_when_the_server_is_killed():
    server = start([sys.executable, "-c", APP_SERVER], workers=ONE_WORKER)
    try:
        assert read_line(server, STARTUP_SECONDS) == "ready"
        workers = [pid for pid in children(server.pid) if "spawn_main" in cmdline(pid)]
        helpers = [pid for pid in descendants(server.pid) if pid not in workers]
        assert len(workers) == ONE_WORKER, {pid: cmdline(pid) for pid in descendants(server.pid)}
        kill_and_expect_all_gone(server, workers, helpers)
    finally:
        server.kill()
        server.wait()


def test_batch_report_workers_exit_when_the_command_is_killed(tmp_path):
    batch = []
    for number in range(40):
        batch.append(tmp_path / f"answers-{number:02}.yaml")
        shutil.copy(DATA / "tiny-answers.yaml", batch[-1])
    out = tmp_path / "reports"
    command = start([sys.executable, "cli.py", "report", *map(str, batch), "--questionnaire", str(DATA / "tiny.yaml"),
                     "--out-dir", str(out), "--workers", "2"])
    try:
        def forkserver_with_two_workers():
            for pid in children(command.pid):
                if "forkserver" in cmdline(pid) and len(children(pid)) == 2:
                    return pid
            return None

        forkserver = wait_for(forkserver_with_two_workers, STARTUP_SECONDS, "two batch workers started")
        wait_for(lambda: list(out.glob("*.pdf")), STARTUP_SECONDS, "a first report written")
        workers = children(forkserver)
        helpers = [pid for pid in descendants(command.pid) if pid not in workers]
        assert command.poll() is None, "the batch finished before it could be killed; give it more files"
        kill_and_expect_all_gone(command, workers, helpers)
    finally:
        command.kill()
        command.wait()


# --- warm-up and one render per set of inputs --------------------------------------------------------------

# The tiny questionnaire's answers (with `app_env`, which offers it): what these tests guard holds for any report, and
# the tiny one is laid out in about half the time of the shipped example's.
ANSWERS = DATA / "tiny-answers.yaml"


def worker_state() -> dict:
    """In a worker: what its warm-up left behind."""
    import gc

    from questionnaires.loader import _load_cached
    from reports import html
    from reports.workers import warm_up_figures

    return {"figures": warm_up_figures(), "questionnaires": _load_cached.cache_info().currsize,
            "charts": len(html._svgs), "frozen": gc.get_freeze_count()}


def test_a_worker_warms_up_before_its_first_job():
    import multiprocessing

    from reports.workers import process_pool

    with process_pool(1, multiprocessing.get_context("spawn"), preload=["reports.pdf"], warm=True) as pool:
        state = pool.submit(worker_state).result(timeout=STARTUP_SECONDS)
    assert set(state["figures"]) == {"questionnaires", "chart", "report"}
    assert all(seconds > 0 for seconds in state["figures"].values())
    assert state["questionnaires"] >= 2  # every shipped questionnaire parsed
    assert state["charts"] >= 2  # a report's charts converted
    assert state["frozen"] > 10_000  # what the warm-up loaded is out of the collector's way


def test_a_worker_not_asked_to_warm_up_only_imports_what_its_jobs_need(monkeypatch):
    """What a worker of a pool started without `warm` runs as it starts (here, in this process, as the pool's
    initializer would): the modules named, and no warm-up."""
    import sys

    from reports import workers

    warmed, watched = [], []
    monkeypatch.setattr(workers, "warm_up", lambda: warmed.append(True))
    monkeypatch.setattr(workers, "watch_parent", watched.append)
    monkeypatch.delitem(sys.modules, "reports.worker_main", raising=False)
    workers.start_worker(os.getpid(), ("reports.worker_main",))
    assert "reports.worker_main" in sys.modules and watched == [os.getpid()] and warmed == []
    pool = workers.process_pool(1, None, ["reports.pdf"])  # no job: no worker starts
    assert pool._initargs == (os.getpid(), ("reports.pdf",), False)  # what each worker would start with
    pool.shutdown()


@pytest.mark.pdf_workers
def test_the_same_inputs_render_once_and_a_change_of_branding_renders_again(app_env, monkeypatch):
    import datetime as dt

    from ui import pdf_worker

    cold_app_workers(monkeypatch)  # the renders are the subject, not the worker's warm-up
    answers = ANSWERS.read_text(encoding="utf-8")
    day = dt.date(2025, 5, 12)
    first = pdf_worker.PdfInputs(answers, {"prepared_by": "Northwind Advisory", "color": "#7a3b8f"}, None, False, day)
    try:
        render = pdf_worker.render_for(901, first)
        again = pdf_worker.render_for(901, pdf_worker.PdfInputs(answers, dict(first.branding), None, False, day))
        assert again is render  # equal inputs: the render already started, not a second one
        assert "Prepared by Northwind Advisory" in pdf_words(render.future.result(timeout=STARTUP_SECONDS))
        assert pdf_worker.render_for(901, first) is render  # and still the same once it is done

        rebranded = pdf_worker.render_for(901, pdf_worker.PdfInputs(
            answers, {"prepared_by": "Southwind Partners", "color": "#7a3b8f"}, None, False, day))
        assert rebranded is not render
        assert "Prepared by Southwind Partners" in pdf_words(rebranded.future.result(timeout=STARTUP_SECONDS))
    finally:
        pdf_worker.shutdown()


@pytest.mark.pdf_workers
def test_a_pool_whose_worker_died_is_replaced_and_the_next_render_runs(app_env, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from ui import pdf_worker

    cold_app_workers(monkeypatch)  # the pool's replacement is the subject, not the worker's warm-up
    try:
        broken = pdf_worker.pool()
        waiting = broken.submit(os.getpid)
        for worker in list(broken._processes.values()):  # killed (or out of memory) while it works, here on its
            worker.kill()  # warm-up: killed at once rather than after a warm-up it would only throw away
        with pytest.raises(BrokenProcessPool):
            waiting.result(timeout=STARTUP_SECONDS)
        render = pdf_worker.submit_pdf(ANSWERS.read_text(encoding="utf-8"), None)
        assert render.result(timeout=STARTUP_SECONDS).startswith(b"%PDF")
        assert pdf_worker.pool() is not broken
    finally:
        pdf_worker.shutdown()


def test_the_key_changes_with_every_input_and_only_with_them():
    import datetime as dt

    from ui.pdf_worker import PdfInputs

    day = dt.date(2025, 5, 12)
    base = PdfInputs("answers: {a: 1}\n", {"prepared_by": "A", "color": "#112233"}, None, False, day)
    same = PdfInputs("answers: {a: 1}\n", {"color": "#112233", "prepared_by": "A"}, None, False, day)
    assert base.key(1) == same.key(1)
    changed = [
        PdfInputs("answers: {a: 2}\n", base.branding, None, False, day),  # an answer (or a target) changed
        PdfInputs(base.answers, {"prepared_by": "A", "color": "#112234"}, None, False, day),  # the colour
        PdfInputs(base.answers, {**base.branding, "logo": "iVBORw0KGgo="}, None, False, day),  # a logo
        PdfInputs(base.answers, base.branding, {"answers": "x", "series": []}, False, day),  # a baseline
        PdfInputs(base.answers, base.branding, None, True, day),  # the full report
        PdfInputs(base.answers, base.branding, None, False, day + dt.timedelta(days=1)),  # the date printed
    ]
    keys = {base.key(1), base.key(2), *(inputs.key(1) for inputs in changed)}
    assert len(keys) == 2 + len(changed)


def test_a_newer_render_of_the_same_document_cancels_the_one_still_waiting():
    import datetime as dt
    from concurrent.futures import Future

    from ui import pdf_worker

    waiting: list[Future] = []

    def queue(*inputs) -> Future:  # a worker pool with every worker busy: jobs wait
        waiting.append(Future())
        return waiting[-1]

    day = dt.date(2025, 5, 12)
    red = pdf_worker.PdfInputs("answers: {}\n", {"color": "#aa0000"}, None, False, day)
    blue = pdf_worker.PdfInputs("answers: {}\n", {"color": "#0000aa"}, None, False, day)
    full = pdf_worker.PdfInputs("answers: {}\n", {"color": "#0000aa"}, None, True, day)
    first = pdf_worker.render_for(902, red, submit=queue)
    assert first.future.set_running_or_notify_cancel()  # a worker took it
    second = pdf_worker.render_for(902, blue, submit=queue)
    assert not first.future.cancelled()  # running: left to finish
    third = pdf_worker.render_for(902, red, submit=queue)
    assert third is first and len(waiting) == 2  # red is still there: no third render
    assert pdf_worker.render_for(902, blue, submit=queue) is second
    pdf_worker.render_for(902, full, submit=queue)  # the other document: blue keeps waiting
    assert not second.future.cancelled()
    pdf_worker.render_for(902, pdf_worker.PdfInputs("answers: {}\n", None, None, False, day), submit=queue)
    assert second.future.cancelled() and second.key not in pdf_worker.renders().kept()  # superseded while waiting


def test_a_worker_whose_warm_up_fails_still_renders(app_env, monkeypatch):
    from reports import workers

    def broken(library):
        raise RuntimeError("no chart converter today")

    monkeypatch.setattr(workers, "_warm_report", broken)
    monkeypatch.setattr(workers, "watch_parent", lambda owner: None)
    workers.start_worker(os.getpid(), ("reports.pdf",), warm=True)  # does not raise: the pool stays usable
    answers = ANSWERS.read_text(encoding="utf-8")
    assert workers.render_answers_pdf(answers, None).startswith(b"%PDF")

"""The chart converter in a process of its own, for a command that renders a report cold.

The converter (vl-convert) keeps Python's lock while it converts, so a conversion in a thread stops the layout engine
for as long as it runs; and starting its JavaScript engine costs about 0.4 s of CPU in a new process. A command that
opens `chart_process()` as it begins has that engine started on another core while it loads the questionnaire, scores
and writes the HTML, and the report's charts converted there while WeasyPrint reads the document.

The child runs this module as a script, without the project on its import path: it imports only the standard library
at the top, and the project only inside the functions its parent alone calls."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

# What the child does with a spec, by the kind of request: draw Vega-Lite or Vega as SVG, or compile Vega-Lite to
# Vega (`reports.charts.drawn_svg` compiles a chart structure once and draws it as Vega from then on).
CONVERSIONS = {"vegalite": "vegalite_to_svg", "vega": "vega_to_svg", "compile": "vegalite_to_vega"}
# The smallest chart, in Vega with a line of text: drawing it starts the engine before the first real spec arrives,
# without loading Vega-Lite (about 0.08 s of CPU), which only a chart structure not compiled before needs.
WARM_UP_SPEC = {"width": 10, "height": 10, "marks": [{"type": "text", "encode": {"enter": {
    "text": {"value": "0"}, "font": {"value": "DejaVu Sans"}}}}]}
# -P: the script's folder stays off the import path (reports/html.py would hide the standard library's html).
# -S: no site module, a third of a new interpreter's start-up; the child is told where the converter is installed.
CHILD = [sys.executable, "-P", "-S", str(Path(__file__).resolve())]
REPLY_SECONDS = 120


def converter_folders() -> list[str]:
    """The folder the converter (vl_convert) is imported from here, for the child's import path; none when it is
    not installed (the child then stops at once and the charts are converted here, which says what is missing)."""
    spec = importlib.util.find_spec("vl_convert")
    return [str(Path(spec.origin).parent.parent)] if spec is not None and spec.origin else []


class ChartProcessError(RuntimeError):
    """The chart process could not convert a spec (it stopped, or the spec failed there); convert it in-process."""


class ChartProcess:
    """A child process running the converter: requests go in one JSON line each (a spec and what to do with it,
    `CONVERSIONS`), results come back in order."""

    def __init__(self) -> None:
        self._process = subprocess.Popen([*CHILD, *converter_folders()], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._waiting: deque[Future] = deque()
        self._waiting_lock = threading.Lock()  # held only briefly: the reader takes it for every reply
        self._writing_lock = threading.Lock()  # held while a spec is written, which may wait for the child
        self._stopped = False
        threading.Thread(target=self._read_replies, name="chart-process", daemon=True).start()

    def convert(self, spec: dict, kind: str = "vegalite"):
        """The spec converted by the child as `kind` says (by default a Vega-Lite spec as an SVG document, as
        `vl_convert.vegalite_to_svg` gives it), or ChartProcessError."""
        try:
            return self.submit(spec, kind).result(timeout=REPLY_SECONDS)
        except TimeoutError:
            raise ChartProcessError(f"no reply in {REPLY_SECONDS} s") from None

    def submit(self, spec: dict, kind: str = "vegalite") -> Future:
        """The spec sent to the child; the future yields what `convert` returns, or fails with ChartProcessError."""
        future: Future = Future()
        line = json.dumps({"kind": kind, "spec": spec}, separators=(",", ":"), default=str).encode() + b"\n"
        with self._writing_lock:
            with self._waiting_lock:
                if self._stopped:
                    future.set_exception(ChartProcessError("the chart process has stopped"))
                    return future
                self._waiting.append(future)  # before the write, so its reply always finds it
            try:
                self._process.stdin.write(line)
                self._process.stdin.flush()
            except (OSError, ValueError):
                pass  # the child is gone: the reader fails every waiting future when it reads the end
        return future

    def close(self) -> None:
        """Stop the child, whatever it is doing; specs still waiting fail with ChartProcessError."""
        try:
            self._process.stdin.close()
        except OSError:
            pass
        self._process.kill()
        self._process.wait()

    def _read_replies(self) -> None:
        for line in self._process.stdout:
            with self._waiting_lock:
                future = self._waiting.popleft() if self._waiting else None
            if future is not None:
                _settle(future, line)
        with self._waiting_lock:
            self._stopped = True
            left, self._waiting = list(self._waiting), deque()
        for future in left:
            future.set_exception(ChartProcessError("the chart process has stopped"))


def _settle(future: Future, line: bytes) -> None:
    try:
        reply = json.loads(line)
    except ValueError:
        reply = {"error": "an unreadable reply"}
    if "result" in reply:
        future.set_result(reply["result"])
    else:
        future.set_exception(ChartProcessError(reply.get("error", "no reply")))


_current: ChartProcess | None = None


def current() -> ChartProcess | None:
    """The chart process opened by `chart_process`, or None (then charts are converted in the process itself)."""
    return _current


@contextmanager
def chart_process(inputs: Sequence[bytes] | None = None):
    """A chart process for the work inside, started now and stopped on the way out: every chart the disk cache
    lacks is converted there (`reports.charts.converted_svg`). With `inputs`, everything the charts are drawn from,
    none is started when charts of the same inputs were drawn before (they are on disk: starting it would only cost
    CPU), and the inputs are remembered once the work inside has succeeded."""
    global _current
    mark = drawn_mark(inputs) if inputs is not None else None
    if mark is not None and _seen(mark):
        yield
        return
    try:
        process = ChartProcess()
    except OSError:  # no child process to be had: the charts are converted in this one, as without it
        process = None
    _current = process
    try:
        yield
    finally:
        _current = None
        if process is not None:
            process.close()
    if mark is not None:
        _remember(mark)


DRAWN_FOLDER = "drawn"
KEPT_MARKS = 50  # fewer than the reports whose charts the disk cache keeps (reports.charts.KEPT_SVGS)


def drawn_mark(inputs: Sequence[bytes]) -> Path | None:
    """Where the cache notes that the charts of `inputs` were drawn (`inputs` name the code that draws them too:
    `reports.charts.drawing_version`); None when the cache folder cannot be used.
    A wrong note costs only time: a chart missing from the disk cache is then converted in the process itself."""
    from questionnaires.compiled import cache_folder  # not above: the child runs this module without the project

    folder = cache_folder(DRAWN_FOLDER)
    if folder is None:
        return None
    digest = hashlib.sha256()
    for part in inputs:
        digest.update(hashlib.sha256(part).digest())
    return folder / digest.hexdigest()


def _seen(mark: Path) -> bool:
    try:
        os.utime(mark)  # marked as just used, so the most recent marks are the ones kept
        return True
    except OSError:
        return False


def _remember(mark: Path) -> None:
    """Write the mark and keep only the KEPT_MARKS most recently used; a failure only costs speed."""
    from questionnaires.compiled import write_private

    if not write_private(mark, b""):
        return
    try:
        marks = [path for path in mark.parent.iterdir() if not path.name.startswith(".")]  # not a write under way
        kept = sorted(marks, key=lambda path: path.stat().st_mtime_ns, reverse=True)
    except OSError:  # another process removed one meanwhile; the next write tidies up
        return
    for older in kept[KEPT_MARKS:]:
        older.unlink(missing_ok=True)


def serve(requests=None, replies=None) -> None:
    """The child's side: start the engine, then answer each request line ({"kind": ..., "spec": ...}) with one line
    {"result": ...} or {"error": ...}."""
    import vl_convert

    requests = requests or sys.stdin.buffer
    replies = replies or sys.stdout.buffer
    vl_convert.vega_to_svg(WARM_UP_SPEC)
    for line in requests:
        try:
            request = json.loads(line)
            reply = {"result": getattr(vl_convert, CONVERSIONS[request["kind"]])(request["spec"])}
        except Exception as exc:  # the parent converts this spec again itself, and reports what fails there
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()


if __name__ == "__main__":
    sys.path[:0] = sys.argv[1:]  # where the parent finds the converter: this process starts without site (-S)
    serve()

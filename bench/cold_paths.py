"""Benchmark what every command and every worker pays before its first useful work: loading the questionnaires,
and a cold `cli.py report` against plain-text WeasyPrint pages, per page.

    python bench/cold_paths.py [--runs 3]

Each figure is taken in a fresh Python process (cold: nothing imported, nothing parsed), run `--runs` times;
the median is printed. Python's compiled modules are kept, as on any machine after its first command (in the
benchmark's own folder, whatever PYTHONDONTWRITEBYTECODE says): no figure counts compiling the project's source.
The questionnaire figures are CPU seconds of the load alone (imports excluded), first with an empty questionnaire
cache (the first command after an install or a change of the file), then with the cache written by that first run
(every later command). The report figures are wall-clock and CPU seconds of the whole
command (CPU counts every thread and the chart converter's process too): cold, with none of its charts drawn before
(the drawn charts and the note of their inputs emptied from the cache before each run, as for a new answers file;
the chart structures, built by Altair and compiled to Vega, are kept, as for answers with the same plan), and again
with its charts in the cache (the same answers rendered again, or the full report after the executive one). For
comparison, taken in turns with the others: cold with the chart converter in the command's own process, as before
the converter got a process of its own (`reports.converter`). The converter's process gains wall-clock time
only when the second core is free: on a busy machine the figures of the two cold cases meet.

Goals: ai-maturity.yaml loads in at most 0.15 s cold; a cold `report` costs at most 2.5x plain WeasyPrint per page.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "ai-maturity-example.yaml"

LOAD_ONE = """
import time
from questionnaires.loader import LIBRARY, load_questionnaire
started = time.process_time()
load_questionnaire(LIBRARY / "ai-maturity.yaml")
print(time.process_time() - started)
"""

LOAD_ALL = """
import time
from questionnaires import find_questionnaire
started = time.process_time()
find_questionnaire("ai-maturity")
print(time.process_time() - started)
"""

PLAIN = """
from weasyprint import HTML
HTML(filename={html!r}).write_pdf({out!r})
"""

IN_PROCESS = """
import contextlib, runpy, sys
import reports.converter
reports.converter.chart_process = contextlib.nullcontext  # every chart converted in the command's own process
sys.argv = ["cli.py", *sys.argv[1:]]
runpy.run_path("cli.py", run_name="__main__")  # as the program, like the other cases
"""

def python(code: str, env: dict[str, str]) -> float:
    """Run `code` in a fresh interpreter; the number it prints."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def command(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (children included) of one fresh `python ...` command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def forget_charts(cache: Path) -> None:
    """Empty the drawn charts from the cache, and the note of which inputs they were drawn from: as for a new
    answers file."""
    for kind in ("svg", "drawn"):
        shutil.rmtree(cache / kind, ignore_errors=True)


def pages_of(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def plain_paragraphs(pages: int) -> int:
    """How many plain paragraphs fill `pages` pages (as bench/report.py lays them out)."""
    from bench.report import page_count, plain_html

    low, high = 1, 400
    while low < high:
        middle = (low + high) // 2
        if page_count(plain_html(middle)) >= pages:
            high = middle
        else:
            low = middle + 1
    return low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="phasegate-cold-"))
    env = {**os.environ, "PHASEGATE_DATA_DIR": str(folder / "data"), "PYTHONPATH": str(ROOT),
           "PYTHONPYCACHEPREFIX": str(folder / "bytecode")}
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        empty, cached, every_empty, every_cached = [], [], [], []
        for _ in range(runs):
            shutil.rmtree(folder / "data", ignore_errors=True)
            empty.append(python(LOAD_ONE, env))
            cached.append(python(LOAD_ONE, env))
            shutil.rmtree(folder / "data", ignore_errors=True)
            every_empty.append(python(LOAD_ALL, env))
            every_cached.append(python(LOAD_ALL, env))
        print("Questionnaires (CPU seconds of the load, imports excluded, median of fresh processes)")
        print(f"  ai-maturity.yaml, nothing cached:            {statistics.median(empty):.3f} s")
        print(f"  ai-maturity.yaml, cached (goal <= 0.15 s):   {statistics.median(cached):.3f} s")
        print(f"  find_questionnaire (every shipped version), nothing cached: {statistics.median(every_empty):.3f} s")
        print(f"  find_questionnaire (every shipped version), cached:         {statistics.median(every_cached):.3f} s")

        out = folder / "report.pdf"
        scored, reported, redrawn, in_process, plain = [], [], [], [], []
        report_args = ["cli.py", "report", str(EXAMPLE), "--out", str(out), "--force", "--date", "2025-05-12"]
        command(report_args, env)  # the questionnaire cache written, as on any machine after its first command
        pages = pages_of(out)
        from bench.report import plain_html

        plain_file = folder / "plain.html"
        plain_file.write_text(plain_html(plain_paragraphs(pages)), encoding="utf-8")
        plain_code = PLAIN.format(html=str(plain_file), out=str(folder / "plain.pdf"))
        command(["-c", IN_PROCESS, *report_args[1:]], env)  # every module the cases import compiled once, as above
        command(["-c", plain_code], env)
        for _ in range(runs):
            scored.append(command(["cli.py", "score", str(EXAMPLE)], env))
            forget_charts(folder / "data" / "cache")
            reported.append(command(report_args, env))
            redrawn.append(command(report_args, env))
            forget_charts(folder / "data" / "cache")
            in_process.append(command(["-c", IN_PROCESS, *report_args[1:]], env))
            plain.append(command(["-c", plain_code], env))
        plain_pages = pages_of(folder / "plain.pdf")
        plain_wall = statistics.median(wall for wall, _ in plain)
        plain_cpu = statistics.median(cpu for _, cpu in plain)
        print("Commands (wall and CPU seconds of a fresh process, median)")
        print(f"  cli.py score:             {statistics.median(w for w, _ in scored):.2f} s wall, "
              f"{statistics.median(c for _, c in scored):.2f} s CPU")
        print(f"  plain WeasyPrint, cold ({plain_pages} pages): {plain_wall:.2f} s wall, {plain_cpu:.2f} s CPU, "
              f"{plain_wall / plain_pages:.3f} s per page")
        for name, taken, goal in (("cold", reported, " (goal <= 2.5x)"), ("charts cached", redrawn, ""),
                                  ("cold, converter in this process", in_process, "")):
            report_wall = statistics.median(wall for wall, _ in taken)
            report_cpu = statistics.median(cpu for _, cpu in taken)
            print(f"  cli.py report ({pages} pages), {name}: {report_wall:.2f} s wall, {report_cpu:.2f} s CPU; "
                  f"per page against plain: {(report_wall / pages) / (plain_wall / plain_pages):.2f}x wall, "
                  f"{(report_cpu / pages) / (plain_cpu / plain_pages):.2f}x CPU{goal}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

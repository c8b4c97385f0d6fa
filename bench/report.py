"""Benchmark the PDF report: stages of one full report, WeasyPrint alone, and a batch of 20.

    python bench/report.py [--runs 5] [--batch 20]

Prints median wall-clock times. Goals on a 2-core machine: total <= 1.5 s warm and
<= 1.25x WeasyPrint alone on the same HTML; batch speed-up (2 workers vs 1) >= 1.6x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import find_questionnaire  # noqa: E402
from reports import Branding  # noqa: E402
from reports.html import chart_uris, render_html  # noqa: E402
from reports.pdf import PDF_OPTIONS, SafeFetcher, html_to_pdf, render_pdf  # noqa: E402
from scoring import read_answers, score_response  # noqa: E402

EXAMPLE = ROOT / "examples" / "ai-maturity-example.yaml"
DAY = dt.date(2025, 5, 12)


def median_time(action, runs: int) -> float:
    """Median wall-clock seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def weasyprint_alone(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(**PDF_OPTIONS)


def layout_only(html: str):
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=SafeFetcher()).render(**PDF_OPTIONS)


def batch_seconds(count: int, workers: int, folder: Path) -> float:
    """Wall-clock seconds of `cli.py report --out-dir` over `count` answers files."""
    inputs = folder / "in"
    inputs.mkdir(exist_ok=True)
    for i in range(count):
        shutil.copy(EXAMPLE, inputs / f"client-{i:02d}.yaml")
    out = folder / f"out-{workers}"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "report", *sorted(map(str, inputs.iterdir())),
                    "--out-dir", str(out), "--workers", str(workers), "--date", DAY.isoformat()],
                   check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()

    questionnaire = find_questionnaire("ai-maturity")
    result = score_response(questionnaire, read_answers(EXAMPLE, questionnaire))
    branding = Branding(prepared_by="Northwind Advisory", color="#7a3b8f")
    pdf = render_pdf(questionnaire, result, branding, generated=DAY)  # warm-up: imports, fonts, chart runtime
    charts = chart_uris(result, branding.color)
    html = render_html(questionnaire, result, branding, generated=DAY, chart_images=charts)
    pages = len(layout_only(html).pages)

    print(f"Full ai-maturity report: {len(questionnaire.questions)} questions, {len(result.actions)} steps, "
          f"{pages} pages, {len(pdf) / 1024:.0f} KB; load average {os.getloadavg()[0]:.1f}")
    figures = {
        "charts (Altair -> SVG)": median_time(lambda: chart_uris(result, branding.color), args.runs),
        "HTML (Jinja2)": median_time(lambda: render_html(questionnaire, result, branding, generated=DAY,
                                                         chart_images=charts), args.runs),
        "WeasyPrint layout": median_time(lambda: layout_only(html), args.runs),
        "WeasyPrint layout + PDF": median_time(lambda: html_to_pdf(html), args.runs),
        "total render_pdf": median_time(lambda: render_pdf(questionnaire, result, branding, generated=DAY), args.runs),
        "WeasyPrint alone, same HTML": median_time(lambda: weasyprint_alone(html), args.runs),
    }
    for name, seconds in figures.items():
        print(f"  {name:<30} {seconds * 1000:8.0f} ms")
    ratio = figures["total render_pdf"] / figures["WeasyPrint alone, same HTML"]
    print(f"  total / WeasyPrint alone       {ratio:8.2f}x   (goal <= 1.25x; total goal <= 1500 ms)")

    with tempfile.TemporaryDirectory() as folder:
        one = batch_seconds(args.batch, 1, Path(folder))
        two = batch_seconds(args.batch, 2, Path(folder))
    print(f"Batch of {args.batch} via cli.py report --out-dir: 1 worker {one:.1f} s, 2 workers {two:.1f} s, "
          f"speed-up {one / two:.2f}x (goal >= 1.6x)")


if __name__ == "__main__":
    main()

"""Benchmark the PDF report against plain-text pages, and a worker's first report against its later ones.

    python bench/report.py [--runs 7] [--workers 3] [--batch 10] [--example examples/ai-maturity-example.yaml]

Everything is measured in one run, with the cases interleaved (each repetition runs every case once, in a
rotating order), so a busy machine slows them alike; ratios are taken within a repetition, then the median.
Wall-clock and CPU seconds are both printed (CPU: this process and its threads, the chart converter included).

The yardstick for the layout engine is a plain-text document in the report's fonts, size and page margins,
with as many pages as the report: what WeasyPrint costs for that many pages with nothing of ours in it.

Goals: executive report <= 1.5 s warm; full report <= 1.6x the plain-text pages of the same count; a worker's
first report <= 1.3x its warm time; batch speed-up (2 workers vs 1) >= 1.6x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
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
from reports import html as report_html  # noqa: E402
from reports.html import chart_uris, render_html  # noqa: E402
from reports.pdf import PDF_OPTIONS, compiled_stylesheet, gc_paused, html_to_pdf, render_pdf  # noqa: E402
from scoring import score_response  # noqa: E402
from scoring.answers import parse_answers  # noqa: E402

EXAMPLE = ROOT / "examples" / "ai-maturity-example.yaml"
DAY = dt.date(2025, 5, 12)
BRANDING = {"prepared_by": "Northwind Advisory", "color": "#7a3b8f"}
SENTENCE = ("The organisation keeps an inventory of its data sources, and owners review their quality every quarter; "
            "models reach production through a documented path with monitoring, approval and a rollback plan. ")


# --- plain-text pages ---------------------------------------------------------------------------------------


def plain_html(paragraphs: int) -> str:
    """Plain paragraphs in the report's font, size, line height, page size and margins, with its page footer."""
    body = "\n".join(f"<p>{number}. {SENTENCE * 3}</p>" for number in range(paragraphs))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Plain pages</title><style>
@page {{ size: A4; margin: 22mm 18mm 20mm 18mm;
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt; }} }}
html {{ font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.45; }}
p {{ margin: 0 0 2mm; }}
</style></head><body>{body}</body></html>"""


def page_count(html: str) -> int:
    from weasyprint import HTML

    return len(HTML(string=html).render(**PDF_OPTIONS).pages)


def plain_pages(pages: int) -> str:
    """Plain-text HTML that fills exactly `pages` pages (the paragraph count found by bisection)."""
    low, high = 1, 40 * pages
    while low < high:  # the smallest paragraph count that reaches `pages`
        middle = (low + high) // 2
        if page_count(plain_html(middle)) >= pages:
            high = middle
        else:
            low = middle + 1
    html = plain_html(low)
    assert page_count(html) == pages, f"no paragraph count gives exactly {pages} pages"
    return html


# --- one measurement -------------------------------------------------------------------------------------


def clock(action) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved(cases: dict, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Each case once per repetition, the order rotating; (wall, cpu) per case and repetition."""
    names = list(cases)
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for repetition in range(runs):
        shift = repetition % len(names)
        for name in names[shift:] + names[:shift]:
            figures[name].append(clock(cases[name]))
    return figures


def median(values) -> float:
    return statistics.median(values)


# --- a worker's first report ---------------------------------------------------------------------------------


def worker_render(answers: str, branding: dict, full: bool) -> tuple[float, float, int]:
    """In a worker: one report as the app asks for it, charts converted anew; wall and CPU seconds and its size."""
    from reports.workers import render_answers_pdf

    report_html._svgs.clear()  # every job pays for its charts, as a report of new answers does
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = render_answers_pdf(answers, branding, DAY, None, full)
    return time.perf_counter() - wall, time.process_time() - cpu, len(pdf)


def first_and_warm(answers: str, workers: int, warm_jobs: int = 3) -> list[dict]:
    """Start `workers` fresh workers one after another (each warmed up as the app's are); per worker the warm-up's
    wall time, its first report and the median of the next `warm_jobs`."""
    from reports.workers import process_pool

    rows = []
    for _ in range(workers):
        started = time.perf_counter()
        with process_pool(1, multiprocessing.get_context("spawn"), preload=["reports.pdf"], warm=True) as pool:
            pool.submit(int).result()
            ready = time.perf_counter() - started
            first = pool.submit(worker_render, answers, BRANDING, False).result()
            warm = [pool.submit(worker_render, answers, BRANDING, False).result() for _ in range(warm_jobs)]
        rows.append({"ready": ready, "first": first, "warm_wall": median(w[0] for w in warm),
                     "warm_cpu": median(w[1] for w in warm)})
    return rows


def batch_seconds(count: int, workers: int, folder: Path, example: Path) -> float:
    """Wall-clock seconds of `cli.py report --out-dir` over `count` answers files."""
    inputs = folder / "in"
    inputs.mkdir(exist_ok=True)
    for i in range(count):
        shutil.copy(example, inputs / f"client-{i:02d}.yaml")
    out = folder / f"out-{workers}"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "report", *sorted(map(str, inputs.iterdir())),
                    "--out-dir", str(out), "--workers", str(workers), "--date", DAY.isoformat()],
                   check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=3, help="fresh workers for the first-report figure (0: skip)")
    parser.add_argument("--batch", type=int, default=10, help="answers files in the batch figure (0: skip)")
    parser.add_argument("--example", type=Path, default=EXAMPLE)
    args = parser.parse_args()

    answers = args.example.read_text(encoding="utf-8")
    response = parse_answers(answers)
    questionnaire = find_questionnaire(response.questionnaire, response.questionnaire_version)
    result = score_response(questionnaire, response)
    branding = Branding(**BRANDING)

    def report(full: bool):
        def render():
            report_html._svgs.clear()  # charts converted anew, as for a report of new answers
            return render_pdf(questionnaire, result, branding, generated=DAY, full=full)
        return render

    executive, full = report(False)(), report(True)()  # warm-up: imports, fonts, stylesheet, chart runtime
    pages = {"executive": page_count(render_html(questionnaire, result, branding, generated=DAY)),
             "full": page_count(render_html(questionnaire, result, branding, generated=DAY, full=True))}
    plain = {name: plain_pages(count) for name, count in pages.items()}
    charts = chart_uris(result, branding.color)
    html = render_html(questionnaire, result, branding, generated=DAY, chart_images=charts, inline_css=False)

    def weasyprint_only():
        with gc_paused():
            html_to_pdf(html, [compiled_stylesheet()])

    def plain_pdf(name):
        def render():
            with gc_paused():
                html_to_pdf(plain[name])
        return render

    def convert_charts():
        report_html._svgs.clear()
        chart_uris(result, branding.color)

    cases = {
        "executive report (render_pdf)": report(False),
        "full report (render_pdf)": report(True),
        f"plain text, {pages['executive']} pages": plain_pdf("executive"),
        f"plain text, {pages['full']} pages": plain_pdf("full"),
        "  charts (Vega-Lite -> SVG)": convert_charts,
        "  HTML (Jinja2)": lambda: render_html(questionnaire, result, branding, generated=DAY, chart_images=charts,
                                               inline_css=False),
        "  WeasyPrint, executive HTML": weasyprint_only,
    }
    for action in cases.values():
        action()
    print(f"{response.questionnaire} {response.questionnaire_version}: {len(questionnaire.questions)} questions, "
          f"{len(result.actions)} steps; executive {pages['executive']} pages ({len(executive) / 1024:.0f} KB), "
          f"full {pages['full']} pages ({len(full) / 1024:.0f} KB); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    figures = interleaved(cases, args.runs)
    print(f"\nMedians of {args.runs} interleaved repetitions:           wall        CPU")
    for name, values in figures.items():
        wall, cpu = median(v[0] for v in values), median(v[1] for v in values)
        print(f"  {name:<40} {wall * 1000:7.0f} ms {cpu * 1000:7.0f} ms")

    def ratio(top: str, bottom: str, clock_index: int) -> float:
        return median(a[clock_index] / b[clock_index] for a, b in zip(figures[top], figures[bottom]))

    full_plain = f"plain text, {pages['full']} pages"
    exec_plain = f"plain text, {pages['executive']} pages"
    executive_wall = median(v[0] for v in figures["executive report (render_pdf)"])
    print(f"\n  executive report, warm: {executive_wall * 1000:.0f} ms wall, "
          f"{median(v[1] for v in figures['executive report (render_pdf)']) * 1000:.0f} ms CPU (goal <= 1500 ms)")
    print(f"  full report / plain text of the same {pages['full']} pages: "
          f"{ratio('full report (render_pdf)', full_plain, 0):.2f}x wall, "
          f"{ratio('full report (render_pdf)', full_plain, 1):.2f}x CPU (goal <= 1.6x)")
    print(f"  executive report / plain text of the same {pages['executive']} pages: "
          f"{ratio('executive report (render_pdf)', exec_plain, 0):.2f}x wall, "
          f"{ratio('executive report (render_pdf)', exec_plain, 1):.2f}x CPU")

    if args.workers:
        rows = first_and_warm(answers, args.workers)
        print(f"\nFresh workers ({args.workers}), each warmed up as the app's are, then the executive report:")
        for number, row in enumerate(rows, start=1):
            first_wall, first_cpu, _ = row["first"]
            print(f"  worker {number}: ready after {row['ready']:.1f} s; first report {first_wall * 1000:.0f} ms wall "
                  f"/ {first_cpu * 1000:.0f} ms CPU, warm {row['warm_wall'] * 1000:.0f} ms / "
                  f"{row['warm_cpu'] * 1000:.0f} ms; first / warm {first_wall / row['warm_wall']:.2f}x wall, "
                  f"{first_cpu / row['warm_cpu']:.2f}x CPU")
        print(f"  median first / warm: {median(r['first'][0] / r['warm_wall'] for r in rows):.2f}x wall, "
              f"{median(r['first'][1] / r['warm_cpu'] for r in rows):.2f}x CPU (goal <= 1.3x)")

    if args.batch:
        with tempfile.TemporaryDirectory() as folder:
            one = batch_seconds(args.batch, 1, Path(folder), args.example)
            two = batch_seconds(args.batch, 2, Path(folder), args.example)
        print(f"\nBatch of {args.batch} executive reports via cli.py report --out-dir: 1 worker {one:.1f} s, "
              f"2 workers {two:.1f} s, speed-up {one / two:.2f}x (goal >= 1.6x; other work on the machine lowers it)")


if __name__ == "__main__":
    main()

"""The benchmark as a chart and as rows: the same for Results, the PDF and the deck (percentiles and counts only)."""

from __future__ import annotations

import altair as alt

from reports.charts import DEFAULT_ACCENT, GRID, INK, MUTED, WIDTH, _themed
from scoring.benchmark import Benchmark, percentile_text, summary_text


def benchmark_rows(bench: Benchmark) -> list[dict]:
    """One row per domain: name, own index, percentile (or why none), and how many peers it is ranked among."""
    return [{"domain": d.name, "index": None if d.index is None else round(d.index, 1),
             "percentile": d.percentile, "peers": d.n, "reading": percentile_text(d)} for d in bench.domains]


def benchmark_chart(bench: Benchmark, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """Each domain's percentile (0-100) among comparable organisations; the dashed line marks the middle."""
    rows = [{"domain": d.name, "percentile": d.percentile, "label": f"{d.percentile}"}
            for d in bench.domains if d.percentile is not None]
    order = [d.name for d in bench.domains]
    y = alt.Y("domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y)
    bars = base.mark_bar(height=16, cornerRadiusEnd=2, color=accent).encode(
        x=alt.X("percentile:Q", scale=alt.Scale(domain=[0, 100]), title="Percentile among comparable organisations",
                axis=alt.Axis(values=[0, 25, 50, 75, 100], grid=True, gridColor=GRID)))
    labels = base.mark_text(align="left", dx=5, fontSize=11, color=INK).encode(x="percentile:Q", text="label:N")
    middle = alt.Chart(alt.Data(values=[{"at": 50}])).mark_rule(color=MUTED, strokeDash=[4, 3]).encode(x="at:Q")
    return _themed(alt.layer(middle, bars, labels).properties(width=WIDTH, height=max(60, 30 * len(order)), title=alt.Title(
        "Percentile per domain: 50 is the middle of comparable organisations", fontSize=11, color=MUTED,
        fontWeight="normal", anchor="start")))


def benchmark_view(bench: Benchmark | None, accent: str = DEFAULT_ACCENT) -> dict | None:
    """What the PDF's benchmark section shows (the chart as an SVG data: URI); None unless there are enough peers."""
    if bench is None or not bench.available:
        return None
    from reports.charts import chart_svg
    from reports.html import svg_uri

    return {"summary": summary_text(bench), "n": bench.n, "rows": benchmark_rows(bench),
            "chart": svg_uri(chart_svg(benchmark_chart(bench, accent)))}

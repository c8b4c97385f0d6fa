"""The benchmark as a chart and as rows: the same for Results, the PDF and the deck (bands and counts only)."""

from __future__ import annotations

import altair as alt

from i18n import _
from reports.charts import DEFAULT_ACCENT, GRID, INK, MUTED, WIDTH, _themed, chart_svg, svg_uri
from scoring.benchmark import BANDS, Benchmark, percentile_text, summary_text

BAND_WIDTH = 100 // len(BANDS)


def benchmark_rows(bench: Benchmark) -> list[dict]:
    """One row per domain: name, own index, band and its percentile range (or why none), and how many peers it is
    placed among."""
    return [{"domain": d.name, "index": None if d.index is None else round(d.index, 1), "band": d.band_text,
             "percentile": d.percentile, "peers": d.n, "reading": percentile_text(d)} for d in bench.domains]


def benchmark_chart(bench: Benchmark, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """Each domain's fifth among comparable organisations, drawn as the span of percentiles it covers."""
    rows = [{"domain": d.name, "low": d.band * BAND_WIDTH, "high": (d.band + 1) * BAND_WIDTH, "label": d.band_text}
            for d in bench.domains if d.band is not None]
    order = [d.name for d in bench.domains]
    y = alt.Y("domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y)
    spans = base.mark_bar(height=16, cornerRadius=2, color=accent).encode(
        x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100]), title=_("Percentiles among comparable organisations, in fifths"),
                axis=alt.Axis(values=list(range(0, 101, BAND_WIDTH)), grid=True, gridColor=GRID)), x2="high:Q")
    # A label goes right of its span, or left of it for the top fifth, which ends at the chart's edge.
    right = alt.Chart(alt.Data(values=[r for r in rows if r["high"] < 100])).mark_text(
        align="left", dx=5, fontSize=11, color=INK).encode(y=y, x="high:Q", text="label:N")
    left = alt.Chart(alt.Data(values=[r for r in rows if r["high"] >= 100])).mark_text(
        align="right", dx=-5, fontSize=11, color=INK).encode(y=y, x="low:Q", text="label:N")
    middle = alt.Chart(alt.Data(values=[{"at": 50}])).mark_rule(color=MUTED, strokeDash=[4, 3]).encode(x="at:Q")
    return _themed(alt.layer(middle, spans, right, left).properties(width=WIDTH, height=max(60, 30 * len(order)), title=alt.Title(
        _("The fifth each domain stands in among comparable organisations; the dashed line marks the middle"),
        fontSize=11, color=MUTED, fontWeight="normal", anchor="start")),
        _("Bar chart: the fifth each domain stands in among comparable organisations, in percentiles"))


def benchmark_view(bench: Benchmark | None, accent: str = DEFAULT_ACCENT) -> dict | None:
    """What the PDF's benchmark section shows (the chart as an SVG data: URI); None unless there are enough peers."""
    if bench is None or not bench.available:
        return None
    return {"summary": summary_text(bench), "n": bench.n, "rows": benchmark_rows(bench),
            "chart": svg_uri(chart_svg(benchmark_chart(bench, accent)))}

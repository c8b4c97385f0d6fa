"""The report's Altair charts in the app (the same functions as the PDF), when the reports package has them."""

from __future__ import annotations

import json
import textwrap

import streamlit as st

import i18n
from i18n import _
from scoring.engine import Result
from scoring.headline import bar_words
from ui.flow import plain
from ui.state import narrow_screen

CHROME = 110  # pixels of title, axis and legend around the domain chart's plot
PHONE_LABELS = 150  # pixels of step name beside a timeline bar on a phone
PHONE_TITLE = 44  # characters of a chart title's line on a phone: Vega cuts a longer line to the chart's width with "…"
TITLE_LINE = 14  # pixels each further line of a chart's title takes


SPECS_KEPT = 64  # Vega-Lite specs kept (`vega_lite_spec`): the charts of a few pages open at once


def vega_lite_spec(chart) -> dict:
    """The Vega-Lite spec `st.altair_chart` would draw for an Altair chart (its data as Arrow datasets), converted and
    checked against the Vega-Lite schema once per chart content: a page that reruns draws the same charts again, and
    the check costs far more than building the chart. Keyed by the chart's unchecked spec."""
    return _converted(json.dumps(chart.to_dict(validate=False), sort_keys=True, default=repr), chart)


@st.cache_resource(max_entries=SPECS_KEPT, show_spinner=False)
def _converted(key: str, _chart) -> dict:  # noqa: ARG001 - the cache hashes the key (the chart's spec), not the chart
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(_chart)


def draw(chart, key: str, height: int | str = "content") -> None:
    """An Altair chart drawn as `st.altair_chart(chart, theme=None, height=height, key=key)` draws it, from its
    kept spec (`vega_lite_spec`). Streamlit copies the spec before it takes the data out, so the kept one is not
    changed."""
    st.vega_lite_chart(spec=vega_lite_spec(chart), theme=None, height=height, key=key)


def narrow() -> bool:
    """The screen is a phone's."""
    return narrow_screen()


def show(result: Result) -> None:
    """The domain chart and heatmap; a plain table when the chart functions are not available."""
    try:
        from reports.charts import domain_chart, heatmap
    except ImportError:
        _table(result)
        return
    chart = domain_chart(result)
    # Streamlit fits the chart into a default height that squeezes the bars together; give
    # it the spec's own plot height plus room for the title, the axis and the legend.
    plot = chart.height if isinstance(chart.height, int) else 30 * len(result.domains)
    if narrow():  # the title on as many lines as a phone needs, not cut
        spec, lines = phone_title(chart.to_dict())
        st.vega_lite_chart(spec, theme=None, height=plot + CHROME + TITLE_LINE * (lines - 1), key="chart_domains")
    else:
        draw(chart, "chart_domains", plot + CHROME)
    st.caption(_("Each bar is a domain's maturity index: the phases it has completed plus its progress on the next. "
                 "Orange bars hold the organisation back, since it stands where its weakest domain does; the dark "
                 "tick is the domain's target phase."))
    st.dataframe(domain_rows(result), hide_index=True, key="table_domains")
    st.caption(_("Toward the bar: how much of the working phase's threshold a domain's practices reach; it moves "
                 "with every answer raised in that phase."))
    draw(heatmap(result), "chart_heatmap")
    st.caption(_("How much of each phase's practice is in place, domain by domain; ✓ marks a phase that has reached "
                 "its bar. A later phase in place over an open earlier one is a foundation gap."))


def domain_rows(result: Result) -> list[dict]:
    """Each domain's index beside its working phase and how far toward that phase's bar it is."""
    return [{_("Domain"): d.name,
             _("Working on"): (_("Phase {number}").format(number=d.working_phase) if d.working_phase
                               else _("All phases achieved")) if d.assessed else _("Not assessed"),
             _("Index"): _("{index} / 4").format(index=i18n.number(d.index, 1)) if d.assessed else "–",
             _("Toward the bar"): bar_words(d) or "–"} for d in result.domains]


def _table(result: Result) -> None:
    st.table([
        {"Domain": d.name, "Index": f"{d.index:.1f}" if d.assessed else "not assessed",
         "Phases achieved": d.achieved, "Target": d.target}
        for d in result.domains
    ])


def show_progress(comparison, series) -> None:
    """Each domain's index before and now, and the trend over the series once it has enough assessments."""
    from reports.charts import progress_chart, trend_chart
    from reports.html import TREND_FROM

    chart = progress_chart(comparison)
    draw(chart, "chart_progress", chart.height + CHROME)
    st.caption(_("Each domain's maturity index at the earlier assessment, in grey, and now, with the change beside "
                 "it."))
    if len(series) >= TREND_FROM:
        trend = trend_chart(series)
        draw(trend, "chart_trend", trend.height + CHROME)
        st.caption(_("The overall maturity index at each assessment, oldest first, with its value above each point."))


def show_plan(result: Result, slots) -> None:
    """The plan's charts, captioned: every step by effort and impact, and the Now and Next timeline."""
    if not result.actions:
        return
    from reports.charts import matrix_chart, timeline_chart

    st.subheader(_("The plan at a glance"), anchor=False)
    if narrow():  # dots would sit on top of each other on a phone: the steps of each cell by name instead
        show_matrix_cells(result.actions)
    else:
        matrix = matrix_chart(result.actions)
        draw(matrix, "chart_matrix", matrix.height + CHROME)
        st.caption(_("Each dot is a step, numbered by rank and coloured by horizon. Quick wins sit top left: small "
                     "effort, high impact."))
    timeline = timeline_chart(slots)
    if narrow():
        st.vega_lite_chart(phone_timeline(timeline.to_dict()), theme=None, height=timeline.height + CHROME + 20,
                           key="chart_timeline")
    else:
        draw(timeline, "chart_timeline", timeline.height + CHROME)
    st.caption(_("When each Now and Next step runs, in months: a step starts once the steps it builds on are "
                 "done."))


def phone_timeline(spec: dict) -> dict:
    """The timeline for a phone: shorter step names leave the bars room, the legend stacks so it is not cut."""
    for layer in spec.get("layer", []):
        encoding = layer.get("encoding", {})
        if isinstance(encoding.get("y", {}).get("axis"), dict):
            encoding["y"]["axis"]["labelLimit"] = PHONE_LABELS
        if isinstance(encoding.get("color", {}).get("legend"), dict):
            encoding["color"]["legend"]["direction"] = "vertical"
        if isinstance(encoding.get("x", {}).get("title"), str):
            encoding["x"]["title"] = _("Months from the start")
    return spec


def phone_title(spec: dict) -> tuple[dict, int]:
    """The chart's spec with its title broken at spaces into lines that fit a phone, and how many lines it takes."""
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if not isinstance(text, str):
        return spec, 1
    lines = textwrap.wrap(text, PHONE_TITLE, break_long_words=False, break_on_hyphens=False) or [text]
    spec["title"] = {**title, "text": lines} if isinstance(title, dict) else lines
    return spec, len(lines)


def show_matrix_cells(steps) -> None:
    """The effort/impact matrix for a phone: each cell that holds steps, high impact first, with its steps by rank
    and name."""
    from reports.html import MATRIX_EFFORTS, matrix_cells

    lines = [f"**{impact} · {effort}**  \n" + "  \n".join(plain(step) for step in cell.named)
             for impact, cells in matrix_cells(steps) for effort, cell in zip(MATRIX_EFFORTS.values(), cells)
             if cell.named]
    st.container(key="matrix_cells").markdown("\n\n".join(lines))
    st.caption(_("Every step by its impact and the effort it takes. Quick wins are small effort, high impact."))

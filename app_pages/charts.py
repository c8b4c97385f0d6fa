"""The report's Altair charts in the app (the same functions as the PDF), when the reports package has them."""

from __future__ import annotations

import streamlit as st

from scoring.engine import Result


def show(result: Result) -> None:
    """The domain chart and heatmap; a plain table when the chart functions are not available."""
    try:
        from reports.charts import domain_chart, heatmap
    except ImportError:
        _table(result)
        return
    # "pad" keeps the spec's own height; Streamlit's default fitting squeezes the bars together
    st.altair_chart(domain_chart(result).properties(autosize="pad"), theme=None, key="chart_domains")
    st.altair_chart(heatmap(result), theme=None, key="chart_heatmap")


def _table(result: Result) -> None:
    st.table([
        {"Domain": d.name, "Index": f"{d.index:.1f}" if d.assessed else "not assessed",
         "Phases achieved": d.achieved, "Target": d.target}
        for d in result.domains
    ])

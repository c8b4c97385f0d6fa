"""The progress section of a re-assessment or a workshop re-run, drawn the same way on Results and on the
workshop dashboard: the sentence, the phase and index then and now, each domain, the chart, the pilots, and the
steps completed and the new gaps."""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import _
from scoring import progress
from scoring.compare import Comparison, compared_text, progress_rows, shown_index, since_text
from ui import charts, flow


def show(change: Comparison, series=()) -> None:
    """Everything that moved since the baseline (an earlier assessment, or a workshop's first run)."""
    st.header(since_text(change.baseline_date, change.baseline_kind), anchor=False)
    st.container(key="progress_summary").markdown(f"**{flow.plain(progress.progress_sentence(change))}**")
    if change.shared_only:
        st.caption(compared_text(change))
    before, after = st.columns(2)
    before.metric(_("Phase then → now"), f"{change.phase_before} → {change.phase_now}")
    # Every figure as the report prints it: rounded to one decimal in the core, so the browser has nothing to round.
    after.metric(_("Maturity index now"), _("{index} / 4").format(index=i18n.number(shown_index(change.index_now), 1)),
                 delta=_("{change} since then").format(change=_signed(change.index_change)))
    # The rows keep the core's English keys; the columns are labelled in the page's language.
    st.dataframe(progress_rows(change), hide_index=True, key="table_progress", column_config={
        "Domain": st.column_config.TextColumn(_("Domain")),
        **{name: st.column_config.NumberColumn(label, format=shown, width=pixels) for name, label, shown, pixels in (
            ("Index before", _("Index before"), "%.1f", 95), ("Index now", _("Index now"), "%.1f", 85),
            ("Change", _("Change"), "%+.1f", 70))},
        "Bar of the working phase": st.column_config.TextColumn(_("Bar of the working phase"), width="large"),
    })
    st.caption(_(progress.BAR_NOTE))
    charts.show_progress(change, series)
    if change.pilots:
        from reports.html import pilot_figure_row

        st.subheader(_("The pilots then and now"), anchor=False)
        rows = [pilot_figure_row(figure) for figure in change.pilots]
        st.table([{_("Pilots"): row["figure"], _("Then"): row["before"], _("Now"): row["now"],
                   _("Change"): row["change"]} for row in rows], hide_index=True)
    done_col, gap_col = st.columns(2)
    with done_col:
        st.subheader(_("Steps completed · {count}").format(count=len(change.closed_steps)), anchor=False)
        st.markdown("\n".join(f"- {flow.plain(c.action or c.text)}" for c in change.closed_steps) or
                    _("No question rose to its phase's threshold."))
    with gap_col:
        st.subheader(_("New gaps · {count}").format(count=len(change.new_gaps)), anchor=False)
        st.markdown("\n".join(f"- {flow.plain(g.text)}" for g in change.new_gaps) or
                    _("No question fell below its phase's threshold."))


def _signed(value: float) -> str:
    """A change with its sign, to one decimal, in the page's language: +0.4, -0.2 (the ASCII minus, from which
    Streamlit tells a fall from a rise)."""
    return ("-" if value < 0 else "+") + i18n.number(abs(value), 1)

"""The pilot register: the editable table (an assessment's own, or the one a workshop's room keeps) and the
portfolio view of Results and the workshop dashboard (funnel, figures against the reference, triage)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_pages import flow, state
from questionnaires import PhasegateError, Questionnaire
from scoring import register
from scoring.answers import MAX_NOTE, MAX_PILOT_NAME, Pilot
from scoring.pilots import PilotMetrics
from storage import get_engine
from storage import pilots as registers
from storage import repository as repo

STEP = "pilots"  # the assessment step after the domains
LABEL = "Pilot portfolio"
OPEN = "pilot_step"  # the token of the assessment whose Pilot portfolio step is on screen
EDITOR = "pilot_register"  # an assessment's register
ROOM_EDITOR = "room_pilot_register"  # the register a workshop's facilitator keeps for the room
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
LABEL_ROOM = 150  # pixels right of the funnel's plot for its bar labels ("2 here, 2 stuck · 4 got this far")
Saver = Callable[[tuple[Pilot, ...]], None]


# --- the editable table ---------------------------------------------------------------------


def columns(questionnaire: Questionnaire) -> dict:
    """The table's columns: stages and blockers as choices with the questionnaire's labels, months as YYYY-MM."""
    section = questionnaire.pilot_section()
    stages = {stage.id: stage.label for stage in section.stages}
    blockers = {blocker.id: blocker.label for blocker in section.blockers}
    first_active = next((stage.id for stage in section.stages if stage.kind == "active"), None)
    month = "The month, written YYYY-MM (e.g. 2026-03)"
    return {
        "name": st.column_config.TextColumn("Name", max_chars=MAX_PILOT_NAME, width="medium",
                                            help="What the organisation calls the pilot; each name once"),
        "stage": st.column_config.SelectboxColumn("Stage", options=list(stages), format_func=stages.get,
                                                  default=first_active, width="medium",
                                                  help="Where the pilot stands now"),
        "started": st.column_config.TextColumn("Started", validate=MONTH, max_chars=7, width="small",
                                               help=f"{month} the pilot started"),
        "production_since": st.column_config.TextColumn("In production since", validate=MONTH, max_chars=7,
                                                        width="small", help=f"{month} it went live, if it did"),
        "owner": st.column_config.CheckboxColumn("Business owner", default=False,
                                                 help="Is there a named business owner?"),
        "kpi_baseline": st.column_config.CheckboxColumn("KPI baseline", default=False,
                                                        help="Was the KPI it should move measured before the pilot?"),
        "blockers": st.column_config.MultiselectColumn("Blockers", options=list(blockers), format_func=blockers.get,
                                                       width="medium", help="What holds the pilot back, if anything"),
        "value": st.column_config.NumberColumn("Annual value", min_value=0, format="localized",
                                               help="Expected annual value, if known"),
        "note": st.column_config.TextColumn("Note", max_chars=MAX_NOTE),
    }


def _frame(register_now: Sequence[Pilot]) -> pd.DataFrame:
    """The register as the table's data, with column types that hold even when it is empty."""
    rows = [{**row, "production_since": row["production_since"] or ""} for row in register.editor_rows(register_now)]
    frame = pd.DataFrame(rows, columns=list(register.COLUMNS))  # an empty month shows blank, not "None"
    kinds = {"owner": "boolean", "kpi_baseline": "boolean", "value": "Float64"}
    kinds.update({name: object for name in ("name", "stage", "started", "production_since", "blockers", "note")})
    return frame.astype(kinds)


def editor(questionnaire: Questionnaire, register_now: tuple[Pilot, ...], save: Saver, *, key: str) -> None:
    """The register as an editable table. Each edit is checked; a register that passes is saved whole at once,
    and a bad row is named, with what to fix, and nothing of it is saved."""
    st.session_state[f"{key}:base"] = register_now  # the table's edits are relative to what it shows
    if not any((st.session_state.get(key) or {}).values()):  # no edit waits (the table was left): nothing to say
        st.session_state.pop(f"{key}:problems", None)
    st.data_editor(_frame(register_now), key=key, num_rows="dynamic", hide_index=True, width="stretch",
                   column_config=columns(questionnaire), column_order=list(register.COLUMNS),
                   on_change=state.safe(edited), args=(key, questionnaire, save))
    problems = st.session_state.get(f"{key}:problems")
    if problems:
        st.warning("Not saved yet; fix the row and the register is saved as it stands. Everything saved before is "
                   "kept.\n\n" + "\n".join(f"- {flow.plain(line)}" for line in problems), icon=":material/edit_note:")
    else:
        count = len(register_now)
        st.caption(f"{count} pilot{'s' if count != 1 else ''} saved. Add a pilot with + above the table or in its "
                   "empty last row; to remove pilots, select their rows and press Delete. Every change is saved as you "
                   "make it; a spreadsheet's rows can be pasted in.")


def edited(key: str, questionnaire: Questionnaire, save: Saver) -> None:
    """The table's callback: the register as edited, checked, then saved whole; or the problems, kept to show."""
    base = st.session_state.get(f"{key}:base", ())
    rows = register.apply_edits(register.editor_rows(base), st.session_state.get(key))
    try:
        pilots = register.read_rows(rows, questionnaire, dt.date.today())
    except PhasegateError as exc:
        st.session_state[f"{key}:problems"] = exc.lines()
        return
    st.session_state.pop(f"{key}:problems", None)
    if pilots == tuple(base):
        return
    try:
        save(pilots)
    except PhasegateError as exc:  # e.g. the workshop this assessment belongs to has closed
        st.session_state[f"{key}:problems"] = exc.lines()
    except SQLAlchemyError as exc:
        st.session_state[f"{key}:problems"] = [state.SAVE_FAILED.format(reason=exc.__class__.__name__)]


def save_assessment_register(pilots: tuple[Pilot, ...]) -> None:
    """Store the open assessment's register and keep the session's copy in step."""
    now: state.Current = st.session_state["loaded"]
    repo.save_pilots(get_engine(), now.assessment.id, pilots)
    st.session_state["loaded"] = dataclasses.replace(now, assessment=dataclasses.replace(now.assessment, pilots=pilots))


def room_saver(workshop_id: int) -> Saver:
    """Store a workshop room's register."""
    return lambda pilots: registers.save_workshop_register(get_engine(), workshop_id, pilots)


def offered(now: state.Current) -> bool:
    """Only a self-assessment keeps its own register; in a workshop the facilitator keeps the room's."""
    return now.assessment.workshop_id is None


def steps(now: state.Current) -> list[str]:
    """The steps this adds after the domains: the Pilot portfolio step, when offered."""
    return [STEP] if offered(now) else []


def is_open(now: state.Current) -> bool:
    """The Pilot portfolio step is the one on screen."""
    return offered(now) and st.session_state.get(OPEN) == now.assessment.token


def go(step, now: state.Current) -> bool:
    """Open the Pilot portfolio step when `step` names it (True); any other step closes it (False)."""
    wanted = step == STEP and offered(now)
    st.session_state[OPEN] = now.assessment.token if wanted else None
    return wanted


def show_step(now: state.Current, back: Callable[[], None], finish: Callable[[], None]) -> None:
    """The assessment's "Pilot portfolio" step: what the register is for, the table, Previous and Finish."""
    with st.container(key="step_head"):
        st.header(LABEL, anchor=False)
        st.caption("The last step · optional")
    st.write("List the organisation's AI pilots: where each stands, since when, whether it has a business owner "
             "and a KPI baseline, and what holds it back. Results then show how many reach production, which are "
             "stuck, and a verdict for each: scale, fix, stop or continue. The steps in the domains that block "
             "stuck pilots move up the plan. Leave the table empty if there are no pilots yet.")
    editor(now.questionnaire, now.assessment.pilots, save_assessment_register, key=EDITOR)
    previous, done = st.columns(2)
    previous.button("Previous", key="previous", on_click=back, icon=":material/arrow_back:", width="stretch")
    if done.button("Finish", key="finish", icon=":material/flag:", width="stretch", type="primary"):
        finish()


def show_room(questionnaire: Questionnaire, workshop_id: int, metrics: PilotMetrics | None) -> None:
    """The workshop dashboard's register: one for the room, kept by the facilitator, and the room's portfolio."""
    st.header("Pilot portfolio", anchor=False)
    st.write("Keep one register of the client's AI pilots for the whole room: where each stands, since when, who "
             "owns it and what holds it back. Participants neither see nor enter it; the workshop result, its plan "
             "and its report use it.")
    saved = registers.load_workshop_register(get_engine(), workshop_id)
    editor(questionnaire, saved, room_saver(workshop_id), key=ROOM_EDITOR)
    show_portfolio(metrics if saved else None, key="room_pilots", title=None)


# --- the portfolio view ---------------------------------------------------------------------


def show_portfolio(metrics: PilotMetrics | None, *, key: str, title: str | None = "Pilot portfolio") -> None:
    """The funnel, the figures against the article's reference, and the triage table; nothing without a register."""
    if metrics is None or not metrics.total:
        return
    if title:
        st.header(title, anchor=False)
    _funnel(metrics, key)
    figures = register.portfolio_figures(metrics)
    for row in (figures[:4], figures[4:]):
        for column, figure in zip(st.columns(len(row)), row):
            column.metric(figure.label, figure.value)
            column.caption(figure.against)
    st.caption(flow.plain(register.reference_note(metrics)))
    st.subheader("Triage: a verdict per pilot", anchor=False)
    rows = register.triage_rows(metrics)
    if state.narrow_screen():  # a phone: one short paragraph per pilot reads better than six narrow columns
        st.markdown("\n\n".join(f"**{flow.plain(row['Pilot'])}** · {flow.plain(row['Stage'])} · "
                                 f"{row['Age (months)']} months · **{row['Verdict']}**  \n{flow.plain(row['Reason'])}"
                                 for row in rows))
        return
    # A static table, so each reason wraps and is read whole; its cells are markdown, so user text is escaped.
    st.table([{column: flow.plain(value) if isinstance(value, str) else value for column, value in row.items()}
              for row in rows], hide_index=True)


def _funnel(metrics: PilotMetrics, key: str) -> None:
    try:
        from reports.charts import pilot_funnel
    except ImportError:  # charts not available: the stage counts as a table
        st.dataframe([{"Stage": metrics.stage_labels.get(stage, stage), "Pilots": count}
                      for stage, count in metrics.by_stage.items()], hide_index=True, key=f"{key}_stages")
        return
    chart = pilot_funnel(metrics)
    height = chart.height if isinstance(chart.height, int) else 28 * len(metrics.by_stage)
    narrow = state.narrow_screen()
    if narrow:  # a phone: no room beside the bars for their labels (the counts go in a line below) or a wide legend
        chart = chart.copy()
        chart.layer = chart.layer[:1]
    else:  # the chart is fitted to the column: keep room right of the bars for their labels
        chart = chart.properties(padding={"left": 5, "top": 5, "bottom": 5, "right": LABEL_ROOM})
    st.altair_chart(chart.configure_legend(columns=1 if narrow else 2), theme=None,
                    height=height + (170 if narrow else 130), key=f"{key}_funnel")
    st.caption(flow.plain(register.stage_counts(metrics)))

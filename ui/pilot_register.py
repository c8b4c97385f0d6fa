"""The pilot register: the editable table (an assessment's own, or the one a workshop's room keeps) and the
portfolio view of Results and the workshop dashboard (funnel, figures against the reference, triage)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from i18n import _, ngettext
from questionnaires import PhasegateError, Questionnaire
from scoring import register
from scoring.answers import MAX_NOTE, MAX_PILOT_GROUP, MAX_PILOT_NAME, Pilot
from scoring.pilots import PilotMetrics, default_currency
from scoring.words import N_
from storage import get_engine
from storage import pilots as registers
from storage import repository as repo
from storage.errors import StorageError
from ui import flow, session, state

STEP = "pilots"  # the assessment step after the domains
LABEL = N_("Pilot portfolio")  # the step's name: `_(LABEL)` where it is shown
EDITOR = "pilot_register"  # an assessment's register
ROOM_EDITOR = "room_pilot_register"  # the register a workshop's facilitator keeps for the room
LABEL_ROOM = 150  # pixels right of the funnel's plot for its bar labels ("2 here, 2 stuck · 4 got this far")
Saver = Callable[[tuple[Pilot, ...]], None]


# --- the editable table ---------------------------------------------------------------------


def columns(questionnaire: Questionnaire, currency: str = "") -> dict:
    """The table's columns: stages as the questionnaire's labels, blockers as choices with its labels, months as
    YYYY-MM, the value in the organisation's currency. Stage, blockers and months take any text, so that a pasted
    cell reaches the check and a bad one is named (a column that refuses a pasted cell keeps its old value or its
    default without a word)."""
    section = questionnaire.pilot_section()
    blockers = {blocker.id: blocker.label for blocker in section.blockers}
    first_active = next((stage.label for stage in section.stages if stage.kind == "active"), None)
    # The stored column ids stay as they are; only the labels and help speak the page's language.
    return {
        "name": st.column_config.TextColumn(_("Name"), max_chars=MAX_PILOT_NAME, width="medium",
                                            help=_("What the organisation calls the pilot; each name once")),
        "stage": st.column_config.TextColumn(_("Stage"), default=first_active, width="medium",
                                             help=_("Where the pilot stands now: {stages}").format(
                                                 stages=register.stage_labels(questionnaire))),
        "started": st.column_config.TextColumn(  # as wide as its heading needs, in any language
            _("Started"),
            help=_("The month the pilot started, written YYYY-MM (e.g. 2026-03; 03/2026 and Mar 2026 are read too)")),
        "production_since": st.column_config.TextColumn(
            _("In production since"),
            help=_("The month it went live, if it did, written YYYY-MM (e.g. 2026-03; 03/2026 and Mar 2026 are read "
                   "too)")),
        "owner": st.column_config.CheckboxColumn(_("Business owner"), default=False,
                                                 help=_("Is there a named business owner?")),
        "kpi_baseline": st.column_config.CheckboxColumn(_("KPI baseline"), default=False,
                                                        help=_("Was the KPI it should move measured before the "
                                                               "pilot?")),
        "blockers": st.column_config.MultiselectColumn(_("Blockers"), options=list(blockers), format_func=blockers.get,
                                                       accept_new_options=True, width="medium",
                                                       help=_("What holds the pilot back, if anything")),
        "value": st.column_config.NumberColumn(value_label(currency), min_value=0, format="localized",
                                               help=_("Expected annual value, if known, in the currency of the "
                                                      "organisation profile")),
        "group": st.column_config.TextColumn(_("Group"), max_chars=MAX_PILOT_GROUP, width="small", help=group_help()),
        "note": st.column_config.TextColumn(_("Note"), max_chars=MAX_NOTE),
    }


def value_label(currency: str) -> str:
    """The value column's label, with the currency its figures are in."""
    return _("Annual value ({currency})").format(currency=currency or default_currency())


def group_help() -> str:
    """What the group column is for (the table's and the card's)."""
    return _("Optional: the same name for pilots that pursue the same outcome")


def _frame(register_now: Sequence[Pilot], questionnaire: Questionnaire) -> pd.DataFrame:
    """The register as the table's data, with column types that hold even when it is empty."""
    rows = [{**row, "production_since": row["production_since"] or ""}
            for row in register.editor_rows(register_now, questionnaire)]
    frame = pd.DataFrame(rows, columns=list(register.COLUMNS))  # an empty month shows blank, not "None"
    kinds = {"owner": "boolean", "kpi_baseline": "boolean", "value": "Float64"}
    kinds.update({name: object for name in ("name", "stage", "started", "production_since", "blockers", "group",
                                            "note")})
    return frame.astype(kinds)


def editor(questionnaire: Questionnaire, register_now: tuple[Pilot, ...], save: Saver, *, key: str,
           currency: str = "") -> None:
    """The register as an editable table on a desktop, as one card per pilot on a phone. Each edit is checked; a
    register that passes is saved whole at once, and a bad row is named, with what to fix, and nothing of it is
    saved."""
    if state.narrow_screen():
        cards(questionnaire, register_now, save, key=key, currency=currency)
        return
    shown = _shown_register(key, register_now)
    if not _pending(key):  # no edit waits (the table was left): nothing to say
        st.session_state.pop(f"{key}:problems", None)
    st.data_editor(_frame(shown, questionnaire), key=key, num_rows="dynamic", hide_index=True, width="stretch",
                   column_config=columns(questionnaire, currency), column_order=list(register.COLUMNS),
                   on_change=state.safe(edited), args=(key, questionnaire, save))
    problems = st.session_state.get(f"{key}:problems")
    if problems:
        st.warning(_("Not saved yet; fix the row and the register is saved as it stands. Everything saved before is "
                     "kept.\n\n{problems}").format(problems="\n".join(f"- {flow.plain(line)}" for line in problems)),
                   icon=":material/edit_note:")
    else:
        count = len(register_now)
        st.caption(ngettext("{count} pilot saved. Add a pilot with + above the table or in its empty last row; to "
                            "remove pilots, select their rows and press Delete. Every change is saved as you make it; "
                            "a spreadsheet's rows can be pasted in.",
                            "{count} pilots saved. Add a pilot with + above the table or in its empty last row; to "
                            "remove pilots, select their rows and press Delete. Every change is saved as you make it; "
                            "a spreadsheet's rows can be pasted in.", count).format(count=count))


def _pending(key: str) -> bool:
    """The table holds edits of its own (made since it was drawn from the register)."""
    return any((st.session_state.get(key) or {}).values())


def _shown_register(key: str, register_now: tuple[Pilot, ...]) -> tuple[Pilot, ...]:
    """The register the table is drawn from. Streamlit's table is a new widget whenever its data changes (it
    closes full screen, scrolls back and loses the selected cell), so after a save whose cells read back exactly
    as typed the table keeps its data and its edits; it is redrawn from the register when a save changed what
    was typed (a month tidied, a label written out, a blank row dropped), or the register changed elsewhere."""
    shown = st.session_state.get(f"{key}:shown")
    kept = st.session_state.get(f"{key}:stored") == register_now and _pending(key)
    if shown is None or not kept:
        shown = register_now
    st.session_state[f"{key}:shown"] = shown
    st.session_state[f"{key}:stored"] = register_now
    return shown


def _same_cells(rows: Sequence[dict], stored: Sequence[dict]) -> bool:
    """The table's rows show exactly the stored register's (empty cells alike however empty they are)."""
    def cells(row: dict) -> tuple:
        return tuple(_plain_cell(row.get(field)) for field in register.COLUMNS)
    return [cells(row) for row in rows] == [cells(row) for row in stored]


def _plain_cell(value):
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy scalars and arrays
        value = value.tolist()
    if value is None or value == "" or value == [] or (isinstance(value, float) and value != value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def edited(key: str, questionnaire: Questionnaire, save: Saver) -> None:
    """The table's callback: the register as edited, checked, then saved whole; or the problems, kept to show."""
    shown = st.session_state.get(f"{key}:shown", ())
    rows = register.apply_edits(register.editor_rows(shown, questionnaire), st.session_state.get(key))
    pilots = _store(key, rows, questionnaire, save)
    if pilots is not None and not _same_cells(rows, register.editor_rows(pilots, questionnaire)):
        st.session_state[f"{key}:shown"] = None  # redraw the table from what was stored


def _store(key: str, rows: Sequence[dict], questionnaire: Questionnaire, save: Saver) -> tuple[Pilot, ...] | None:
    """Check the rows and save them whole: the register as newly stored; None when there was nothing new to store
    or it could not be stored (then with the problems kept to show)."""
    try:
        pilots = register.read_rows(rows, questionnaire, dt.date.today())
    except PhasegateError as exc:
        st.session_state[f"{key}:problems"] = exc.lines()
        return None
    st.session_state.pop(f"{key}:problems", None)
    if pilots == tuple(st.session_state.get(f"{key}:stored", ())):
        return None
    try:
        save(pilots)
    except StorageError as exc:
        st.session_state[f"{key}:problems"] = [_(state.SAVE_FAILED).format(reason=exc.reason)]
        return None
    except PhasegateError as exc:  # e.g. the workshop this assessment belongs to has closed
        st.session_state[f"{key}:problems"] = exc.lines()
        return None
    st.session_state[f"{key}:stored"] = pilots
    return pilots


# --- the register on a phone: one card per pilot ---------------------------------------------------------


def cards(questionnaire: Questionnaire, register_now: tuple[Pilot, ...], save: Saver, *, key: str,
          currency: str = "") -> None:
    """The register on a phone: one card (a form of its own, saved with its own button) per pilot, and a card for
    a new one. A card that cannot be saved keeps what was typed and names what to fix; nothing of it is stored."""
    st.session_state[f"{key}:stored"] = register_now
    drawn = st.session_state.setdefault(f"{key}:drawn", 0)  # a new set of cards after each save: stored values
    count = len(register_now)
    st.caption(ngettext("{count} pilot saved. Each card is saved with its own Save button; add a pilot with the last "
                        "card.", "{count} pilots saved. Each card is saved with its own Save button; add a pilot with "
                        "the last card.", count).format(count=count))
    rows = register.editor_rows(register_now, questionnaire)
    # One container for every card: what follows keeps its place on the page however many cards there are, so
    # it is not drawn anew (nor a script in it run again) when a pilot is added or deleted.
    with st.container(key=f"{key}_cards"):
        for position, row in enumerate(rows):
            _card(questionnaire, key, drawn, position, row, save, currency)
        _card(questionnaire, key, drawn, count, None, save, currency)


CARD_FIELDS = ("name", "stage", "started", "production_since", "owner", "kpi_baseline", "blockers", "value", "group",
               "note")


def _card(questionnaire: Questionnaire, key: str, drawn: int, position: int, row: dict | None, save: Saver,
          currency: str) -> None:
    """One pilot's card, or (without a row) the card that adds one."""
    section = questionnaire.pilot_section()
    stages = {stage.label: stage.label for stage in section.stages}
    blockers = {blocker.id: blocker.label for blocker in section.blockers}
    card = f"{key}_card_{position}" if row is not None else f"{key}_card_new"
    field = lambda name: f"{card}:{name}:{drawn}"  # noqa: E731 - a fresh widget per save shows what was stored
    row = row or {"stage": next((s.label for s in section.stages if s.kind == "active"), None), "blockers": []}
    month = _("Month, e.g. 2025-06 (06/2025 and Jun 2025 are read too)")
    with st.container(key=card), st.form(key=f"{card}:form", enter_to_submit=False):
        if row.get("name"):
            st.markdown(f"**{flow.plain(row['name'])}**")
        else:
            st.markdown("**" + _("Add a pilot") + "**")
        st.text_input(_("Name"), value=row.get("name") or "", max_chars=MAX_PILOT_NAME, key=field("name"))
        labels = list(stages)
        shown_stage = row.get("stage") if row.get("stage") in stages else None
        st.selectbox(_("Stage"), labels, index=labels.index(shown_stage) if shown_stage else None,
                     key=field("stage"), placeholder=_("Where the pilot stands"))
        started, live = st.columns(2)
        started.text_input(_("Started"), value=row.get("started") or "", placeholder=_("YYYY-MM"), help=month,
                           key=field("started"))
        live.text_input(_("In production since"), value=row.get("production_since") or "", placeholder=_("YYYY-MM"),
                        help=_("{month}; only once it went live").format(month=month), key=field("production_since"))
        owner, kpi = st.columns(2)
        owner.checkbox(_("Business owner"), value=bool(row.get("owner")), key=field("owner"))
        kpi.checkbox(_("KPI baseline"), value=bool(row.get("kpi_baseline")), key=field("kpi_baseline"))
        st.multiselect(_("Blockers"), list(blockers), default=[b for b in row.get("blockers") or [] if b in blockers],
                       format_func=blockers.get, key=field("blockers"), placeholder=_("None"))
        st.number_input(value_label(currency), min_value=0.0, step=1000.0,
                        value=row.get("value"), format="%.0f", key=field("value"))
        st.text_input(_("Group"), value=row.get("group") or "", max_chars=MAX_PILOT_GROUP, key=field("group"),
                      help=group_help())
        st.text_area(_("Note"), value=row.get("note") or "", max_chars=MAX_NOTE, key=field("note"), height=68)
        problems = st.session_state.get(f"{card}:problems")
        if problems:
            st.warning(_("Not saved yet; fix this and save again.\n\n{problems}").format(
                problems="\n".join(f"- {flow.plain(line)}" for line in problems)), icon=":material/edit_note:")
        args = (questionnaire, key, card, position, save)
        if position < len(st.session_state[f"{key}:stored"]):
            keep, drop = st.columns(2)
            keep.form_submit_button(_("Save"), key=f"{card}:save", icon=":material/save:", type="primary",
                                    width="stretch", on_click=state.safe(_card_saved), args=args)
            drop.form_submit_button(_("Delete"), key=f"{card}:delete", icon=":material/delete:", width="stretch",
                                    on_click=state.safe(_card_deleted), args=args)
        else:
            st.form_submit_button(_("Add pilot"), key=f"{card}:add", icon=":material/add:", type="primary",
                                  width="stretch", on_click=state.safe(_card_saved), args=args)


def _card_values(card: str, drawn: int) -> dict:
    """What a card's fields hold now, as one table row."""
    return {name: st.session_state.get(f"{card}:{name}:{drawn}") for name in CARD_FIELDS}


def _card_saved(questionnaire: Questionnaire, key: str, card: str, position: int, save: Saver) -> None:
    """A card's Save (or Add pilot): the register with this card's pilot in its place, checked and saved whole."""
    stored = st.session_state.get(f"{key}:stored", ())
    rows = register.editor_rows(stored, questionnaire)
    values = _card_values(card, st.session_state.get(f"{key}:drawn", 0))
    if position >= len(rows) and not any(values[name] for name in ("name", "started", "note")):
        st.session_state[f"{card}:problems"] = [_("Give the new pilot a name, a stage and the month it started.")]
        return
    rows[position:position + 1] = [values]
    _card_done(key, card, _store(key, rows, questionnaire, save))


def _card_deleted(questionnaire: Questionnaire, key: str, card: str, position: int, save: Saver) -> None:
    """A card's Delete: the register without this pilot, saved whole."""
    rows = register.editor_rows(st.session_state.get(f"{key}:stored", ()), questionnaire)
    del rows[position]
    _card_done(key, card, _store(key, rows, questionnaire, save))


def _card_done(key: str, card: str, stored: tuple[Pilot, ...] | None) -> None:
    """After a card's save: fresh cards showing what was stored, or this card's problems kept beside it."""
    problems = st.session_state.pop(f"{key}:problems", None)
    if problems:
        st.session_state[f"{card}:problems"] = problems
        return
    for name in [name for name in st.session_state if str(name).startswith(f"{key}_card_")
                 and str(name).endswith(":problems")]:
        del st.session_state[name]
    if stored is not None:
        st.session_state[f"{key}:drawn"] = st.session_state.get(f"{key}:drawn", 0) + 1


def save_assessment_register(pilots: tuple[Pilot, ...]) -> None:
    """Store the open assessment's register and keep the session's copy in step."""
    now: state.Current = session.LOADED.value
    repo.save_pilots(get_engine(), now.assessment.id, pilots)
    session.LOADED.value = dataclasses.replace(now, assessment=dataclasses.replace(now.assessment, pilots=pilots))


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
    return offered(now) and session.PILOT_STEP.get() == now.assessment.token


def go(step, now: state.Current) -> bool:
    """Open the Pilot portfolio step when `step` names it (True); any other step closes it (False)."""
    wanted = step == STEP and offered(now)
    session.PILOT_STEP.value = now.assessment.token if wanted else None
    return wanted


def show_step(now: state.Current, back: Callable[[], None], finish: Callable[[], None]) -> None:
    """The assessment's "Pilot portfolio" step: what the register is for, the table, Previous and Finish (`back` and
    `finish` are the buttons' callbacks)."""
    with st.container(key="step_head"):
        st.header(_(LABEL), anchor=False)
        st.caption(_("The last step · optional"))
    st.write(_("List the organisation's AI pilots: where each stands, since when, whether it has a business owner "
               "and a KPI baseline, and what holds it back. Results then show how many reach production, which are "
               "stuck, and a verdict for each: scale, fix, merge, stop or continue. The steps that remove what "
               "holds stuck pilots back move up the plan. {empty}").format(
                   empty=_("Add no card if there are no pilots yet.") if state.narrow_screen()
                   else _("Leave the table empty if there are no pilots yet.")))
    editor(now.questionnaire, now.assessment.pilots, save_assessment_register, key=EDITOR,
           currency=(now.assessment.profile or {}).get("currency", ""))
    previous, done = st.columns(2)
    previous.button(_("Previous"), key="previous", on_click=back, icon=":material/arrow_back:", width="stretch")
    done.button(_("Finish"), key="finish", icon=":material/flag:", width="stretch", type="primary", on_click=finish)


def show_room(questionnaire: Questionnaire, workshop_id: int, metrics: PilotMetrics | None, currency: str = "",
              save: Saver | None = None) -> None:
    """The workshop dashboard's register: one for the room, kept by the facilitator, and the room's portfolio;
    `save` stores an edited register (by default, straight to the workshop)."""
    st.header(_(LABEL), anchor=False)
    st.write(_("Keep one register of the client's AI pilots for the whole room: where each stands, since when, who "
               "owns it and what holds it back. Participants neither see nor enter it; the workshop result, its plan "
               "and its report use it."))
    saved = registers.load_workshop_register(get_engine(), workshop_id)
    editor(questionnaire, saved, save or room_saver(workshop_id), key=ROOM_EDITOR, currency=currency)
    show_portfolio(metrics if saved else None, key="room_pilots", title=None)


# --- the portfolio view ---------------------------------------------------------------------


def show_portfolio(metrics: PilotMetrics | None, *, key: str, title: str | None = LABEL) -> None:
    """The funnel, the figures against the article's reference, and the triage table; nothing without a register
    (`title` is translated where it is shown)."""
    if metrics is None or not metrics.total:
        return
    if title:
        st.header(_(title), anchor=False)
    _funnel(metrics, key)
    figures = register.portfolio_figures(metrics)
    for row in (figures[:4], figures[4:]):
        for column, figure in zip(st.columns(len(row)), row):
            column.metric(figure.label, figure.value)
            column.caption(figure.against)
    st.caption(flow.plain(register.reference_note(metrics)))
    st.subheader(_("Triage: a verdict per pilot"), anchor=False)
    rows = register.triage_rows(metrics)
    if state.narrow_screen():  # a phone: one short paragraph per pilot reads better than six narrow columns
        st.markdown("\n\n".join(
            ngettext("**{pilot}** · {stage} · {months} month · **{verdict}**  \n{reason}",
                     "**{pilot}** · {stage} · {months} months · **{verdict}**  \n{reason}", row["Age (months)"]).format(
                pilot=flow.plain(row["Pilot"]), stage=flow.plain(row["Stage"]), months=row["Age (months)"],
                verdict=row["Verdict"], reason=flow.plain(row["Reason"])) for row in rows))
        return
    # A static table, so each reason wraps and is read whole; its cells are markdown, so user text is escaped. The
    # rows keep their English keys (the core's); only the headings are translated.
    headings = triage_headings()
    st.table([{headings.get(column, column): flow.plain(value) if isinstance(value, str) else value
               for column, value in row.items()} for row in rows], hide_index=True)


def triage_headings() -> dict[str, str]:
    """The triage table's headings in the page's language, by the core's column names."""
    return {"Pilot": _("Pilot"), "Stage": _("Stage"), "Age (months)": _("Age (months)"), "Verdict": _("Verdict"),
            "Reason": _("Reason"), "Waiting on": _("Waiting on")}


def _funnel(metrics: PilotMetrics, key: str) -> None:
    try:
        from reports.charts import pilot_funnel
    except ImportError:  # charts not available: the stage counts as a table
        st.dataframe([{_("Stage"): metrics.stage_labels.get(stage, stage), _("Pilots"): count}
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

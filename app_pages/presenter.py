"""Presenter view, for the projector: the join code and QR code with the room's progress, then discussion mode,
one disputed question at a time, its answers by role and the agreed answer recorded inline.

It opens with the facilitator's access (the secret link kept by this browser, or signed in as a consultant the
workshop belongs to), by the workshop's id alone, so a reload or a restarted server brings it back. It never shows
the secret link, nor any of the dashboard's controls, nor a participant's notes, and it closes at its next refresh
once that access ends. It speaks the workshop's engagement language.
"""

import streamlit as st

import services
from i18n import _
from questionnaires import PhasegateError
from reports import workshop_charts as wc
from scoring.answers import answer_label
from storage import drafts, get_engine
from storage import workshops as ws
from ui import auth, engagement, flow, session, state
from ui.flow import plain

REFRESH_SECONDS = 3
JOIN, DISCUSS = "Join", "Discussion"  # the modes' values (their labels are in the language of the page)
VIEW, QUESTION = "view", "q"  # the address's record of the mode and the disputed question on screen

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
engine = get_engine()


workshop = auth.facilitated_workshop(engine, remember=False)
if workshop is None:
    auth.no_access("presenter view")
engagement.speak(workshop)  # the workshop's language, whatever the browser's or a participant's
st.set_page_config(page_title=_("Presenter view"))
questionnaire = state.library().find(workshop.questionnaire_id, workshop.questionnaire_version)
if questionnaire is None:
    st.error(_("The questionnaire '{questionnaire}' {version} is no longer offered here.").format(
        questionnaire=workshop.questionnaire_id, version=workshop.questionnaire_version))
    st.stop()
questionnaire = state.in_language(questionnaire)  # the room's questions and answers in the engagement language
MODES = {JOIN: _("Join"), DISCUSS: _("Discussion")}
accent = wc.workshop_branding(workshop).color
st.html(wc.PRESENTER_CSS)

title_col, mode_col = st.columns([3, 1], vertical_alignment="center")
rerun_of = wc.rerun_text(engine, workshop)
title = _("{client} · {questionnaire} · re-run") if rerun_of else _("{client} · {questionnaire}")
title_col.markdown("### " + title.format(client=plain(workshop.client), questionnaire=plain(questionnaire.title)))
# The mode and the disputed question on screen are in the address too, so a reload, or a page reconnected to
# another server, opens where the room was.
mode = mode_col.segmented_control(_("Mode"), [JOIN, DISCUSS], key="presenter_mode", label_visibility="collapsed",
                                  format_func=MODES.get,
                                  default=DISCUSS if st.query_params.get(VIEW) == DISCUSS.lower() else JOIN,
                                  width="stretch")
if mode == DISCUSS:
    st.query_params[VIEW] = DISCUSS.lower()
else:
    st.query_params.pop(VIEW, None)
    st.query_params.pop(QUESTION, None)


@st.fragment(run_every=REFRESH_SECONDS)
@state.database_errors_in_one_line
def room(joining: bool = False) -> None:
    """The room's progress, refreshed while people answer; with `joining`, the join code and QR code above it
    while the workshop is open, and "Closed" in their place once it is not."""
    current = auth.refresh_or_leave(engine)
    if joining and current.is_closed():
        st.markdown("# " + _("Closed"))
        st.write(_("The workshop is closed: no more answers are accepted. Thank you for taking part."))
    elif joining:
        link = flow.join_link(state.base_url(), current.display_code, current.language)
        text_col, qr_col = st.columns([5, 2], vertical_alignment="center")
        text_col.html(wc.join_panel_html(current.display_code, link, accent))
        qr_col.image(wc.join_qr_svg(link), caption=_("Scan to join"), width="stretch",
                     alt=_("QR code of the join link, {link}").format(link=link))
        problem = auth.unreachable_link_problem()
        if problem:
            st.warning(problem, icon=":material/wifi_off:")
    _people, result = services.aggregate_stored(engine, current, questionnaire)
    st.html(wc.room_html(result, accent))
    if current.is_closed() and not joining:
        st.info(_("The workshop is closed: no more answers are accepted."), icon=":material/lock:")


def join_screen() -> None:
    room(joining=True)


def step(offset: int, disputed: list[str]) -> None:
    """Move to the previous or next disputed question (a button callback)."""
    now = session.PRESENTER_QUESTION.get()
    at = disputed.index(now) if now in disputed else 0
    session.PRESENTER_QUESTION.value = disputed[max(0, min(len(disputed) - 1, at + offset))]


@st.fragment(run_every=REFRESH_SECONDS)
@state.database_errors_in_one_line
def answers_by_role(question_id: str) -> None:
    """The room's answers to one question, by role, refreshed as late answers come in."""
    _people, result = services.aggregate_stored(engine, auth.refresh_or_leave(engine), questionnaire)
    stats = result.question(question_id)
    st.altair_chart(wc.role_answer_chart(stats, [r.name for r in result.roles]), theme=None, key="presenter_chart")
    median = next((d.median_value for d in result.decisions if d.question == question_id), stats.workshop_value)
    st.markdown(plain(_("{dispute} · the room's median: {answer}").format(
        dispute=wc.dispute_text(stats), answer=answer_label(questionnaire, questionnaire.question(question_id), median))))


@state.safe  # in the page's language, as a callback runs without the router
def record(question_id: str) -> None:
    """Store the agreed answer typed in the form (a button callback); a problem becomes a message. Nothing is
    stored once the access this view had has ended; the run that follows says so."""
    if not auth.allowed(engine):
        return
    value = st.session_state.get(f"presenter_agreed:{question_id}")
    note = st.session_state.get(f"presenter_note:{question_id}") or ""
    if value is None or value == []:
        session.PRESENTER_FLASH.value = ("warning", _("Choose the answer the room agreed on first."))
        return
    try:
        ws.save_consensus(engine, workshop.id, question_id, value, note)
        drafts.drop_consensus_draft(engine, workshop.id, question_id)
    except PhasegateError as exc:
        session.PRESENTER_FLASH.value = ("error", " ".join(exc.lines()))


@state.safe
def keep_draft(question_id: str) -> None:
    """Keep the answer chosen and the note typed so far in the database (a widget callback), so a server that
    stops before they are recorded does not take them along."""
    if not auth.allowed(engine):
        return
    value = st.session_state.get(f"presenter_agreed:{question_id}")
    note = st.session_state.get(f"presenter_note:{question_id}") or ""
    try:
        drafts.keep_consensus_draft(engine, workshop.id, question_id, value, note)
    except PhasegateError as exc:
        session.PRESENTER_FLASH.value = ("error", " ".join(exc.lines()))


def agreed_form(question_id: str, result) -> None:
    question = questionnaire.question(question_id)
    stats = result.question(question_id)
    decision = next((d for d in result.decisions if d.question == question_id), None)
    values = [c.value for c in stats.distribution]
    labels = {c.value: c.label for c in stats.distribution}
    if decision is not None:
        agreed_text = (_("Agreed: {answer} — {note}") if decision.note else _("Agreed: {answer}")).format(
            answer=plain(decision.label), note=plain(decision.note))
        st.success(agreed_text, icon=":material/handshake:")
    agreed, note = decision.value if decision else None, decision.note if decision else ""
    if f"presenter_agreed:{question_id}" not in st.session_state:  # first drawn in this session: a draft wins
        draft = drafts.consensus_draft(engine, workshop.id, question_id)
        if draft is not None:
            agreed, note = draft.value, draft.note
            st.caption(_("Chosen and written before the page was opened again; not recorded yet."))
    if question.type == "multi":
        chosen = [v for v in values if v not in ("dont_know", "na")]
        st.multiselect(_("Agreed answer"), chosen, format_func=labels.get, key=f"presenter_agreed:{question_id}",
                       default=[v for v in (agreed or []) if v in chosen], on_change=keep_draft, args=(question_id,))
    else:
        st.radio(_("Agreed answer"), values, format_func=labels.get, key=f"presenter_agreed:{question_id}",
                 index=values.index(agreed) if agreed in values else None, on_change=keep_draft,
                 args=(question_id,))
    st.text_area(_("Note (why the room agreed)"), key=f"presenter_note:{question_id}", max_chars=2000, height=110,
                 value=note, on_change=keep_draft, args=(question_id,))
    st.button(_("Record agreed answer"), key="presenter_record", type="primary", icon=":material/handshake:",
              on_click=record, args=(question_id,), width="stretch")
    flash = session.PRESENTER_FLASH.pop()
    if flash:
        getattr(st, flash[0])(plain(flash[1]))


def discussion_screen() -> None:
    _people, result = services.aggregate_stored(engine, ws.get_workshop(engine, workshop.id), questionnaire)
    disputed = [s.id for s in result.disagreements]
    if not disputed:
        st.success(_("No disputed question: the room's answers lie within one level of each other everywhere."),
                   icon=":material/check_circle:")
        room()
        return
    current = session.PRESENTER_QUESTION.get(st.query_params.get(QUESTION))
    if current not in disputed:
        current = disputed[0]
    session.PRESENTER_QUESTION.value = current
    st.query_params[QUESTION] = current
    at = disputed.index(current)
    question = questionnaire.question(current)
    stats = result.question(current)
    back, where, forward = st.columns([1, 4, 1], vertical_alignment="center")
    back.button(_("Previous"), key="presenter_previous", icon=":material/arrow_back:", disabled=at == 0,
                on_click=step, args=(-1, disputed), width="stretch")
    domain = plain(questionnaire.domain(question.domain).name)
    where.markdown(_("**Disputed question {number} of {count}** · {domain} · phase {phase}").format(
        number=at + 1, count=len(disputed), domain=domain, phase=question.phase))
    forward.button(_("Next"), key="presenter_next", icon=":material/arrow_forward:", disabled=at == len(disputed) - 1,
                   on_click=step, args=(1, disputed), width="stretch")
    st.markdown(f"## {plain(stats.text)}")  # as the room was asked it, in the words for the client's size
    chart_col, form_col = st.columns([3, 2], gap="large")
    with chart_col:
        answers_by_role(current)
    with form_col:
        agreed_form(current, result)
    if stats.n == 0:
        st.caption(_("Nobody has given a real answer to this question yet."))


if mode == DISCUSS:
    discussion_screen()
else:
    join_screen()

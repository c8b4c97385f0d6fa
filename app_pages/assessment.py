"""Assessment: one domain per step (or one question per screen), progress and time left, every answer saved as it
is given; every step change brings the step's heading to the top of the screen."""

import streamlit as st

import services
from i18n import _, ngettext
from questionnaires import PhasegateError
from scoring import progress
from storage import get_engine
from storage import workshops as ws
from ui import flow, pilot_register, session, state
from ui.questions import (bottom_bar_style, pending_saved, phone_layout, question_key, show_one_question,
                                 show_question)

now = state.current()
if state.just_opened() and now.assessment.finished:  # a finished assessment reopens on its results
    st.switch_page(state.RESULTS, query_params={"a": now.assessment.token})
questionnaire = now.questionnaire.for_size((now.assessment.profile or {}).get("size"))  # asked as fits its size
# An answer whose callback did not get to run (another widget's callback failed first) is saved now.
if pending_saved(questionnaire, now.saved):
    now = state.current()
result = state.result(now)
done = progress.progress(questionnaire, result)
unconfirmed = progress.unconfirmed(questionnaire, result, now.carried)  # carried-over answers Finish asks to confirm
domains = questionnaire.domains
order = flow.question_order(questionnaire, result)
token = now.assessment.token

if not session.STEP.held() or session.STEP_TOKEN.get() != token:
    session.STEP.value = progress.first_open_step(questionnaire, result)
    session.STEP_TOKEN.value = token
    opened = flow.first_open(order, result)
    session.FOCUS.value = opened.id if opened else None
    session.MOVED.value = 1 if now.saved else 0  # resuming: straight to the first open question
session.ONE_AT_A_TIME.setdefault(state.narrow_screen())
focus_mode = session.ONE_AT_A_TIME.value
alone = None  # the question drawn alone on the screen, one per screen


def standing():
    """The questions in order and the score as the answers stand now: a callback runs before the page does, and
    answers given in a question's piece since the page last ran are not in `order` and `result`."""
    scored = state.result(session.LOADED.value)
    return flow.question_order(questionnaire, scored), scored


def moved() -> None:
    """Count a step change, so the page scrolls to the new step's heading."""
    session.MOVED.value = session.MOVED.get(0) + 1
    session.SCROLL_KEY.value = "step_head"
    session.MISSING.pop()


@state.safe
def go_to(step) -> None:
    """Show another step; anything that is not a step (a stale label, a removed domain) leaves the step as it is."""
    if pilot_register.go(step, now):  # the Pilot portfolio step, after the domains
        return moved()
    chosen = progress.step_index(questionnaire, step)
    if chosen is not None:
        session.STEP.value = chosen
        opened = flow.first_open(*standing(), domains[chosen].id)
        session.FOCUS.value = opened.id if opened else session.FOCUS.get()
    moved()


@state.safe
def go_to_question(question_id: str) -> None:
    """Show this question (one per screen). Previous and Next name the question they lead to, not a position,
    so a tap on a button drawn a moment ago still leads where that button said."""
    question = questionnaire.question(question_id)
    session.FOCUS.value = question.id
    session.STEP.value = next(i for i, d in enumerate(domains) if d.id == question.domain)
    moved()


def back_from_pilots() -> None:
    """Previous on the Pilot portfolio step: the last domain, or its last question when one is shown per screen."""
    if focus_mode and order:
        pilot_register.go(None, now)
        go_to_question(order[-1].id)
    else:
        go_to(len(domains) - 1)


@state.safe
def switch_mode() -> None:
    """Keep the place when switching between one step and one question per screen."""
    if session.ONE_AT_A_TIME.value:
        step_domain = domains[session.STEP.value].id
        now_order, scored = standing()
        focused = next((q for q in now_order if q.id == session.FOCUS.get()), None)
        if focused is None or focused.domain != step_domain:
            opened = flow.first_open(now_order, scored, step_domain)
            session.FOCUS.value = opened.id if opened else None
    moved()


@state.safe
def finish() -> None:
    """Finish and show the results (a callback); first the open required questions, then the carried-over answers
    to confirm. Judged from what is stored as Finish is pressed, never from what the page last drew: an answer given
    just before it is saved first (its own callback may come after this one) and then read back with the rest."""
    pending_saved(questionnaire, session.LOADED.value.saved)
    current = state.reread()
    scored = state.result(current)
    open_required = progress.progress(questionnaire, scored).open_required
    if open_required:
        session.MISSING.value = open_required
        session.MOVED.value = session.MOVED.get(0) + 1  # bring the list of what is open into view
        session.SCROLL_KEY.value = "missing_box"
        return
    if progress.unconfirmed(questionnaire, scored, current.carried):
        session.CONFIRM_BEFORE_FINISH.value = token
        session.MOVED.value = session.MOVED.get(0) + 1  # bring the question into view
        session.SCROLL_KEY.value = "finish_prompt"
        return
    try:
        services.finish_assessment(get_engine(), current.assessment.id)
    except PhasegateError as exc:  # e.g. the workshop has closed; or the database did not answer
        session.FLASH.value = state.refusal(exc)
        return
    state.refresh_assessment()
    state.switch_soon(state.RESULTS, a=token)


@state.safe
def confirm_and_finish(question_ids: tuple[str, ...]) -> None:
    """Confirm the carried-over answers as they are, finish, and open the results."""
    state.confirm(question_ids)
    if set(question_ids) & session.LOADED.value.carried:
        return  # not confirmed: the message left by `state.confirm` says why
    if state.stored_by_callback(services.finish_assessment, now.assessment.id):
        session.CONFIRM_BEFORE_FINISH.pop()
        state.switch_soon(state.RESULTS, a=token)


@state.safe
def review(question_id: str) -> None:
    """Show the first carried-over answer still to confirm."""
    session.CONFIRM_BEFORE_FINISH.pop()
    question = questionnaire.question(question_id)
    pilot_register.go(None, now)
    session.STEP.value = next(i for i, d in enumerate(domains) if d.id == question.domain)
    session.FOCUS.value = question_id
    moved()
    session.SCROLL_KEY.value = question_key(question)


st.title(questionnaire.title)
if now.assessment.organisation:
    st.caption(_("For {organisation}").format(organisation=flow.plain(now.assessment.organisation)))
# The counters an answer changes are drawn into places of their own, which the answered question's piece fills
# again on its own run (see `answer_piece`): the progress, the steps' counts and this step's count.
counters = {"progress": st.empty()}
counters["progress"].progress(done.fraction, text=done.text())
state.show_notice()
workshop = ws.workshop_of(get_engine(), now.assessment) if now.assessment.workshop_id is not None else None
if workshop is not None and workshop.is_closed():
    st.info(_("The workshop for {client} is closed, so answers can no longer be changed. Everything you saved is "
              "kept.").format(client=flow.plain(workshop.client)), icon=":material/lock:")
newer = state.newer_version(now)
if newer is not None:
    with st.container(border=True):
        st.write(_("A new version of this questionnaire is available ({new}; you are answering {current}). Your "
                   "answers carry over, and anything that cannot is listed.").format(new=newer.version,
                                                                                    current=questionnaire.version))
        st.button(_("Continue on the new version"), key="continue_new_version", icon=":material/update:",
                  on_click=state.safe(state.continue_on), args=(newer.version,))
state.show_carried_notes()
copied = session.IMPORTED_COPY.get()
if copied is not None and copied[0] == token:
    st.info(_("This is a new assessment made from {file}, with a private link of its own (below). The assessment "
              "the file came from is not changed.").format(file=flow.plain(copied[1])), icon=":material/content_copy:")
# The link is shown open once, the first time an assessment is on screen; after that it stays folded away.
seen = session.LINK_SEEN.setdefault(set())
fresh = not now.saved or copied is not None and copied[0] == token  # new, or a copy with a new link
with st.expander(_("Your private resume link"), icon=":material/link:", expanded=token not in seen and fresh):
    st.write(_("Anyone with this link can open and change these answers. Keep it to come back later."))
    st.code(state.link_for(now.assessment), language=None, wrap_lines=True)
seen.add(token)
state.show_flash()

counts = progress.step_counts(questionnaire, result)
step = session.STEP.value
domain = domains[step]
answered, visible = counts[domain.id]


def step_picker() -> None:
    # The picker's options are the domain ids with their names as labels, both fixed for the
    # questionnaire, so a click on a picker drawn a moment ago still means the same step.
    session.STEP_PICKER.value = pilot_register.STEP if pilot_register.is_open(now) else domains[step].id
    st.radio(
        _("Domain"), [d.id for d in domains] + pilot_register.steps(now), key=session.STEP_PICKER.name, horizontal=True,
        label_visibility="collapsed", format_func=lambda domain_id: _(pilot_register.LABEL)
        if domain_id == pilot_register.STEP else questionnaire.domain(domain_id).name,
        on_change=lambda: go_to(session.STEP_PICKER.get()),
    )
    counters["steps"] = st.empty()
    counters["steps"].caption(steps_text(counts))


def steps_text(step_counts) -> str:
    return " · ".join(progress.step_label(d.name, *step_counts[d.id]) for d in domains)


def step_text(step_counts) -> str:
    answered_here, visible_here = step_counts[domain.id]
    return _("Step {step} of {steps} · {answered} of {shown} answered in this domain").format(
        step=step + 1, steps=len(domains), answered=answered_here, shown=visible_here)


def page_shape(current: state.Current, scored, open_required) -> tuple:
    """What of the page, beyond the counters, an answer can change: the questions shown (a `visible_if`), the
    carried-over answers (their notice and the Finish prompt), the open required questions while they are listed,
    and a message left to show."""
    listed = tuple(q for q in session.MISSING.get(()) if q in open_required)
    asked = session.CONFIRM_BEFORE_FINISH.get() == token and not open_required
    return (tuple(q.id for q in flow.question_order(questionnaire, scored)), current.carried, listed, asked,
            session.FLASH.held())


@st.fragment
@state.database_errors_in_one_line
def answer_piece(question_id: str, number: int) -> None:
    """One question of the step as a piece of its own: an answer given in it runs this piece alone (its save is the
    widget's callback, before), which redraws the question and the counters above, not the page. An answer that
    changes more than the counters (see `page_shape`) runs the whole page instead."""
    current = state.current()
    scored = state.result(current)
    done_now = progress.progress(questionnaire, scored)
    if page_shape(current, scored, done_now.open_required) != drawn_shape:
        st.rerun(scope="app")
    question = questionnaire.question(question_id)
    show_question(questionnaire, question, current.saved.get(question_id), number,
                  carried=question_id in current.carried)
    step_counts = progress.step_counts(questionnaire, scored)
    counters["progress"].progress(done_now.fraction, text=done_now.text())
    counters["steps"].caption(steps_text(step_counts))
    counters["step"].caption(step_text(step_counts))


def carried_notice(shown) -> None:
    to_confirm = [q.id for q in shown if q.id in now.carried]
    if now.carried:
        count = len(now.carried)
        if now.assessment.baseline_id is not None:
            text = ngettext("{count} answer is carried over from the earlier assessment. Confirm each one that still "
                            "holds, or change it.",
                            "{count} answers are carried over from the earlier assessment. Confirm each one that "
                            "still holds, or change it.", count)
        else:
            text = ngettext("{count} answer is carried over from the earlier version of the questionnaire, whose "
                            "question changed meaning. Confirm each one that still holds, or change it.",
                            "{count} answers are carried over from the earlier version of the questionnaire, whose "
                            "question changed meaning. Confirm each one that still holds, or change it.", count)
        st.info(text.format(count=count), icon=":material/history:")
    if to_confirm:
        st.button(ngettext("Confirm the carried-over answer in {domain}",
                           "Confirm all {count} carried-over answers in {domain}", len(to_confirm)).format(
                      count=len(to_confirm), domain=domain.name), key="confirm_step",
                  on_click=state.safe(state.confirm), args=(to_confirm,), icon=":material/done_all:")


if pilot_register.is_open(now):
    session.ONE_QUESTION_DRAWN.pop()
    step_picker()
    pilot_register.show_step(now, back=back_from_pilots, finish=finish)
elif not focus_mode:
    session.ONE_QUESTION_DRAWN.pop()
    step_picker()
    with st.container(key="step_head"):
        st.header(f"{domain.name}", anchor=False)
        counters["step"] = st.empty()
        counters["step"].caption(step_text(counts))
    st.write(domain.description)
    offset = sum(counts[d.id][1] for d in domains[:step])
    shown = progress.domain_questions(questionnaire, result, domain.id)
    carried_notice(shown)
    drawn_shape = page_shape(now, result, done.open_required)
    for number, question in enumerate(shown, start=offset + 1):
        answer_piece(question.id, number)

    back, forward, finish_col = st.columns(3)
    back.button(_("Previous"), key="previous", on_click=go_to, args=(step - 1,), disabled=step == 0,
                icon=":material/arrow_back:", width="stretch")
    last_domain = step == len(domains) - 1  # then Next leads to the Pilot portfolio step, when there is one
    forward.button(_("Next"), key="next", on_click=go_to, args=(pilot_register.STEP if last_domain else step + 1,),
                   disabled=last_domain and not pilot_register.offered(now),
                   icon=":material/arrow_forward:", width="stretch",
                   type="primary" if step < len(domains) - 1 else "secondary")
    finish_col.button(_("Finish"), key="finish", icon=":material/flag:", width="stretch", on_click=finish,
                      type="primary" if step == len(domains) - 1 else "secondary")
elif order:
    at = flow.position(order, session.FOCUS.get(), questionnaire)
    question = order[at]
    domain = questionnaire.domain(question.domain)
    session.STEP.value = next(i for i, d in enumerate(domains) if d.id == domain.id)
    carried_notice([])  # the question's own Confirm is in its piece
    # The heading, the text and the options are one piece; when another question was on screen before, the
    # piece is drawn afresh, so nothing of that question stays in it.
    fresh = session.ONE_QUESTION_DRAWN.get() != question.id
    with st.container(key="step_head"):
        show_one_question(questionnaire, question, now.saved.get(question.id), at + 1,
                          heading=_("{domain} · Question {number} of {total} · {answered} of {shown} answered in "
                                    "{domain}").format(domain=domain.name, number=at + 1, total=len(order),
                                                       answered=counts[domain.id][0], shown=counts[domain.id][1]),
                          carried=question.id in now.carried, fresh=fresh)
    session.ONE_QUESTION_DRAWN.value = question.id
    alone = question
    last = at == len(order) - 1
    # The bar stays at the bottom of the screen: Back, where the reader is, and Next (or Finish on the last one).
    with st.container(key="focus_buttons", horizontal=True, vertical_alignment="center", wrap=False):
        st.button(_("Back"), key="previous", on_click=go_to_question, args=(order[at - 1].id,) if at else None,
                  disabled=at == 0, icon=":material/arrow_back:", width="stretch")
        st.markdown(_("**{number}**\u00a0of\u00a0{total}").format(number=at + 1, total=len(order)), width="content")
        if last:
            if pilot_register.offered(now):  # as in one domain per step: Next leads to the Pilot portfolio step
                st.button(_("Next"), key="next", on_click=go_to, args=(pilot_register.STEP,),
                          icon=":material/arrow_forward:", width="stretch")
            st.button(_("Finish"), key="finish", icon=":material/flag:", width="stretch", type="primary",
                      on_click=finish)
        else:
            st.button(_("Next"), key="next", on_click=go_to_question, args=(order[at + 1].id,),
                      icon=":material/arrow_forward:", width="stretch", type="primary")
    bottom_bar_style()
    if not last and not done.open_required:
        st.button(_("Finish now"), key="finish_early", icon=":material/flag:", width="stretch", on_click=finish)
    with st.expander(_("Jump to a domain"), icon=":material/list:"):
        step_picker()


if unconfirmed and not done.open_required and session.CONFIRM_BEFORE_FINISH.get() == token:
    count = len(unconfirmed)
    ask = ngettext("Confirm it as it is, or review it first. Nothing you have answered is changed.",
                   "Confirm them as they are, or review them first. Nothing you have answered is changed.", count)
    confirm_label = ngettext("Confirm it and see results", "Confirm all {count} and see results", count).format(
        count=count)
    review_label = ngettext("Review it", "Review them", count)
    with st.container(border=True, key="finish_prompt"):
        st.markdown(f"**{progress.unconfirmed_text(count)}**")
        st.write(ask)
        with st.container(horizontal=True):
            st.button(confirm_label, key="confirm_all_finish", type="primary", icon=":material/done_all:",
                      on_click=confirm_and_finish, args=(unconfirmed,))
            st.button(review_label, key="review_carried", icon=":material/history:", on_click=review,
                      args=(unconfirmed[0],))

missing = [qid for qid in session.MISSING.get(()) if qid in done.open_required]
if missing:
    st.container(key="missing_box").error(ngettext(
        "{count} required question is still open. Answer them (“Don't know” counts as an answer) and press Finish "
        "again.",
        "{count} required questions are still open. Answer them (“Don't know” counts as an answer) and press Finish "
        "again.", len(missing)).format(count=len(missing)))
    for domain_id, questions in progress.missing_by_domain(questionnaire, tuple(missing)).items():
        index = next(i for i, d in enumerate(domains) if d.id == domain_id)
        with st.container(border=True):
            st.markdown(f"**{domains[index].name}**")
            st.markdown("\n".join(f"- {question.text}" for question in questions))
            st.button(_("Go to {domain}").format(domain=domains[index].name), key=f"goto:{domain_id}", on_click=go_to, args=(index,))

st.toggle(_("One question at a time"), key=session.ONE_AT_A_TIME.name, on_change=switch_mode,
          help=_("Large buttons and one question per screen; the default on a phone."))
state.offer_deletion(now)
if focus_mode:
    state.large_buttons("focus_buttons", "finish_early")
phone_layout(alone, leads_on=alone is not None and alone is not order[-1])
state.track_input()
if session.MOVED.get():
    state.scroll_to(session.SCROLL_KEY.get("step_head"), session.MOVED.value)

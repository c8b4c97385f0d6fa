"""Assessment: one domain per step (or one question per screen), progress and time left, every answer saved as it
is given; every step change brings the step's heading to the top of the screen."""

import streamlit as st

from app_pages import flow, pilot_register, state
from app_pages.questions import pending_saved, show_question
from scoring import progress
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws

now = state.current()
if state.just_opened() and now.assessment.finished:  # a finished assessment reopens on its results
    st.switch_page(state.RESULTS, query_params={"a": now.assessment.token})
questionnaire = now.questionnaire
# An answer whose callback did not get to run (another widget's callback failed first) is saved now.
if pending_saved(questionnaire, now.saved):
    now = state.current()
result = state.result(now)
done = progress.progress(questionnaire, result)
domains = questionnaire.domains
order = flow.question_order(questionnaire, result)
token = now.assessment.token

if "step" not in st.session_state or st.session_state.get("step_token") != token:
    st.session_state["step"] = progress.first_open_step(questionnaire, result)
    st.session_state["step_token"] = token
    opened = flow.first_open(order, result)
    st.session_state["focus"] = opened.id if opened else None
    st.session_state["moved"] = 1 if now.saved else 0  # resuming: straight to the first open question
st.session_state.setdefault("one_at_a_time", state.narrow_screen())
focus_mode = st.session_state["one_at_a_time"]


def moved() -> None:
    """Count a step change, so the page scrolls to the new step's heading."""
    st.session_state["moved"] = st.session_state.get("moved", 0) + 1
    st.session_state["scroll_key"] = "step_head"
    st.session_state.pop("missing", None)


@state.safe
def go_to(step) -> None:
    """Show another step; anything that is not a step (a stale label, a removed domain) leaves the step as it is."""
    if pilot_register.go(step, now):  # the Pilot portfolio step, after the domains
        return moved()
    chosen = progress.step_index(questionnaire, step)
    if chosen is not None:
        st.session_state["step"] = chosen
        opened = flow.first_open(order, result, domains[chosen].id)
        st.session_state["focus"] = opened.id if opened else st.session_state.get("focus")
    moved()


@state.safe
def go_to_question(index: int) -> None:
    """Show the question at `index` of the questions shown now (one per screen)."""
    if order:
        question = order[max(0, min(index, len(order) - 1))]
        st.session_state["focus"] = question.id
        st.session_state["step"] = next(i for i, d in enumerate(domains) if d.id == question.domain)
    moved()


def back_from_pilots() -> None:
    """Previous on the Pilot portfolio step: the last domain, or its last question when one is shown per screen."""
    if focus_mode and order:
        pilot_register.go(None, now)
        go_to_question(len(order) - 1)
    else:
        go_to(len(domains) - 1)


@state.safe
def switch_mode() -> None:
    """Keep the place when switching between one step and one question per screen."""
    if st.session_state["one_at_a_time"]:
        step_domain = domains[st.session_state["step"]].id
        focused = next((q for q in order if q.id == st.session_state.get("focus")), None)
        if focused is None or focused.domain != step_domain:
            opened = flow.first_open(order, result, step_domain)
            st.session_state["focus"] = opened.id if opened else None
    moved()


def finish() -> None:
    if done.open_required:
        st.session_state["missing"] = done.open_required
        st.session_state["moved"] = st.session_state.get("moved", 0) + 1  # bring the list of what is open into view
        st.session_state["scroll_key"] = "missing_box"
        return
    state.guarded(repo.finish_assessment, get_engine(), now.assessment.id)
    state.refresh_assessment()
    st.switch_page(state.RESULTS, query_params={"a": token})


st.title(questionnaire.title)
if now.assessment.organisation:
    st.caption(f"For {flow.plain(now.assessment.organisation)}")
st.progress(done.fraction, text=done.text())
state.show_notice()
workshop = ws.workshop_of(get_engine(), now.assessment) if now.assessment.workshop_id is not None else None
if workshop is not None and workshop.is_closed():
    st.info(f"The workshop for {flow.plain(workshop.client)} is closed, so answers can no longer be changed. "
            "Everything you saved is kept.", icon=":material/lock:")
newer = state.newer_version(now)
if newer is not None:
    with st.container(border=True):
        st.write(f"A new version of this questionnaire is available ({newer.version}; you are answering "
                 f"{questionnaire.version}). Your answers carry over, and anything that cannot is listed.")
        st.button("Continue on the new version", key="continue_new_version", icon=":material/update:",
                  on_click=state.safe(state.continue_on), args=(newer.version,))
state.show_carried_notes()
copied = st.session_state.get("imported_copy")
if copied is not None and copied[0] == token:
    st.info(f"This is a new assessment made from {flow.plain(copied[1])}, with a private link of its own (below). "
            "The assessment the file came from is not changed.", icon=":material/content_copy:")
# The link is shown open once, the first time an assessment is on screen; after that it stays folded away.
seen = st.session_state.setdefault("link_seen", set())
fresh = not now.saved or copied is not None and copied[0] == token  # new, or a copy with a new link
with st.expander("Your private resume link", icon=":material/link:", expanded=token not in seen and fresh):
    st.write("Anyone with this link can open and change these answers. Keep it to come back later.")
    st.code(state.link_for(now.assessment), language=None, wrap_lines=True)
seen.add(token)
state.show_flash()

counts = progress.step_counts(questionnaire, result)
step = st.session_state["step"]
domain = domains[step]
answered, visible = counts[domain.id]


def step_picker() -> None:
    # The picker's options are the domain ids with their names as labels, both fixed for the
    # questionnaire, so a click on a picker drawn a moment ago still means the same step.
    st.session_state["step_picker"] = pilot_register.STEP if pilot_register.is_open(now) else domains[step].id
    st.radio(
        "Domain", [d.id for d in domains] + pilot_register.steps(now), key="step_picker", horizontal=True,
        label_visibility="collapsed", format_func=lambda domain_id: pilot_register.LABEL
        if domain_id == pilot_register.STEP else questionnaire.domain(domain_id).name,
        on_change=lambda: go_to(st.session_state.get("step_picker")),
    )
    st.caption(" · ".join(progress.step_label(d.name, *counts[d.id]) for d in domains))


def carried_notice(shown) -> None:
    to_confirm = [q.id for q in shown if q.id in now.carried]
    if now.carried:
        st.info(f"{len(now.carried)} answers are carried over from the earlier assessment. Confirm each one that "
                "still holds, or change it.", icon=":material/history:")
    if to_confirm:
        st.button(f"Confirm all {len(to_confirm)} carried-over answers in {domain.name}", key="confirm_step",
                  on_click=state.safe(state.confirm), args=(to_confirm,), icon=":material/done_all:")


if pilot_register.is_open(now):
    step_picker()
    pilot_register.show_step(now, back=back_from_pilots, finish=finish)
elif not focus_mode:
    step_picker()
    with st.container(key="step_head"):
        st.header(f"{domain.name}", anchor=False)
        st.caption(f"Step {step + 1} of {len(domains)} · {answered} of {visible} answered in this domain")
    st.write(domain.description)
    offset = sum(counts[d.id][1] for d in domains[:step])
    shown = progress.domain_questions(questionnaire, result, domain.id)
    carried_notice(shown)
    for number, question in enumerate(shown, start=offset + 1):
        show_question(questionnaire, question, now.saved.get(question.id), number, carried=question.id in now.carried)

    back, forward, finish_col = st.columns(3)
    back.button("Previous", key="previous", on_click=go_to, args=(step - 1,), disabled=step == 0,
                icon=":material/arrow_back:", width="stretch")
    last_domain = step == len(domains) - 1  # then Next leads to the Pilot portfolio step, when there is one
    forward.button("Next", key="next", on_click=go_to, args=(pilot_register.STEP if last_domain else step + 1,),
                   disabled=last_domain and not pilot_register.offered(now),
                   icon=":material/arrow_forward:", width="stretch",
                   type="primary" if step < len(domains) - 1 else "secondary")
    if finish_col.button("Finish", key="finish", icon=":material/flag:", width="stretch",
                         type="primary" if step == len(domains) - 1 else "secondary"):
        finish()
elif order:
    at = flow.position(order, st.session_state.get("focus"), questionnaire)
    question = order[at]
    domain = questionnaire.domain(question.domain)
    st.session_state["step"] = next(i for i, d in enumerate(domains) if d.id == domain.id)
    with st.container(key="step_head"):
        st.subheader(domain.name, anchor=False)
        st.caption(f"Question {at + 1} of {len(order)} · {domain.name}: {counts[domain.id][0]} of "
                   f"{counts[domain.id][1]} answered")
    carried_notice([question])
    show_question(questionnaire, question, now.saved.get(question.id), at + 1, carried=question.id in now.carried)
    last = at == len(order) - 1
    with st.container(key="focus_buttons", horizontal=True):
        st.button("Previous", key="previous", on_click=go_to_question, args=(at - 1,), disabled=at == 0,
                  icon=":material/arrow_back:", width="stretch")
        if last:
            if pilot_register.offered(now):  # as in one domain per step: Next leads to the Pilot portfolio step
                st.button("Next", key="next", on_click=go_to, args=(pilot_register.STEP,),
                          icon=":material/arrow_forward:", width="stretch")
            if st.button("Finish", key="finish", icon=":material/flag:", width="stretch", type="primary"):
                finish()
        else:
            st.button("Next", key="next", on_click=go_to_question, args=(at + 1,), icon=":material/arrow_forward:",
                      width="stretch", type="primary")
    if not last and not done.open_required:
        if st.button("Finish now", key="finish_early", icon=":material/flag:", width="stretch"):
            finish()
    with st.expander("Jump to a domain", icon=":material/list:"):
        step_picker()

missing = [qid for qid in st.session_state.get("missing", ()) if qid in done.open_required]
if missing:
    are = "s are" if len(missing) > 1 else " is"
    st.container(key="missing_box").error(f"{len(missing)} required question{are} still open. Answer them (“Don't "
                                          "know” counts as an answer) and press Finish again.")
    for domain_id, questions in progress.missing_by_domain(questionnaire, tuple(missing)).items():
        index = next(i for i, d in enumerate(domains) if d.id == domain_id)
        with st.container(border=True):
            st.markdown(f"**{domains[index].name}**")
            st.markdown("\n".join(f"- {question.text}" for question in questions))
            st.button(f"Go to {domains[index].name}", key=f"goto:{domain_id}", on_click=go_to, args=(index,))

st.toggle("One question at a time", key="one_at_a_time", on_change=switch_mode,
          help="Large buttons and one question per screen; the default on a phone.")
state.offer_deletion(now)
if focus_mode:
    state.large_buttons("focus_buttons", "finish_early")
state.track_input()
if st.session_state.get("moved"):
    state.scroll_to(st.session_state.get("scroll_key", "step_head"), st.session_state["moved"])

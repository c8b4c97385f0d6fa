"""Assessment: one domain per step, progress and time left, every answer saved as it is given."""

import streamlit as st

from app_pages import flow, state
from app_pages.questions import pending_saved, show_question
from scoring import progress
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws

now = state.current()
questionnaire = now.questionnaire
# An answer whose callback did not get to run (another widget's callback failed first) is saved now.
if pending_saved(questionnaire, now.saved):
    now = state.current()
result = state.result(now)
done = progress.progress(questionnaire, result)
domains = questionnaire.domains

if "step" not in st.session_state or st.session_state.get("step_token") != now.assessment.token:
    st.session_state["step"] = progress.first_open_step(questionnaire, result)
    st.session_state["step_token"] = now.assessment.token


@state.safe
def go_to(step) -> None:
    """Show another step; anything that is not a step (a stale label, a removed domain) leaves the step as it is."""
    chosen = progress.step_index(questionnaire, step)
    if chosen is not None:
        st.session_state["step"] = chosen
    st.session_state.pop("missing", None)


st.title(questionnaire.title)
if now.assessment.organisation:
    st.caption(f"For {flow.plain(now.assessment.organisation)}")
st.progress(done.fraction, text=done.text())
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
with st.expander("Your private resume link", icon=":material/link:", expanded=not now.saved):
    st.write("Anyone with this link can open and change these answers. Keep it to come back later.")
    st.code(state.link_for(now.assessment), language=None, wrap_lines=True)
state.show_flash()

counts = progress.step_counts(questionnaire, result)
step = st.session_state["step"]
# The picker's options are the domain ids with their names as labels, both fixed for the
# questionnaire, so a click on a picker drawn a moment ago still means the same step.
st.session_state["step_picker"] = domains[step].id
st.radio(
    "Domain", [d.id for d in domains], key="step_picker", horizontal=True, label_visibility="collapsed",
    format_func=lambda domain_id: questionnaire.domain(domain_id).name,
    on_change=lambda: go_to(st.session_state.get("step_picker")),
)
st.caption(" · ".join(progress.step_label(d.name, *counts[d.id]) for d in domains))
domain = domains[step]
answered, visible = counts[domain.id]
st.header(f"{domain.name}", anchor=False)
st.caption(f"Step {step + 1} of {len(domains)} · {answered} of {visible} answered in this domain")
st.write(domain.description)

offset = sum(counts[d.id][1] for d in domains[:step])
shown = progress.domain_questions(questionnaire, result, domain.id)
to_confirm = [q.id for q in shown if q.id in now.carried]
if now.carried:
    st.info(f"{len(now.carried)} answers are carried over from the earlier assessment. Confirm each one that still "
            "holds, or change it.", icon=":material/history:")
if to_confirm:
    st.button(f"Confirm all {len(to_confirm)} carried-over answers in {domain.name}", key="confirm_step",
              on_click=state.safe(state.confirm), args=(to_confirm,), icon=":material/done_all:")
for number, question in enumerate(shown, start=offset + 1):
    show_question(questionnaire, question, now.saved.get(question.id), number, carried=question.id in now.carried)

back, forward, finish = st.columns(3)
back.button("Previous", key="previous", on_click=go_to, args=(step - 1,), disabled=step == 0,
            icon=":material/arrow_back:", width="stretch")
forward.button("Next", key="next", on_click=go_to, args=(step + 1,), disabled=step == len(domains) - 1,
               icon=":material/arrow_forward:", width="stretch", type="primary" if step < len(domains) - 1 else "secondary")
if finish.button("Finish", key="finish", icon=":material/flag:", width="stretch",
                 type="primary" if step == len(domains) - 1 else "secondary"):
    if done.open_required:
        st.session_state["missing"] = done.open_required
    else:
        state.guarded(repo.finish_assessment, get_engine(), now.assessment.id)
        state.refresh_assessment()
        st.switch_page(state.RESULTS, query_params={"a": now.assessment.token})

missing = [qid for qid in st.session_state.get("missing", ()) if qid in done.open_required]
if missing:
    st.error(f"{len(missing)} required question{'s are' if len(missing) > 1 else ' is'} still open. "
             "Answer them (“Don't know” counts as an answer) and press Finish again.")
    for domain_id, questions in progress.missing_by_domain(questionnaire, tuple(missing)).items():
        index = next(i for i, d in enumerate(domains) if d.id == domain_id)
        with st.container(border=True):
            st.markdown(f"**{domains[index].name}**")
            st.markdown("\n".join(f"- {question.text}" for question in questions))
            st.button(f"Go to {domains[index].name}", key=f"goto:{domain_id}", on_click=go_to, args=(index,))

state.offer_deletion(now)

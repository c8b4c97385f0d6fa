"""Join a workshop: by link or code, pick a role, then answer on the assessment screens."""

import streamlit as st

from app_pages import state
from app_pages.flow import plain
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws

engine = get_engine()
st.title("Join a workshop")

# Coming back with a participant's own link (?a=...): say so if the workshop has closed or they were removed.
mine = repo.find_assessment(engine, st.query_params.get("a"))
joined = ws.workshop_of(engine, mine) if mine else None
if joined is not None:
    if mine.removed_at is not None:
        st.info(f"The facilitator of the workshop for {plain(joined.client)} removed you from it, so your answers "
                "are no longer counted and no more are accepted. Ask the facilitator if this is a mistake.",
                icon=":material/person_remove:")
        st.stop()
    if joined.is_closed():
        st.info(f"The workshop for {plain(joined.client)} is closed, so no more answers are accepted. "
                "Everything you saved is kept. Thank you for taking part.", icon=":material/lock:")
        st.stop()
    state.open_assessment(mine.token)

typed = st.text_input("Join code", key="join_code", value=st.query_params.get("code", ""), max_chars=20,
                      placeholder="e.g. K7QM-XR4P-9TZH", help="The code on the whiteboard, or open the join link")
if not typed:
    st.caption("Ask the facilitator for the join code or link.")
    st.stop()

# Codes are too long to guess; after a few wrong ones a client waits longer for each try (kept in the
# database per client address, so a new browser session does not reset it).
client = ws.client_key(state.client_address())
wait = ws.join_wait(engine, client)
if wait:
    st.error(f"Too many wrong codes were typed from your network. Try again in {wait} s.", icon=":material/timer:")
    st.stop()
workshop = ws.find_by_code(engine, typed)
if workshop is None:
    ws.record_wrong_code(engine, client)
    st.error("That code does not open a workshop. Check it against the whiteboard: it has 12 letters and digits, "
             "in groups of four.")
    st.stop()
if workshop.is_closed():
    st.info(f"The workshop for {plain(workshop.client)} is closed; it no longer accepts participants.", icon=":material/lock:")
    st.stop()

questionnaire = state.library().find(workshop.questionnaire_id, workshop.questionnaire_version)
st.subheader(f"Workshop for {plain(workshop.client)}", anchor=False)
if questionnaire is not None:
    st.write(f"{questionnaire.title} · about {questionnaire.estimated_minutes} minutes. Your answers are saved as "
             "you go. Nobody else in the room sees them; the facilitator sees the room's results and, in the data "
             "export, your answers under a participant number.")
role = st.radio("Your role", [r.name for r in workshop.roles], index=None, key="join_role", format_func=plain)
if st.button("Join and start answering", key="join", type="primary", disabled=role is None, icon=":material/login:"):
    try:
        participant = ws.join_workshop(engine, workshop, role)
    except ws.WorkshopError as exc:
        st.error(plain(" ".join(exc.lines())))
    else:
        state.open_assessment(participant.token)

"""Start: choose an assessment, or resume one by its link or from an answers file."""

import streamlit as st

from app_pages import flow, state
from questionnaires import PhasegateError
from scoring.answers import parse_answers
from storage import get_engine
from storage import repository as repo

now = state.current(required=False)
done = st.session_state.pop("flash_info", None)
if done:
    st.success(flow.plain(done), icon=":material/check:")
st.title("AI maturity assessment")
st.write("See how far your organisation is from running AI in production, which domain holds it back, and what "
         "to do next. Every answer is saved as you go; a private link brings you back to it.")

if now is not None:
    with st.container(border=True):
        st.subheader("Continue where you left off")
        st.text(f"{now.questionnaire.title} — {len(now.saved)} answers saved")
        left, right = st.columns(2)
        if left.button("Continue", key="continue", type="primary", icon=":material/play_arrow:"):
            state.open_assessment(now.assessment.token)
        right.button("Leave it and start another", key="leave", on_click=state.forget)

st.header("Choose an assessment")
organisation = st.text_input("Organisation (optional)", key="start_organisation", max_chars=repo.MAX_ORGANISATION,
                             placeholder="Shown on the results and the report")
for questionnaire in sorted(state.questionnaires().values(), key=lambda q: q.estimated_minutes):
    with st.container(border=True):
        st.subheader(questionnaire.title)
        st.write(questionnaire.description)
        st.caption(f"About {questionnaire.estimated_minutes} minutes · {len(questionnaire.questions)} questions · "
                   f"{len(questionnaire.domains)} domains")
        if st.button("Start", key=f"start:{questionnaire.id}", type="primary", icon=":material/arrow_forward:"):
            created = state.guarded(repo.create_assessment, get_engine(), questionnaire.id, questionnaire.version,
                                    organisation=organisation)
            state.open_assessment(created.token)

for problem in state.broken_questionnaires():
    st.warning(f"Not offered, the file needs fixing: {flow.plain(problem)}")

st.header("Resume an assessment")
by_link, by_file = st.tabs(["With your resume link", "From an answers file"])
with by_link:
    link = st.text_input("Resume link", key="resume_link", placeholder="https://…/assessment?a=…")
    if st.button("Resume", key="resume"):
        wanted = flow.token_from_link(link)
        found = state.guarded(repo.find_assessment, get_engine(), wanted) if wanted else None
        if found is None:
            st.error("That link does not open a saved assessment. Paste the whole link you were given "
                     "(it ends in ?a= followed by a long code).")
        else:
            state.open_assessment(found.token)
with by_file:
    upload = st.file_uploader("Answers file (YAML or JSON)", type=["yaml", "yml", "json"], key="answers_file",
                              help="The file from “Download answers”, or one written for the command line")
    if st.button("Import answers", key="import_answers", disabled=upload is None):
        try:
            raw = upload.getvalue()
            response = parse_answers(raw, upload.name)
            questionnaire = state.offered(response.questionnaire, response.questionnaire_version)
            parse_answers(raw, upload.name, questionnaire=questionnaire)
        except PhasegateError as exc:
            st.error("Nothing was imported. The file needs fixing:\n\n" +
                     "\n".join(f"- {flow.plain(line)}" for line in exc.lines()))
        else:
            state.open_assessment(state.guarded(repo.import_response, get_engine(), response).token)

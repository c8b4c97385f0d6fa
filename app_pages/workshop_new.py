"""New workshop: client, questionnaire, roles, anonymity, closing time; then the links to share and to keep."""

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

import i18n
from questionnaires.models import question_count
from scoring.workshop import DEFAULT_ROLES, Role
from storage import access, get_engine
from storage import workshops as ws
from ui import auth, state
from ui.flow import plain

GROUP_LABELS = {"": "—", "executive": "Executive", "practitioner": "Practitioner"}

st.title("New workshop")
st.write("Participants answer on their own devices with a join code; you watch the results live, settle disputed "
         "answers with the room and download the workshop report.")

consultant = auth.consultant()
if consultant is not None:
    st.caption(f"Signed in as {plain(consultant.label)}: the workshop goes to My workshops, and its dashboard opens "
               "from there as well as by its secret link.")
elif auth.login_offered():
    st.info("Sign in first (in the sidebar) to keep this workshop in My workshops. Without signing in, its secret "
            "facilitator link is the only way back to its dashboard.", icon=":material/login:")

library = state.questionnaires()
with st.form("new_workshop", border=True):
    client = st.text_input("Client", key="ws_client", max_chars=ws.MAX_CLIENT, placeholder="Shown on the report")
    questionnaire_id = st.selectbox("Questionnaire", sorted(library), key="ws_questionnaire",
                                    format_func=lambda qid: f"{library[qid].title} ({question_count(library[qid]).text()})")
    st.caption("Roles participants pick from. Mark executives and practitioners to compare how they see the organisation.")
    roles = st.data_editor(
        pd.DataFrame([{"role": r.name, "group": r.group or ""} for r in DEFAULT_ROLES]), key="ws_roles", num_rows="dynamic",
        width="stretch", hide_index=True,
        column_config={
            "role": st.column_config.TextColumn("Role", max_chars=ws.MAX_ROLE, required=True),
            "group": st.column_config.SelectboxColumn("Group", options=list(GROUP_LABELS)),
        },
    )
    languages = i18n.available()
    language = st.selectbox("Engagement language", languages, key="ws_language", format_func=i18n.name,
                            index=languages.index(i18n.current()) if i18n.current() in languages else 0,
                            help="The dashboard, the presenter view and the workshop's reports speak it, and the join "
                                 "link offers it; each participant may answer in their own.")
    anonymous = st.checkbox("Anonymous: participants are numbered, never named", value=True, key="ws_anonymous")
    closes = st.checkbox("Close automatically", key="ws_closes")
    day_col, time_col = st.columns(2)
    close_day = day_col.date_input("Closing day", key="ws_close_day", value=dt.date.today())
    close_time = time_col.time_input("Closing time", key="ws_close_time", value=dt.time(17, 0))
    submitted = st.form_submit_button("Create workshop", type="primary", icon=":material/groups:")

if submitted:
    zone = ZoneInfo(st.context.timezone) if st.context.timezone else dt.timezone.utc
    closes_at = dt.datetime.combine(close_day, close_time, tzinfo=zone) if closes else None
    chosen = [Role(row.get("role") or "", row.get("group") or None) for row in roles.fillna("").to_dict("records")]
    create = ws.create_workshop if consultant is None else partial(access.create_workshop, owner=consultant)
    try:
        created = create(get_engine(), client, questionnaire_id, library[questionnaire_id].version,
                         roles=chosen, anonymous=anonymous, closes_at=closes_at, language=language)
    except ws.WorkshopError as exc:
        st.error(plain(" ".join(exc.lines())))
    else:
        auth.open_new(created)

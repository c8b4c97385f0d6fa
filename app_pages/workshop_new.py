"""New workshop: client, questionnaire, roles, anonymity, closing time; then the links to share and to keep."""

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

import i18n
from i18n import _, pgettext
from questionnaires import Questionnaire
from questionnaires.models import question_count
from scoring.words import N_
from scoring.workshop import DEFAULT_ROLES, EXECUTIVE, PRACTITIONER, Role
from storage import access, get_engine
from storage import workshops as ws
from storage.text import TextError
from ui import auth, state
from ui.flow import plain

# The default roles' names, offered in the page's language (a workshop keeps its roles as they were typed).
ROLE_NAMES = (N_("Executive"), N_("Business"), N_("Data & AI"), N_("IT & engineering"), N_("Risk & legal"))


NO_GROUP = "none"  # the table's value for a role in neither group (an empty cell would read "None")


def group_labels() -> dict[str, str]:
    """Each group a role may belong to, as the table names it."""
    return {NO_GROUP: "—", EXECUTIVE: pgettext("role group", "Executive"),
            PRACTITIONER: pgettext("role group", "Practitioner")}


st.title(_("New workshop"))
st.write(_("Participants answer on their own devices with a join code; you watch the results live, settle disputed "
           "answers with the room and download the workshop report."))

consultant = auth.consultant()
if consultant is not None:
    st.caption(_("Signed in as {name}: the workshop goes to My workshops, and its dashboard opens from there as well "
                 "as by its secret link.").format(name=plain(consultant.label)))
elif auth.login_offered():
    st.info(_("Sign in first (in the sidebar) to keep this workshop in My workshops. Without signing in, its secret "
              "facilitator link is the only way back to its dashboard."), icon=":material/login:")


def offered(questionnaire: Questionnaire) -> str:
    """A questionnaire as the chooser names it: its title in the page's language, and how long it takes."""
    return f"{state.in_language(questionnaire).title} ({question_count(questionnaire).text()})"


library = state.questionnaires()
# The choosers' names, made in this run's language: a widget may name its options again outside the run.
names, groups = {qid: offered(questionnaire) for qid, questionnaire in library.items()}, group_labels()
with st.form("new_workshop", border=True):
    client = st.text_input(_("Client"), key="ws_client", max_chars=ws.MAX_CLIENT, placeholder=_("Shown on the report"))
    questionnaire_id = st.selectbox(_("Questionnaire"), sorted(library), key="ws_questionnaire", format_func=names.get)
    st.caption(_("Roles participants pick from. Mark executives and practitioners to compare how they see the "
                 "organisation."))
    roles = st.data_editor(
        pd.DataFrame([{"role": _(r.name), "group": r.group or NO_GROUP} for r in DEFAULT_ROLES]), key="ws_roles",
        num_rows="dynamic",
        width="stretch", hide_index=True,
        column_config={  # the stored column ids stay; only their labels and the groups' names speak the page's language
            "role": st.column_config.TextColumn(_("Role"), max_chars=ws.MAX_ROLE, required=True),
            "group": st.column_config.SelectboxColumn(_("Group"), options=list(groups), format_func=groups.get,
                                                      default=NO_GROUP),
        },
    )
    languages = i18n.available()
    language = st.selectbox(_("Engagement language"), languages, key="ws_language", format_func=i18n.name,
                            index=languages.index(i18n.current()) if i18n.current() in languages else 0,
                            help=_("The dashboard, the presenter view and the workshop's reports speak it, and the "
                                   "join link offers it; each participant may answer in their own."))
    anonymous = st.checkbox(_("Anonymous: participants are numbered, never named"), value=True, key="ws_anonymous")
    closes = st.checkbox(_("Close automatically"), key="ws_closes")
    day_col, time_col = st.columns(2)
    close_day = day_col.date_input(_("Closing day"), key="ws_close_day", value=dt.date.today(),
                                   format="DD.MM.YYYY" if i18n.locale() == "de" else "YYYY/MM/DD")
    close_time = time_col.time_input(_("Closing time"), key="ws_close_time", value=dt.time(17, 0))
    submitted = st.form_submit_button(_("Create workshop"), key="create_workshop", type="primary",
                                      icon=":material/groups:")

if submitted:
    zone = ZoneInfo(st.context.timezone) if st.context.timezone else dt.timezone.utc
    closes_at = dt.datetime.combine(close_day, close_time, tzinfo=zone) if closes else None
    chosen = [Role(row.get("role") or "", None if row.get("group") in ("", NO_GROUP) else row.get("group"))
              for row in roles.fillna("").to_dict("records")]
    create = ws.create_workshop if consultant is None else partial(access.create_workshop, owner=consultant)
    try:
        created = create(get_engine(), client, questionnaire_id, library[questionnaire_id].version,
                         roles=chosen, anonymous=anonymous, closes_at=closes_at, language=language)
    except (ws.WorkshopError, TextError) as exc:  # a control character in a name is refused, not a traceback
        st.error(plain(" ".join(exc.lines())))
    else:
        auth.open_new(created)

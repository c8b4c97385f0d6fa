"""My workshops (signed-in consultants): every workshop they created or were given, by client, with re-runs."""

import streamlit as st

import i18n
from i18n import _, ngettext
from storage import access, get_engine, summaries
from storage import workshops as ws
from ui import auth, session, state
from ui.flow import plain

NEW_WORKSHOP = "app_pages/workshop_new.py"

st.title(_("My workshops"))
if not auth.login_offered():
    st.write(_("Sign-in is not set up on this server, so each workshop opens with its secret facilitator link, "
               "shown when it was created."))
    st.caption(_("To let consultants sign in and keep their workshops here, configure an identity provider in "
                 "`.streamlit/secrets.toml` (see the README, “Consultant sign-in”)."))
    st.stop()
if auth.setup_problem():
    st.warning(auth.setup_problem(), icon=":material/settings:")
    st.stop()
consultant = auth.consultant()
if consultant is None:
    st.write(_("Sign in to see the workshops you created or were given, by client, and to open their dashboards "
               "without the secret links."))
    st.button(_("Sign in"), key="my_sign_in", type="primary", icon=":material/login:", on_click=st.login)
    st.stop()

engine = get_engine()
state.show_flash()
flash = session.FLASH_INFO.pop()
if flash:
    st.success(plain(flash))
# Small text rather than a caption: a caption is drawn at 60 % opacity, and the address in it becomes a link too
# faint to read (2.9:1); here it keeps the link colour (7:1).
who = (_("Signed in as {name} ({email})").format(name=plain(consultant.label), email=plain(consultant.email))
       if consultant.email and consultant.email != consultant.label else
       _("Signed in as {name}").format(name=plain(consultant.label)))
st.markdown(":small[" + who + "]")
st.page_link(NEW_WORKSHOP, label=_("New workshop"), icon=":material/add:")

wanted = st.text_input(_("Find a client"), key="my_client_filter", placeholder=_("Part of the client's name"))
clients = state.guarded(access.list_workshops, engine, consultant, wanted or "")
if not clients:
    st.info(_("No workshop matches that name.") if wanted else
            _("No workshops yet. Create one here, or ask a colleague to share one with your address."))
    st.stop()
every = [entry for client in clients for entry in client.entries]
count_col, open_col, client_col = st.columns(3)
client_col.metric(_("Clients"), len(clients))
count_col.metric(_("Workshops"), len(every))
open_col.metric(_("Open now"), sum(entry.is_open for entry in every))

titles = state.questionnaires()
# Each closed room's phase as stored when it closed: the list scores nothing, however many workshops it shows.
phases = state.guarded(summaries.workshop_phases, engine, [entry.workshop.id for entry in every], state.library().find)


def phase_text(workshop: ws.Workshop, stored: summaries.StoredPhase) -> str:
    """The phase a closed room was stored at, its name in the language of the page when its questionnaire has it."""
    index = i18n.number(stored.index, 1)
    if stored.complete:
        return _("all four phases achieved, index {index} / 4").format(index=index)
    found = state.library().find(workshop.questionnaire_id, workshop.questionnaire_version)
    name = state.in_language(found).phase(stored.phase).name if found else stored.phase_name
    return _("phase {number} — {name}, index {index} / 4").format(number=stored.phase, name=name, index=index)


def describe(client: access.Client, entry: access.Entry) -> str:
    """One line on a workshop: when, which questionnaire, open or closed, the room, the phase it closed at, the re-run
    it continues."""
    workshop = entry.workshop
    found = titles.get(workshop.questionnaire_id)
    title = state.in_language(found).title if found else workshop.questionnaire_id
    parts = [f"{title} {workshop.questionnaire_version}", _("open") if entry.is_open else _("closed"),
             ngettext("{count} participant, {finished} finished", "{count} participants, {finished} finished",
                      entry.participants).format(count=entry.participants, finished=entry.finished)]
    if workshop.id in phases:
        parts.append(phase_text(workshop, phases[workshop.id]))
    earlier = client.rerun_of(entry)
    if earlier is not None:
        parts.append(_("re-run of {date}").format(date=i18n.date(earlier.workshop.created_at.date(), "medium")))
    if entry.role == access.SHARED:
        parts.append(_("shared with you"))
    return " · ".join(parts)


def created(workshop: ws.Workshop) -> str:
    """When a workshop was created, in the page's language (UTC, as stored)."""
    moment = workshop.created_at
    return _("{date}, {time} UTC").format(date=i18n.date(moment.date(), "medium"), time=f"{moment:%H:%M}")


# --- the list's actions: callbacks, so a rerun of the page changes nothing ------------------------------


@state.safe
def rerun(workshop_id: int) -> None:
    """Re-run a workshop for its client, and open the new one's dashboard as the next run starts."""
    auth.changed(access.rerun_workshop, workshop_id, then=auth.open_new_soon)


@state.safe
def leave(workshop_id: int, client: str) -> None:
    """Take a workshop shared with the consultant off their list."""
    if auth.changed(access.leave, workshop_id):
        session.FLASH_INFO.value = _("The workshop for {client} is off your list.").format(client=client)


@state.safe
def delete(workshop_id: int, client: str) -> None:
    """Delete a workshop and all its data, for good."""
    if auth.changed(access.delete_workshop, workshop_id):
        session.FLASH_INFO.value = _("The workshop for {client} and all its data were deleted.").format(client=client)


def more(entry: access.Entry) -> None:
    """The workshop's menu: re-run it, share it (its owner) or take it off the list (a colleague), delete it."""
    workshop = entry.workshop
    st.write(_("Re-run for {client}: a new workshop with the same questionnaire, roles, owner and shares, and this "
               "one as its baseline.").format(client=plain(workshop.client)))
    sure_rerun = st.checkbox(_("Yes, create a new workshop"), key=f"confirm_rerun:{workshop.id}")
    st.button(_("Re-run for this client"), key=f"rerun_workshop:{workshop.id}", icon=":material/update:",
              disabled=not sure_rerun, on_click=rerun, args=(workshop.id,))
    if entry.role == access.OWNER:
        auth.share_panel(engine, workshop, key=f"my:{workshop.id}")
    else:
        st.button(_("Take off my list"), key=f"leave_workshop:{workshop.id}", icon=":material/bookmark_remove:",
                  on_click=leave, args=(workshop.id, workshop.client))
    refusal = access.delete_refusal(engine, workshop.id, consultant)  # the dashboard's rule too
    if refusal:
        st.caption(plain(refusal))
        return
    typed = st.text_input(_("Type the client's name to delete this workshop and all its data"),
                          key=f"confirm_delete:{workshop.id}")
    sure = " ".join(typed.split()).casefold() == workshop.client.casefold()
    st.button(_("Delete for good"), key=f"delete_workshop:{workshop.id}", disabled=not sure,
              icon=":material/delete_forever:", on_click=delete, args=(workshop.id, workshop.client))


for client in clients:
    st.header(plain(client.name), anchor=False)  # h2 under the page title: the headings run in order
    for entry in client.entries:
        workshop = entry.workshop
        with st.container(border=True, key=f"my_workshop:{workshop.id}"):
            text_col, open_col, more_col = st.columns([5, 2, 1], vertical_alignment="center")
            text_col.markdown(f"**{created(workshop)}**")
            text_col.caption(plain(describe(client, entry)))
            if open_col.button(_("Dashboard"), key=f"open_workshop:{workshop.id}", icon=":material/monitoring:",
                               width="stretch"):
                st.switch_page(auth.DASHBOARD, query_params={"w": str(workshop.id)})
            with more_col.popover("", icon=":material/more_vert:", help=_("Re-run, share or delete"),
                                  key=f"more:{workshop.id}"):
                more(entry)

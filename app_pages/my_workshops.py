"""My workshops (signed-in consultants): every workshop they created or were given, by client, with re-runs."""

import streamlit as st

from storage import access, get_engine, summaries
from ui import auth, session, state
from ui.flow import plain

NEW_WORKSHOP = "app_pages/workshop_new.py"

st.title("My workshops")
if not auth.login_offered():
    st.write("Sign-in is not set up on this server, so each workshop opens with its secret facilitator link, "
             "shown when it was created.")
    st.caption("To let consultants sign in and keep their workshops here, configure an identity provider in "
               "`.streamlit/secrets.toml` (see the README, “Consultant sign-in”).")
    st.stop()
if auth.setup_problem():
    st.warning(auth.setup_problem(), icon=":material/settings:")
    st.stop()
consultant = auth.consultant()
if consultant is None:
    st.write("Sign in to see the workshops you created or were given, by client, and to open their dashboards "
             "without the secret links.")
    st.button("Sign in", key="my_sign_in", type="primary", icon=":material/login:", on_click=st.login)
    st.stop()

engine = get_engine()
state.show_flash()
flash = session.FLASH_INFO.pop()
if flash:
    st.success(plain(flash))
# Small text rather than a caption: a caption is drawn at 60 % opacity, and the address in it becomes a link too
# faint to read (2.9:1); here it keeps the link colour (7:1).
st.markdown(":small[" + f"Signed in as {plain(consultant.label)}" + (
    f" ({plain(consultant.email)})" if consultant.email and consultant.email != consultant.label else "") + "]")
st.page_link(NEW_WORKSHOP, label="New workshop", icon=":material/add:")

wanted = st.text_input("Find a client", key="my_client_filter", placeholder="Part of the client's name")
clients = state.guarded(access.list_workshops, engine, consultant, wanted or "")
if not clients:
    st.info("No workshop matches that name." if wanted else
            "No workshops yet. Create one here, or ask a colleague to share one with your address.")
    st.stop()
every = [entry for client in clients for entry in client.entries]
count_col, open_col, client_col = st.columns(3)
client_col.metric("Clients", len(clients))
count_col.metric("Workshops", len(every))
open_col.metric("Open now", sum(entry.is_open for entry in every))

titles = state.questionnaires()
# Each closed room's phase as stored when it closed: the list scores nothing, however many workshops it shows.
phases = state.guarded(summaries.workshop_phases, engine, [entry.workshop.id for entry in every], state.library().find)


def describe(client: access.Client, entry: access.Entry) -> str:
    """One line on a workshop: when, which questionnaire, open or closed, the room, the phase it closed at, the re-run
    it continues."""
    workshop = entry.workshop
    found = titles.get(workshop.questionnaire_id)
    title = found.title if found else workshop.questionnaire_id
    people = f"{entry.participants} participant{'s' if entry.participants != 1 else ''}, {entry.finished} finished"
    line = f"{title} {workshop.questionnaire_version} · {entry.status} · {people}"
    if workshop.id in phases:
        line += f" · {phases[workshop.id]}"
    earlier = client.rerun_of(entry)
    if earlier is not None:
        line += f" · re-run of {earlier.workshop.created_at:%d %b %Y}"
    if entry.role == access.SHARED:
        line += " · shared with you"
    return line


def act(done: str, action, *args) -> None:
    """Run a change to the list and rerun with `done` as the message; a refusal is said where it was asked."""
    state.guarded(action, *args)
    session.FLASH_INFO.value = done
    st.rerun()


def rerun(workshop_id: int) -> None:
    auth.open_new(state.guarded(access.rerun_workshop, engine, workshop_id, consultant))


for client in clients:
    st.header(plain(client.name), anchor=False)  # h2 under the page title: the headings run in order
    for entry in client.entries:
        workshop = entry.workshop
        with st.container(border=True, key=f"my_workshop:{workshop.id}"):
            text_col, open_col, more_col = st.columns([6, 2, 1], vertical_alignment="center")
            text_col.markdown(f"**{workshop.created_at:%d %b %Y, %H:%M} UTC**")
            text_col.caption(plain(describe(client, entry)))
            if open_col.button("Dashboard", key=f"open_workshop:{workshop.id}", icon=":material/monitoring:",
                               width="stretch"):
                st.switch_page(auth.DASHBOARD, query_params={"w": str(workshop.id)})
            with more_col.popover("", icon=":material/more_vert:", help="Re-run, share or delete",
                                  key=f"more:{workshop.id}"):
                st.write(f"Re-run for {plain(workshop.client)}: a new workshop with the same questionnaire, roles, "
                         "owner and shares, and this one as its baseline.")
                sure_rerun = st.checkbox("Yes, create a new workshop", key=f"confirm_rerun:{workshop.id}")
                if st.button("Re-run for this client", key=f"rerun_workshop:{workshop.id}", icon=":material/update:",
                             disabled=not sure_rerun):
                    rerun(workshop.id)
                if entry.role == access.OWNER:
                    auth.share_panel(engine, workshop, key=f"my:{workshop.id}")
                elif st.button("Take off my list", key=f"leave_workshop:{workshop.id}",
                               icon=":material/bookmark_remove:"):
                    act(f"The workshop for {workshop.client} is off your list.", access.leave, engine,
                        workshop.id, consultant)
                refusal = access.delete_refusal(engine, workshop.id, consultant)  # the dashboard's rule too
                if refusal:
                    st.caption(plain(refusal))
                else:
                    typed = st.text_input("Type the client's name to delete this workshop and all its data",
                                          key=f"confirm_delete:{workshop.id}")
                    sure = " ".join(typed.split()).casefold() == workshop.client.casefold()
                    if st.button("Delete for good", key=f"delete_workshop:{workshop.id}", disabled=not sure,
                                 icon=":material/delete_forever:"):
                        act(f"The workshop for {workshop.client} and all its data were deleted.",
                            access.delete_workshop, engine, workshop.id, consultant)

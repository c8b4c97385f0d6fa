"""Consultant sign-in, when an identity provider is configured (`[auth]` in `.streamlit/secrets.toml`).

Without one, nobody signs in and a workshop's secret facilitator link is its only key, as
always. With one, a signed-in consultant also opens the workshops they own or were given
from My workshops, by id (`?w=`); the secret link (`?f=`) keeps working for anyone.
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app_pages.flow import plain
from storage import access, get_engine
from storage import workshops as ws
from storage.access import Consultant

MY_WORKSHOPS = "app_pages/my_workshops.py"
DASHBOARD = "app_pages/workshop_dashboard.py"


def login_offered() -> bool:
    """Whether consultants can sign in here: an `[auth]` section in the app's secrets."""
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, FileNotFoundError):  # no secrets file: the embedded default
        return False


def setup_problem() -> str:
    """What keeps consultants from signing in although `[auth]` is there (markdown-safe), or ""."""
    problems = access.sign_in_problems(st.secrets["auth"]) if login_offered() else []
    if not problems:
        return ""
    return ("Sign-in is not available: " + " ".join(plain(line) for line in problems) +
            " Fix `.streamlit/secrets.toml` and restart the app.")


def consultant() -> Consultant | None:
    """The signed-in consultant, or None (not signed in, or sign-in not set up)."""
    claims = st.user.to_dict() if login_offered() else {}
    if not claims.get("is_logged_in"):
        return None
    found = access.consultant_from_claims(claims)
    if found is not None and st.session_state.get("shares_claimed") != found.subject:
        access.claim_shares(get_engine(), found)  # shares given to their address before they first signed in
        st.session_state["shares_claimed"] = found.subject
    return found


def account(page) -> None:
    """The sidebar's sign-in box: who is signed in and a sign-out button, or a sign-in button. The provider sends
    a consultant who just signed in back to the app's address; the first page they then see is My workshops."""
    if not login_offered():
        return
    if setup_problem():  # set up, but not so that anyone could sign in: say what to fix, not a broken button
        with st.sidebar:
            st.warning(setup_problem(), icon=":material/settings:")
        return
    who = consultant()
    with st.sidebar:
        if who is None:
            st.caption("Consultants: sign in to see your workshops.")
            st.button("Sign in", key="sign_in", icon=":material/login:", on_click=st.login, width="stretch")
        else:
            st.caption(f"Signed in as {plain(who.label)}")
            st.button("Sign out", key="sign_out", icon=":material/logout:", on_click=st.logout, width="stretch")
    arrived = "arrived" not in st.session_state
    st.session_state["arrived"] = True
    if who is not None and arrived and page.url_path == "" and not st.query_params and _at_root():
        st.switch_page(MY_WORKSHOPS)


def _at_root() -> bool:
    return urlparse(st.context.url or "").path.rstrip("/") == ""


def facilitated_workshop(engine, *, in_address_bar: bool = True) -> ws.Workshop | None:
    """The workshop a facilitator page shows: by its secret link (`?f=`), or by id (`?w=`) for a signed-in
    consultant it belongs to; what the address asks for wins over the session, and it is kept in the session.
    With `in_address_bar` the link is put back in the URL; without it (the projector) the secret link is taken
    out of the address bar at once. None when neither opens a workshop."""
    token = st.query_params.pop("f", None) if not in_address_bar else st.query_params.get("f")
    wanted = None if token else st.query_params.get("w")
    if not token and not wanted:
        token, wanted = st.session_state.get("facilitator"), st.session_state.get("facilitated_id")
    if token:
        workshop = ws.find_by_token(engine, token)
        if workshop is not None:
            st.session_state["facilitator"] = token
            st.session_state.pop("facilitated_id", None)
            if in_address_bar:
                st.query_params.pop("w", None)
                st.query_params["f"] = token
        return workshop
    workshop = access.open_workshop(engine, wanted, consultant()) if wanted else None
    if workshop is not None:
        st.session_state["facilitated_id"] = workshop.id
        st.session_state.pop("facilitator", None)
        if in_address_bar:
            st.query_params["w"] = str(workshop.id)
    return workshop


def link_to(workshop: ws.Workshop) -> dict[str, str]:
    """The query parameters that reopen a facilitator page on this workshop."""
    return {"f": workshop.facilitator_token} if workshop.facilitator_token else {"w": str(workshop.id)}


def keep(workshop: ws.Workshop) -> None:
    """A workshop just created or re-run belongs to the consultant who did it, when one is signed in."""
    who = consultant()
    if who is not None:
        access.grant_owner(get_engine(), workshop.id, who)


def offer_to_keep(engine, workshop: ws.Workshop) -> None:
    """On a page opened by the secret link: let a signed-in consultant add the workshop to My workshops."""
    who = consultant()
    if who is None or access.role_of(engine, workshop.id, who) is not None:
        return
    if st.button("Add to My workshops", key="keep_workshop", icon=":material/bookmark_add:",
                 help="Then it opens from My workshops when you are signed in, without this link."):
        role = access.keep(engine, workshop, who)
        st.toast("Added to My workshops" + (" (shared with you: it has an owner)." if role == access.SHARED else "."),
                 icon=":material/bookmark_added:")
        st.rerun()


def replace_lost_link(engine, workshop: ws.Workshop) -> None:
    """A dashboard opened from My workshops: where the secret link went, and for the owner a new one on request
    (for a device where they are not signed in); the old link then stops opening the workshop."""
    st.caption("Opened from My workshops. The secret facilitator link was shown when the workshop was created.")
    who = consultant()
    if who is None or access.role_of(engine, workshop.id, who) != access.OWNER:
        return
    if st.button("Make a new secret link", key="new_secret_link", icon=":material/key:",
                 help="For a device where you are not signed in. The old secret link stops opening this workshop."):
        from app_pages import state

        token = state.guarded(access.new_secret_link, engine, workshop.id, who)
        st.session_state["facilitator"] = token
        st.session_state.pop("facilitated_id", None)
        st.query_params.pop("w", None)
        st.query_params["f"] = token
        st.rerun()

"""Consultant sign-in, when an identity provider is configured (`[auth]` in `.streamlit/secrets.toml`).

Without one, nobody signs in and a workshop's secret facilitator link is its only key. With
one, a signed-in consultant also opens the workshops they own or were given from My
workshops. Either way the address bar carries only the workshop's id (`?w=`), and the access
behind it is checked again on every run, fragment refresh and action (`current_workshop`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

import i18n
from config import setting
from i18n import _
from questionnaires import PhasegateError
from scoring.words import N_
from storage import access, get_engine
from storage import workshops as ws
from storage.access import Consultant
from storage.errors import StorageError
from ui import cookies, session, state
from ui.flow import plain

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
    return _("Sign-in is not available: {problems} Fix `.streamlit/secrets.toml` and restart the app.").format(
        problems=" ".join(plain(line) for line in problems))


def consultant() -> Consultant | None:
    """The signed-in consultant, or None (not signed in, or sign-in not set up)."""
    claims = st.user.to_dict() if login_offered() else {}
    if not claims.get("is_logged_in"):
        return None
    found = access.consultant_from_claims(claims)
    if found is not None and access.signed_out(get_engine(), found, _issued_at(claims)):
        return None  # signed out since, here or in another tab or browser
    if found is not None and session.SHARES_CLAIMED.get() != found.subject:
        access.claim_shares(get_engine(), found)  # shares given to their address before they first signed in
        session.SHARES_CLAIMED.value = found.subject
    return found


def _issued_at(claims) -> dt.datetime:
    """When the identity was issued: the token's `iat`, else when this session first saw it."""
    issued = claims.get("iat")
    if isinstance(issued, (int, float)) and not isinstance(issued, bool):
        try:
            return dt.datetime.fromtimestamp(issued, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass
    return session.IDENTITY_SEEN_AT.setdefault(dt.datetime.now(dt.timezone.utc))


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
            st.caption(_("Consultants: sign in to see your workshops."))
            st.button(_("Sign in"), key="sign_in", icon=":material/login:", on_click=st.login, width="stretch")
        else:
            st.caption(_("Signed in as {name}").format(name=plain(who.label)))
            st.button(_("Sign out"), key="sign_out", icon=":material/logout:", on_click=sign_out, width="stretch",
                      help=_("Signs you out here and closes your workshop pages open in other tabs and browsers."))
    arrived = not session.ARRIVED.held()
    session.ARRIVED.value = True
    if who is not None and arrived and page.url_path == "" and not st.query_params and _at_root():
        st.switch_page(MY_WORKSHOPS)


def _at_root() -> bool:
    return urlparse(st.context.url or "").path.rstrip("/") == ""


# --- a facilitator's access, checked on every run, fragment and action ---------------------

COOKIE = "phasegate_f{}"  # the secret link's token, kept by the browser that opened it, per workshop


@dataclass(frozen=True)
class Grant:
    """This session's access to a workshop: by the secret link (`token`) or as a consultant it belongs to (no
    token); `subject` is who was signed in when it was given."""

    workshop_id: int
    token: str | None
    subject: str | None


def facilitated_workshop(engine, *, remember: bool = True) -> ws.Workshop | None:
    """The workshop a facilitator page shows, or None. The secret link (`?f=`) is read once and taken out of the
    address at once; the address then carries the workshop's id (`?w=`), which opens nothing by itself. Access is
    proved by this session, by the signed-in consultant's place in the workshop's list, or by the secret link kept
    in this browser's cookie; a reload, a new tab for the projector or a restarted server open it again. Without
    `remember` (the projector, whose page the room sees) the secret link is not written into the page for the
    browser to keep."""
    token = st.query_params.pop("f", None)
    if token:
        workshop = ws.find_by_token(engine, token)
        if workshop is None:
            return None
        _grant(workshop.id, token)
        if remember:
            cookies.set_cookie(COOKIE.format(workshop.id), token)
        st.query_params["w"] = str(workshop.id)
        return workshop
    if "w" in st.query_params:
        wanted = access.workshop_id_of(st.query_params.get("w"))
        if wanted is None:
            return None
        grant = session.FACILITATION.get()
        if grant is None or grant.workshop_id != wanted:
            _open_by_id(engine, wanted)
        grant = session.FACILITATION.get()
        if grant is None or grant.workshop_id != wanted:  # the id asked for, never another one kept before
            return None
    workshop = current_workshop(engine)
    if workshop is not None:
        st.query_params["w"] = str(workshop.id)
    return workshop


def _open_by_id(engine, wanted: int) -> None:
    who = consultant()
    if access.role_of(engine, wanted, who) is not None:
        _grant(wanted, None)
        return
    kept = cookies.get_cookie(COOKIE.format(wanted))
    workshop = ws.find_by_token(engine, kept) if kept else None
    if workshop is not None and workshop.id == wanted:
        _grant(wanted, kept)


def _grant(workshop_id: int, token: str | None) -> None:
    who = consultant()
    session.FACILITATION.value = Grant(workshop_id, token, who.subject if who else None)
    session.FACILITATED_ID.value = workshop_id  # what the navigation reads (`state.facilitating`)
    session.ACCESS_ENDED.pop()


def current_workshop(engine) -> ws.Workshop | None:
    """The workshop this session may act on now, freshly read; None once the access it had is gone: the secret
    link was replaced, the share taken back, the workshop deleted, or the person signed in changed or signed out.
    Every fragment run, callback and download of a facilitator page asks this before it does anything."""
    grant = session.FACILITATION.get()
    if grant is None:
        return None
    who = consultant()
    if (who.subject if who else None) != grant.subject:
        return _end(grant)
    return _holding(engine, grant, who) or _end(grant)


def _holding(engine, grant: Grant, who: Consultant | None) -> ws.Workshop | None:
    """The workshop when `grant` still opens it for `who`, read from the database alone: the secret's hash as of
    now, or the consultant's place in the workshop's list."""
    if grant.token:
        workshop = ws.find_by_token(engine, grant.token)
        return workshop if workshop is not None and workshop.id == grant.workshop_id else None
    if access.role_of(engine, grant.workshop_id, who) is None:
        return None
    return ws.get_workshop(engine, grant.workshop_id)


def _end(grant: Grant) -> None:
    session.FACILITATION.pop()
    session.FACILITATED_ID.pop()
    session.ACCESS_ENDED.value = grant.workshop_id
    # The link this browser kept goes too: it is either replaced, or kept by someone who just signed out.
    cookies.drop_cookie(COOKIE.format(grant.workshop_id))
    return None


def secret_link(workshop: ws.Workshop) -> str:
    """The secret facilitator link, when this session opened the workshop with it (else "")."""
    grant = session.FACILITATION.get()
    return f"{state.base_url()}/workshop-dashboard?f={grant.token}" if grant and grant.token else ""


# The title of a facilitator page seen without access, by the page's name as its script gives it.
NO_ACCESS = {"workshop dashboard": N_("No access to the workshop dashboard"),
             "presenter view": N_("No access to the presenter view")}


def no_access(page: str) -> None:
    """The page a facilitator view shows without access, and stop: why, and what opens it."""
    ended = session.ACCESS_ENDED.get()
    sign_in = login_offered()
    if ended is not None:
        st.title(_("This workshop is no longer open here"))
        st.write(_("The access this page had has ended: the owner made a new secret link, took back a share, or "
                   "deleted the workshop, or you signed out. Nothing was changed after that. Open it again with the "
                   "current secret link, or sign in as a consultant it belongs to.") if sign_in else
                 _("The access this page had has ended: the owner made a new secret link, took back a share, or "
                   "deleted the workshop. Nothing was changed after that. Open it again with the current secret "
                   "link."))
    else:
        st.title(_(NO_ACCESS[page]) if page in NO_ACCESS else _("No access to this page"))
        st.write(_("This page needs the facilitator's secret link, or signing in as a consultant the workshop belongs "
                   "to. A join code or a participant's link does not open it.") if sign_in else
                 _("This page needs the facilitator's secret link. A join code or a participant's link does not open "
                   "it."))
    st.stop()


def refresh_or_leave(engine) -> ws.Workshop:
    """For a fragment: the workshop as of now, or (access gone) a rerun of the whole page, which then says so."""
    workshop = current_workshop(engine)
    if workshop is None:
        st.rerun(scope="app")
    return workshop


def allowed(engine) -> bool:
    """For a callback: whether this session may still act on its workshop. When not, nothing is done, and the run
    that follows shows the page that says access ended."""
    return current_workshop(engine) is not None


def only_while_open(engine, make):
    """A download's data maker that refuses once access has gone, so a click after a revocation gets nothing. The
    data is made when the button is clicked, outside any run of the page, so the access is taken along as the page
    saw it and checked against the database then (a sign-out since counts too)."""
    grant, who = session.FACILITATION.get(), consultant()
    issued = _issued_at(st.user.to_dict()) if who is not None else None

    def guarded() -> bytes:
        gone = grant is None or (who is not None and access.signed_out(engine, who, issued))
        if gone or _holding(engine, grant, who) is None:
            raise access.AccessError(_("The access this page had has ended; nothing was downloaded."))
        return make()
    return guarded


def new_secret_link(engine, workshop: ws.Workshop) -> None:
    """For the owner, signed in: a new secret link (shown on the dashboard); the old one, and every page opened
    with it, stops opening the workshop at once."""
    who = consultant()
    if who is None or access.role_of(engine, workshop.id, who) != access.OWNER:
        return
    st.button(_("Make a new secret link"), key="new_secret_link", icon=":material/key:",
              help=_("For a device where you are not signed in. The old secret link, and every page open with it, "
                     "stops opening this workshop."), on_click=state.safe(_new_secret_link), args=(workshop.id,))


def _new_secret_link(workshop_id: int) -> None:
    """The new secret link's button (a callback): this session and browser hold the new link, shown once."""
    changed(access.new_secret_link, workshop_id, then=lambda token: _hold(workshop_id, token))


def _hold(workshop_id: int, token: str) -> None:
    """This session and browser hold the workshop by its secret link, which the dashboard shows once, to be saved."""
    _grant(workshop_id, token)
    cookies.set_cookie(COOKIE.format(workshop_id), token)
    session.SECRET_LINK_SHOWN.value = True


def share_panel(engine, workshop: ws.Workshop, *, key: str) -> None:
    """For the owner, signed in: who the workshop is shared with, by whom and when, a way to take each share back,
    and a way to share it by e-mail address. Nothing for anyone else."""
    who = consultant()
    if who is None or access.role_of(engine, workshop.id, who) != access.OWNER:
        return
    given = state.guarded(access.shares, engine, workshop.id)
    if not given:
        st.caption(_("Not shared with anyone."))
    for share in given:
        text_col, button_col = st.columns([4, 1], vertical_alignment="center")
        text_col.write(plain(shared_line(share)))
        button_col.button(_("Take back"), key=f"{key}:unshare:{share.email}", icon=":material/person_remove:",
                          on_click=state.safe(_unshare), args=(workshop.id, share.email))
    with st.form(f"{key}:share_form", border=False, enter_to_submit=True):
        st.text_input(_("Share with a consultant (e-mail address)"), key=f"{key}:share_email")
        st.form_submit_button(_("Share"), icon=":material/share:", on_click=state.safe(_share),
                              args=(workshop.id, f"{key}:share_email"))


def shared_line(share: access.Share) -> str:
    """One share as the owner reads it: with whom, by whom, since when, and whether it waits for a first sign-in."""
    day = i18n.date(share.granted_at.date(), "medium")
    line = (_("{email} · shared by {by} on {date}").format(email=share.email, by=share.granted_by, date=day)
            if share.granted_by else _("{email} · shared on {date}").format(email=share.email, date=day))
    return _("{share} · waits for their first sign-in").format(share=line) if share.waiting else line


def _unshare(workshop_id: int, email: str) -> None:
    """Take back a share (a callback); what happened is said by the next run."""
    if changed(access.unshare, workshop_id, email):
        session.FLASH_INFO.value = _("No longer shared with {email}.").format(email=email)


def _share(workshop_id: int, field: str) -> None:
    """Share the workshop with the address typed into `field` (the share form's callback)."""
    email = str(st.session_state.get(field) or "")
    if changed(access.share, workshop_id, email):
        session.FLASH_INFO.value = _("Shared with {email}.").format(email=email.strip())
        st.session_state[field] = ""


def changed(action, workshop_id: int, *args, then=None) -> bool:
    """Run a change to a workshop's list or shares as the signed-in consultant, from a callback: True once done
    (and `then` given what it returned); False when it was refused or the database failed, the reason left for the
    next run to show."""
    who = consultant()
    if who is None:
        session.FLASH.value = _("You are no longer signed in; nothing was changed.")
        return False
    try:
        made = action(get_engine(), workshop_id, who, *args)
    except StorageError as exc:
        session.FLASH.value = _(state.SAVE_FAILED).format(reason=exc.reason)
        return False
    except PhasegateError as exc:
        session.FLASH.value = " ".join(exc.lines())
        return False
    if then is not None:
        then(made)
    return True


def sign_out() -> None:
    """The sign-out button: end this consultant's identity everywhere (open tabs close at their next refresh),
    forget the secret links this browser kept, then sign out of the provider's session here."""
    who = consultant()
    if who is not None:
        access.record_sign_out(get_engine(), who)
    for name in list(st.context.cookies.keys()):
        if name.startswith("phasegate_f"):
            cookies.drop_cookie(name)
    session.FACILITATION.pop()
    st.logout()


def open_new(workshop: ws.Workshop) -> None:
    """A workshop just created or re-run, with its secret link in hand: this session and browser hold it, the
    dashboard opens on it by id and shows the link once, open, to be saved."""
    _hold(workshop.id, workshop.facilitator_token)
    st.switch_page(DASHBOARD, query_params={"w": str(workshop.id)})


def open_new_soon(workshop: ws.Workshop) -> None:
    """`open_new` from a callback, which cannot switch pages: the dashboard opens as the next run starts."""
    _hold(workshop.id, workshop.facilitator_token)
    state.switch_soon(DASHBOARD, w=str(workshop.id))


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0")


def unreachable_link_problem() -> str:
    """Why phones in the room cannot open the join link and QR code (markdown), or ""."""
    if setting("PHASEGATE_PUBLIC_URL"):
        return ""
    host = (urlparse(state.base_url()).hostname or "").lower()
    if host not in LOCAL_HOSTS and not host.startswith("127."):
        return ""
    return _("Phones cannot open this join link or QR code: it points at this computer's own address "
             "(`{host}`). Set `PHASEGATE_PUBLIC_URL` to an address the room can reach, for example "
             "`http://192.168.1.20:8501` on the same Wi-Fi or your public `https://` address, and restart the app. "
             "Participants can still join by typing the code on such an address.").format(host=host)


def forget(workshop: ws.Workshop) -> None:
    """This session and browser no longer hold the workshop (it was deleted here)."""
    session.FACILITATION.pop()
    session.FACILITATED_ID.pop()
    cookies.drop_cookie(COOKIE.format(workshop.id))

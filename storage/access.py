"""Who may open a workshop when consultants sign in: its owner, and the consultants it was shared with.

A consultant is known by the identity provider's issuer and subject together, never by
e-mail address alone (addresses change hands); the address is kept to show, and to share
by. A share given to an address nobody has signed in with yet waits under that address
and becomes the consultant's the first time they sign in with it, when the provider says
the address is verified. Signed in, a consultant sees only the workshops listed here under
their subject. Only the owner shares, and the owner takes shares back. The secret
facilitator link opens the workshop for whoever holds it, for as long as it is the current
link, and never adds it to anyone's list; deleting a workshop that has an owner takes that
owner, signed in (`delete_refusal`). Signing out ends every identity issued before it
(`signed_out`), in every tab and browser.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, delete, func, insert, select, update

from i18n import _
from questionnaires.errors import AnswersError
from storage import repository as repo
from storage import retention
from storage import workshops as ws
from storage.engine import writing
from storage.tables import assessments, sign_outs, workshop_access, workshops

OWNER = "owner"
SHARED = "shared"
PENDING = "email:"  # the subject of a share waiting for its consultant's first sign-in
MAX_SUBJECT = 255
MAX_EMAIL = 255
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccessError(AnswersError):
    """A consultant may not do what was asked with a workshop; the message says why."""


@dataclass(frozen=True)
class Consultant:
    """A signed-in consultant: `subject` is the provider's issuer and subject, `email` as the provider gave it."""

    subject: str
    email: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        """How the consultant is named on screen: name, else address, else 'you'."""
        return self.name or self.email or "you"


@dataclass(frozen=True)
class Entry:
    """One workshop in a consultant's list, with their role in it and how far the room got."""

    workshop: ws.Workshop
    role: str
    participants: int
    finished: int

    @property
    def is_open(self) -> bool:
        return not self.workshop.is_closed()

    @property
    def status(self) -> str:
        return "open" if self.is_open else "closed"


@dataclass(frozen=True)
class Share:
    """A workshop given to another consultant: their address, who gave it and when; `waiting` until they sign in."""

    email: str
    granted_by: str
    granted_at: dt.datetime
    waiting: bool


@dataclass(frozen=True)
class Client:
    """A client's workshops in a consultant's list, newest first."""

    name: str
    entries: tuple[Entry, ...]

    def rerun_of(self, entry: Entry) -> Entry | None:
        """The earlier workshop in this list that `entry` re-runs, or None."""
        return next((e for e in self.entries if e.workshop.id == entry.workshop.baseline_id), None)


def consultant_from_claims(claims: Mapping) -> Consultant | None:
    """The consultant an identity token names (issuer and subject), or None when either is missing."""
    issuer = str(claims.get("iss") or "").strip().rstrip("/")
    subject = str(claims.get("sub") or "").strip()
    if not issuer or not subject:
        return None
    key = f"{issuer}#{subject}"
    if len(key) > MAX_SUBJECT:  # still one consultant per issuer and subject, in a column of bounded width
        key = "sha256:" + repo.hash_token(key)
    # Shares wait under an address, so only an address the provider says it verified may claim them.
    verified = claims.get("email_verified") in (True, "true", "True")
    email = str(claims.get("email") or "").strip() if verified else ""
    return Consultant(key, _email(email) or "", str(claims.get("name") or "").strip()[:200])


def _email(text: str) -> str | None:
    address = (text or "").strip().lower()
    return address if len(address) <= MAX_EMAIL and EMAIL.match(address) else None


# --- the sign-in settings -----------------------------------------------------------------

AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
MIN_COOKIE_SECRET = 32


def sign_in_problems(section: Mapping) -> list[str]:
    """What is wrong with an `[auth]` section of the secrets, one line each; empty when consultants can sign in."""
    problems = [f"[auth] lacks {key}." for key in AUTH_KEYS if not str(section.get(key) or "").strip()]
    redirect = str(section.get("redirect_uri") or "")
    if redirect and not re.match(r"^https?://[^/]+/oauth2callback$", redirect.replace("{port}", "8501")):
        problems.append("[auth] redirect_uri must be the app's address followed by /oauth2callback, e.g. "
                        "https://assess.example.com/oauth2callback.")
    metadata = str(section.get("server_metadata_url") or "")
    if metadata and not metadata.startswith(("https://", "http://")):
        problems.append("[auth] server_metadata_url must be the provider's https:// discovery address "
                        "(…/.well-known/openid-configuration).")
    secret = str(section.get("cookie_secret") or "")
    if secret and len(secret) < MIN_COOKIE_SECRET:
        problems.append(f"[auth] cookie_secret is {len(secret)} characters long; use at least {MIN_COOKIE_SECRET} "
                        "random ones.")
    return problems


# --- granting and checking --------------------------------------------------------------


def grant_owner(engine: Engine, workshop_id: int, consultant: Consultant) -> None:
    """Make the consultant the owner of a workshop (the one who created it, or re-ran it)."""
    with writing(engine) as conn:
        conn.execute(delete(workshop_access).where(workshop_access.c.workshop_id == workshop_id,
                                                   workshop_access.c.subject == consultant.subject))
        conn.execute(insert(workshop_access).values(workshop_id=workshop_id, subject=consultant.subject,
                                                    email=consultant.email, role=OWNER, granted_at=repo.now()))


def create_workshop(engine: Engine, client: str, questionnaire_id: str, questionnaire_version: str, *,
                    owner: Consultant, **options) -> ws.Workshop:
    """Create a workshop (as `workshops.create_workshop`) owned by the consultant `owner`."""
    created = ws.create_workshop(engine, client, questionnaire_id, questionnaire_version, **options)
    _own_or_undo(engine, created, owner)
    return created


def rerun_workshop(engine: Engine, workshop_id: int, consultant: Consultant) -> ws.Workshop:
    """This quarter's workshop for the client of an earlier one in the consultant's list (`rerun`)."""
    earlier = ws.get_workshop(engine, workshop_id)
    if earlier is None or role_of(engine, workshop_id, consultant) is None:
        raise AccessError(_("That workshop is not in your list, so it cannot be re-run from here."))
    return rerun(engine, earlier)


def rerun(engine: Engine, earlier: ws.Workshop) -> ws.Workshop:
    """A re-run of a workshop the caller has opened: the same owner and the same shares as the earlier one, so
    whoever could open that one opens this one (a workshop nobody owned stays nobody's)."""
    again = ws.rerun_workshop(engine, earlier)
    try:
        with writing(engine) as conn:
            rows = conn.execute(select(workshop_access.c.subject, workshop_access.c.email, workshop_access.c.role,
                                       workshop_access.c.granted_by)
                                .where(workshop_access.c.workshop_id == earlier.id)).mappings().all()
            if rows:
                conn.execute(insert(workshop_access), [dict(row, workshop_id=again.id, granted_at=repo.now())
                                                       for row in rows])
    except Exception:
        retention.delete_workshop(engine, again.id)  # a re-run nobody can find again is not left behind
        raise
    return again


def _own_or_undo(engine: Engine, created: ws.Workshop, consultant: Consultant) -> None:
    try:
        grant_owner(engine, created.id, consultant)
    except Exception:
        retention.delete_workshop(engine, created.id)  # a workshop nobody can find again is not left behind
        raise


def role_of(engine: Engine, workshop_id: int, consultant: Consultant | None) -> str | None:
    """'owner' or 'shared' when the consultant may open the workshop, else None."""
    if consultant is None:
        return None
    query = select(workshop_access.c.role).where(workshop_access.c.workshop_id == workshop_id,
                                                 workshop_access.c.subject == consultant.subject)
    with engine.connect() as conn:
        return conn.execute(query).scalar()


MAX_WORKSHOP_ID = 2**31 - 1


def workshop_id_of(text: str | int | None) -> int | None:
    """A workshop id as an address gives it (`?w=`), or None when it is not one (letters, a sign, too long)."""
    text = str(text if text is not None else "").strip()
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_WORKSHOP_ID:
        return None
    return int(text)


def open_workshop(engine: Engine, workshop_id: int | str | None, consultant: Consultant | None) -> ws.Workshop | None:
    """The workshop with this id when the consultant may open it; None otherwise (an unknown id looks the same)."""
    wanted = workshop_id_of(workshop_id)
    if wanted is None or role_of(engine, wanted, consultant) is None:
        return None
    return ws.get_workshop(engine, wanted)


def new_secret_link(engine: Engine, workshop_id: int, consultant: Consultant) -> str:
    """A fresh facilitator token for the workshop, for its owner; the old secret link stops opening it."""
    if role_of(engine, workshop_id, consultant) != OWNER:
        raise AccessError(_("Only the workshop's owner can make a new secret link."))
    token = secrets.token_urlsafe(ws.FACILITATOR_TOKEN_BYTES)
    with writing(engine) as conn:
        conn.execute(update(workshops).where(workshops.c.id == workshop_id)
                     .values(facilitator_token=repo.hash_token(token)))
        _event(conn, workshop_id, consultant, ws.NEW_LINK, {})
    return token


# --- the list ---------------------------------------------------------------------------


def list_workshops(engine: Engine, consultant: Consultant, client: str = "") -> list[Client]:
    """The consultant's workshops by client (clients with the newest workshop first); `client` filters by name."""
    counts = (select(assessments.c.workshop_id,
                     func.count().label("participants"),
                     func.sum(case((assessments.c.finished_at.is_not(None), 1), else_=0)).label("finished"))
              .where(assessments.c.workshop_id.is_not(None), assessments.c.removed_at.is_(None))
              .group_by(assessments.c.workshop_id).subquery())
    query = (select(workshops, workshop_access.c.role, counts.c.participants, counts.c.finished)
             .join(workshop_access, and_(workshop_access.c.workshop_id == workshops.c.id,
                                         workshop_access.c.subject == consultant.subject))
             .outerjoin(counts, counts.c.workshop_id == workshops.c.id)
             .order_by(workshops.c.created_at.desc(), workshops.c.id.desc()))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    wanted = " ".join(client.split()).casefold()
    by_client: dict[str, list[Entry]] = {}
    for row in rows:
        if wanted and wanted not in row["client"].casefold():
            continue
        entry = Entry(ws._workshop(row), row["role"], int(row["participants"] or 0), int(row["finished"] or 0))
        by_client.setdefault(row["client"].casefold(), []).append(entry)
    return [Client(entries[0].workshop.client, tuple(entries)) for entries in by_client.values()]


# --- sharing ----------------------------------------------------------------------------


def share(engine: Engine, workshop_id: int, owner: Consultant, email: str) -> None:
    """Give the workshop to another consultant by e-mail address; only its owner may."""
    address = _email(email)
    if address is None:
        raise AccessError(_("Give the other consultant's e-mail address, for example ana@example.com."))
    if role_of(engine, workshop_id, owner) != OWNER:
        raise AccessError(_("Only the workshop's owner can share it."))
    if address == owner.email:
        raise AccessError(_("That is your own address; the workshop is already yours."))
    with writing(engine) as conn:
        known = conn.execute(select(workshop_access.c.subject).where(workshop_access.c.email == address,
                                                                     ~workshop_access.c.subject.startswith(PENDING))
                             .limit(1)).scalar()
        subject = known or PENDING + address
        exists = conn.execute(select(workshop_access.c.id).where(workshop_access.c.workshop_id == workshop_id,
                                                                 workshop_access.c.subject == subject)).scalar()
        if exists is None:
            conn.execute(insert(workshop_access).values(workshop_id=workshop_id, subject=subject, email=address,
                                                        role=SHARED, granted_at=repo.now(),
                                                        granted_by=_who(owner)))
            _event(conn, workshop_id, owner, ws.SHARED, {"address": address})


def shares(engine: Engine, workshop_id: int) -> list[Share]:
    """Who the workshop was shared with, by whom and when, in the order it was shared."""
    query = (select(workshop_access.c.email, workshop_access.c.granted_by, workshop_access.c.granted_at,
                    workshop_access.c.subject)
             .where(workshop_access.c.workshop_id == workshop_id, workshop_access.c.role == SHARED)
             .order_by(workshop_access.c.granted_at, workshop_access.c.id))
    with engine.connect() as conn:
        return [Share(row.email, row.granted_by or "", row.granted_at, row.subject.startswith(PENDING))
                for row in conn.execute(query)]


def unshare(engine: Engine, workshop_id: int, owner: Consultant, email: str) -> None:
    """Take back a share; only the owner may. Pages the colleague has open close at their next refresh."""
    if role_of(engine, workshop_id, owner) != OWNER:
        raise AccessError(_("Only the workshop's owner can take back a share."))
    address = (email or "").strip().lower()
    with writing(engine) as conn:
        taken = conn.execute(delete(workshop_access).where(workshop_access.c.workshop_id == workshop_id,
                                                           workshop_access.c.role == SHARED,
                                                           workshop_access.c.email == address)).rowcount
        if not taken:
            raise AccessError(_("The workshop is not shared with {address}.").format(address=address) if address
                              else _("The workshop is not shared with that address."))
        _event(conn, workshop_id, owner, ws.UNSHARED, {"address": address})


# --- signing out ----------------------------------------------------------------------------


def record_sign_out(engine: Engine, consultant: Consultant, at: dt.datetime | None = None) -> None:
    """The consultant signed out: every identity of theirs issued until now opens nothing any more."""
    at = at or repo.now()
    with writing(engine) as conn:
        updated = conn.execute(update(sign_outs).where(sign_outs.c.subject == consultant.subject)
                               .values(signed_out_at=at)).rowcount
        if not updated:
            conn.execute(insert(sign_outs).values(subject=consultant.subject, signed_out_at=at))


def signed_out(engine: Engine, consultant: Consultant, issued_at: dt.datetime) -> bool:
    """Whether the consultant signed out after this identity of theirs was issued (in any tab or browser)."""
    query = select(sign_outs.c.signed_out_at).where(sign_outs.c.subject == consultant.subject)
    with engine.connect() as conn:
        last = conn.execute(query).scalar()
    if last is None:
        return False
    if last.tzinfo is None:  # SQLite gives back naive UTC
        last = last.replace(tzinfo=dt.timezone.utc)
    return issued_at <= last


def claim_shares(engine: Engine, consultant: Consultant) -> int:
    """Shares waiting for the consultant's address become theirs; how many did."""
    if not consultant.email:
        return 0
    pending = PENDING + consultant.email
    with writing(engine) as conn:
        have = select(workshop_access.c.workshop_id).where(workshop_access.c.subject == consultant.subject)
        conn.execute(delete(workshop_access).where(workshop_access.c.subject == pending,
                                                   workshop_access.c.workshop_id.in_(have)))
        return conn.execute(update(workshop_access).where(workshop_access.c.subject == pending)
                            .values(subject=consultant.subject)).rowcount


# --- leaving and deleting -----------------------------------------------------------------


def leave(engine: Engine, workshop_id: int, consultant: Consultant) -> None:
    """Take a shared workshop off the consultant's list (the owner deletes instead)."""
    if role_of(engine, workshop_id, consultant) != SHARED:
        raise AccessError(_("Only a workshop shared with you can be taken off your list; delete your own instead."))
    with writing(engine) as conn:
        conn.execute(delete(workshop_access).where(workshop_access.c.workshop_id == workshop_id,
                                                   workshop_access.c.subject == consultant.subject))


def delete_refusal(engine: Engine, workshop_id: int, consultant: Consultant | None, sign_in: bool = True) -> str:
    """Why the person at a page that opened the workshop may not delete it, or "" when they may; the one rule of
    every page that deletes. With sign-in set up (`sign_in`), a workshop that has an owner is deleted by that owner
    alone, signed in (`consultant`). Without sign-in, or for a workshop nobody owns yet, whoever opened it with its
    secret facilitator link holds it, and may. The caller has checked that the workshop was opened (by its secret
    link, or from the consultant's list)."""
    if not sign_in:
        return ""
    query = select(workshop_access.c.subject, workshop_access.c.email).where(
        workshop_access.c.workshop_id == workshop_id, workshop_access.c.role == OWNER)
    with engine.connect() as conn:
        owner = conn.execute(query).first()
    if owner is None or (consultant is not None and consultant.subject == owner.subject):
        return ""
    if consultant is None:
        return (_("Only the workshop's owner, {email}, can delete it: sign in as the owner to delete it here.")
                if owner.email else _("Only the workshop's owner can delete it: sign in as the owner to delete it "
                                      "here.")).format(email=owner.email)
    return (_("Only the workshop's owner, {email}, can delete it.") if owner.email else
            _("Only the workshop's owner can delete it.")).format(email=owner.email)


def delete_workshop(engine: Engine, workshop_id: int, consultant: Consultant | None, sign_in: bool = True) -> bool:
    """Delete a workshop and all its data for good, when `delete_refusal` allows it; AccessError with its reason
    otherwise."""
    refusal = delete_refusal(engine, workshop_id, consultant, sign_in)
    if refusal:
        raise AccessError(refusal)
    return retention.delete_workshop(engine, workshop_id)


def _who(consultant: Consultant) -> str:
    return (consultant.email or consultant.subject)[:255]


def _event(conn, workshop_id: int, consultant: Consultant, action: str, facts: dict) -> None:
    ws.record_event(conn, workshop_id, action, facts, _who(consultant))


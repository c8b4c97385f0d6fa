"""Access ends when it is revoked: a rotated secret link, a share taken back, a sign-out or a deletion closes a
dashboard or presenter view that is already open, at its next run, and refuses what is done in between."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import access, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.access import AccessError, Consultant
from tests.conftest import open_page

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "phasegate",
        "client_secret": "not-a-secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ISSUER = "https://id.example.com"
DASHBOARD = "app_pages/workshop_dashboard.py"
PRESENTER = "app_pages/presenter.py"
ENDED = "This workshop is no longer open here"


@pytest.fixture
def engine(app_env):
    yield get_engine()


def consultant(name: str) -> Consultant:
    return Consultant(f"{ISSUER}#{name}", f"{name}@example.com")


def claims(name: str, **more) -> dict:
    return {"is_logged_in": True, "iss": ISSUER, "sub": name, "email": f"{name}@example.com",
            "email_verified": True, "iat": int(dt.datetime.now(dt.timezone.utc).timestamp()) - 5, **more}


def page_as(page: str, who: str | None, **params):
    """The app on one page with sign-in set up and `who` signed in (None: nobody)."""

    def prepare(at) -> None:
        at.secrets["auth"] = AUTH
        at.user = claims(who) if who else {}

    return open_page(page, prepare=prepare, **params)


def text_of(at) -> str:
    return " ".join(str(e.value) for e in (*at.title, *at.markdown, *at.caption, *at.info, *at.metric))


def owned(engine, client: str = "Acme") -> ws.Workshop:
    return access.create_workshop(engine, client, "tiny", "1.0.0", owner=consultant("ana"))


def with_participant(engine, workshop) -> repo.Assessment:
    person = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, person.id, "data.inventory", 2)
    return person


# --- a rotated secret link ---------------------------------------------------------------


@pytest.mark.parametrize("page", [DASHBOARD, PRESENTER])
def test_a_new_secret_link_closes_a_page_open_with_the_old_one(engine, page):
    workshop = owned(engine)
    at = page_as(page, None, f=workshop.facilitator_token)
    assert "Acme" in text_of(at)
    access.new_secret_link(engine, workshop.id, consultant("ana"))  # the owner, elsewhere
    at.run()
    assert ENDED in text_of(at) and "Acme" not in text_of(at)


def test_an_action_taken_after_the_link_was_replaced_is_refused(engine):
    workshop = owned(engine)
    stray = with_participant(engine, workshop)
    at = page_as(DASHBOARD, None, f=workshop.facilitator_token)
    at.selectbox(key="remove_participant_pick").set_value(stray.id).run()
    access.new_secret_link(engine, workshop.id, consultant("ana"))
    at.button(key="remove_participant").click().run()
    assert ENDED in text_of(at)
    assert ws.removed_count(engine, workshop.id) == 0


def test_the_client_profile_is_not_saved_once_the_link_was_replaced(engine):
    workshop = owned(engine)
    at = page_as(DASHBOARD, None, f=workshop.facilitator_token)
    at.text_input(key=f"profile_industry:{workshop.id}").input("Banking")
    access.new_secret_link(engine, workshop.id, consultant("ana"))
    at.button(key="save_workshop_profile").click().run()
    assert ENDED in text_of(at)
    assert not (ws.get_workshop(engine, workshop.id).profile or {}).get("industry")


# --- a share taken back, a sign-out, a deletion ----------------------------------------


@pytest.mark.parametrize("page", [DASHBOARD, PRESENTER])
def test_a_share_taken_back_closes_the_colleagues_open_page(engine, page):
    workshop = owned(engine)
    access.share(engine, workshop.id, consultant("ana"), "ben@example.com")
    access.claim_shares(engine, consultant("ben"))
    at = page_as(page, "ben", w=str(workshop.id))
    assert "Acme" in text_of(at)
    access.unshare(engine, workshop.id, consultant("ana"), "ben@example.com")
    at.run()
    assert ENDED in text_of(at) and "Acme" not in text_of(at)
    again = page_as(page, "ben", w=str(workshop.id))  # and a reload does not bring it back
    assert "No access" in text_of(again)


@pytest.mark.parametrize("page", [DASHBOARD, PRESENTER])
def test_signing_out_elsewhere_closes_a_page_still_signed_in_here(engine, page):
    workshop = owned(engine)
    at = page_as(page, "ana", w=str(workshop.id))
    assert "Acme" in text_of(at)
    access.record_sign_out(engine, consultant("ana"))  # the sign-out button in another tab or browser
    at.run()
    assert ENDED in text_of(at) and "Acme" not in text_of(at)


def test_signing_in_again_after_signing_out_opens_the_workshop_again(engine):
    workshop = owned(engine)
    access.record_sign_out(engine, consultant("ana"), at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))
    at = page_as(DASHBOARD, "ana", w=str(workshop.id))
    assert "Workshop · Acme" in text_of(at)


def test_another_consultant_signed_in_in_the_same_session_does_not_inherit_the_page(engine):
    workshop = owned(engine)
    at = page_as(DASHBOARD, "ana", w=str(workshop.id))
    at.user = claims("ben")
    at.run()
    assert ENDED in text_of(at) and "Acme" not in text_of(at)


def test_a_deleted_workshop_closes_its_open_pages(engine):
    workshop = owned(engine)
    at = page_as(PRESENTER, "ana", w=str(workshop.id))
    access.delete_workshop(engine, workshop.id, consultant("ana"))
    at.run()
    assert ENDED in text_of(at)


# --- the projector and the dashboard come back after a reload ----------------------------


@pytest.mark.parametrize("who", ["ana", "ben"])
def test_the_projector_survives_a_reload_for_the_owner_and_a_share(engine, who):
    workshop = owned(engine)
    access.share(engine, workshop.id, consultant("ana"), "ben@example.com")
    access.claim_shares(engine, consultant("ben"))
    first = page_as(PRESENTER, who, w=str(workshop.id))
    reloaded = page_as(PRESENTER, who, w=str(workshop.id))  # a new session: what a reload or a restart gives
    for at in (first, reloaded):
        assert workshop.display_code in text_of(at) + " ".join(str(h.value) for h in at.get("html"))


@pytest.mark.parametrize("wanted", ["9" * 40, "-1", "1e9", "abc", "0", " "])
def test_an_unusual_workshop_id_is_refused_in_one_line(engine, wanted):
    owned(engine)
    at = page_as(DASHBOARD, "ana", w=wanted)
    assert not at.exception and "No access to the workshop dashboard" in text_of(at)


# --- shares ------------------------------------------------------------------------------


def test_a_share_is_claimed_only_by_a_verified_address(engine):
    workshop = owned(engine)
    access.share(engine, workshop.id, consultant("ana"), "chloe@example.com")
    unverified = access.consultant_from_claims({"iss": "https://evil.example.com", "sub": "x",
                                                "email": "chloe@example.com", "email_verified": False})
    missing = access.consultant_from_claims({"iss": "https://evil.example.com", "sub": "y",
                                             "email": "chloe@example.com"})
    for impostor in (unverified, missing):
        assert access.claim_shares(engine, impostor) == 0
        assert access.role_of(engine, workshop.id, impostor) is None
    verified = access.consultant_from_claims({"iss": ISSUER, "sub": "chloe", "email": "chloe@example.com",
                                              "email_verified": True})
    assert access.claim_shares(engine, verified) == 1
    assert access.role_of(engine, workshop.id, verified) == access.SHARED


def test_the_owner_lists_takes_back_and_audits_shares(engine):
    workshop = owned(engine)
    access.share(engine, workshop.id, consultant("ana"), "ben@example.com")
    access.share(engine, workshop.id, consultant("ana"), "chloe@example.com")
    access.claim_shares(engine, consultant("ben"))
    given = access.shares(engine, workshop.id)
    assert [(s.email, s.granted_by, s.waiting) for s in given] == [
        ("ben@example.com", "ana@example.com", False), ("chloe@example.com", "ana@example.com", True)]
    with pytest.raises(AccessError, match="owner"):
        access.unshare(engine, workshop.id, consultant("ben"), "chloe@example.com")
    access.unshare(engine, workshop.id, consultant("ana"), "ben@example.com")
    assert access.role_of(engine, workshop.id, consultant("ben")) is None
    assert [s.email for s in access.shares(engine, workshop.id)] == ["chloe@example.com"]
    with pytest.raises(AccessError, match="not shared with"):
        access.unshare(engine, workshop.id, consultant("ana"), "ben@example.com")
    new_link = access.new_secret_link(engine, workshop.id, consultant("ana"))
    assert new_link
    assert [(e.actor, e.action) for e in ws.list_events(engine, workshop.id)] == [
        ("ana@example.com", "shared"), ("ana@example.com", "shared"), ("ana@example.com", "unshared"),
        ("ana@example.com", "new_link")]


def test_the_owner_takes_a_share_back_on_the_dashboard(engine):
    workshop = owned(engine)
    access.share(engine, workshop.id, consultant("ana"), "ben@example.com")
    at = page_as(DASHBOARD, "ana", w=str(workshop.id))
    assert "ben@example.com · shared by ana@example.com" in " ".join(m.value for m in at.markdown).replace("\\", "")
    at.button(key="dashboard:unshare:ben@example.com").click().run()
    assert not at.exception, at.exception
    assert access.shares(engine, workshop.id) == []


def test_a_rerun_keeps_the_owner_and_the_shares(engine):
    workshop = owned(engine)
    access.share(engine, workshop.id, consultant("ana"), "ben@example.com")
    access.claim_shares(engine, consultant("ben"))
    again = access.rerun(engine, workshop)
    assert access.role_of(engine, again.id, consultant("ana")) == access.OWNER
    assert access.role_of(engine, again.id, consultant("ben")) == access.SHARED
    nobodys = access.rerun(engine, ws.create_workshop(engine, "Initech", "tiny", "1.0.0"))
    assert access.shares(engine, nobodys.id) == [] and access.role_of(engine, nobodys.id, consultant("ana")) is None


def test_a_rerun_asks_for_a_confirmation_first(engine):
    workshop = owned(engine)
    at = page_as(DASHBOARD, "ana", w=str(workshop.id))
    assert at.button(key="rerun_workshop").disabled
    assert len(access.list_workshops(engine, consultant("ana"))[0].entries) == 1

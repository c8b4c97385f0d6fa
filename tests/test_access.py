"""Signed-in consultants: each sees only the workshops they created or were given, by client, with re-runs."""

from __future__ import annotations

import pytest

import services
from storage import access, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.access import AccessError, Consultant
from tests.conftest import APP_TIMEOUT, ROOT, open_page

ANA = Consultant("https://id.example.com#ana", "ana@example.com", "Ana")
BEN = Consultant("https://id.example.com#ben", "ben@example.com", "Ben")
CHLOE = Consultant("https://id.example.com#chloe", "chloe@example.com", "Chloe")


def workshop_for(engine, consultant, client="Example Corp"):
    return access.create_workshop(engine, client, "tiny", "1.0.0", owner=consultant)


def listed(engine, consultant, client=""):
    """(client, workshop id, role) of every workshop in the consultant's list."""
    clients = access.list_workshops(engine, consultant, client)
    return {(c.name, e.workshop.id, e.role) for c in clients for e in c.entries}


@pytest.mark.parametrize(("claims", "subject", "email"), [
    ({"iss": "https://id.example.com/", "sub": "42", "email": "Ana@Example.com", "email_verified": True},
     "https://id.example.com#42", "ana@example.com"),
    # an address the provider does not say it verified is not kept: it could claim someone else's share
    ({"iss": "https://id.example.com", "sub": "42", "email": "ana@example.com"}, "https://id.example.com#42", ""),
    ({"iss": "https://id.example.com", "sub": "42", "email": "ana@example.com", "email_verified": False},
     "https://id.example.com#42", ""),
    ({"iss": "https://id.example.com", "sub": "42", "email": "not an address"}, "https://id.example.com#42", ""),
])
def test_a_consultant_is_the_issuer_and_subject_together(claims, subject, email):
    consultant = access.consultant_from_claims(claims)
    assert (consultant.subject, consultant.email) == (subject, email)


@pytest.mark.parametrize("claims", [{}, {"iss": "https://id.example.com"}, {"sub": "42"}, {"is_logged_in": True}])
def test_claims_without_issuer_and_subject_name_nobody(claims):
    assert access.consultant_from_claims(claims) is None


def test_the_same_subject_from_another_issuer_is_another_consultant():
    one = access.consultant_from_claims({"iss": "https://a.example.com", "sub": "7"})
    other = access.consultant_from_claims({"iss": "https://b.example.com", "sub": "7"})
    assert one.subject != other.subject


def test_a_very_long_issuer_and_subject_still_fit_and_stay_distinct():
    long = {"iss": "https://id.example.com/" + "x" * 300, "sub": "1"}
    one, other = access.consultant_from_claims(long), access.consultant_from_claims({**long, "sub": "2"})
    assert len(one.subject) <= access.MAX_SUBJECT and one.subject != other.subject


def test_a_consultant_never_sees_another_consultants_workshops(engine):
    anas = workshop_for(engine, ANA, "Acme")
    bens = workshop_for(engine, BEN, "Globex")
    ws.create_workshop(engine, "Initech", "tiny", "1.0.0")  # made with the secret link only: nobody's list
    assert listed(engine, ANA) == {("Acme", anas.id, "owner")}
    assert listed(engine, BEN) == {("Globex", bens.id, "owner")}
    assert listed(engine, CHLOE) == set()
    assert access.open_workshop(engine, bens.id, ANA) is None
    assert access.open_workshop(engine, anas.id, ANA).client == "Acme"
    assert access.open_workshop(engine, anas.id, None) is None


@pytest.mark.parametrize("wanted", [None, "", "abc", "99999", "1; drop table workshops"])
def test_an_unknown_or_malformed_workshop_id_opens_nothing(engine, wanted):
    workshop_for(engine, ANA)
    assert access.open_workshop(engine, wanted, ANA) is None


def test_the_list_groups_a_clients_workshops_newest_first_with_the_rerun_series(engine):
    q1 = workshop_for(engine, ANA, "Acme")
    other = workshop_for(engine, ANA, "Globex")
    q2 = access.rerun_workshop(engine, q1.id, ANA)
    q3 = access.rerun_workshop(engine, q2.id, ANA)
    clients = access.list_workshops(engine, ANA)
    assert [c.name for c in clients] == ["Acme", "Globex"]
    acme = clients[0]
    assert [e.workshop.id for e in acme.entries] == [q3.id, q2.id, q1.id]
    assert [getattr(acme.rerun_of(e), "workshop", None) and acme.rerun_of(e).workshop.id for e in acme.entries] == \
        [q2.id, q1.id, None]
    assert [e.workshop.id for e in clients[1].entries] == [other.id]


def test_the_list_counts_participants_and_finishers_and_says_open_or_closed(engine):
    workshop = workshop_for(engine, ANA)
    first = ws.join_workshop(engine, workshop, "Executive")
    ws.join_workshop(engine, workshop, "Executive")
    services.finish_assessment(engine, first.id)
    services.close_workshop(engine, workshop.id)
    entry = access.list_workshops(engine, ANA)[0].entries[0]
    assert (entry.participants, entry.finished, entry.status) == (2, 1, "closed")


def test_the_list_filters_by_client_name(engine):
    workshop_for(engine, ANA, "Acme Retail")
    globex = workshop_for(engine, ANA, "Globex")
    assert {row[0] for row in listed(engine, ANA, "  glob ")} == {"Globex"}
    assert listed(engine, ANA, "GLOBEX") == {("Globex", globex.id, "owner")}
    assert listed(engine, ANA, "Umbrella") == set()


def test_a_workshop_shared_by_address_reaches_that_consultant_at_sign_in(engine):
    workshop = workshop_for(engine, ANA)
    access.share(engine, workshop.id, ANA, " Chloe@Example.com ")
    assert listed(engine, CHLOE) == set()  # not before she signs in
    assert access.claim_shares(engine, CHLOE) == 1
    assert listed(engine, CHLOE) == {("Example Corp", workshop.id, "shared")}
    assert [share.email for share in access.shares(engine, workshop.id)] == ["chloe@example.com"]
    assert listed(engine, BEN) == set()
    assert [(e.actor, e.detail) for e in ws.list_events(engine, workshop.id)] == \
        [("ana@example.com", "shared with chloe@example.com")]


def test_a_share_to_a_known_consultant_shows_at_once(engine):
    workshop_for(engine, BEN, "Globex")  # Ben is known by his address
    workshop = workshop_for(engine, ANA)
    access.share(engine, workshop.id, ANA, "ben@example.com")
    assert ("Example Corp", workshop.id, "shared") in listed(engine, BEN)


@pytest.mark.parametrize(("who", "email", "message"), [
    (ANA, "not-an-address", "e-mail address"),
    (ANA, "ana@example.com", "your own address"),
    (BEN, "chloe@example.com", "Only the workshop's owner"),
])
def test_sharing_is_refused_with_a_reason(engine, who, email, message):
    workshop = workshop_for(engine, ANA)
    with pytest.raises(AccessError, match=message):
        access.share(engine, workshop.id, who, email)
    assert access.shares(engine, workshop.id) == []


def test_only_the_owner_deletes_and_a_shared_consultant_may_only_leave(engine):
    workshop = workshop_for(engine, ANA)
    access.share(engine, workshop.id, ANA, "chloe@example.com")
    access.claim_shares(engine, CHLOE)
    with pytest.raises(AccessError, match="owner"):
        access.delete_workshop(engine, workshop.id, CHLOE)
    with pytest.raises(AccessError, match="owner"):
        access.delete_workshop(engine, workshop.id, BEN)
    access.leave(engine, workshop.id, CHLOE)
    assert listed(engine, CHLOE) == set() and ws.get_workshop(engine, workshop.id) is not None
    assert access.delete_workshop(engine, workshop.id, ANA)
    assert ws.get_workshop(engine, workshop.id) is None and listed(engine, ANA) == set()



def test_one_delete_rule_the_owner_signed_in_or_the_secret_link_without_sign_in(engine):
    workshop = workshop_for(engine, ANA)
    access.share(engine, workshop.id, ANA, "chloe@example.com")
    access.claim_shares(engine, CHLOE)
    assert access.delete_refusal(engine, workshop.id, ANA) == ""
    assert access.delete_refusal(engine, workshop.id, CHLOE) == \
        "Only the workshop's owner, ana@example.com, can delete it."
    assert access.delete_refusal(engine, workshop.id, BEN) == access.delete_refusal(engine, workshop.id, CHLOE)
    assert "sign in as the owner" in access.delete_refusal(engine, workshop.id, None)  # the link, signed out
    assert access.delete_refusal(engine, workshop.id, None, sign_in=False) == ""  # no sign-in: the link is the key
    with pytest.raises(AccessError, match="ana@example.com"):
        access.delete_workshop(engine, workshop.id, None)
    assert ws.get_workshop(engine, workshop.id) is not None

    linked = ws.create_workshop(engine, "Initech", "tiny", "1.0.0")  # nobody owns it: its secret link does
    assert access.delete_refusal(engine, linked.id, None) == access.delete_refusal(engine, linked.id, BEN) == ""
    assert access.delete_workshop(engine, linked.id, None) and ws.get_workshop(engine, linked.id) is None
    assert access.delete_workshop(engine, workshop.id, None, sign_in=False)
    assert ws.get_workshop(engine, workshop.id) is None

def test_a_rerun_needs_access_to_the_earlier_workshop(engine):
    anas = workshop_for(engine, ANA)
    with pytest.raises(AccessError):
        access.rerun_workshop(engine, anas.id, BEN)
    assert listed(engine, BEN) == set()


def test_a_workshop_created_without_sign_in_cannot_be_taken_over_by_whoever_holds_its_link(engine):
    linked = ws.create_workshop(engine, "Initech", "tiny", "1.0.0")
    with pytest.raises(AccessError, match="owner"):
        access.new_secret_link(engine, linked.id, BEN)
    with pytest.raises(AccessError, match="owner"):
        access.share(engine, linked.id, BEN, "chloe@example.com")
    assert ws.find_by_token(engine, linked.facilitator_token).id == linked.id
    assert listed(engine, BEN) == set()


# --- the pages, signed in ----------------------------------------------------------------

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "phasegate",
        "client_secret": "not-a-secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ISSUER = "https://id.example.com"


@pytest.fixture
def app_engine(app_env):
    """The app's settings (an SQLite folder) and its engine."""
    yield get_engine()


def page_as(page: str, who: str | None, login: bool = True, **params):
    """The app opened on one page, with sign-in configured (`login`) and `who` signed in (None: nobody)."""

    def signed_in(at) -> None:
        if login:
            at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "iss": ISSUER, "sub": who, "email": f"{who}@example.com",
                   "email_verified": True} if who else {}

    return open_page(page, prepare=signed_in, **params)


def text_of(at) -> str:
    return " ".join(str(e.value) for e in (*at.title, *at.markdown, *at.caption, *at.info, *at.error, *at.metric))


def shown(elements) -> str:
    """The text of these messages as the user reads it (markdown escapes removed)."""
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def owner(name: str) -> Consultant:
    return Consultant(f"{ISSUER}#{name}", f"{name}@example.com")


def test_a_workshop_opens_from_its_owners_list_without_the_secret_link(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    at = page_as("app_pages/workshop_dashboard.py", "ana", w=str(workshop.id))
    assert "Workshop · Acme" in text_of(at)
    assert workshop.facilitator_token not in text_of(at) + " ".join(c.value for c in at.code)


@pytest.mark.parametrize(("who", "login"), [("ben", True), (None, True), ("ana", False)])
def test_a_workshop_id_opens_nothing_for_another_consultant_or_without_sign_in(app_engine, who, login):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    at = page_as("app_pages/workshop_dashboard.py", who, login, w=str(workshop.id))
    assert "No access to the workshop dashboard" in text_of(at) and "Acme" not in text_of(at)


def test_the_secret_link_opens_the_dashboard_for_another_consultant_for_that_session_only(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    at = page_as("app_pages/workshop_dashboard.py", "ben", f=workshop.facilitator_token)
    assert "Workshop · Acme" in text_of(at)
    assert "f" not in at.query_params and at.query_params["w"] in (str(workshop.id), [str(workshop.id)])
    assert not [b for b in at.button if "keep" in (b.key or "")]
    assert listed(app_engine, owner("ben")) == set()
    assert access.shares(app_engine, workshop.id) == []  # the owner's list reads as before: shared with nobody


def test_a_workshop_created_signed_in_goes_to_my_workshops(app_engine):
    at = page_as("app_pages/workshop_new.py", "ana")
    at.text_input(key="ws_client").input("Acme")
    at.selectbox(key="ws_questionnaire").select("tiny")
    at.button(key="create_workshop").click().run()
    assert not at.exception
    assert [name for name, _, role in listed(app_engine, owner("ana"))] == ["Acme"]
    assert listed(app_engine, owner("ben")) == set()


def test_my_workshops_lists_only_the_signed_in_consultants_clients(app_engine):
    access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    access.create_workshop(app_engine, "Globex", "tiny", "1.0.0", owner=owner("ben"))
    at = page_as("app_pages/my_workshops.py", "ana")
    assert [s.value for s in at.header] == ["Acme"]
    at = page_as("app_pages/my_workshops.py", "ben")
    assert [s.value for s in at.header] == ["Globex"]


@pytest.mark.parametrize(("who", "login", "says"), [
    (None, False, "Sign-in is not set up on this server"),
    (None, True, "Sign in to see the workshops you created"),
])
def test_my_workshops_says_how_to_get_in(app_engine, who, login, says):
    at = page_as("app_pages/my_workshops.py", who, login)
    assert says in text_of(at)


def test_an_owner_shares_and_deletes_from_my_workshops(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    at = page_as("app_pages/my_workshops.py", "ana")
    at.text_input(key=f"my:{workshop.id}:share_email").input("Chloe@Example.com")
    at.button(key=f"FormSubmitter:my:{workshop.id}:share_form-Share").click().run()
    assert [share.email for share in access.shares(app_engine, workshop.id)] == ["chloe@example.com"]
    assert "Shared with Chloe@Example.com." in shown(at.success)
    at = page_as("app_pages/my_workshops.py", "chloe")  # her first sign-in brings the share
    assert [s.value for s in at.header] == ["Acme"] and "shared with you" in text_of(at)
    assert not [b for b in at.button if b.key == f"delete_workshop:{workshop.id}"]
    at = page_as("app_pages/my_workshops.py", "ana")
    at.text_input(key=f"confirm_delete:{workshop.id}").input("acme").run()
    at.button(key=f"delete_workshop:{workshop.id}").click().run()
    assert ws.get_workshop(app_engine, workshop.id) is None
    assert "No workshops yet" in text_of(at)


def test_sharing_a_bad_address_says_what_to_fix_in_my_workshops(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    at = page_as("app_pages/my_workshops.py", "ana")
    at.text_input(key=f"my:{workshop.id}:share_email").input("chloe at example")
    at.button(key=f"FormSubmitter:my:{workshop.id}:share_form-Share").click().run()
    assert not at.exception and "Give the other consultant's e-mail address" in shown(at.error)
    assert access.shares(app_engine, workshop.id) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"client_secret": ""}, "[auth] lacks client_secret."),
    ({"redirect_uri": "http://localhost:8501/"}, "followed by /oauth2callback"),
    ({"cookie_secret": "short"}, "cookie_secret is 5 characters long"),
    ({"server_metadata_url": "id.example.com"}, "discovery address"),
])
def test_an_incomplete_auth_section_is_named_not_offered(change, problem):
    assert any(problem in line for line in access.sign_in_problems({**AUTH, **change}))


def test_a_complete_auth_section_passes_the_checks():
    assert access.sign_in_problems(AUTH) == []
    assert access.sign_in_problems({**AUTH, "redirect_uri": "http://localhost:{port}/oauth2callback"}) == []


def test_an_incomplete_auth_section_says_what_to_fix_on_the_page(app_engine, monkeypatch):
    monkeypatch.setitem(AUTH, "client_secret", "")
    at = page_as("app_pages/my_workshops.py", None)
    assert "[auth] lacks client_secret." in shown(at.warning)
    assert not [b for b in at.button if b.key in ("my_sign_in", "sign_in")]


def test_the_owner_can_replace_a_lost_secret_link(engine):
    workshop = workshop_for(engine, ANA)
    token = access.new_secret_link(engine, workshop.id, ANA)
    assert len(token) >= 43 and token != workshop.facilitator_token
    assert ws.find_by_token(engine, token).id == workshop.id
    assert ws.find_by_token(engine, workshop.facilitator_token) is None


def test_only_the_owner_replaces_the_secret_link(engine):
    workshop = workshop_for(engine, ANA)
    access.share(engine, workshop.id, ANA, "chloe@example.com")
    access.claim_shares(engine, CHLOE)
    for who in (CHLOE, BEN):
        with pytest.raises(AccessError, match="owner"):
            access.new_secret_link(engine, workshop.id, who)
    assert ws.find_by_token(engine, workshop.facilitator_token).id == workshop.id


def test_the_owner_makes_a_new_secret_link_from_the_dashboard(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    at = page_as("app_pages/workshop_dashboard.py", "ana", w=str(workshop.id))
    at.button(key="new_secret_link").click().run()
    assert "f" not in at.query_params  # never in the address bar
    links = [c.value for c in at.code if "/workshop-dashboard?f=" in c.value]
    assert len(links) == 1  # shown open once, to be saved
    token = links[0].rsplit("?f=", 1)[1]
    assert ws.find_by_token(app_engine, token).id == workshop.id
    assert ws.find_by_token(app_engine, workshop.facilitator_token) is None
    assert any("Save your secret facilitator link now" in w.value for w in at.warning)


def test_a_colleague_it_was_shared_with_cannot_replace_the_secret_link(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    access.share(app_engine, workshop.id, owner("ana"), "ben@example.com")
    access.claim_shares(app_engine, owner("ben"))
    at = page_as("app_pages/workshop_dashboard.py", "ben", w=str(workshop.id))
    assert "Workshop · Acme" in text_of(at)
    assert not [b for b in at.button if b.key == "new_secret_link"]


@pytest.mark.parametrize(("who", "url", "lands"), [
    ("ana", "http://localhost:8501/", True),  # back from the provider, signed in
    (None, "http://localhost:8501/", False),  # nobody signed in: the start page
])
def test_a_consultant_back_from_signing_in_lands_on_my_workshops(app_engine, who, url, lands):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": ISSUER, "sub": who, "email": f"{who}@example.com",
               "email_verified": True} if who else {}
    at.context = {"url": url}
    at.run()
    assert not at.exception
    assert ("My workshops" in [t.value for t in at.title]) == lands


def test_a_colleague_it_was_shared_with_is_told_only_the_owner_deletes_it_and_the_owner_does(app_engine):
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    access.share(app_engine, workshop.id, owner("ana"), "ben@example.com")
    access.claim_shares(app_engine, owner("ben"))
    at = page_as("app_pages/workshop_dashboard.py", "ben", w=str(workshop.id))
    assert "Only the workshop's owner, ana@example.com, can delete it." in shown(at.info)
    assert not [b for b in at.button if b.key == "delete_workshop"]
    at = page_as("app_pages/my_workshops.py", "ben")
    assert "Only the workshop's owner, ana@example.com, can delete it." in shown(at.caption)
    assert not [b for b in at.button if b.key == f"delete_workshop:{workshop.id}"]
    at = page_as("app_pages/workshop_dashboard.py", "ben", f=workshop.facilitator_token)  # the link is no way round
    assert not [b for b in at.button if b.key == "delete_workshop"]
    assert ws.get_workshop(app_engine, workshop.id) is not None

    at = page_as("app_pages/workshop_dashboard.py", "ana", w=str(workshop.id))
    assert "can delete it" not in shown(at.info)
    at.text_input(key="confirm_delete_workshop").input("acme").run()
    at.button(key="delete_workshop").click().run()
    assert not at.exception, at.exception
    assert ws.get_workshop(app_engine, workshop.id) is None

"""Access in a real browser, against a real OpenID provider: only the owner gives it, and it ends when it is
taken back. A copied address opens nothing; a share taken back, a new secret link and a sign-out each close the
dashboards and projectors already open, at their next refresh; the projector comes back after a reload and after
the server restarts. On a server without sign-in, the secret link is the key."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from tests.e2e.conftest import create_workshop, css_key, screenshot, secret_link_token, wait_idle, wait_until
from tests.e2e.oidc import ANA, BEN, consultants, provider, sign_in, signin_server  # noqa: F401 - fixtures

ENDED = "This workshop is no longer open here"
CLIENT = "Fabrikam Insurance"


def new_workshop(page, server) -> tuple[int, str]:
    """A new workshop; its id (from the address) and the secret link's token."""
    token = create_workshop(page, server, CLIENT)
    assert token not in page.url
    return int(parse_qs(urlparse(page.url).query)["w"][0]), token


def open_tab(context, url: str):
    tab = context.new_page()
    tab.goto(url)
    return tab


def presenter_shows_the_room(tab) -> None:
    tab.locator(".pg-join-code").wait_for()


def closes(tab) -> None:
    """The page says its access ended, by itself (its live panel refreshes), with no reload."""
    tab.get_by_role("heading", name=ENDED).wait_for(timeout=60_000)
    # Once the run that ended it has finished, nothing of the dashboard is left on the page: the elements of the
    # run before are dropped when a run ends, not when its first element is drawn.
    wait_idle(tab)
    main = tab.locator("[data-testid='stMain']")
    wait_until(lambda: CLIENT not in main.inner_text(), timeout=30, what="the dashboard's content to leave the page")


def test_access_is_given_by_the_owner_alone_and_ends_when_taken_back(fresh_page, signin_server, consultants):
    ana_page = fresh_page()
    ana = ana_page.context
    sign_in(ana_page, signin_server, consultants, ANA[0])
    workshop_id, token = new_workshop(ana_page, signin_server)
    dashboard = f"{signin_server.url}/workshop-dashboard?w={workshop_id}"
    presenter = f"{signin_server.url}/presenter?w={workshop_id}"

    # Ben pastes Ana's address: it opens nothing, and nothing can be added to his list.
    ben_page = fresh_page()
    ben = ben_page.context
    sign_in(ben_page, signin_server, consultants, BEN[0])
    ben_page.goto(dashboard)
    ben_page.get_by_role("heading", name="No access to the workshop dashboard").wait_for()

    # Ana shares it with him from the dashboard; he opens it from his list, and the projector from there.
    ana_page.goto(dashboard)
    ana_page.get_by_role("heading", name="Sharing").wait_for()
    ana_page.locator(css_key("dashboard:share_email") + " input").fill("ben@example.com")
    ana_page.get_by_role("button", name="Share", exact=True).click()
    ana_page.get_by_text(re.compile(r"ben@example\.com · shared by ana@example\.com")).wait_for()
    ben_page.goto(f"{signin_server.url}/my-workshops")
    ben_page.locator(f"[class*='st-key-open_workshop-{workshop_id}'] button").click()
    ben_page.get_by_role("heading", name=f"Workshop · {CLIENT}").wait_for()
    ben_projector = open_tab(ben, presenter)
    presenter_shows_the_room(ben_projector)
    ben_projector.reload()  # a reload keeps the projector for a share
    presenter_shows_the_room(ben_projector)

    # Ana takes the share back: his dashboard and projector close at their next refresh.
    ana_page.locator(css_key("dashboard:unshare:ben@example.com") + " button").click()
    ana_page.get_by_test_id("stAlertContentSuccess").get_by_text("No longer shared with ben@example.com").wait_for()
    closes(ben_page)
    closes(ben_projector)
    screenshot(ben_page, "access-share-taken-back")

    # A tablet opened with the secret link, and its projector tab, close when Ana makes a new link.
    tablet_page = fresh_page()
    tablet = tablet_page.context
    tablet_page.goto(f"{signin_server.url}/workshop-dashboard?f={token}")
    tablet_page.get_by_role("heading", name=f"Workshop · {CLIENT}").wait_for()
    assert token not in tablet_page.url
    wait_until(lambda: any(c["name"] == f"phasegate_f{workshop_id}" for c in tablet.cookies()),
               timeout=120, what="the browser to keep the secret link")
    tablet_projector = open_tab(tablet, presenter)  # the browser kept the link: the projector opens by id
    presenter_shows_the_room(tablet_projector)
    tablet_projector.reload()
    presenter_shows_the_room(tablet_projector)
    ana_page.get_by_role("button", name="Make a new secret link").click()
    new_token = secret_link_token(ana_page)
    assert new_token != token
    closes(tablet_page)
    closes(tablet_projector)
    tablet_page.goto(f"{signin_server.url}/workshop-dashboard?f={token}")  # the old link opens nothing now
    tablet_page.get_by_role("heading", name="No access to the workshop dashboard").wait_for()

    # Ana's own projector survives a reload and a restart of the server.
    ana_projector = open_tab(ana, presenter)
    presenter_shows_the_room(ana_projector)
    signin_server.stop()
    signin_server.start()
    ana_projector.reload()
    presenter_shows_the_room(ana_projector)

    # Signing out in one tab closes her pages open in the others.
    ana_dashboard = open_tab(ana, dashboard)
    ana_dashboard.get_by_role("heading", name=f"Workshop · {CLIENT}").wait_for()
    ana_page.goto(f"{signin_server.url}/my-workshops")
    wait_idle(ana_page)
    ana_page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
    ana_page.wait_for_url(f"{consultants.url}/oauth2/end_session*")
    ana_page.get_by_role("button", name="End session").click()
    closes(ana_dashboard)
    closes(ana_projector)


def test_without_sign_in_configured_the_secret_link_is_the_key(page, server):
    page.goto(f"{server.url}/my-workshops")
    page.get_by_text("Sign-in is not set up on this server").wait_for()
    assert page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign in").count() == 0
    token = create_workshop(page, server, "Initech")
    page.goto(f"{server.url}/workshop-dashboard?f={token}")
    page.get_by_role("heading", name="Workshop · Initech").wait_for()

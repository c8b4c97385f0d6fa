"""Consultants in a real browser, signed in through a real OpenID provider on 127.0.0.1: My workshops, each
consultant's workshops kept from the others, and the secret link still working."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from questionnaires import find_questionnaire
from tests.e2e.conftest import SCREENSHOTS, screenshot, wait_idle
from tests.e2e.oidc import provider, sign_in, signin_server  # noqa: F401 - fixtures

QUICK = find_questionnaire("quick-check")
ANA = ("ana", {"email": "ana@example.com", "name": "Ana Consultant"})
BEN = ("ben", {"email": "ben@example.com", "name": "Ben Consultant"})


def css_key(key: str) -> str:
    return ".st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


@pytest.fixture
def consultants(provider):
    for sub, claims in (ANA, BEN):
        provider.add_user(sub, **claims)
    return provider


@pytest.fixture
def new_page(browser):
    """A fresh browser (its own cookies) per call: one consultant each."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        contexts.append(context)
        opened = context.new_page()
        opened.set_default_timeout(30_000)
        return opened

    yield make
    for context in contexts:
        context.close()


def main_text(page) -> str:
    wait_idle(page)
    return page.locator("[data-testid='stMain']").inner_text()


def create_workshop(page, server, client: str) -> str:
    """Create a workshop from the New workshop page; the secret facilitator token it lands on."""
    page.goto(f"{server.url}/workshop-new")
    page.locator(css_key("ws_client") + " input").fill(client)
    page.locator(css_key("ws_questionnaire")).click()
    page.get_by_role("option", name=re.compile(QUICK.title)).click()
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("heading", name=f"Workshop · {client}").wait_for()
    page.wait_for_url(re.compile(r"[?&]f="))
    return parse_qs(urlparse(page.url).query)["f"][0]


def test_a_consultant_signs_in_and_sees_only_their_own_workshops(new_page, signin_server, consultants):
    ana = new_page()
    ana.goto(f"{signin_server.url}/my-workshops")
    ana.get_by_text("Sign in to see the workshops you created").wait_for()
    screenshot(ana, "signin-1-my-workshops-signed-out")
    ana.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign in").click()
    ana.wait_for_url(f"{consultants.url}/oauth2/authorize*")
    ana.locator("input[name=sub]").fill(ANA[0])
    if SCREENSHOTS:  # the provider's page, not the app's: no app state to wait for
        ana.screenshot(path=f"{SCREENSHOTS}/signin-2-provider.png")
    ana.get_by_role("button", name="Authorize").click()
    ana.wait_for_url(f"{signin_server.url}/my-workshops")  # back from the provider, straight to her list
    ana.locator("[data-testid='stSidebar']").get_by_text("Signed in as Ana Consultant").wait_for()
    ana.get_by_text("No workshops yet").wait_for()

    token = create_workshop(ana, signin_server, "Acme Retail")
    ana.goto(f"{signin_server.url}/my-workshops")
    ana.get_by_role("heading", name="Acme Retail").wait_for()
    assert "0 participants, 0 finished" in main_text(ana) and "open" in main_text(ana)
    screenshot(ana, "signin-3-my-workshops")
    ana.locator("[class*='st-key-open_workshop-'] button").first.click()
    ana.get_by_role("heading", name="Workshop · Acme Retail").wait_for()
    ana.wait_for_url(re.compile(r"[?&]w=\d+"))
    assert token not in ana.url and token not in main_text(ana)
    workshop_id = parse_qs(urlparse(ana.url).query)["w"][0]

    ben = new_page()
    sign_in(ben, signin_server, consultants, BEN[0])
    ben.get_by_text("No workshops yet").wait_for()
    assert "Acme Retail" not in main_text(ben)
    ben.goto(f"{signin_server.url}/workshop-dashboard?w={workshop_id}")
    ben.get_by_role("heading", name="No access to a workshop dashboard").wait_for()
    assert "Acme Retail" not in main_text(ben)

    ben.goto(f"{signin_server.url}/workshop-dashboard?f={token}")  # the secret link opens it for whoever has it
    ben.get_by_role("heading", name="Workshop · Acme Retail").wait_for()
    ben.goto(f"{signin_server.url}/my-workshops")
    ben.get_by_text("No workshops yet").wait_for()  # but it is not his until he adds it


def test_without_sign_in_configured_the_secret_link_is_the_key(new_page, server):
    page = new_page()
    page.goto(f"{server.url}/my-workshops")
    page.get_by_text("Sign-in is not set up on this server").wait_for()
    assert page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign in").count() == 0
    token = create_workshop(page, server, "Initech")
    page.goto(f"{server.url}/workshop-dashboard?f={token}")
    page.get_by_role("heading", name="Workshop · Initech").wait_for()

"""The browser tabs kept from test to test (`Tabs` in tests/e2e/conftest.py) come back clean: nothing a test left in
one reaches the next."""

from __future__ import annotations

from tests.e2e.conftest import DESKTOP

PHONE = {"user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", "is_mobile": True, "has_touch": True}


def left_behind(tab, origin: str) -> dict:
    """What the tab's browser holds: its cookies, the other tabs, and what the tab stores for `origin` (read from a
    page of that origin that runs no app)."""
    held = {"cookies": [c["name"] for c in tab.context.cookies()], "tabs": len(tab.context.pages)}
    tab.goto(f"{origin}/_stcore/health")
    return held | {"session": tab.evaluate("() => sessionStorage.length"),
                   "local": tab.evaluate("() => localStorage.length")}


def test_a_kept_tab_comes_back_without_cookies_storage_other_tabs_or_the_last_viewport(tabs, server):
    tab = tabs.take()
    tab.goto(server.url)
    tab.evaluate("() => { sessionStorage.setItem('mode', 'one'); localStorage.setItem('theme', 'dark'); "
                 "document.cookie = 'phasegate_f1=secret; path=/'; }")
    tab.context.new_page()
    tab.set_viewport_size({"width": 500, "height": 700})
    tab.set_default_timeout(1_000)
    held = left_behind(tab, server.url)  # the app itself keeps a cookie and an item of its own
    assert "phasegate_f1" in held["cookies"] and held["tabs"] == 2 and held["session"] and held["local"]
    tabs.give_back(tab)

    again = tabs.take()
    try:
        assert again is tab  # kept, not opened anew
        assert again.url == "about:blank" and again.viewport_size == DESKTOP
        assert left_behind(again, server.url) == {"cookies": [], "session": 0, "local": 0, "tabs": 1}
    finally:
        tabs.give_back(again)


def test_tabs_are_kept_apart_by_their_browsers_options_and_each_taken_once(tabs):
    desktop, phone = tabs.take(), tabs.take(viewport={"width": 390, "height": 844}, **PHONE)
    other = tabs.take()
    try:
        assert other is not desktop and other.context is not desktop.context  # two browsers at once, cookies apart
        assert phone.evaluate("() => navigator.userAgent") == PHONE["user_agent"]
        assert phone.viewport_size == {"width": 390, "height": 844}
    finally:
        for tab in (desktop, phone, other):
            tabs.give_back(tab)


def test_a_tab_closed_by_its_test_is_not_kept(tabs):
    tab = tabs.take()
    tab.close()
    tabs.give_back(tab)
    again = tabs.take()
    try:
        assert again is not tab and not again.is_closed()
    finally:
        tabs.give_back(again)

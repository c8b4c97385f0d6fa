"""The browser's cookies: a cookie this session set is written again on every later full run until a connection
brings it, so a script lost with a switched page does not lose the secret link the browser was to keep."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def page() -> None:
    import streamlit as st

    from ui import cookies

    cookies.write_pending()
    if st.session_state.get("set"):
        cookies.set_cookie("phasegate_f7", "secret-token")
        st.session_state["set"] = False
    if st.session_state.get("drop"):
        cookies.drop_cookie("phasegate_f7")
        st.session_state["drop"] = False


def scripts(app: AppTest) -> list[str]:
    return [element.proto.body for element in app.html if "document.cookie" in element.proto.body]


def test_a_cookie_set_in_one_run_is_written_again_by_each_later_run():
    app = AppTest.from_function(page)
    app.run()
    assert scripts(app) == []
    app.session_state["set"] = True
    app.run()
    [first] = scripts(app)
    assert '"phasegate_f7=secret-token; path=/; SameSite=Strict"' in first
    app.run()  # the next run (a page switched, a button pressed) writes it again, as a new script
    [again] = scripts(app)
    assert '"phasegate_f7=secret-token; path=/; SameSite=Strict"' in again
    assert again != first


def test_a_dropped_cookie_is_written_expired_and_then_no_more_when_the_browser_never_had_it():
    app = AppTest.from_function(page)
    app.session_state["set"] = True
    app.run()
    app.session_state["drop"] = True
    app.run()
    assert any("phasegate_f7=; path=/; SameSite=Strict; Max-Age=0" in body for body in scripts(app))
    app.run()
    assert scripts(app) == []  # nothing is pending: the connection never carried it, and it is dropped


def test_a_cookie_kept_for_days_is_written_again_with_its_age():
    def kept() -> None:
        import streamlit as st

        from ui import cookies

        cookies.write_pending()
        if "done" not in st.session_state:
            cookies.set_cookie("phasegate_p3", "participant", days=2)
            st.session_state["done"] = True

    app = AppTest.from_function(kept)
    app.run()
    app.run()
    [body] = scripts(app)
    assert "phasegate_p3=participant; path=/; SameSite=Strict; Max-Age=172800" in body

"""The language the app speaks in a run: asked for by the link (`?lang=de`), kept with the open assessment, chosen
in this session, or the browser's, in that order. English when none of them names a language the app offers."""

from __future__ import annotations

import streamlit as st

import i18n
from storage import get_engine
from storage import repository as repo
from i18n import _
from ui import session, state

PARAM = "lang"  # the query parameter every link may carry


def browser() -> str:
    """The browser's language when the app offers it (its locale, else its Accept-Language header), else English."""
    wanted = st.context.locale
    if not wanted:
        try:
            wanted = st.context.headers.get("Accept-Language")
        except Exception:  # noqa: BLE001 - no request headers (a test run): nothing asked for
            wanted = None
    return i18n.preferred(wanted)


def from_link() -> str | None:
    """The language the address asks for, when the app offers it."""
    return i18n.supported(st.query_params.get(PARAM))


def stored() -> str | None:
    """The open assessment's language, as stored; None when none is open or it cannot be read now (the page says
    what is wrong)."""
    return state.of_open_assessment(session.LANGUAGE_OF, lambda found: found.language if found else None, None)


def activate() -> str:
    """Speak the language of this run (the router calls this first) and keep it in the address, so a reload or a
    copied link speaks it too; the language set."""
    language = i18n.activate(from_link() or stored() or session.LANGUAGE.get() or browser())
    session.SPOKEN.value = language
    if language != i18n.SOURCE and PARAM not in st.query_params:
        st.query_params[PARAM] = language
    return language


def choose(language: str) -> None:
    """Speak `language` from now on in this session, and on the open assessment (kept with it)."""
    session.LANGUAGE.value = language
    st.query_params[PARAM] = language
    loaded = session.LOADED.get()
    if loaded is not None and loaded.assessment.language != language:
        repo.set_language(get_engine(), loaded.assessment.id, language)
        session.LOADED.pop()
    session.LANGUAGE_OF.pop()


def picker() -> None:
    """The languages the app offers, the language of this run chosen; another one chosen is spoken from then on
    (and kept with the open assessment)."""
    offered = i18n.available()
    if session.LANGUAGE_PICKER.get() != i18n.current():  # the language of this run, however it was chosen
        session.LANGUAGE_PICKER.value = i18n.current() if i18n.current() in offered else i18n.SOURCE
    st.selectbox(_("Language"), offered, format_func=i18n.name, key=session.LANGUAGE_PICKER.name, width=220,
                 on_change=state.safe(lambda: choose(session.LANGUAGE_PICKER.value)))

"""The language of a workshop's own pages, the dashboard and the presenter view: the workshop's engagement language,
whatever the facilitator's browser asks for and whichever language a participant chose for their own answers. And
the participants' notes on a question, as written, each naming its language where it is not the workshop's."""

from __future__ import annotations

import streamlit as st
from babel import Locale, UnknownLocaleError

import i18n
from storage import workshops as ws
from ui import language, session
from ui.flow import plain


def speak(workshop: ws.Workshop) -> str:
    """Speak the workshop's engagement language in this run, and in the callbacks and fragments that follow it (the
    pseudo-language asked for by the link still wins: it tests the layout). The address carries it, so the router
    speaks it too (the navigation, the page's title). On the page's first load the router, which cannot know the
    workshop yet, drew the navigation in the browser's language: the run starts again, before the page draws
    anything, and the router speaks the workshop's language from the address. The language set."""
    drawn = i18n.current()  # the router's language of this run: the navigation is drawn in it
    chosen = i18n.activate(i18n.PSEUDO if language.from_link() == i18n.PSEUDO else workshop.language)
    session.SPOKEN.value = chosen
    if st.query_params.get(language.PARAM) != chosen and (chosen != i18n.SOURCE or language.PARAM in st.query_params
                                                          or drawn != chosen):
        st.query_params[language.PARAM] = chosen
    if drawn != chosen:
        st.rerun()
    return chosen


def language_name(code: str) -> str:
    """A language's name in the language of the moment: 'German' in English, 'Englisch' in German; the code itself
    when it names no language babel knows."""
    try:
        return Locale.parse(code).get_display_name(i18n.locale())
    except (ValueError, UnknownLocaleError):
        return code


def note_lines(question_id: str, people: list[ws.Participant], engagement: str) -> list[str]:
    """The participants' notes on one question, in join order, as markdown lines: who wrote it, its language when
    that is not the workshop's ('(English)' in a German workshop), then the note as written (never as markdown)."""
    lines = []
    for person in people:
        answer = person.response.answers.get(question_id)
        note = (answer.note if answer else "").strip()
        if not note:
            continue
        who = " · ".join(part for part in (person.label, person.role) if part)
        spoken = person.assessment.language
        named = f" ({language_name(spoken)})" if spoken and spoken != engagement else ""
        lines.append(f"**{plain(who)}**{named}: {plain(note)}")
    return lines

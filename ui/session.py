"""The session's state, one typed key each: the screens and ui/ read and write `st.session_state` only through these.

A key is named once here, with what it holds. `KEY.value` reads (KeyError when unset) and writes it; `get`, `pop`,
`setdefault` and `held` work as on a dict. Widgets whose value a page reads take `key=KEY.name`. Keys made per
question or per widget (an answer's widget, say) are built where they are used, from the id they carry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

import streamlit as st

T = TypeVar("T")


class Key(Generic[T]):
    """One entry of `st.session_state`, by name, holding a T."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"

    @property
    def value(self) -> T:
        return st.session_state[self.name]

    @value.setter
    def value(self, value: T) -> None:
        st.session_state[self.name] = value

    def get(self, default: T | None = None) -> T | None:
        return st.session_state.get(self.name, default)

    def pop(self, default: T | None = None) -> T | None:
        return st.session_state.pop(self.name, default)

    def setdefault(self, value: T) -> T:
        return st.session_state.setdefault(self.name, value)

    def held(self) -> bool:
        """Whether the session holds this key at all."""
        return self.name in st.session_state


# --- the open assessment --------------------------------------------------------------------------------------
TOKEN: Key[str] = Key("token")  # the open assessment's resume token, kept from the ?a= link
LOADED: Key[Any] = Key("loaded")  # the open assessment (`ui.state.Current`)
OPENED_IN_RUN: Key[int] = Key("opened_in_run")  # the run that opened it
RUN: Key[int] = Key("run")  # this run's number (`ui.state.count_run`)
ROLE_OF: Key[tuple[str, str]] = Key("role_of")  # (token, "leader" or "participant"), as the sidebar last found it
SCORED: Key[tuple] = Key("scored")  # (what was scored, its result)
BASELINE_PROGRESS: Key[tuple] = Key("baseline_progress")  # (what it was made of, progress since the baseline)
CARRIED_NOTES: Key[tuple] = Key("carried_notes")  # (from version, to version, notes) after moving to a version
NOTE_PROBLEMS: Key[dict[str, str]] = Key("note_problems")  # a note not saved, by question id: why
SWITCH_TO: Key[tuple] = Key("switch_to")  # (page, query parameters) a callback asked to go to

# --- the language ----------------------------------------------------------------------------------------------
LANGUAGE: Key[str] = Key("language")  # the language chosen in this session (the start page's picker)
LANGUAGE_OF: Key[tuple[str, str | None]] = Key("language_of")  # (token, language) of the open assessment, as read
LANGUAGE_PICKER: Key[str] = Key("language_picker")  # the start page's language chooser (widget)
SPOKEN: Key[str] = Key("spoken")  # the language of the last run, for callbacks and fragments, which run without it

# --- messages left for the next run ----------------------------------------------------------------------------
FLASH: Key[str] = Key("flash")  # a failure a callback met, shown once
FLASH_INFO: Key[str] = Key("flash_info")  # a confirmation, shown once
IMPORTED_COPY: Key[tuple[str, str]] = Key("imported_copy")  # (token, file name) of a copy an import started

# --- the assessment page ---------------------------------------------------------------------------------------
STEP: Key[int] = Key("step")  # the domain (or the pilot register) on screen
STEP_TOKEN: Key[str] = Key("step_token")  # the assessment the step belongs to
STEP_PICKER: Key[str] = Key("step_picker")  # the step chooser's widget
FOCUS: Key[str | None] = Key("focus")  # the question on screen, one per screen
ONE_AT_A_TIME: Key[bool] = Key("one_at_a_time")  # one question per screen (a phone's default)
MOVED: Key[int] = Key("moved")  # how often the step changed: each change scrolls once
SCROLL_KEY: Key[str] = Key("scroll_key")  # the element a step change scrolls to
MISSING: Key[tuple[str, ...]] = Key("missing")  # the required questions Finish found open
LINK_SEEN: Key[set[str]] = Key("link_seen")  # the assessments whose private link was shown
CONFIRM_BEFORE_FINISH: Key[str] = Key("confirm_before_finish")  # the token whose Finish asked to confirm answers
ONE_QUESTION_DRAWN: Key[str] = Key("one_question_drawn")  # the last question drawn one per screen
PILOT_STEP: Key[str | None] = Key("pilot_step")  # the assessment whose Pilot portfolio step is on screen
# An answer's widgets are keyed per question: its value, its "don't know" or "N/A", its note.
VALUE_WIDGET, SPECIAL_WIDGET, NOTE_WIDGET = "q:", "special:", "note:"

# --- start, import, report -------------------------------------------------------------------------------------
NEW_ASSESSMENT: Key[str] = Key("new_assessment")  # the questionnaire chosen on the start page (widget)
IMPORT_PENDING: Key[Any] = Key("import_pending")  # an answers file read, waiting for the user's choice
IMPORT_LEFT: Key[Any] = Key("import_left")  # what the import left to say
PDF_OFFERED: Key[Any] = Key("pdf_offered")  # the PDF whose download is on offer
ORGANISATION: Key[str] = Key("organisation")  # the report page's organisation name (widget)
PREPARED_BY: Key[str] = Key("prepared_by")  # the report page's "Prepared by" (widget)
BRAND_COLOUR: Key[str] = Key("brand_colour")  # the report page's colour (widget)
BRAND_FOR: Key[str] = Key("brand_for")  # the assessment the report page's fields were filled for
LOGO_FIELD: Key[int] = Key("logo_field")  # bumped to empty the logo upload
PROFILE_SAVED: Key[bool] = Key("profile_saved")  # the organisation profile was just saved
PROFILE_PROBLEM: Key[str] = Key("profile_problem")  # why the organisation profile was not saved
SHARES_CLAIMED: Key[Any] = Key("shares_claimed")  # the benchmark's consent, as last answered
START_ORGANISATION: Key[str] = Key("start_organisation")  # the start page's organisation (widget)
ANSWERS_FILE: Key[Any] = Key("answers_file")  # the start page's answers file upload (widget)
START_SAID: Key[tuple[str, str]] = Key("start_said")  # (place, message) a start page callback left, shown once

# --- workshops -------------------------------------------------------------------------------------------------
FACILITATOR: Key[str] = Key("facilitator")  # the facilitator link's secret opened in this session
FACILITATED_ID: Key[int] = Key("facilitated_id")  # a signed-in consultant's workshop
FACILITATION: Key[Any] = Key("facilitation")  # the session's access to one workshop (`ui.auth.Grant`)
ACCESS_ENDED: Key[int] = Key("access_ended")  # the workshop whose access was withdrawn, for the page to say so
IDENTITY_SEEN_AT: Key[dt.datetime] = Key("identity_seen_at")  # when the signed-in identity was last checked
ARRIVED: Key[bool] = Key("arrived")  # the session has run a page already
SECRET_LINK_SHOWN: Key[bool] = Key("secret_link_shown")  # a new workshop's secret link is to be shown once
WORKSHOP_RESULT: Key[Any] = Key("workshop_result")  # the dashboard's last aggregate, for its downloads
DASHBOARD_ROOM_THIS_RUN: Key[Any] = Key("dashboard_room_this_run")  # what the live panel read in this run
BRANDING_SAVED: Key[bool] = Key("branding_saved")  # the workshop's branding was just saved
WORKSHOP_PREPARED_BY: Key[str] = Key("brand_prepared_by")  # the workshop branding form's "Prepared by" (widget)
WORKSHOP_LOGO: Key[Any] = Key("brand_logo")  # the workshop branding form's logo upload (widget)
WORKSHOP_DROP_LOGO: Key[bool] = Key("brand_drop_logo")  # the workshop branding form's "Remove it" (widget)
WORKSHOP_COMMENTARY: Key[str] = Key("brand_commentary")  # the workshop branding form's commentary (widget)
REMOVE_PICK: Key[Any] = Key("remove_participant_pick")  # the participant chosen to leave out (widget)
CLIENT_PROFILE_SAVED: Key[bool] = Key("client_profile_saved")  # the client profile was just saved
CLIENT_PROFILE_PROBLEM: Key[str] = Key("client_profile_problem")  # why the client profile was not saved
DASHBOARD_SAID: Key[tuple[str, str, str]] = Key("dashboard_said")  # (place, kind, message) a dashboard callback left
RERUN_MADE: Key[Any] = Key("rerun_made")  # the re-run the dashboard just made, for the page to open
ROOM_CHANGED: Key[bool] = Key("room_changed")  # a participant was removed, restored or erased: redraw the page
PRESENTER_QUESTION: Key[str] = Key("presenter_question")  # the disputed question on the projector
PRESENTER_FLASH: Key[tuple[str, str]] = Key("presenter_flash")  # (kind, message) the presenter view shows once
JOIN_SESSION: Key[str] = Key("join_session")  # this browser session's id, for join-code throttling
JOIN_CODE: Key[str] = Key("join_code")  # the join code box
JOIN_OPENED: Key[Any] = Key("join_opened")  # the join code that opened the page
JOIN_WRONG: Key[Any] = Key("join_wrong")  # the code last refused: (code, why, icon, counted as a try)
JOIN_ROLE: Key[str] = Key("join_role")  # the role chosen to join as (widget)
JOINED: Key[tuple[int, str]] = Key("joined")  # (workshop id, participant's token) Join just made, to open
JOIN_REFUSED: Key[str] = Key("join_refused")  # why Join did not join, shown once

# --- cookies ---------------------------------------------------------------------------------------------------
COOKIES_SET: Key[dict[str, str]] = Key("cookies_set")  # what this session wrote, by name ("" once dropped)
COOKIES_MAX_AGE: Key[dict[str, int | None]] = Key("cookies_max_age")  # each one's Max-Age (None: until closed)
COOKIES_WRITES: Key[int] = Key("cookies_writes")  # how many scripts this session drew, to make each one new


def drop_answer_widgets() -> None:
    """Forget what every answer's widgets hold, so the answers shown next start from what is stored."""
    widgets = (VALUE_WIDGET, SPECIAL_WIDGET, NOTE_WIDGET)
    for name in [name for name in st.session_state if str(name).startswith(widgets)]:
        del st.session_state[name]

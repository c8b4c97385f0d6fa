"""Join a workshop: by link or code, pick a role, then answer on the assessment screens. A browser that joined
before continues as the same participant."""

import secrets

import streamlit as st

import i18n
from i18n import _
from questionnaires import PhasegateError
from questionnaires.models import question_count
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from ui import cookies, language, session, state
from ui.flow import plain

engine = get_engine()
st.title(_("Join a workshop"))


def removed(workshop: ws.Workshop) -> None:
    st.info(_("The facilitator of the workshop for {client} removed you from it, so your answers are no longer "
              "counted and no more are accepted. Ask the facilitator if this is a mistake.").format(
                  client=plain(workshop.client)), icon=":material/person_remove:")
    st.stop()


def continue_as(workshop: ws.Workshop, participant: repo.Assessment) -> None:
    """Open the participant's own assessment, this browser remembering them for the workshop."""
    if workshop.is_closed():
        st.info(_("The workshop for {client} is closed, so no more answers are accepted. Everything you saved is "
                  "kept. Thank you for taking part.").format(client=plain(workshop.client)), icon=":material/lock:")
        st.stop()
    cookies.set_cookie(ws.participant_cookie(workshop.id), participant.token, days=ws.PARTICIPANT_COOKIE_DAYS)
    state.open_assessment(participant.token)


def try_code(typed: str) -> None:
    """Try a join code once, when it is submitted (Enter in the box, or arriving by a join link): the workshop it
    opens, or why not, is kept for this session, so a rerun neither tries nor counts it again.

    Codes are too long to guess; after a few wrong ones a browser waits longer for each try, and a whole network
    after many (kept in the database, so another replica does not reset it)."""
    code = ws.normalise_code(typed) or typed
    browser = session.JOIN_SESSION.setdefault(secrets.token_hex(16))
    try:
        found = ws.open_by_code(engine, typed, ws.Knocker.of(state.client_address(), browser))
    except ws.WaitBeforeTrying as exc:  # not a try: once the wait is over, the same code may be tried
        session.JOIN_WRONG.value = (code, str(exc), ":material/timer:", False)
        return
    except ws.WrongCode as exc:
        session.JOIN_WRONG.value = (code, str(exc), None, True)
        return
    session.JOIN_OPENED.value = (code, found.id)


@state.safe
def join(workshop: ws.Workshop) -> None:
    """Join the workshop in the role chosen (a callback); the next run opens the participant's own assessment, or
    says why not."""
    try:
        participant = ws.join_workshop(engine, workshop, session.JOIN_ROLE.get(), language=i18n.current())
    except PhasegateError as exc:  # closed, full, no such role; or the database did not answer
        session.JOIN_REFUSED.value = plain(state.refusal(exc))
        return
    session.JOINED.value = (workshop.id, participant.token)


def just_joined(workshop: ws.Workshop) -> repo.Assessment | None:
    """The participant Join just made in this workshop, to open (once)."""
    made = session.JOINED.pop()
    return repo.find_assessment(engine, made[1]) if made is not None and made[0] == workshop.id else None


def tried(typed: str) -> bool:
    """Whether this session has tried this code already (it opened a workshop, or was refused as wrong)."""
    code = ws.normalise_code(typed) or typed
    opened, wrong = session.JOIN_OPENED.get(), session.JOIN_WRONG.get()
    return (opened is not None and opened[0] == code) or (wrong is not None and wrong[0] == code and wrong[3])


def open_workshop(typed: str) -> ws.Workshop:
    """The workshop the code opened, or why not on the page (and stop)."""
    code = ws.normalise_code(typed) or typed
    opened = session.JOIN_OPENED.get()
    found = ws.get_workshop(engine, opened[1]) if opened is not None and opened[0] == code else None
    if found is not None:
        return found
    wrong = session.JOIN_WRONG.get()
    if wrong is not None and wrong[0] == code:
        st.error(wrong[1], icon=wrong[2])
    st.stop()


# Coming back with a participant's own link (?a=...): say so if the workshop has closed or they were removed.
mine = repo.find_assessment(engine, st.query_params.get("a"))
joined = ws.workshop_of(engine, mine) if mine else None
if joined is not None:
    if mine.removed_at is not None:
        removed(joined)
    continue_as(joined, mine)

language.picker()  # each participant answers in their own language; the answers are the same whatever it is
typed = st.text_input(_("Join code"), key=session.JOIN_CODE.name, value=st.query_params.get("code", ""),
                      max_chars=20, placeholder=_("e.g. K7QM-XR4P-9TZH"),
                      help=_("The code on the whiteboard, or open the join link"),
                      on_change=lambda: try_code(session.JOIN_CODE.get()) if session.JOIN_CODE.get() else None)
if not typed:
    st.caption(_("Ask the facilitator for the join code or link."))
    st.stop()
if not tried(typed):  # arriving by a join link (?code=...), which is its submit, or again after a wait
    try_code(typed)
workshop = open_workshop(typed)

made = just_joined(workshop)
if made is not None:
    continue_as(workshop, made)
# The same browser continues as the participant it joined as; a removed one stays removed.
try:
    again = ws.returning_participant(engine, workshop, cookies.get_cookie(ws.participant_cookie(workshop.id)))
except ws.ParticipantRemoved:
    removed(workshop)
if again is not None:
    continue_as(workshop, again)
if workshop.is_closed():
    st.info(_("The workshop for {client} is closed; it no longer accepts participants.").format(
        client=plain(workshop.client)), icon=":material/lock:")
    st.stop()

questionnaire = state.library().find(workshop.questionnaire_id, workshop.questionnaire_version)
st.header(_("Workshop for {client}").format(client=plain(workshop.client)), anchor=False)
if questionnaire is not None:
    st.write(_("{questionnaire} · {questions}. Your answers are saved as you go. Nobody else in the room sees them; "
               "the facilitator sees the room's results and, in the data export, your answers under a participant "
               "number.").format(questionnaire=state.in_language(questionnaire).title,
                                 questions=question_count(questionnaire).text()))
st.caption(_("This browser remembers you for this workshop, so the link or code brings you back to your own answers. "
             "On another device, use the private resume link shown with your questions."))
role = st.radio(_("Your role"), [r.name for r in workshop.roles], index=None, key=session.JOIN_ROLE.name,
                format_func=plain)
st.button(_("Join and start answering"), key="join", type="primary", disabled=role is None, icon=":material/login:",
          on_click=join, args=(workshop,))
refused = session.JOIN_REFUSED.pop()
if refused:
    st.error(refused)

"""What every page shares: the current assessment (from the ?a= link), saving, scoring, friendly errors."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st

import i18n
from config import setting
from i18n import _, ngettext
from questionnaires import AnswersError, PhasegateError, Questionnaire, QuestionnaireError, translation
from questionnaires.loader import Library, load_library, questionnaire_library
from scoring.answers import Answer, Response
from scoring.engine import Result, score_response
from scoring.words import N_
from storage import Assessment, get_engine
from storage import repository as repo
from storage import retention
from storage.errors import StorageError
from storage.workshops import forwarded_client, get_workshop
from ui import baseline, flow, session

START = "app_pages/start.py"
ASSESSMENT = "app_pages/assessment.py"
RESULTS = "app_pages/results.py"
REPORT = "app_pages/report.py"
LOG = logging.getLogger("phasegate")
CALLBACK_FAILED = N_("Your last click could not be handled ({reason}). Please try again; every answer saved before "
                     "is kept.")
SAVE_FAILED = N_("Your last change could not be saved ({reason}). Please try again; everything saved before is kept.")


@dataclass(frozen=True)
class Current:
    """The open assessment, its questionnaire and the answers saved so far."""

    assessment: Assessment
    questionnaire: Questionnaire
    saved: dict[str, Answer]
    carried: frozenset[str] = frozenset()  # answers carried over from the baseline, not yet confirmed or changed
    spoken: str = i18n.SOURCE  # the language its questionnaire was loaded in (see `spoken_language`)

    @property
    def response(self) -> Response:
        return repo.response_of(self.assessment, self.saved)


def questionnaires() -> dict[str, Questionnaire]:
    """Every questionnaire on offer, by id; a file that does not load is left out (see `broken_questionnaires`)."""
    return questionnaire_library()[0]


def library() -> Library:
    """Every available version of every questionnaire (older versions keep open assessments and workshops working)."""
    return load_library()


def offered(questionnaire_id: str, version: str | None = None) -> Questionnaire:
    """An available questionnaire by id (in the version given, else the newest), or an AnswersError naming what is."""
    versions = library()
    if questionnaire_id not in versions.versions:
        known = ", ".join(sorted(versions.versions)) or "–"
        raise AnswersError(_("questionnaire: the file is for '{questionnaire}', which is not offered here (offered: "
                             "{known})").format(questionnaire=questionnaire_id, known=known))
    found = versions.find(questionnaire_id, version)
    if found is None:
        known = ", ".join(versions.known_versions(questionnaire_id))
        raise AnswersError(_("questionnaire_version: the answers are for version {version} of '{questionnaire}', "
                             "which is not available here (versions: {known})").format(
                                 version=version, questionnaire=questionnaire_id, known=known))
    return found


def broken_questionnaires() -> list[str]:
    """One line per problem in questionnaire files that could not be offered."""
    return questionnaire_library()[1]


def token() -> str | None:
    """The resume token from the URL, kept in the session and put back in the URL on every page."""
    from_url = st.query_params.get("a")
    if from_url:
        if from_url != session.TOKEN.get():
            session.TOKEN.value = from_url
        return from_url
    kept = session.TOKEN.get()
    if kept:
        st.query_params["a"] = kept
    return kept


def resume_page(assessment: Assessment) -> str:
    """Where resuming an assessment lands: its results once it is finished, else the questionnaire."""
    return RESULTS if assessment.finished else ASSESSMENT


def open_assessment(new_token: str, page: str = ASSESSMENT) -> None:
    """Make `new_token` the current assessment and go to `page`."""
    session.TOKEN.value = new_token
    session.LOADED.pop()
    st.switch_page(page, query_params={"a": new_token})


def open_soon(new_token: str, page: str = ASSESSMENT) -> None:
    """`open_assessment` from a callback: make `new_token` the current assessment, and go to `page` as the next run
    starts."""
    session.TOKEN.value = new_token
    session.LOADED.pop()
    switch_soon(page, a=new_token)


def forget() -> None:
    """Leave the current assessment (the link still reopens it)."""
    session.TOKEN.pop()
    session.LOADED.pop()
    st.query_params.clear()


def current(required: bool = True) -> Current | None:
    """The open assessment; a friendly page (and stop) when the link is unknown or none is open."""
    wanted = token()
    if not wanted:
        if required:
            _nothing_open()
        return None
    loaded = session.LOADED.get()
    if loaded is None or loaded.assessment.token != wanted or loaded.spoken != spoken_language():
        loaded = _load(wanted)
        session.LOADED.value = loaded
        session.OPENED_IN_RUN.value = session.RUN.get()
    return loaded


def just_opened() -> bool:
    """The open assessment was opened by this run (a link, Continue, Resume), not reached from another page."""
    return session.OPENED_IN_RUN.get(-1) == session.RUN.get()


def count_run() -> None:
    """Number this run of the app (the router calls this first), so a page can tell an arrival from a rerun."""
    session.RUN.value = session.RUN.get(0) + 1


def _load(wanted: str) -> Current:
    engine = get_engine()  # one that cannot be made raises its own StorageError, which the router shows as it is
    try:
        assessment = repo.find_assessment(engine, wanted)
        if assessment is None:
            _not_found()
        if retention.link_expired(assessment):
            _expired()
        if assessment.removed_at is not None:
            _stop_with(_("You were removed from this workshop"),
                       _("The facilitator removed you from this workshop, so your answers are no longer counted and "
                         "no more are accepted. Ask the facilitator if this is a mistake."))
        saved = repo.load_answers(engine, assessment.id)
        if assessment.workshop_id is not None:  # a participant is asked as the client's profile says: its size's
            client = get_workshop(engine, assessment.workshop_id)  # wording, and nothing its business model is not
            assessment = dataclasses.replace(assessment, profile=client.profile if client else None)
    except StorageError as exc:
        _stop_with(_("The assessment could not be loaded"),
                   _("The database did not answer ({reason}). Reload the page in a moment; nothing saved is "
                     "lost.").format(reason=exc.reason))
    versions = library()
    questionnaire = versions.find(assessment.questionnaire_id, assessment.questionnaire_version)
    if questionnaire is None:
        _outdated(assessment, versions.find(assessment.questionnaire_id), saved)
    carried = frozenset(repo.carried_over_ids(engine, assessment.id))  # from a baseline, or a changed question
    return Current(assessment, in_language(questionnaire), saved, carried, spoken_language())


def spoken_language() -> str:
    """The language questionnaires are shown in now: the language of this run (as the router set it, also in a
    callback or a fragment, which run without the router), English for the pseudo-language (whose questionnaire
    texts are the source's)."""
    spoken = session.SPOKEN.get() or i18n.current()
    return i18n.SOURCE if spoken == i18n.PSEUDO else spoken


def speak_again() -> None:
    """Speak the language of the page's run in a callback or a fragment, which Streamlit runs without the router
    (and so without its language)."""
    if session.SPOKEN.held():
        i18n.activate(session.SPOKEN.value)


def in_language(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire in the language of this run: its texts translated, its ids, values and scores the same
    (so answers and scores never depend on it); as written when it has no translation into that language."""
    if spoken_language() == questionnaire.language:
        return questionnaire
    try:
        return translation.in_language(library(), questionnaire.id, questionnaire.version,
                                       spoken_language()).questionnaire
    except QuestionnaireError:
        return questionnaire


def newer_version(now: Current) -> Questionnaire | None:
    """The newer version this assessment can continue on; None in a workshop, which stays on its version."""
    from scoring.migrate import newer_version as reachable

    if now.assessment.workshop_id is not None:
        return None
    return reachable(library(), now.questionnaire.id, now.questionnaire.version)


def continue_on(version: str) -> None:
    """Carry the open assessment's answers to `version`, store them, and keep the notes to show."""
    from scoring.migrate import carry

    now: Current = session.LOADED.value
    response = Response(now.questionnaire.id, now.questionnaire.version, dict(now.saved), targets=dict(now.assessment.targets))
    carried = carry(response, library(), version)
    repo.carry_forward(get_engine(), now.assessment.id, version, carried.response.answers, carried.response.targets,
                       confirm=carried.confirm)
    # The widgets still hold the old answers; left in place they would be saved again over the carried ones.
    session.drop_answer_widgets()
    for kept in (session.LOADED, session.SCORED, session.STEP):
        kept.pop()
    session.CARRIED_NOTES.value = (now.questionnaire.version, version, carried.notes)


def refresh_assessment() -> None:
    """Re-read the assessment row (after its organisation, targets or finish changed)."""
    loaded = session.LOADED.get()
    if loaded is not None:
        fresh = repo.find_assessment(get_engine(), loaded.assessment.token)
        session.LOADED.value = dataclasses.replace(loaded, assessment=fresh)


def reread() -> Current:
    """The open assessment and its answers as they are stored now, read again (and kept in the session): for a
    callback that judges them, which must not trust what the page drew on its last run."""
    loaded: Current = session.LOADED.value
    engine = get_engine()
    fresh = repo.find_assessment(engine, loaded.assessment.token)
    fresh = dataclasses.replace(fresh, profile=loaded.assessment.profile)  # a participant's is the workshop's
    session.LOADED.value = dataclasses.replace(
        loaded, assessment=fresh, saved=repo.load_answers(engine, fresh.id),
        carried=frozenset(repo.carried_over_ids(engine, fresh.id)))
    return session.LOADED.value


def result(now: Current) -> Result:
    """The current answers scored (remembered until they, the targets, the pilot register, its date or the
    organisation's profile change)."""
    response = now.response
    key = (now.questionnaire.id, now.questionnaire.version, now.spoken, flow.answers_key(response), response.pilots,
           response.date, response.organisation_profile)
    cached = session.SCORED.get()
    if cached is None or cached[0] != key:
        cached = (key, score_response(now.questionnaire, response))
        session.SCORED.value = cached
    return cached[1]


def baseline_progress(now: Current):
    """Progress since the open assessment's baseline (a `ui.baseline.BaselineProgress`), or None without
    one; remembered until the answers change."""
    if now.assessment.baseline_id is None:
        return None
    key = (now.assessment.id, now.assessment.finished_at, flow.answers_key(now.response))
    cached = session.BASELINE_PROGRESS.get()
    if cached is None or cached[0] != key:
        found = guarded(baseline.baseline_progress, get_engine(), now.assessment, now.questionnaire, result(now), library().find)
        cached = (key, found)
        session.BASELINE_PROGRESS.value = cached
    return cached[1]


def show_carried_notes() -> None:
    """Show (once) what changed when the assessment moved to a new version, and what could not be carried."""
    moved = session.CARRIED_NOTES.pop()
    if moved is None:
        return
    before, after, notes = moved
    lines = "\n".join(f"- {flow.plain(note)}" for note in notes) or "- " + _("Every answer carried over unchanged.")
    st.info(_("Continued on version {after} (from {before}). What changed:\n\n{lines}").format(
        after=after, before=before, lines=lines), icon=":material/update:")


# --- saving, from widget callbacks ----------------------------------------------------


def database_errors_in_one_line(body):
    """A live panel's body (a fragment, which reruns on its own, outside the page's error handling) that says in
    one line, as every page does, when the database cannot be reached, then stops; never Streamlit's generic
    error."""

    @functools.wraps(body)
    def run(*args, **kwargs):
        speak_again()
        try:
            return body(*args, **kwargs)
        except StorageError as exc:
            st.error(flow.plain(str(exc)), icon=":material/database:")
        st.stop()

    return run


def safe(callback):
    """A widget callback that never raises: Streamlit skips the remaining callbacks of a run when one
    raises, and one of those may be an answer's save. A failure becomes a message instead."""

    @functools.wraps(callback)
    def run(*args, **kwargs):
        speak_again()
        try:
            return callback(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any failure, reported to the user, never propagated
            reason = exc.reason if isinstance(exc, StorageError) else exc.__class__.__name__
            LOG.warning("callback %s failed: %s", callback.__name__, reason)
            session.FLASH.value = _(CALLBACK_FAILED).format(reason=reason)

    return run



def save_value(question_id: str, value) -> bool:
    """Save one answer now and keep the session's copy in step; False (and a message) when it was not saved."""
    now: Current = session.LOADED.value
    try:
        repo.save_answer(get_engine(), now.assessment.id, question_id, value)
    except StorageError as exc:
        session.FLASH.value = _(SAVE_FAILED).format(reason=exc.reason)
        return False
    except PhasegateError as exc:  # e.g. the workshop this answer belongs to has closed
        session.FLASH.value = _("Not saved: {reason}").format(reason=" ".join(exc.lines()))
        return False
    session.LOADED.value = dataclasses.replace(now, saved=flow.with_answer(now.saved, question_id, value),
                                                     carried=now.carried - {question_id})
    return True


def confirm(question_ids) -> None:
    """Confirm carried-over answers as they are (a callback); a failure becomes a message."""
    now: Current = session.LOADED.value
    try:
        repo.confirm_answers(get_engine(), now.assessment.id, list(question_ids))
    except StorageError as exc:
        session.FLASH.value = _(SAVE_FAILED).format(reason=exc.reason)
        return
    except PhasegateError as exc:
        session.FLASH.value = _("Not confirmed: {reason}").format(reason=" ".join(exc.lines()))
        return
    session.LOADED.value = dataclasses.replace(now, carried=now.carried - set(question_ids))


@safe
def start_reassessment(now: Current) -> None:
    """Start a re-assessment from the open (finished) assessment and open it, its answers pre-filled (a callback,
    so the page switches before anything of this one is drawn again)."""
    try:
        created = repo.start_reassessment(get_engine(), now.assessment, now.questionnaire.version)
    except PhasegateError as exc:
        session.FLASH.value = " ".join(exc.lines())
        return
    # Widgets of the baseline's questions must not carry their state into the new assessment.
    _drop_answer_widgets()
    session.TOKEN.value = created.token
    session.LOADED.pop()
    switch_soon(ASSESSMENT, a=created.token)


def switch_soon(page: str, **query_params) -> None:
    """Go to `page` as the next run starts, before the page on screen draws anything (from a callback, which cannot
    switch pages itself). A page left while it still draws — a PDF being prepared polls every moment — would
    otherwise leave the next page blank."""
    session.SWITCH_TO.value = (page, query_params or None)


def pending_switch() -> None:
    """Carry out a `switch_soon` (the router calls this before the page runs)."""
    target = session.SWITCH_TO.pop()
    if target is not None:
        st.switch_page(target[0], query_params=target[1])


def save_note(question_id: str, note: str) -> None:
    """Save one note now; a note over the limit is refused and the saved one kept."""
    now: Current = session.LOADED.value
    problems = session.NOTE_PROBLEMS.setdefault({})
    try:
        repo.save_note(get_engine(), now.assessment.id, question_id, note)
    except StorageError as exc:
        problems[question_id] = _(SAVE_FAILED).format(reason=exc.reason)
        return
    except PhasegateError as exc:
        problems[question_id] = " ".join(exc.lines())
        return
    problems.pop(question_id, None)
    session.LOADED.value = dataclasses.replace(now, saved=flow.with_note(now.saved, question_id, note))


def guarded(action, *args, **kwargs):
    """Run a storage action; when the database fails, say so and stop instead of showing a traceback."""
    try:
        return action(*args, **kwargs)
    except (StorageError, PhasegateError) as exc:
        st.error(flow.plain(refusal(exc)))
    st.stop()


def refusal(exc: StorageError | PhasegateError) -> str:
    """What `guarded` says when a storage action failed or was refused, as text (`flow.plain` shows it as it is),
    for a callback to leave for the page."""
    if isinstance(exc, StorageError):
        return _("The database did not answer ({reason}). Try again in a moment; nothing saved is lost.").format(
            reason=exc.reason)
    return " ".join(exc.lines())


def stored_by_callback(action, *args, problem: session.Key[str] = session.FLASH) -> bool:
    """Run a storage action that changes the open assessment, from a widget callback: True once done (and the
    session's copy reloaded); False when it was refused or the database failed, the reason kept in `problem` for
    the page to show."""
    try:
        action(get_engine(), *args)
    except StorageError as exc:
        problem.value = _(SAVE_FAILED).format(reason=exc.reason)
        return False
    except PhasegateError as exc:
        problem.value = " ".join(exc.lines())
        return False
    refresh_assessment()
    return True


def show_flash() -> None:
    """Show (once) a message left by a callback."""
    message = session.FLASH.pop()
    if message:
        # Messages can quote user text (a client's name, say): show it as typed, never as markdown.
        st.error(flow.plain(message))
        st.toast(flow.plain(message), icon=":material/error:")


# --- links and friendly pages -----------------------------------------------------------


def base_url() -> str:
    """Where the app is reachable: PHASEGATE_PUBLIC_URL, else the address the browser used."""
    configured = setting("PHASEGATE_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    seen = urlparse(st.context.url or "")
    return f"{seen.scheme}://{seen.netloc}" if seen.scheme and seen.netloc else ""


def client_address() -> str | None:
    """The user's address, for join-code throttling: behind PHASEGATE_TRUSTED_PROXIES reverse proxies, the address
    that many hops from the right of the forwarding header (PHASEGATE_CLIENT_IP_HEADER, else X-Forwarded-For),
    which a client cannot choose; with none, the connection's own. None on localhost."""
    address = st.context.ip_address
    connection = address if isinstance(address, str) else None
    proxies = int(setting("PHASEGATE_TRUSTED_PROXIES"))
    header = setting("PHASEGATE_CLIENT_IP_HEADER") or "X-Forwarded-For"
    forwarded = st.context.headers.get(header) if proxies else None
    return forwarded_client(forwarded, connection, proxies)


def link_for(assessment: Assessment) -> str:
    """The private resume link of an assessment."""
    return flow.resume_link(base_url(), "assessment", assessment.token, assessment.language)


def _nothing_open() -> None:
    st.title(_("No assessment open"))
    st.write(_("Choose an assessment on the start page, or resume one with your private link or an answers file."))
    st.page_link(START, label=_("Go to the start page"), icon=":material/arrow_back:")
    st.stop()


def _not_found() -> None:
    st.title(_("We could not find that assessment"))
    st.write(_("The resume link you opened does not match any saved assessment. It may be incomplete — links are "
               "long, so check that it was copied whole — or the assessment may have been removed."))
    st.write(_("If you downloaded an answers file, you can resume from it on the start page."))
    if st.button(_("Start a new assessment"), key="forget_link", type="primary"):
        forget()
        st.switch_page(START)
    st.stop()


def _expired() -> None:
    st.title(_("This resume link has expired"))
    st.write(ngettext("Private links stay valid for {days} day after the last change, and this one has passed that. "
                      "Its answers are kept as the organisation's retention rules say, but the link no longer opens "
                      "them. If you downloaded an answers file, you can resume from it on the start page.",
                      "Private links stay valid for {days} days after the last change, and this one has passed that. "
                      "Its answers are kept as the organisation's retention rules say, but the link no longer opens "
                      "them. If you downloaded an answers file, you can resume from it on the start page.",
                      retention.resume_days()).format(days=retention.resume_days()))
    if st.button(_("Start a new assessment"), key="forget_expired", type="primary"):
        forget()
        st.switch_page(START)
    st.stop()


def offer_deletion(now: Current) -> None:
    """At the foot of a page: delete this assessment and every answer, after a confirmation."""
    with st.expander(_("Delete this assessment"), icon=":material/delete:"):
        st.write(_("This removes the assessment, every answer and every note from this service for good. The private "
                   "link stops working. Download the answers file first if you may want them back."))
        sure = st.checkbox(_("Yes, delete all of it"), key="confirm_delete_assessment")
        st.button(_("Delete for good"), key="delete_assessment", disabled=not sure, icon=":material/delete_forever:",
                  on_click=safe(_delete), args=(now,))


def _delete(now: Current) -> None:
    try:
        retention.delete_assessment(get_engine(), now.assessment.id)
    except PhasegateError as exc:
        session.FLASH.value = " ".join(exc.lines())
        return
    forget()
    session.FLASH_INFO.value = _("The assessment and all its answers were deleted.")
    switch_soon(START)


def _outdated(assessment: Assessment, questionnaire: Questionnaire | None, saved: dict[str, Answer]) -> None:
    st.title(_("This assessment uses a questionnaire that is no longer offered"))
    st.write((_("It was answered with '{questionnaire}' version {version}; version {offered} is offered now. Your "
                "answers are kept: download them, and score them with the command line or import them once the "
                "questionnaire is available again.") if questionnaire else
              _("It was answered with '{questionnaire}' version {version}; it is not offered any more. Your answers "
                "are kept: download them, and score them with the command line or import them once the "
                "questionnaire is available again.")).format(
        questionnaire=assessment.questionnaire_id, version=assessment.questionnaire_version,
        offered=questionnaire.version if questionnaire else ""))
    from reports.filenames import response_name
    from scoring.answers import dated, dump_answers

    response = dated(repo.response_of(assessment, saved))
    st.download_button(_("Download answers"), dump_answers(response), file_name=response_name(response, "yaml"),
                       mime="application/x-yaml",
                       key="download_outdated")
    if st.button(_("Start a new assessment"), key="forget_outdated"):
        forget()
        st.switch_page(START)
    st.stop()


def _stop_with(title: str, text: str) -> None:
    st.title(title)
    st.error(text)
    st.stop()


# --- who is here: what the sidebar offers ----------------------------------------------------


def of_open_assessment(memo: session.Key, pick: Callable[[Assessment | None], object], unreadable: object):
    """What `pick` makes of the assessment the address or the session opens (None: the link opens none), read once
    per token and kept under `memo`; `unreadable` when the database does not answer now. None when nothing is open.
    Never shows anything: a link that does not open, or a database that does not answer, leaves that to the page
    (which says what is wrong)."""
    wanted = st.query_params.get("a") or session.TOKEN.get()
    if not wanted:
        return None
    loaded = session.LOADED.get()
    if loaded is not None and loaded.assessment.token == wanted:
        return pick(loaded.assessment)
    known = memo.get()
    if known is not None and known[0] == wanted:
        return known[1]
    try:
        found = repo.find_assessment(get_engine(), wanted)
    except Exception:  # noqa: BLE001 - the page itself reports the failure, in its own words
        return unreadable
    value = pick(found)
    memo.value = (wanted, value)
    return value


def open_role() -> str | None:
    """"participant" when a workshop participant's answers are open, "leader" for a self-assessment, None when
    nothing is open."""
    return of_open_assessment(
        session.ROLE_OF, lambda found: "participant" if found is not None and found.workshop_id is not None
        else "leader", "leader")


def facilitating() -> bool:
    """A workshop's facilitator link is in the address or was opened in this session (or, signed in, its id)."""
    return bool(st.query_params.get("f") or session.FACILITATOR.get()
                or st.query_params.get("w") or session.FACILITATED_ID.get())


def login_configured() -> bool:
    """Consultant sign-in is set up (an [auth] section in the app's secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: no sign-in
        return False


# --- importing an answers file: continue the open assessment, or a copy that says so -----------------


def _drop_answer_widgets() -> None:
    """Forget what the answer widgets hold, so the next assessment shown starts from what is stored."""
    session.drop_answer_widgets()
    for kept in (session.SCORED, session.STEP, session.BASELINE_PROGRESS):
        kept.pop()


def offer_import(now: Current | None, response: Response, questionnaire: Questionnaire, name: str,
                 done: Callable[[], None] = lambda: None) -> None:
    """After an answers file was read: continue the open assessment with it, or start a copy with its own link;
    the user chooses, and is told which happened. `done` runs once the file's answers are stored (in the choice's
    callback: it must not draw). A failure is left in `session.START_SAID` for the place "import_choice"."""
    shown = in_language(questionnaire)
    with st.container(border=True, key="import_choice"):
        held = dict(file=flow.plain(name), count=len(response.answers), questionnaire=flow.plain(shown.title),
                    version=questionnaire.version, organisation=flow.plain(response.organisation or ""))
        st.markdown((ngettext("**{file}** holds {count} answer to {questionnaire} (version {version}) for "
                              "{organisation}.", "**{file}** holds {count} answers to {questionnaire} (version "
                              "{version}) for {organisation}.", len(response.answers)) if response.organisation else
                     ngettext("**{file}** holds {count} answer to {questionnaire} (version {version}).",
                              "**{file}** holds {count} answers to {questionnaire} (version {version}).",
                              len(response.answers))).format(**held))
        same = (now is not None and now.assessment.workshop_id is None and now.questionnaire.id == questionnaire.id
                and now.questionnaire.version == questionnaire.version)
        if same:
            st.write(_("**Continue this assessment**: the open assessment takes the file's answers (they replace "
                       "the ones saved for the same questions) and keeps its private link."))
            st.button(_("Continue this assessment with the file"), key="import_continue", type="primary",
                      icon=":material/play_arrow:", on_click=_continue_with_file, args=(now, response, name, done))
        else:
            st.write(_("An answers file does not carry its private link: to continue the assessment it came from, "
                       "open it with its resume link (the other tab)."))
        st.write(_("**Start a copy**: a new assessment with these answers and a new private link of its own. The "
                   "assessment the file came from is not changed."))
        st.button(_("Start a copy"), key="import_copy", type="secondary" if same else "primary",
                  icon=":material/content_copy:", on_click=_start_copy, args=(response, name, done))


@safe
def _continue_with_file(now: Current, response: Response, name: str, done: Callable[[], None]) -> None:
    """Continue the open assessment with an answers file's answers, and open it (a callback); why not, for the page
    to show under the choice."""
    try:
        _import_into(now, response)
    except PhasegateError as exc:
        session.START_SAID.value = ("import_choice", flow.plain(refusal(exc)))
        return
    done()
    _drop_answer_widgets()
    session.FLASH_INFO.value = _("The answers from {file} are now in this assessment; its private "
                                 "link stays the same.").format(file=name)
    open_soon(now.assessment.token, resume_page(now.assessment))


@safe
def _start_copy(response: Response, name: str, done: Callable[[], None]) -> None:
    """Start a new assessment with an answers file's answers, and open it (a callback); why not, for the page to
    show under the choice."""
    try:
        created = repo.import_response(get_engine(), response)
    except PhasegateError as exc:
        session.START_SAID.value = ("import_choice", flow.plain(refusal(exc)))
        return
    done()
    _drop_answer_widgets()
    session.IMPORTED_COPY.value = (created.token, name)
    open_soon(created.token, resume_page(created))


def _import_into(now: Current, response: Response) -> None:
    """Write an imported file's answers (and its targets, organisation, pilots and profile) into the open
    assessment."""
    engine = get_engine()
    repo.save_answers(engine, now.assessment.id, response.answers)
    if response.targets:
        repo.set_targets(engine, now.assessment.id, dict(response.targets))
    if response.organisation and response.organisation != now.assessment.organisation:
        repo.set_organisation(engine, now.assessment.id, response.organisation)
    if response.pilots:
        repo.save_pilots(engine, now.assessment.id, response.pilots)
    if response.organisation_profile and now.assessment.workshop_id is None:
        repo.set_profile(engine, now.assessment.id, response.organisation_profile.model_dump(exclude_none=True))


def show_notice() -> None:
    """Show (once) a confirmation left by the page before."""
    notice = session.FLASH_INFO.pop()
    if notice:
        st.success(flow.plain(notice), icon=":material/check:")


# --- the screen: phone or desktop, and scrolling to what changed -------------------------------------


def narrow_screen() -> bool:
    """The browser is a phone's (from its User-Agent); the default for one question per screen."""
    try:
        return flow.narrow_agent(st.context.headers.get("User-Agent"))
    except Exception:  # noqa: BLE001 - no request headers (a test run): a desktop
        return False


# Installed once per page load: remembers the reader's last input, so a scroll to a new step never pulls the
# page away from a question they have started to answer, or from where they have scrolled to, in the meantime.
INPUT_SCRIPT = """<script>
(() => {
  if (window.phasegateInput) return;
  window.phasegateInput = {at: -1, answering: false};
  const note = (answering) => (event) => {
    const inQuestion = !!(event.target && event.target.closest && event.target.closest("[class*='st-key-ask-']"));
    window.phasegateInput = {at: performance.now(), answering: answering || inQuestion};
  };
  for (const kind of ["pointerdown", "keydown"]) document.addEventListener(kind, note(false), true);
  for (const kind of ["wheel", "touchmove"]) document.addEventListener(kind, note(true), {capture: true, passive: true});
})();
</script>"""
SCROLL_SCRIPT = """<script>
(() => {{
  const mounted = performance.now();
  const input = () => window.phasegateInput || {{at: -1, answering: false}};
  // The step was changed by a button, a link or a reload; a click in a question or a scroll since then means
  // the reader has moved on, and the page stays where they are.
  const wanted = (settling) => !input().answering && !(settling && input().at > mounted);
  const target = () => document.querySelector(".st-key-{key}");
  const go = (settling) => {{
    const found = target();
    if (found && wanted(settling)) found.scrollIntoView({{block: "start"}});
  }};
  go(false);
  // Once the run has finished, the rest of the new step is in place; scroll once more so nothing moved it. A slow
  // phone or a busy server can take seconds over a run: wait for it up to 20 s.
  const app = document.querySelector("[data-testid='stApp']");
  const settle = setInterval(() => {{
    if (!app || app.dataset.testScriptState === "notRunning" || performance.now() - mounted > 20000) {{
      clearInterval(settle);
      go(true);
    }}
  }}, 30);
}})();
</script><span data-scroll="{nonce}"></span>"""
SCROLL_STYLE = "<style>.st-key-{key} {{ scroll-margin-top: 4.5rem; }}</style>"


def track_input() -> None:
    """Remember the reader's last click, key or scroll on this page (see `scroll_to`); call it on every page that
    scrolls."""
    st.html(INPUT_SCRIPT, unsafe_allow_javascript=True, width="content")


def scroll_to(key: str, nonce) -> None:
    """Bring the element with this widget or container key to the top of the screen, once per `nonce` (a step
    change): the script only runs again when the nonce changes. It does not scroll when the reader has clicked in
    a question or scrolled since the change."""
    st.html(SCROLL_STYLE.format(key=key) + SCROLL_SCRIPT.format(key=key, nonce=nonce), unsafe_allow_javascript=True,
            width="content")


LARGE_BUTTONS = """<style>
{selectors} {{ min-height: 3.4rem; font-size: 1.1rem; }}
.stRadio [role="radiogroup"] label {{ padding: 0.3rem 0; }}
</style>"""


def large_buttons(*keys: str) -> None:
    """Make the buttons in these containers thumb-sized, and answer choices easier to hit (one question per
    screen)."""
    selectors = ", ".join(f".st-key-{key} button" for key in keys)
    st.html(LARGE_BUTTONS.format(selectors=selectors), width="content")

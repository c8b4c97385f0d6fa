"""Start: what Phasegate is, the three ways in (quick check, full assessment, workshop), and resuming by link or
from an answers file."""

import functools

import streamlit as st

import i18n
from i18n import _, ngettext
from questionnaires import PhasegateError
from questionnaires.models import question_count
from scoring.answers import parse_answers
from storage import drafts, get_engine
from storage.errors import StorageError
from storage import repository as repo
from ui import flow, language, session, state

WORKSHOP_JOIN = "app_pages/workshop_join.py"
WORKSHOP_NEW = "app_pages/workshop_new.py"
IMPORT_PARAM = "import"  # the token of an answers file chosen and not yet imported (see `storage.drafts`)



@state.safe
def start(questionnaire_id: str, version: str) -> None:
    """Start a new assessment of the questionnaire, for the organisation typed above, and open it (a callback)."""
    try:
        created = repo.create_assessment(get_engine(), questionnaire_id, version,
                                         organisation=session.START_ORGANISATION.get(""), language=i18n.current())
    except PhasegateError as exc:
        session.START_SAID.value = (f"start:{questionnaire_id}", flow.plain(state.refusal(exc)))
        return
    session.NEW_ASSESSMENT.value = created.token
    state.open_soon(created.token)


def said(place: str) -> None:
    """Show, once, the failure a callback of `place` left (markdown, user text in it made `plain`)."""
    message = session.START_SAID.get()
    if message is not None and message[0] == place:
        session.START_SAID.pop()
        st.error(message[1])


now = state.current(required=False)
done = session.FLASH_INFO.pop()
if done:
    st.success(flow.plain(done), icon=":material/check:")
state.show_flash()
st.title("Phasegate")
language.picker()
st.write(_("Phasegate shows how far your organisation is from running AI in production, which domain holds it back, "
           "and what to do first — in a report you can hand to your board."))

if now is not None:
    with st.container(border=True, key="continue_box"):
        st.subheader(_("Continue where you left off"), anchor=False)
        finished = now.assessment.finished
        st.text(_("{questionnaire} — finished").format(questionnaire=now.questionnaire.title) if finished else
                ngettext("{questionnaire} — {count} answer saved", "{questionnaire} — {count} answers saved",
                         len(now.saved)).format(questionnaire=now.questionnaire.title, count=len(now.saved)))
        left, right = st.columns(2)
        left.button(_("See the results") if finished else _("Continue"), key="continue", type="primary",
                    icon=":material/insights:" if finished else ":material/play_arrow:", width="stretch",
                    on_click=state.open_soon, args=(now.assessment.token, state.resume_page(now.assessment)))
        right.button(_("Leave it and start another"), key="leave", on_click=state.forget, width="stretch")

st.header(_("Three ways in"), anchor=False)
st.text_input(_("Organisation (optional)"), key=session.START_ORGANISATION.name, max_chars=repo.MAX_ORGANISATION,
              placeholder=_("Shown on the results and the report"))
for questionnaire in sorted(map(state.in_language, state.questionnaires().values()),
                            key=lambda q: q.estimated_minutes):
    with st.container(border=True):
        st.subheader(questionnaire.title, anchor=False)
        st.write(questionnaire.description)
        st.caption(ngettext("{questions} · {count} domain", "{questions} · {count} domains",
                            len(questionnaire.domains)).format(questions=question_count(questionnaire).text(),
                                                               count=len(questionnaire.domains)))
        st.button(_("Start"), key=f"start:{questionnaire.id}", type="primary", icon=":material/arrow_forward:",
                  on_click=start, args=(questionnaire.id, questionnaire.version))
        said(f"start:{questionnaire.id}")

with st.container(border=True, key="workshop_box"):
    st.subheader(_("A workshop with your team"), anchor=False)
    st.write(_("Everyone answers on their own device with a join code; the facilitator sees where the room agrees, "
               "where it does not, and hands over one report."))
    join_col, run_col = st.columns(2)
    join_col.page_link(WORKSHOP_JOIN, label=_("Join with a code"), icon=":material/login:")
    run_col.page_link(WORKSHOP_NEW, label=_("Run a workshop"), icon=":material/groups:")

for problem in state.broken_questionnaires():
    st.warning(_("Not offered, the file needs fixing: {problem}").format(problem=flow.plain(problem)))

st.header(_("Resume an assessment"), anchor=False)
by_link, by_file = st.tabs([_("With your resume link"), _("From an answers file")])
with by_link:
    link = st.text_input(_("Resume link"), key="resume_link", placeholder="https://…/assessment?a=…")
    if st.button(_("Resume"), key="resume"):
        wanted = flow.token_from_link(link)
        found = state.guarded(repo.find_assessment, get_engine(), wanted) if wanted else None
        if found is None:
            st.error(_("That link does not open a saved assessment. Paste the whole link you were given "
                       "(it ends in ?a= followed by a long code)."))
        else:
            state.open_assessment(found.token, state.resume_page(found))


def read_upload(raw: bytes, name: str):
    """The answers in an uploaded file, checked against its questionnaire; None (and a message) when it does not
    hold up."""
    try:
        return checked(raw, name)
    except PhasegateError as exc:
        st.error(needs_fixing(exc))
        return None


def checked(raw: bytes, name: str):
    """The answers in a file and their questionnaire; PhasegateError when the file does not hold up."""
    response = parse_answers(raw, name)
    questionnaire = state.offered(response.questionnaire, response.questionnaire_version)
    return parse_answers(raw, name, questionnaire=questionnaire), questionnaire


def needs_fixing(exc: PhasegateError) -> str:
    return _("Nothing was imported. The file needs fixing:\n\n{problems}").format(
        problems="\n".join(f"- {flow.plain(line)}" for line in exc.lines()))


def kept_import():
    """The answers file this page's address keeps (`?import=`) when this session has not seen it leave: chosen
    before the server serving it stopped, and found again by the page the browser reconnected with."""
    token = st.query_params.get(IMPORT_PARAM)
    if not token or session.IMPORT_LEFT.get() == token:
        return None
    found = state.guarded(drafts.find_import, get_engine(), token)
    if found is None:
        st.query_params.pop(IMPORT_PARAM, None)
    return found


@state.safe
def import_answers() -> None:
    """Import answers (a callback): the file chosen, once it holds up, is kept in the database under a token in this
    page's address until it is imported (and one kept before for this box let go); a file that does not hold up is
    not kept, and the page says why."""
    upload = session.ANSWERS_FILE.get()
    if upload is None:
        return
    try:
        pending = session.IMPORT_PENDING.pop()
        if pending is not None:
            drafts.drop_import(get_engine(), pending[1].token)
            forgotten(pending[1].token)
        checked(upload.getvalue(), upload.name)
        token = drafts.keep_import(get_engine(), upload.name, upload.getvalue())
    except StorageError as exc:
        session.START_SAID.value = ("import", flow.plain(state.refusal(exc)))
        return
    except PhasegateError as exc:
        session.START_SAID.value = ("import", needs_fixing(exc))
        return
    st.query_params[IMPORT_PARAM] = token
    session.IMPORT_PENDING.value = (upload.file_id, drafts.PendingImport(token, upload.name, upload.getvalue()))


def let_go(token: str, *, address: bool = True) -> None:
    """The file was imported or taken out of the box: the database forgets it, and so does the address (unless
    the page is about to change, taking its address with it)."""
    state.guarded(drafts.drop_import, get_engine(), token)
    forgotten(token, address=address)


def release(token: str) -> None:
    """`let_go` for a callback that opens another page (which takes the address with it): the file was imported."""
    drafts.drop_import(get_engine(), token)
    forgotten(token, address=False)


def forgotten(token: str, *, address: bool = True) -> None:
    """The session, and the address unless the page is about to change, forget a file let go."""
    session.IMPORT_LEFT.value = token
    if address and st.query_params.get(IMPORT_PARAM) == token:
        st.query_params.pop(IMPORT_PARAM, None)


with by_file:
    upload = st.file_uploader(_("Answers file (YAML or JSON)"), type=["yaml", "yml", "json"],
                              key=session.ANSWERS_FILE.name,
                              help=_("The file from “Download answers”, or one written for the command line"))
    pending = session.IMPORT_PENDING.get()  # (upload's file id, the kept file) once Import was pressed
    if upload is None and pending is not None:  # taken out of the box
        let_go(pending[1].token)
        session.IMPORT_PENDING.pop()
        pending = None
    elif upload is not None:
        st.button(_("Import answers"), key="import_answers", on_click=import_answers)
        said("import")
    if upload is not None and pending is not None and pending[0] != upload.file_id:
        pending = None  # another file chosen: it waits for its own Import
chosen = pending[1] if pending is not None else (kept_import() if upload is None else None)
if chosen is not None:
    read = read_upload(chosen.data, chosen.name)
    if read is not None:
        response, questionnaire = read
        state.offer_import(now, response, questionnaire, chosen.name, done=functools.partial(release, chosen.token))
        said("import_choice")
        state.scroll_to("import_choice", chosen.token)

"""Workshop dashboard (facilitator only): live participation and results, consensus, closing, downloads. It speaks
the workshop's engagement language, and every write happens in a callback or a form's submit, so a rerun is free."""

import datetime as dt

import streamlit as st

import i18n
import services
from i18n import _, ngettext
from questionnaires import PhasegateError
from reports import deck, exports, workshop_charts
from reports.branding import Branding
from reports.filenames import download_name
from scoring.answers import answer_label
from scoring.workshop import SOURCE_CONSENSUS, SOURCE_MEDIAN
from storage import get_engine
from storage import access
from storage import pilots as ws_pilots
from storage import workshops as ws
from storage.benchmark import set_workshop_profile
from storage.errors import StorageError
from ui import auth, charts, engagement, flow, pdf_worker, pilot_register, profile_form, progress_view, session, state
from ui.flow import plain

REFRESH_SECONDS = 4
DISAGREEMENTS_SHOWN = 20


def show_chart(chart, key: str) -> None:
    """An Altair chart as the report draws it: its rows are steps of fixed height, so it is as tall as its rows
    need and the app's theme cannot squeeze them into one line. Converted to Vega-Lite once per chart content: the
    live panel draws the same charts again every few seconds."""
    charts.draw(chart, key)


def actor() -> str:
    """Who did it, for the audit lines: the signed-in consultant, else the holder of the secret link."""
    who = auth.consultant()
    return (who.email or who.label) if who else ws.FACILITATOR


made = session.RERUN_MADE.pop()
if made is not None:  # "Re-run for this client" made it in its callback: open its dashboard now
    auth.open_new(made)
st.set_page_config(layout="wide")
engine = get_engine()
workshop = auth.facilitated_workshop(engine)  # by the secret link, or signed in as a consultant it belongs to
if workshop is None:
    auth.no_access("workshop dashboard")
engagement.speak(workshop)  # the workshop's language, whatever the browser's or a participant's
st.set_page_config(page_title=_("Workshop dashboard"))
session.ROOM_CHANGED.pop()  # a run of the whole page draws the room as it is now
pdf_worker.prepare()
session.PDF_OFFERED.value = None  # until the download row below is drawn in this run
# A run of the whole page reads everyone's answers once: the live panel loads the room and leaves it here for the
# participants panel of the same run. A panel that reruns on its own loads it afresh.
session.DASHBOARD_ROOM_THIS_RUN.value = None
questionnaire = state.library().find(workshop.questionnaire_id, workshop.questionnaire_version)
if questionnaire is None:  # a workshop stays on the version it was created with
    st.error(_("The questionnaire '{questionnaire}' {version} is no longer offered here.").format(
        questionnaire=workshop.questionnaire_id, version=workshop.questionnaire_version))
    st.stop()
questionnaire = state.in_language(questionnaire)  # its questions and answers in the engagement language
state.show_flash()
flash = session.FLASH_INFO.pop()
if flash:
    st.success(plain(flash))


def say(place: str, kind: str, message: str) -> None:
    """For a callback: what its write came to (markdown, user text in it made `plain`), for the page to show once
    where `place` says (`said`)."""
    session.DASHBOARD_SAID.value = (place, kind, message)


def said(place: str) -> None:
    """Show, once, what a callback of `place` left to say."""
    message = session.DASHBOARD_SAID.get()
    if message is not None and message[0] == place:
        session.DASHBOARD_SAID.pop()
        getattr(st, message[1])(message[2])


def stored(action, *args) -> bool:
    """For a callback: do one write while this page still has access; whether it was done. Not when access has
    ended (the run that follows says so), nor when the write was refused or failed (the page says why, at its top)."""
    if not auth.allowed(engine):
        return False
    try:
        action(*args)
    except StorageError as exc:
        session.FLASH.value = _("The database did not answer ({reason}). Try again in a moment; nothing saved is "
                                "lost.").format(reason=exc.reason)
        return False
    except PhasegateError as exc:
        session.FLASH.value = " ".join(exc.lines())
        return False
    return True


accent = workshop_charts.workshop_branding(workshop).color  # the charts in the workshop's colour, as in its PDF
rerun_of = workshop_charts.rerun_text(engine, workshop)  # "" for a first run
client = plain(workshop.client)
st.title(_("Workshop · {client} · re-run").format(client=client) if rerun_of
         else _("Workshop · {client}").format(client=client))
created = _("{questionnaire}, version {version} · created {day}, {time} UTC").format(
    questionnaire=questionnaire.title, version=questionnaire.version, day=i18n.date(workshop.created_at.date(), "medium"),
    time=f"{workshop.created_at:%H:%M}")
st.caption(" · ".join(part for part in (created, rerun_of) if part))
base = state.base_url()


def secret_link_box() -> None:
    """The secret facilitator link: open, to be saved, right after it was made; one click away after that."""
    link = auth.secret_link(workshop)
    if not link:
        st.caption(_("Opened from My workshops. The secret facilitator link was shown when the workshop was created."))
    elif session.SECRET_LINK_SHOWN.pop(False):
        st.warning(_("**Save your secret facilitator link now.** It is the key to this dashboard. Copy it with the "
                     "button at its right and keep it somewhere safe; never show it to the room.") if auth.consultant()
                   else _("**Save your secret facilitator link now.** It is the key to this dashboard: without signing "
                          "in, it is the only way back here. Copy it with the button at its right and keep it "
                          "somewhere safe; never show it to the room."), icon=":material/key:")
        st.code(link, language=None, wrap_lines=True)
    else:
        with st.popover(_("Secret facilitator link"), icon=":material/key:"):
            st.write(_("Anyone with this link sees the dashboard and can record consensus, close the workshop and "
                       "download everything. Keep it to yourself; the address bar never shows it."))
            st.code(link, language=None, wrap_lines=True)
    auth.new_secret_link(engine, workshop)


room_col, side_col = st.columns([3, 2], gap="large")
with side_col:
    with st.container(border=True):
        st.metric(_("Join code"), workshop.display_code)
        st.write(_("Join link for participants"))
        st.code(flow.join_link(base, workshop.display_code, workshop.language), language=None, wrap_lines=True)
        problem = auth.unreachable_link_problem()
        if problem:
            st.warning(problem, icon=":material/wifi_off:")
        st.link_button(_("Presenter view for the projector"), f"{base}/presenter?w={workshop.id}",
                       icon=":material/co_present:",
                       help=_("Opens in a new tab: the join code in large type with a QR code, the room's progress, "
                              "then the disputed questions one at a time. It never shows your secret link."))
        secret_link_box()


@st.fragment(run_every=REFRESH_SECONDS)
@state.database_errors_in_one_line
def live() -> None:
    """Everything that changes while people answer, refreshed without rerunning the page (while access holds)."""
    current = auth.refresh_or_leave(engine)
    counted, removed_ones = ws.room_participants(engine, workshop.id)  # the one read of everyone's answers
    room_now = session.DASHBOARD_ROOM_THIS_RUN
    if room_now.held() and room_now.value is None:  # a run of the whole page
        room_now.value = (counted, removed_ones)
    participants, result = services.aggregate_stored(engine, current, questionnaire, counted)
    session.WORKSHOP_RESULT.value = result
    joined, finished, disputed = st.columns(3)
    joined.metric(_("Participants joined"), result.participants)
    finished.metric(_("Finished"), result.finished)
    disputed.metric(_("Disputed questions"), len(result.open_disagreements),
                    help=_("Questions the room answers furthest apart, ranked by what they weigh in the result; a "
                           "question whose answer the room agreed leaves the count."))
    status = (_("The workshop is closed. Refreshes every {seconds} seconds.") if current.is_closed()
              else _("The workshop is open. Refreshes every {seconds} seconds.")).format(seconds=REFRESH_SECONDS)
    removed = len(removed_ones)
    st.caption(status + (" " + ngettext("{count} participant removed, not counted.",
                                        "{count} participants removed, not counted.", removed).format(count=removed)
                         if removed else ""))
    offered = session.PDF_OFFERED.get()  # None in a run of the whole page: the PDF is prepared below
    note = st.empty()  # always drawn, so the tabs below keep their place (and the tab open) when it fills
    if offered and pdf_worker.workshop_inputs_of(engine, current, questionnaire, result).key() != offered:
        note.info(_("Answers came in since the workshop report below was prepared. Press **Refresh the room's "
                    "answers** to prepare it with them."), icon=":material/update:")
    if not result.participants:
        st.info(_("Nobody has joined yet. Share the join code or link."))
        return
    overview, roles, disagreement = st.tabs([_("Result"), _("Roles and perception gaps"), _("Disagreement")])
    with overview:
        st.subheader(plain(result.result.overall.summary), anchor=False)
        st.caption(f"{workshop_charts.confidence_text(result)} · {workshop_charts.sources_text(result)}",
                   help=_(workshop_charts.CONFIDENCE_METHOD))  # its msgid in app.po
        show_chart(workshop_charts.spread_chart(result, accent), "chart_spread")
        st.dataframe(workshop_charts.domain_rows(questionnaire, result.result), hide_index=True, key="table_domains",
                     column_config={"Domain": _("Domain"), "Index": _("Index"), "Working on": _("Working on")})
        if any(d.assessed and d.working_phase is None for d in result.result.domains):
            st.caption(_(workshop_charts.COMPLETE_MEANING))
    with roles:
        st.markdown("**{}**".format(_("Who has joined, and who has finished")))
        show_chart(workshop_charts.participation_chart(result, accent), "chart_participation")
        st.caption(plain(workshop_charts.participation_text(result)))
        flagged = [workshop_charts.gap_sentence(g) for g in result.role_gaps if g.flagged]
        waiting = [workshop_charts.gap_sentence(g) for g in result.role_gaps if g.too_few]
        if flagged:
            st.warning("**{}**\n\n".format(_("Executives and practitioners see it differently")) +
                       "\n".join(f"- {plain(sentence)}" for sentence in flagged), icon=":material/compare_arrows:")
        if waiting:
            st.caption(" ".join(plain(sentence) for sentence in waiting))
        st.markdown(_("**How each role sees the organisation** (average maturity index, 0–4)"))
        show_chart(workshop_charts.gap_heatmap(result, accent), "chart_gaps")
        st.caption(plain(workshop_charts.gap_text(result)))
    with disagreement:
        if not result.disagreements:
            st.success(_("No disputed question so far."))
        else:
            st.caption(_("{disputes}. Ranked by what they weigh in the result; discuss them one at a time in the "
                         "presenter view's discussion mode.").format(disputes=workshop_charts.disputes_text(result)))
        for stats in result.disagreements[:DISAGREEMENTS_SHOWN]:
            with st.expander(f"{plain(stats.text)} — {workshop_charts.dispute_text(stats)}"):
                show_chart(workshop_charts.role_answer_chart(stats, [r.name for r in result.roles], projector=False),
                           f"chart_dist:{stats.id}")
                st.caption(figures_text(stats))
                show_notes(stats.id, counted)


def figures_text(stats) -> str:
    """One disputed question's figures: mean, median, spread, "don't know" and the workshop's answer, whence."""
    source = {SOURCE_CONSENSUS: _("agreed in the room"), SOURCE_MEDIAN: _("the room's median")}.get(stats.source,
                                                                                                  stats.source)
    return _("Mean {mean} / {top} · median {median} · std dev {std} · don't know {dont_know} · workshop answer: "
             "{answer} ({source})").format(
        mean=i18n.number(stats.mean, 1), top=i18n.number(stats.max_points), median=i18n.number(stats.median, 1),
        std=i18n.number(stats.std, 2), dont_know=stats.dont_know, source=source,
        answer=answer_label(questionnaire, questionnaire.question(stats.id), stats.workshop_value))


def show_notes(question_id: str, people) -> None:
    """The notes participants left on the question, as written, each naming its language where it is not the
    workshop's (the facilitator's eyes only: the presenter view never shows them)."""
    lines = engagement.note_lines(question_id, people, workshop.language)
    if lines:
        st.markdown("**{}**\n\n".format(_("Participants' notes")) + "\n".join(f"- {line}" for line in lines))


def save_room_register(pilots) -> None:
    """Store the room's register, while this page still has access."""
    if auth.current_workshop(engine) is None:
        raise access.AccessError(_("The access this page had has ended; the register was not saved."))
    ws_pilots.save_workshop_register(engine, workshop.id, pilots)


@state.safe
def confirm_carried_pilots() -> None:
    """Confirm the pilots a re-run carried over as they stand (a button callback)."""
    stored(ws.confirm_pilots, engine, workshop.id)


with room_col:
    st.header(_("The room"), anchor=False)  # the tabs' headings and the side column's come under it, in order
    live()
carried = ws.carried_pilots(engine, workshop.id)
if carried:
    with st.container(border=True):
        st.markdown(ngettext("**{count} pilot carried over from the first run:** {names}. Check each one's stage, "
                             "owner and blockers below; an edit confirms the register as it then stands.",
                             "**{count} pilots carried over from the first run:** {names}. Check each one's stage, "
                             "owner and blockers below; an edit confirms the register as it then stands.",
                             len(carried)).format(count=len(carried),
                                                  names=", ".join(plain(name) for name in carried)))
        st.button(_("Confirm them as they stand"), key="confirm_carried_pilots", icon=":material/task_alt:",
                  on_click=confirm_carried_pilots)
pilot_register.show_room(questionnaire, workshop.id, session.WORKSHOP_RESULT.value.result.pilots,
                         currency=(workshop.profile or {}).get("currency", ""), save=save_room_register)

moved = workshop_charts.progress_since(engine, workshop, questionnaire, current=session.WORKSHOP_RESULT.value,
                                       find=state.library().find)
if moved is not None:
    progress_view.show(moved)

@state.safe
def record_consensus(question_id: str) -> None:
    """Store the agreed answer and note the consensus form holds (its submit's callback)."""
    agreed = st.session_state.get(f"consensus_value:{question_id}")
    note = st.session_state.get(f"consensus_note:{question_id}") or ""
    if not auth.allowed(engine):
        return
    try:
        ws.save_consensus(engine, workshop.id, question_id, agreed, note)
    except PhasegateError as exc:
        say("consensus", "error", plain(" ".join(exc.lines())))
    else:
        say("consensus", "success", _("Consensus recorded."))


@state.safe
def remove_consensus(question_id: str) -> None:
    """Take a recorded agreed answer back: the workshop's answer is the room's median again (a button callback)."""
    stored(ws.save_consensus, engine, workshop.id, question_id, None, "")


@state.safe
def close_workshop() -> None:
    """Close the workshop: nobody joins or answers from now on (a button callback)."""
    stored(services.close_workshop, engine, workshop.id)


@state.safe
def rerun_for_client() -> None:
    """Make the re-run; the page opens its dashboard as it runs next (a callback cannot change pages)."""
    def make() -> None:
        session.RERUN_MADE.value = access.rerun(engine, workshop)
    stored(make)


def room_people():
    """The counted participants, as the live panel read them in this run of the page (else read now)."""
    loaded = session.DASHBOARD_ROOM_THIS_RUN.get()
    return (loaded or ws.room_participants(engine, workshop.id))[0]


st.header(_("Consensus"), anchor=False)
st.write(_("Record the answer the room agrees on; the workshop result uses it instead of the median."))
st.button(_("Refresh the room's answers"), key="refresh_consensus", icon=":material/refresh:")
# (a plain rerun: the live panel above refreshes itself; this list follows on demand so a typed note is never lost)
result = session.WORKSHOP_RESULT.value
disputed_first = [s.id for s in result.disagreements] + [s.id for s in result.questions if not s.disagreement]
question_id = st.selectbox(_("Question"), disputed_first, key="consensus_question",  # in the words for the client's size
                           format_func=lambda qid: result.question(qid).text)
if question_id:
    question = questionnaire.question(question_id)
    stats = result.question(question_id)
    labels = {c.value: c.label for c in stats.distribution}
    values = list(labels)
    with st.form("consensus_form"):
        st.caption(_("The room's answers: {answers}").format(answers=workshop_charts.distribution_text(stats)))
        show_notes(question_id, room_people())
        if question.type == "multi":
            st.multiselect(_("Agreed answer"), [v for v in values if v not in ("dont_know", "na")],
                           format_func=labels.get, key=f"consensus_value:{question_id}")
        else:
            st.radio(_("Agreed answer"), values, format_func=labels.get, index=None, key=f"consensus_value:{question_id}")
        st.text_area(_("Note (why the room agreed)"), key=f"consensus_note:{question_id}", max_chars=2000)
        st.form_submit_button(_("Record consensus"), type="primary", icon=":material/handshake:",
                              on_click=record_consensus, args=(question_id,))
    said("consensus")
for decision in result.decisions:
    with st.container(border=True):
        st.markdown(f"**{plain(decision.text)}**")
        st.write(_("Agreed: {answer} (median was {median})").format(answer=decision.label,
                                                                     median=decision.median_label))
        if decision.note:
            st.caption(plain(decision.note))
        st.button(_("Remove"), key=f"remove_consensus:{decision.question}", on_click=remove_consensus,
                  args=(decision.question,))

st.header(_("Close the workshop"), anchor=False)
if workshop.is_closed():
    st.info(_("The workshop is closed: participants can no longer join or answer."), icon=":material/lock:")
else:
    confirm = st.checkbox(_("No more answers: close the workshop now"), key="confirm_close")
    st.button(_("Close workshop"), key="close_workshop", disabled=not confirm, icon=":material/lock:",
              on_click=close_workshop)

st.header(_("Re-run for this client"), anchor=False)
st.write(_("A new workshop for {client} with the same questionnaire, roles, owner and shares, a new join code and a "
           "new secret link, linked to this one so that its dashboard, report and deck show the progress since. This "
           "workshop and its answers stay as they are.").format(client=plain(workshop.client)))
confirm_rerun = st.checkbox(_("Yes, create a new workshop for this client"), key="confirm_rerun")
st.button(_("Re-run for this client"), key="rerun_workshop", icon=":material/update:", disabled=not confirm_rerun,
          on_click=rerun_for_client)

if auth.consultant() is not None and access.role_of(engine, workshop.id, auth.consultant()) == access.OWNER:
    st.header(_("Sharing"), anchor=False)
    st.write(_("Give this workshop to another consultant by e-mail address: it appears in their My workshops once "
               "they sign in with that address, verified by the sign-in provider. Take a share back at any time; their "
               "open pages close at the next refresh. Every share and every take-back is in the audit log."))
    auth.share_panel(engine, workshop, key="dashboard")

st.header(_("Branding"), anchor=False)
try:
    brand = Branding.from_stored(workshop.branding)
except PhasegateError:  # unusable stored branding: start again from the default
    brand = Branding()


@state.safe
def save_branding(brand: Branding) -> None:
    """Keep the branding the form holds (its submit's callback); `brand`: the one stored, whose logo stays unless
    a new one is uploaded or it is removed. What is wrong with it is said under the form."""
    logo = session.WORKSHOP_LOGO.get()
    kept_logo = None if session.WORKSHOP_DROP_LOGO.get() else brand.logo
    try:
        chosen = Branding(session.WORKSHOP_PREPARED_BY.get(""), session.BRAND_COLOUR.get(brand.color),
                          logo.getvalue() if logo else kept_logo, logo.name if logo else brand.logo_name,
                          session.WORKSHOP_COMMENTARY.get(""))
    except PhasegateError as exc:
        say("branding", "error", _("The branding was not saved:") + "\n\n" +
            "\n".join(f"- {plain(line)}" for line in exc.lines()))
        return
    if stored(ws.set_branding, engine, workshop.id, chosen.to_stored()):
        session.BRANDING_SAVED.value = True


st.write(_("Set once for this workshop: the PDF report and the readout deck carry it."))
if brand.logo_problem:  # a saved logo that no longer decodes is left out; everything else here works as before
    st.warning(plain(brand.logo_problem), icon=":material/broken_image:")
with st.form("workshop_branding"):
    prepared_col, colour_col = st.columns([3, 1])
    prepared_col.text_input(_("Prepared by"), value=brand.prepared_by, key=session.WORKSHOP_PREPARED_BY.name, max_chars=120,
                            placeholder=_("Your name or firm"))
    colour_col.color_picker(_("Accent colour"), value=brand.color, key=session.BRAND_COLOUR.name)
    logo_col, preview_col = st.columns([3, 1], vertical_alignment="center")
    logo_col.file_uploader(_("Logo (PNG or JPEG, up to 2 MB)"), type=["png", "jpg", "jpeg"], key=session.WORKSHOP_LOGO.name,
                           max_upload_size=2)
    if brand.logo:
        preview_col.image(brand.logo, width=120, caption=_("Current logo"))
        preview_col.checkbox(_("Remove it"), key=session.WORKSHOP_DROP_LOGO.name)
    st.text_area(_("Your commentary for the executive summary (optional)"), value=brand.commentary,
                 key=session.WORKSHOP_COMMENTARY.name, max_chars=2000, height=120,
                 placeholder=_("What you want the client's leadership to take away, in your words."))
    st.form_submit_button(_("Save branding"), icon=":material/palette:", on_click=save_branding,
                          args=(brand,))
said("branding")
if session.BRANDING_SAVED.pop(False):
    st.success(_("Branding saved: the next PDF and deck carry it."), icon=":material/palette:")

st.subheader(_("Client profile"), anchor=False)
st.write(_("The room's result is compared with other clients of the same industry and size once at least five "
           "comparable ones are stored; only the fifth each domain stands in is shown. The size titles the owners in "
           "the room's plan, the currency labels the pilots' values, and the role under the EU AI Act decides which "
           "obligations apply."))


def client_profile_key(name: str) -> str:
    """A client-profile field's widget key, one set per workshop."""
    return f"profile_{name}:{workshop.id}"


def save_client_profile() -> None:
    """Keep the client profile the form holds (a callback, so the room's result is drawn with it at once)."""
    if not auth.allowed(engine):
        return
    wanted = profile_form.typed(client_profile_key)
    if state.stored_by_callback(set_workshop_profile, workshop.id, wanted, problem=session.CLIENT_PROFILE_PROBLEM):
        profile_form.show_as_kept(client_profile_key, wanted)
        session.CLIENT_PROFILE_SAVED.value = True


profile_problem = session.CLIENT_PROFILE_PROBLEM.pop()
with st.form("workshop_profile"):
    profile_form.fields(client_profile_key, workshop.profile or {})
    if profile_problem:
        st.error(plain(profile_problem))
    st.form_submit_button(_("Save profile"), key="save_workshop_profile", icon=":material/domain:",
                          on_click=save_client_profile)
if session.CLIENT_PROFILE_SAVED.pop(False):
    st.success(_("Client profile saved: the comparison and the room's plan use it now."), icon=":material/domain:")

SPOKEN = i18n.current()  # a download is made when clicked, outside any run of the page: in this language


def speaking(make):
    """A download's maker that speaks the page's language (the engagement language) when it runs."""
    def made() -> bytes:
        with i18n.use(SPOKEN):
            return make()
    return made


def _snapshot():
    return services.aggregate_stored(engine, ws.get_workshop(engine, workshop.id), questionnaire)


def _deck() -> bytes:
    return deck.workshop_deck(engine, ws.get_workshop(engine, workshop.id), state.library().find)


def _long() -> bytes:
    return exports.long_csv(questionnaire, _snapshot()[0])


def _wide() -> bytes:
    return exports.wide_csv(questionnaire, _snapshot()[0])


def _xlsx() -> bytes:
    return exports.workshop_xlsx(questionnaire, *_snapshot())


def _zip() -> bytes:
    participants, current = _snapshot()
    return exports.answers_zip(participants, current)


def downloads() -> None:
    """The report, the deck and the data, as of this page's run; each refused once access has ended."""
    st.subheader(_("Downloads"), anchor=False)
    def named(extension: str, kind: str = "") -> str:
        return download_name(workshop.client, questionnaire.id, dt.date.today(), extension, kind)

    report_col, deck_col = st.columns(2)
    with report_col:  # rendered in the background from now on, again only when what goes into it has changed
        session.PDF_OFFERED.value = pdf_worker.workshop_download_button(
            engine, workshop, questionnaire, session.WORKSHOP_RESULT.value, key="download_workshop_pdf",
            name=named("pdf"))
    deck_col.download_button(_("Readout deck (PowerPoint)"), auth.only_while_open(engine, speaking(_deck)),
                             file_name=named("pptx"), key="download_deck", icon=":material/slideshow:",
                             mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                             on_click="ignore", disabled=not session.WORKSHOP_RESULT.value.participants,
                             help=_("Slides to close the workshop with, in its branding; editable in PowerPoint."))
    data = ((_("Data (Excel)"), _xlsx, named("xlsx"), "download_xlsx", ":material/table:",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (_("CSV, one row per answer"), _long, named("csv", "long"), "download_long", None, "text/csv"),
            (_("CSV, one row per participant"), _wide, named("csv", "wide"), "download_wide", None, "text/csv"),
            (_("Answers files (zip)"), _zip, named("zip", "answers"), "download_zip", None, "application/zip"))
    for column, (label, make, name, key, icon, mime) in zip(st.columns(2) + st.columns(2), data):
        column.download_button(label, auth.only_while_open(engine, speaking(make)), file_name=name, key=key,
                               mime=mime, icon=icon, on_click="ignore")


with side_col:
    downloads()


@state.safe
def remove_participant() -> None:
    """Leave the participant chosen out of every figure from now on (a button callback)."""
    stray = session.REMOVE_PICK.get()
    if stray is not None and stored(ws.remove_participant, engine, workshop.id, stray, actor()):
        session.ROOM_CHANGED.value = True


@state.safe
def restore_participant(assessment_id: int) -> None:
    """Count a removed participant again (a button callback)."""
    if stored(ws.restore_participant, engine, workshop.id, assessment_id, actor()):
        session.ROOM_CHANGED.value = True


@state.safe
def erase_participant(assessment_id: int) -> None:
    """Delete a removed participant's answers and notes for good (a button callback)."""
    if stored(ws.erase_participant, engine, workshop.id, assessment_id, actor()):
        session.ROOM_CHANGED.value = True


@st.fragment
@state.database_errors_in_one_line
def participants_panel() -> None:
    """Who is counted, who was removed, and the audit log. Refreshed on demand, not on a timer: a list that
    redraws itself every few seconds closes the facilitator's choice under their cursor."""
    if session.ROOM_CHANGED.pop(False):  # a change made here: every figure of the page follows it
        st.rerun(scope="app")
    auth.refresh_or_leave(engine)
    st.button(_("Refresh the list"), key="refresh_participants", icon=":material/refresh:")
    loaded = session.DASHBOARD_ROOM_THIS_RUN.get()  # what the live panel read in this run of the whole page
    session.DASHBOARD_ROOM_THIS_RUN.value = False
    people, removed = loaded or ws.room_participants(engine, workshop.id)
    described = {p.assessment.id: p.describe() for p in people}
    if people:
        stray = st.selectbox(_("Remove a participant (a test entry, someone who joined by mistake)"),
                             list(described), index=None, key=session.REMOVE_PICK.name, format_func=described.get,
                             placeholder=_("Choose a participant"))
        st.caption(_("A removed participant is left out of every figure, chart, export and report from then on. "
                     "Their answers are kept, so you can restore them, and they can no longer answer."))
        st.button(_("Remove from the workshop"), key="remove_participant", disabled=stray is None,
                  icon=":material/person_remove:", on_click=remove_participant)
    if removed:
        st.subheader(_("Removed ({count})").format(count=len(removed)), anchor=False)
        for person in removed:
            name_col, restore_col, erase_col = st.columns([3, 1, 1], vertical_alignment="center")
            name_col.write(plain(person.describe()))
            restore_col.button(_("Restore"), key=f"restore_participant:{person.assessment.id}", icon=":material/undo:",
                               on_click=restore_participant, args=(person.assessment.id,))
            erase_col.button(_("Erase for good"), key=f"erase_participant:{person.assessment.id}",
                             icon=":material/delete_forever:", help=_("Deletes their answers and notes for good."),
                             on_click=erase_participant, args=(person.assessment.id,))
    events = ws.list_events(engine, workshop.id)
    if events:
        with st.expander(ngettext("Audit log ({count} entry)", "Audit log ({count} entries)", len(events)).format(
                count=len(events)), icon=":material/history:", expanded=True):
            for event in reversed(events):
                st.text(str(event))


@state.safe
def delete_workshop(viewer, sign_in: bool) -> None:
    """Delete the workshop and everything in it, then go to the start page, which says so (a button callback)."""
    if not stored(access.delete_workshop, engine, workshop.id, viewer, sign_in):
        return
    auth.forget(workshop)
    st.query_params.clear()
    session.FLASH_INFO.value = _("The workshop for {client} and all its data were deleted.").format(
        client=workshop.client)
    state.switch_soon(state.START)


with side_col:
    st.subheader(_("Participants"), anchor=False)
    participants_panel()

with st.expander(_("Delete this workshop"), icon=":material/delete:"):
    viewer, sign_in = auth.consultant(), auth.login_offered()
    refusal = access.delete_refusal(engine, workshop.id, viewer, sign_in)  # the rule My workshops follows too
    if refusal:
        st.info(plain(refusal), icon=":material/lock:")
    else:
        st.write(_("This removes the workshop, every participant, every answer and every consensus decision for "
                   "good. Download what you need first."))
        typed = st.text_input(_("Type the client's name to confirm"), key="confirm_delete_workshop")
        st.button(_("Delete the workshop for good"), key="delete_workshop", icon=":material/delete_forever:",
                  disabled=" ".join(typed.split()).casefold() != workshop.client.casefold(),
                  on_click=delete_workshop, args=(viewer, sign_in))

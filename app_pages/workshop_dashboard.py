"""Workshop dashboard (facilitator only): live participation and results, consensus, closing, downloads."""

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

import services
from questionnaires import PhasegateError
from reports import deck, exports, workshop_charts
from reports.branding import Branding
from reports.filenames import download_name
from scoring.answers import answer_label
from storage import get_engine
from storage import access
from storage import pilots as ws_pilots
from storage import workshops as ws
from storage.benchmark import set_workshop_profile
from ui import auth, flow, pdf_worker, pilot_register, profile_form, progress_view, session, state
from ui.flow import plain

REFRESH_SECONDS = 4
DISAGREEMENTS_SHOWN = 20


def show_chart(chart, key: str) -> None:
    """An Altair chart as the report draws it: its rows are steps of fixed height, so it is as tall as its rows
    need and the app's theme cannot squeeze them into one line."""
    st.altair_chart(chart, theme=None, key=key)


def actor() -> str:
    """Who did it, for the audit lines: the signed-in consultant, else the holder of the secret link."""
    who = auth.consultant()
    return (who.email or who.label) if who else ws.FACILITATOR


st.set_page_config(layout="wide")
engine = get_engine()
workshop = auth.facilitated_workshop(engine)  # by the secret link, or signed in as a consultant it belongs to
if workshop is None:
    auth.no_access("workshop dashboard")
pdf_worker.prepare()
session.PDF_OFFERED.value = None  # until the download row below is drawn in this run
# A run of the whole page reads everyone's answers once: the live panel loads the room and leaves it here for the
# participants panel of the same run. A panel that reruns on its own loads it afresh.
session.DASHBOARD_ROOM_THIS_RUN.value = None
questionnaire = state.library().find(workshop.questionnaire_id, workshop.questionnaire_version)
if questionnaire is None:  # a workshop stays on the version it was created with
    st.error(f"The questionnaire '{workshop.questionnaire_id}' {workshop.questionnaire_version} is no longer offered here.")
    st.stop()
state.show_flash()
flash = session.FLASH_INFO.pop()
if flash:
    st.success(plain(flash))

accent = workshop_charts.workshop_branding(workshop).color  # the charts in the workshop's colour, as in its PDF
rerun_of = workshop_charts.rerun_text(engine, workshop)  # "" for a first run
st.title(f"Workshop · {plain(workshop.client)}" + (" · re-run" if rerun_of else ""))
st.caption(f"{questionnaire.title}, version {questionnaire.version} · created {workshop.created_at:%d %b %Y %H:%M} UTC"
           + (f" · {rerun_of}" if rerun_of else ""))
base = state.base_url()


def secret_link_box() -> None:
    """The secret facilitator link: open, to be saved, right after it was made; one click away after that."""
    link = auth.secret_link(workshop)
    if not link:
        st.caption("Opened from My workshops. The secret facilitator link was shown when the workshop was created.")
    elif session.SECRET_LINK_SHOWN.pop(False):
        st.warning("**Save your secret facilitator link now.** It is the key to this dashboard" +
                   ("" if auth.consultant() else ": without signing in, it is the only way back here") +
                   ". Copy it with the button at its right and keep it somewhere safe; never show it to the room.",
                   icon=":material/key:")
        st.code(link, language=None, wrap_lines=True)
    else:
        with st.popover("Secret facilitator link", icon=":material/key:"):
            st.write("Anyone with this link sees the dashboard and can record consensus, close the workshop and "
                     "download everything. Keep it to yourself; the address bar never shows it.")
            st.code(link, language=None, wrap_lines=True)
    auth.new_secret_link(engine, workshop)


room_col, side_col = st.columns([3, 2], gap="large")
with side_col:
    with st.container(border=True):
        st.metric("Join code", workshop.display_code)
        st.write("Join link for participants")
        st.code(flow.join_link(base, workshop.display_code, workshop.language), language=None, wrap_lines=True)
        problem = auth.unreachable_link_problem()
        if problem:
            st.warning(problem, icon=":material/wifi_off:")
        st.link_button("Presenter view for the projector", f"{base}/presenter?w={workshop.id}",
                       icon=":material/co_present:",
                       help="Opens in a new tab: the join code in large type with a QR code, the room's progress, "
                            "then the disputed questions one at a time. It never shows your secret link.")
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
    status = "closed" if current.is_closed() else "open"
    joined, finished, disputed = st.columns(3)
    joined.metric("Participants joined", result.participants)
    finished.metric("Finished", result.finished)
    disputed.metric("Disputed questions", len(result.open_disagreements),
                    help="Questions the room answers furthest apart, ranked by what they weigh in the result; a "
                         "question whose answer the room agreed leaves the count.")
    removed = len(removed_ones)
    st.caption(f"The workshop is {status}. Refreshes every {REFRESH_SECONDS} seconds." +
               (f" {workshop_charts.counted(removed, 'participant')} removed, not counted." if removed else ""))
    offered = session.PDF_OFFERED.get()  # None in a run of the whole page: the PDF is prepared below
    note = st.empty()  # always drawn, so the tabs below keep their place (and the tab open) when it fills
    if offered and pdf_worker.workshop_inputs_of(engine, current, questionnaire, result).key() != offered:
        note.info("Answers came in since the workshop report below was prepared. Press **Refresh the room's "
                "answers** to prepare it with them.", icon=":material/update:")
    if not result.participants:
        st.info("Nobody has joined yet. Share the join code or link.")
        return
    overview, roles, disagreement = st.tabs(["Result", "Roles and perception gaps", "Disagreement"])
    with overview:
        st.subheader(plain(result.result.overall.summary), anchor=False)
        st.caption(f"{workshop_charts.confidence_text(result)} · {workshop_charts.sources_text(result)}",
                   help=workshop_charts.CONFIDENCE_METHOD)
        show_chart(workshop_charts.spread_chart(result, accent), "chart_spread")
        st.dataframe(workshop_charts.domain_rows(questionnaire, result.result), hide_index=True, key="table_domains")
        if any(d.assessed and d.working_phase is None for d in result.result.domains):
            st.caption(workshop_charts.COMPLETE_MEANING)
    with roles:
        st.markdown("**Who has joined, and who has finished**")
        show_chart(workshop_charts.participation_chart(result, accent), "chart_participation")
        st.caption(plain(workshop_charts.participation_text(result)))
        flagged = [workshop_charts.gap_sentence(g) for g in result.role_gaps if g.flagged]
        waiting = [workshop_charts.gap_sentence(g) for g in result.role_gaps if g.too_few]
        if flagged:
            st.warning("**Executives and practitioners see it differently**\n\n" +
                       "\n".join(f"- {plain(sentence)}" for sentence in flagged), icon=":material/compare_arrows:")
        if waiting:
            st.caption(" ".join(plain(sentence) for sentence in waiting))
        st.markdown("**How each role sees the organisation** (average maturity index, 0–4)")
        show_chart(workshop_charts.gap_heatmap(result, accent), "chart_gaps")
        st.caption(plain(workshop_charts.gap_text(result)))
    with disagreement:
        if not result.disagreements:
            st.success("No disputed question so far.")
        else:
            st.caption(f"{workshop_charts.disputes_text(result)}. Ranked by what they weigh in the result; discuss "
                       "them one at a time in the presenter view's discussion mode.")
        for stats in result.disagreements[:DISAGREEMENTS_SHOWN]:
            with st.expander(f"{plain(stats.text)} — {workshop_charts.dispute_text(stats).lower()}"):
                show_chart(workshop_charts.role_answer_chart(stats, [r.name for r in result.roles], projector=False),
                           f"chart_dist:{stats.id}")
                st.caption(f"Mean {stats.mean:.1f} / {stats.max_points:g} · median {stats.median:.1f} · std dev "
                           f"{stats.std:.2f} · don't know {stats.dont_know} · workshop answer: "
                           f"{answer_label(questionnaire, questionnaire.question(stats.id), stats.workshop_value)} ({stats.source})")


def save_room_register(pilots) -> None:
    """Store the room's register, while this page still has access."""
    if auth.current_workshop(engine) is None:
        raise access.AccessError("The access this page had has ended; the register was not saved.")
    ws_pilots.save_workshop_register(engine, workshop.id, pilots)


with room_col:
    st.header("The room", anchor=False)  # the tabs' headings and the side column's come under it, in order
    live()
carried = ws.carried_pilots(engine, workshop.id)
if carried:
    with st.container(border=True):
        st.markdown(f"**{workshop_charts.counted(len(carried), 'pilot')} carried over from the first run:** "
                    + ", ".join(plain(name) for name in carried) + ". Check each one's stage, owner and blockers "
                    "below; an edit confirms the register as it then stands.")
        if st.button("Confirm them as they stand", key="confirm_carried_pilots", icon=":material/task_alt:"):
            state.guarded(ws.confirm_pilots, engine, workshop.id)
            st.rerun()
pilot_register.show_room(questionnaire, workshop.id, session.WORKSHOP_RESULT.value.result.pilots,
                         currency=(workshop.profile or {}).get("currency", ""), save=save_room_register)

moved = workshop_charts.progress_since(engine, workshop, questionnaire, current=session.WORKSHOP_RESULT.value,
                                       find=state.library().find)
if moved is not None:
    progress_view.show(moved)

st.header("Consensus", anchor=False)
st.write("Record the answer the room agrees on; the workshop result uses it instead of the median.")
if st.button("Refresh the room's answers", key="refresh_consensus", icon=":material/refresh:"):
    st.rerun()  # the live panel above refreshes itself; this list follows on demand so a typed note is never lost
result = session.WORKSHOP_RESULT.value
disputed_first = [s.id for s in result.disagreements] + [s.id for s in result.questions if not s.disagreement]
question_id = st.selectbox("Question", disputed_first, key="consensus_question",  # in the words for the client's size
                           format_func=lambda qid: result.question(qid).text)
if question_id:
    question = questionnaire.question(question_id)
    stats = result.question(question_id)
    labels = {c.value: c.label for c in stats.distribution}
    values = list(labels)
    with st.form("consensus_form"):
        st.caption("The room's answers: " + workshop_charts.distribution_text(stats))
        if question.type == "multi":
            agreed = st.multiselect("Agreed answer", [v for v in values if v not in ("dont_know", "na")],
                                    format_func=labels.get, key=f"consensus_value:{question_id}")
        else:
            agreed = st.radio("Agreed answer", values, format_func=labels.get, index=None, key=f"consensus_value:{question_id}")
        note = st.text_area("Note (why the room agreed)", key=f"consensus_note:{question_id}", max_chars=2000)
        if st.form_submit_button("Record consensus", type="primary", icon=":material/handshake:"):
            try:
                ws.save_consensus(engine, workshop.id, question_id, agreed, note or "")
            except PhasegateError as exc:
                st.error(plain(" ".join(exc.lines())))
            else:
                st.success("Consensus recorded.")
                st.rerun()
for decision in result.decisions:
    with st.container(border=True):
        st.markdown(f"**{plain(decision.text)}**")
        st.write(f"Agreed: {decision.label} (median was {decision.median_label})")
        if decision.note:
            st.caption(plain(decision.note))
        if st.button("Remove", key=f"remove_consensus:{decision.question}"):
            ws.save_consensus(engine, workshop.id, decision.question, None, "")
            st.rerun()

st.header("Close the workshop", anchor=False)
if workshop.is_closed():
    st.info("The workshop is closed: participants can no longer join or answer.", icon=":material/lock:")
else:
    confirm = st.checkbox("No more answers: close the workshop now", key="confirm_close")
    if st.button("Close workshop", key="close_workshop", disabled=not confirm, icon=":material/lock:"):
        services.close_workshop(engine, workshop.id)
        st.rerun()

st.header("Re-run for this client", anchor=False)
st.write(f"A new workshop for {plain(workshop.client)} with the same questionnaire, roles, owner and shares, a new "
         "join code and a new secret link, linked to this one so that its dashboard, report and deck show the "
         "progress since. This workshop and its answers stay as they are.")
confirm_rerun = st.checkbox("Yes, create a new workshop for this client", key="confirm_rerun")
if st.button("Re-run for this client", key="rerun_workshop", icon=":material/update:", disabled=not confirm_rerun):
    auth.open_new(state.guarded(access.rerun, engine, workshop))

if auth.consultant() is not None and access.role_of(engine, workshop.id, auth.consultant()) == access.OWNER:
    st.header("Sharing", anchor=False)
    st.write("Give this workshop to another consultant by e-mail address: it appears in their My workshops once they "
             "sign in with that address, verified by the sign-in provider. Take a share back at any time; their open "
             "pages close at the next refresh. Every share and every take-back is in the audit log.")
    auth.share_panel(engine, workshop, key="dashboard")

st.header("Branding", anchor=False)
try:
    brand = Branding.from_stored(workshop.branding)
except PhasegateError:  # unusable stored branding: start again from the default
    brand = Branding()
st.write("Set once for this workshop: the PDF report and the readout deck carry it.")
if brand.logo_problem:  # a saved logo that no longer decodes is left out; everything else here works as before
    st.warning(plain(brand.logo_problem), icon=":material/broken_image:")
with st.form("workshop_branding"):
    prepared_col, colour_col = st.columns([3, 1])
    prepared = prepared_col.text_input("Prepared by", value=brand.prepared_by, key="brand_prepared_by", max_chars=120,
                                       placeholder="Your name or firm")
    colour = colour_col.color_picker("Accent colour", value=brand.color, key=session.BRAND_COLOUR.name)
    logo_col, preview_col = st.columns([3, 1], vertical_alignment="center")
    logo = logo_col.file_uploader("Logo (PNG or JPEG, up to 2 MB)", type=["png", "jpg", "jpeg"], key="brand_logo",
                                  max_upload_size=2)
    drop_logo = False
    if brand.logo:
        preview_col.image(brand.logo, width=120, caption="Current logo")
        drop_logo = preview_col.checkbox("Remove it", key="brand_drop_logo")
    commentary = st.text_area("Your commentary for the executive summary (optional)", value=brand.commentary,
                              key="brand_commentary", max_chars=2000, height=120,
                              placeholder="What you want the client's leadership to take away, in your words.")
    if st.form_submit_button("Save branding", icon=":material/palette:"):
        kept_logo = None if drop_logo else brand.logo
        try:
            chosen = Branding(prepared, colour, logo.getvalue() if logo else kept_logo,
                              logo.name if logo else brand.logo_name, commentary)
        except PhasegateError as exc:
            st.error("The branding was not saved:\n\n" + "\n".join(f"- {plain(line)}" for line in exc.lines()))
        else:
            state.guarded(ws.set_branding, engine, workshop.id, chosen.to_stored())
            session.BRANDING_SAVED.value = True
            st.rerun()
if session.BRANDING_SAVED.pop(False):
    st.success("Branding saved: the next PDF and deck carry it.", icon=":material/palette:")

st.subheader("Client profile", anchor=False)
st.write("The room's result is compared with other clients of the same industry and size once at least five "
         "comparable ones are stored; only the fifth each domain stands in is shown. The size titles the owners in "
         "the room's plan, the currency labels the pilots' values, and the role under the EU AI Act decides which "
         "obligations apply.")


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
    st.form_submit_button("Save profile", key="save_workshop_profile", icon=":material/domain:",
                          on_click=save_client_profile)
if session.CLIENT_PROFILE_SAVED.pop(False):
    st.success("Client profile saved: the comparison and the room's plan use it now.", icon=":material/domain:")

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
    st.subheader("Downloads", anchor=False)
    def named(extension: str, kind: str = "") -> str:
        return download_name(workshop.client, questionnaire.id, dt.date.today(), extension, kind)

    report_col, deck_col = st.columns(2)
    with report_col:  # rendered in the background from now on, again only when what goes into it has changed
        session.PDF_OFFERED.value = pdf_worker.workshop_download_button(
            engine, workshop, questionnaire, session.WORKSHOP_RESULT.value, key="download_workshop_pdf",
            name=named("pdf"))
    deck_col.download_button("Readout deck (PowerPoint)", auth.only_while_open(engine, _deck),
                             file_name=named("pptx"), key="download_deck", icon=":material/slideshow:",
                             mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                             on_click="ignore", disabled=not session.WORKSHOP_RESULT.value.participants,
                             help="Slides to close the workshop with, in its branding; editable in PowerPoint.")
    data = (("Data (Excel)", _xlsx, named("xlsx"), "download_xlsx", ":material/table:",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("CSV, one row per answer", _long, named("csv", "long"), "download_long", None, "text/csv"),
            ("CSV, one row per participant", _wide, named("csv", "wide"), "download_wide", None, "text/csv"),
            ("Answers files (zip)", _zip, named("zip", "answers"), "download_zip", None, "application/zip"))
    for column, (label, make, name, key, icon, mime) in zip(st.columns(2) + st.columns(2), data):
        column.download_button(label, auth.only_while_open(engine, make), file_name=name, key=key, mime=mime,
                               icon=icon, on_click="ignore")


with side_col:
    downloads()




@st.fragment
@state.database_errors_in_one_line
def participants_panel() -> None:
    """Who is counted, who was removed, and the audit log. Refreshed on demand, not on a timer: a list that
    redraws itself every few seconds closes the facilitator's choice under their cursor."""
    auth.refresh_or_leave(engine)
    st.button("Refresh the list", key="refresh_participants", icon=":material/refresh:")
    loaded = session.DASHBOARD_ROOM_THIS_RUN.get()  # what the live panel read in this run of the whole page
    session.DASHBOARD_ROOM_THIS_RUN.value = False
    people, removed = loaded or ws.room_participants(engine, workshop.id)
    described = {p.assessment.id: p.describe() for p in people}
    if people:
        stray = st.selectbox("Remove a participant (a test entry, someone who joined by mistake)", list(described),
                             index=None, key="remove_participant_pick", format_func=described.get,
                             placeholder="Choose a participant")
        st.caption("A removed participant is left out of every figure, chart, export and report from then on. Their "
                   "answers are kept, so you can restore them, and they can no longer answer.")
        if st.button("Remove from the workshop", key="remove_participant", disabled=stray is None,
                     icon=":material/person_remove:"):
            state.guarded(ws.remove_participant, engine, workshop.id, stray, actor())
            st.rerun()
    if removed:
        st.subheader(f"Removed ({len(removed)})", anchor=False)
        for person in removed:
            name_col, restore_col, erase_col = st.columns([3, 1, 1], vertical_alignment="center")
            name_col.write(plain(person.describe()))
            if restore_col.button("Restore", key=f"restore_participant:{person.assessment.id}", icon=":material/undo:"):
                state.guarded(ws.restore_participant, engine, workshop.id, person.assessment.id, actor())
                st.rerun()
            if erase_col.button("Erase for good", key=f"erase_participant:{person.assessment.id}",
                                icon=":material/delete_forever:", help="Deletes their answers and notes for good."):
                state.guarded(ws.erase_participant, engine, workshop.id, person.assessment.id, actor())
                st.rerun()
    events = ws.list_events(engine, workshop.id)
    if events:
        with st.expander(f"Audit log ({workshop_charts.counted(len(events), 'entry', 'entries')})",
                         icon=":material/history:", expanded=True):
            for event in reversed(events):
                st.text(str(event))


with side_col:
    st.subheader("Participants", anchor=False)
    participants_panel()

with st.expander("Delete this workshop", icon=":material/delete:"):
    viewer, sign_in = auth.consultant(), auth.login_offered()
    refusal = access.delete_refusal(engine, workshop.id, viewer, sign_in)  # the rule My workshops follows too
    if refusal:
        st.info(plain(refusal), icon=":material/lock:")
    else:
        st.write("This removes the workshop, every participant, every answer and every consensus decision for good. "
                 "Download what you need first.")
        typed = st.text_input("Type the client's name to confirm", key="confirm_delete_workshop")
        if st.button("Delete the workshop for good", key="delete_workshop", icon=":material/delete_forever:",
                     disabled=" ".join(typed.split()).casefold() != workshop.client.casefold()):
            state.guarded(access.delete_workshop, engine, workshop.id, viewer, sign_in)
            auth.forget(workshop)
            st.query_params.clear()
            session.FLASH_INFO.value = f"The workshop for {workshop.client} and all its data were deleted."
            st.switch_page(state.START)

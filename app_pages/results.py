"""Results: overall phase and index, limiting domains, charts, warnings, next steps, unknowns; targets editable."""

import streamlit as st

import i18n
from i18n import _, ngettext

from reports.benchmark import benchmark_chart
from scoring import progress
from scoring.benchmark import summary_text
from scoring.engine import join_names
from scoring.narrative import FIRST_STEPS, WEAKEST_LINK, narrate, step_facts
from scoring.steps import HORIZONS
from storage import get_engine
from storage import repository as repo
from storage.benchmark import assessment_benchmark
from storage.errors import StorageError
from ui import charts, flow, pdf_worker, pilot_register, profile_form, progress_view, session, state

now = state.current()
pdf_worker.prepare()  # the report is usually next: have its workers ready
questionnaire = now.questionnaire


def save_targets() -> None:
    targets = {d.id: st.session_state[f"target:{d.id}"] for d in questionnaire.domains}
    try:
        repo.set_targets(get_engine(), now.assessment.id, {k: v for k, v in targets.items() if v != 4})
    except StorageError as exc:
        session.FLASH.value = _(state.SAVE_FAILED).format(reason=exc.reason)
        return
    state.refresh_assessment()


for domain in questionnaire.domains:
    st.session_state.setdefault(f"target:{domain.id}", now.assessment.targets.get(domain.id, 4))

result = state.result(state.current())
questionnaire = questionnaire.for_size(result.size)  # each question as the organisation was asked it
overall = result.overall
done = progress.progress(questionnaire, result)

if now.assessment.workshop_id is None:
    st.title(_("Where the organisation stands"))
else:
    st.title(_("Your view of where the organisation stands"))
    st.caption(_("These results come from your answers alone; the facilitator combines everyone's answers for the "
                 "workshop."))
state.show_flash()
st.caption(" · ".join(part for part in (flow.plain(now.assessment.organisation), questionnaire.title) if part))
if done.open_required:
    st.info(ngettext("{count} required question is still open, so this is a preliminary result.",
                     "{count} required questions are still open, so this is a preliminary result.",
                     len(done.open_required)).format(count=len(done.open_required)))
    st.page_link(state.ASSESSMENT, label=_("Back to the assessment"), icon=":material/arrow_back:",
                 query_params={"a": now.assessment.token})

names = {d.id: d.name for d in result.domains}
story = narrate(questionnaire, result)
# The story in three lines: where the organisation stands, what holds it back, and the rule that makes it so.
with st.container(key="headline"):
    st.header(f"{flow.plain(overall.profile)}.", anchor=False)  # h2: the headings run in order
    st.markdown(_("**All four phases achieved**") if overall.complete else
                _("**Phase {phase} of 4: {name}**").format(phase=overall.phase, name=overall.phase_name))
    st.caption(_(WEAKEST_LINK))
    st.caption(_("Maturity index {index} / 4 (the weighted mean of the domain bars below) · {achieved} of 4 phases "
                 "achieved · confidence {confidence}").format(index=i18n.number(overall.index, 1),
                                                             achieved=overall.achieved,
                                                             confidence=i18n.percent(overall.confidence)),
               help=_("The index counts the phases a domain has completed plus its progress on the next. Confidence "
                      "is the share of shown questions with a real answer rather than “don't know”."))

with st.container(border=True, key="pdf_box"):
    words, button = st.columns([3, 2], vertical_alignment="center")
    words.markdown(_("**The executive report**: this story, the domains, the 90-day plan and the roadmap, as a PDF "
                     "to share."))
    with button:
        download = getattr(pdf_worker, "download_button", None)
        if download is not None:
            download(now, key="results_pdf")
        else:
            st.page_link(state.REPORT, label=_("Get the PDF report"), icon=":material/picture_as_pdf:",
                         query_params={"a": now.assessment.token})
    if now.assessment.workshop_id is None:  # a workshop participant's report page is the facilitator's
        st.page_link(state.REPORT, label=_("Branding, the full report and the answers file"), icon=":material/tune:",
                     query_params={"a": now.assessment.token})

def shown_above(ranks: list[int]) -> str:
    """'Steps 1 to 3 are under Start here, above; the plan goes on from step 4.'"""
    following = len(first_steps) + 1
    goes_on = following <= len(result.actions)
    if len(ranks) == 1:
        text = (_("Step {first} is under Start here, above; the plan goes on from step {following}.") if goes_on
                else _("Step {first} is under Start here, above."))
    elif len(ranks) == 2:
        text = (_("Steps {first} and {last} are under Start here, above; the plan goes on from step {following}.")
                if goes_on else _("Steps {first} and {last} are under Start here, above."))
    else:
        text = (_("Steps {first} to {last} are under Start here, above; the plan goes on from step {following}.")
                if goes_on else _("Steps {first} to {last} are under Start here, above."))
    return text.format(first=ranks[0], last=ranks[-1], following=following)


first_steps, plan_steps = result.actions[:FIRST_STEPS], result.actions[FIRST_STEPS:]  # each step shown once
if first_steps:
    st.header(_("Start here"), anchor=False)
    for action in first_steps:
        with st.container(border=True, key=f"first_step_{action.rank}"):
            st.markdown(f"**{action.rank}. {flow.plain(action.title)}**", help=action.reason)
            st.write(action.why)
            st.caption(_("{facts}  \nMeasure: {kpi}").format(facts=step_facts(action, names[action.domain], result.actions),
                                                             kpi=flow.plain(action.kpi)))

findings_col, risks_col = st.columns(2)
with findings_col:
    st.subheader(_("Findings"), anchor=False)
    st.markdown("\n".join(f"- {flow.plain(text)}" for text in story.findings) or _("Nothing to report yet."))
with risks_col:
    st.subheader(_("Risks"), anchor=False)
    st.markdown("\n".join(f"- {flow.plain(text)}" for text in story.risks) or
                _("No practice falls below its phase's bar."))
if story.quotes:
    with st.expander(_("In the respondents' words"), icon=":material/format_quote:"):
        for quote in story.quotes:
            st.markdown(f"> {flow.plain(quote.text)}")
            st.caption(_("On {domain}: {question}").format(domain=quote.domain, question=flow.plain(quote.question)))

gaps = [w for w in result.warnings if w.startswith("Foundation gap")]
if gaps:
    st.warning(_("Foundation gap in {domains}: practices of a later phase are in place while the earlier ones under "
                 "them are not. Work built that way tends to stall; the plan closes the earlier phases first.").format(
                     domains=join_names([d.name for d in result.domains if d.foundation_gap])),
               icon=":material/foundation:")
    with st.expander(_("Which practices are missing underneath"), icon=":material/foundation:"):
        st.markdown("\n".join(f"- {flow.plain(gap)}" for gap in gaps))
other = [w for w in result.warnings if not w.startswith("Foundation gap")]
if other:
    with st.expander(_("Notes on this result ({count})").format(count=len(other)), icon=":material/info:"):
        for warning in other:
            st.text(warning)

pilot_register.show_portfolio(result.pilots, key="results_pilots")

moved = state.baseline_progress(now)
if moved is not None:
    progress_view.show(moved.comparison, moved.series)

st.header(_("Domains"), anchor=False)
charts.show(result)
try:  # against the practice's past clients; shown only over at least five comparable organisations
    bench = assessment_benchmark(get_engine(), now.assessment, result, state.library().find)
except StorageError:
    bench = None
if bench is not None:  # a self-assessment: the comparison (or why there is none yet) and the profile it uses
    if bench.available:
        st.subheader(_("Compared with similar organisations"), anchor=False)
        st.altair_chart(benchmark_chart(bench), theme=None, height=30 * len(bench.domains) + 100,
                        key="chart_benchmark")
        st.caption(_("{summary} Each domain shows the fifth it stands in, never an exact rank, another "
                     "organisation's name or its result.").format(summary=summary_text(bench)))
    else:
        st.caption(summary_text(bench))
    profile_form.show(now)
charts.show_plan(result, story.timeline)

with st.expander(_("Target phase per domain"), icon=":material/flag:", expanded=False):
    st.write(_("Steps beyond a domain's target are left out of the plan. Change a target and everything updates."))
    options = [1, 2, 3, 4]
    phases = {n: _("Phase {number} — {name}").format(number=n, name=questionnaire.phase(n).name) for n in options}
    for domain in questionnaire.domains:
        st.selectbox(domain.name, options, key=f"target:{domain.id}", on_change=save_targets, format_func=phases.get)

st.header(_("Next steps"), anchor=False)
if not result.actions:
    st.write(_("No steps: every answered question within the targets is at the top level."))
else:
    st.caption(_("Ranks give the order to act, top to bottom: a step never comes before a step it builds on. "
                 "Tap or hover over the question mark for how a rank was computed."))
tabs = st.tabs([f"{_(label)} · {sum(a.horizon == key for a in result.actions)}" for key, label in HORIZONS.items()])
for tab, key in zip(tabs, HORIZONS):
    with tab:
        above = [a.rank for a in first_steps if a.horizon == key]
        steps = [a for a in plan_steps if a.horizon == key]
        if above:
            st.caption(shown_above(above))
        elif not steps:
            st.caption(_("Nothing in this horizon."))
        for action in steps[:15]:
            with st.container(border=True):
                st.markdown(f"**{action.rank}. {flow.plain(action.title)}**", help=action.reason)
                st.caption(step_facts(action, names[action.domain], result.actions))
                st.write(action.why)
                st.write(action.detail)
                st.caption(_("Measure: {kpi}").format(kpi=flow.plain(action.kpi)))
        if len(steps) > 15:
            st.caption(_("… and {count} more in the PDF report.").format(count=len(steps) - 15))

st.header(_("Unknowns to resolve"), anchor=False)
if result.unknowns:
    st.markdown("\n".join(f"- {questionnaire.question(question_id).text}" for question_id in result.unknowns))
else:
    st.caption(_("None: every visible question has a real answer or is not applicable."))

if now.assessment.finished and now.assessment.workshop_id is None:
    with st.container(border=True):
        st.subheader(_("Re-assess later"), anchor=False)
        st.write(_("Start a new assessment from this one: its answers come pre-filled, each marked until you confirm "
                   "or change it, and the results then show what moved since this one."))
        st.button(_("Start a re-assessment"), key="start_reassessment", icon=":material/update:",
                  on_click=state.start_reassessment, args=(now,))

if now.assessment.workshop_id is None:
    st.page_link(state.REPORT, label=_("Branding, the full report and the answers file"),
                 icon=":material/picture_as_pdf:", query_params={"a": now.assessment.token})

state.offer_deletion(now)

"""One question on screen: the answer widget for its type, a note, and saving on every change."""

from __future__ import annotations

import re

import streamlit as st

import i18n
from i18n import _
from questionnaires.models import Question, Questionnaire
from scoring.answers import DONT_KNOW, NA, MAX_NOTE, Answer
from ui import flow, session, state


def value_key(question: Question) -> str:
    return session.VALUE_WIDGET + question.id


def special_key(question: Question) -> str:
    return session.SPECIAL_WIDGET + question.id


def note_key(question: Question) -> str:
    return session.NOTE_WIDGET + question.id


def question_key(question: Question) -> str:
    return f"ask:{question.id}"


def confirm_key(question: Question) -> str:
    return f"confirm:{question.id}"




def show_question(questionnaire: Questionnaire, question: Question, saved: Answer | None, number: int,
                  carried: bool = False) -> None:
    """Render one question with its widgets, prefilled from what is saved; `carried`: an answer carried over
    from the baseline, marked until it is confirmed or changed."""
    _prefill(question, saved)
    with st.container(border=True, key=question_key(question)):
        _ask(question, number)
        if carried:
            _carried_mark(question)
        _answer_widget(questionnaire, question)
        if question.evidence:
            st.caption(_("Evidence: {evidence}").format(evidence=question.evidence))
        _note_widget(question, saved)


def show_one_question(questionnaire: Questionnaire, question: Question, saved: Answer | None, number: int,
                      heading: str, carried: bool = False, fresh: bool = False) -> None:
    """Render the only question on screen as one piece: its heading, text and help are the label of its answer
    widget, so they and its options always change together. `fresh`: another question was on screen before."""
    _prefill(question, saved)
    # A container that takes the place of another one keeps that one's elements on screen until each is drawn
    # anew; an empty placeholder first clears the place, so nothing of the question before stays in this one.
    place = st.empty() if fresh else st
    with place.container(border=True, key=question_key(question)):
        _answer_widget(questionnaire, question, one_question_label(question, number, heading))
        if carried:
            _carried_mark(question)
        if question.evidence:
            st.caption(_("Evidence: {evidence}").format(evidence=question.evidence))
        _note_widget(question, saved)
    st.html(ONE_QUESTION_STYLE, width="content")


# The label is also the name a screen reader gives the group of answers, so it is plain text, one paragraph per
# part, styled here rather than by markup: the heading and help grey, the question bold.
ONE_QUESTION_STYLE = """<style>
.st-key-step_head [data-testid="stWidgetLabel"] p { margin-bottom: 0.5rem; color: #686255; font-size: 0.875rem; }
.st-key-step_head [data-testid="stWidgetLabel"] p:nth-child(2) { color: inherit; font-size: 1rem; font-weight: 600; }
</style>"""


def one_question_label(question: Question, number: int, heading: str) -> str:
    """The label of the only question on screen: its heading, its text, whether it is optional, and its help."""
    parts = [heading, f"{number}. {question.text}", *([_("optional")] if not question.required else []),
             *([question.help] if question.help else [])]
    return "\n\n".join(parts)


def _ask(question: Question, number: int) -> None:
    """The question as a reader sees it: its number, text, whether it is optional, and its help."""
    st.markdown(_title(question, number))
    if question.help:
        st.caption(question.help)


def _title(question: Question, number: int) -> str:
    required = "" if question.required else "  \n:gray[{optional}]".format(optional=_("optional"))
    return f"**{number}. {question.text}**{required}"


def _carried_mark(question: Question) -> None:
    mark, button = st.columns([3, 1], vertical_alignment="center")
    mark.markdown(":orange-badge[:material/history: {carried}]".format(carried=_("Carried over — confirm or change")))
    button.button(_("Confirm"), key=confirm_key(question), on_click=_on_confirm, args=(question,),
                  icon=":material/check:")


def _prefill(question: Question, saved: Answer | None) -> None:
    """Put the saved answer into widgets that are not on screen yet (after a reload or a step change), and save a
    choice the browser made that reached the app without its callback (see `_catch_up`)."""
    _catch_up(question, saved)
    value = saved.value if saved else None
    if value_key(question) not in st.session_state:
        if question.type == "multi":
            st.session_state[value_key(question)] = [value] if value in (DONT_KNOW, NA) else list(value or [])
        elif question.type in ("number", "text"):
            st.session_state[value_key(question)] = None if value in (DONT_KNOW, NA) else value
        else:
            st.session_state[value_key(question)] = value
    if question.type in ("number", "text") and special_key(question) not in st.session_state:
        st.session_state[special_key(question)] = value if value in (DONT_KNOW, NA) else None
    if note_key(question) not in st.session_state:
        st.session_state[note_key(question)] = saved.note if saved else ""


def _catch_up(question: Question, saved: Answer | None) -> None:
    """Save a single choice the browser holds but the app has not saved. Streamlit calls a widget's callback only
    when the run before drew the widget: a second choice made while a run stopped short of the question (two
    arrow-key presses in quick succession, say) reaches the session with no callback. The screen shows it, so it
    is saved here, before the widget is drawn; a save that fails puts the saved answer back, as the callback does."""
    if not flow.single_choice(question):
        return
    value = st.session_state.get(value_key(question))
    if value is not None and (saved is None or saved.value != value):
        _on_choice(question)


def _answer_widget(questionnaire: Questionnaire, question: Question, label: str | None = None) -> None:
    """The answer widget, keyed by the question and saving for it. Its label names the group of answers for a
    screen reader: the question, hidden when drawn above it (no `label`), or `label` shown."""
    labels = flow.option_labels(questionnaire, question)
    shown = "visible" if label else "collapsed"
    label = label or question.text
    if flow.single_choice(question):
        st.radio(label, flow.choices(questionnaire, question), index=None, key=value_key(question),
                 format_func=labels.get, captions=flow.option_captions(questionnaire, question),
                 label_visibility=shown, on_change=_on_choice, args=(question,))
    elif question.type == "multi":
        before = tuple(st.session_state.get(value_key(question)) or ())  # the selection this run draws
        st.pills(label, flow.choices(questionnaire, question), selection_mode="multi", key=value_key(question),
                 format_func=labels.get, label_visibility=shown, on_change=_on_multi, args=(question, before))
        st.caption(_("Choose all that apply"))
        described = [o for o in questionnaire.options_for(question) if o.description]
        if described:
            st.caption("  \n".join(f"**{o.label}**: {o.description}" for o in described))
    else:
        _free_widget(question, labels, label, shown)


def _free_widget(question: Question, labels: dict, label: str, shown: str) -> None:
    if question.type == "number":
        st.number_input(label, value=None, min_value=question.min, max_value=question.max,
                        key=value_key(question), label_visibility=shown, placeholder=_("Type a number"),
                        on_change=_on_free, args=(question,))
    else:
        st.text_area(label, key=value_key(question), label_visibility=shown,
                     placeholder=_("Type your answer"), height=90, on_change=_on_free, args=(question,))
    if flow.specials(question):
        st.pills(_("{question} (or)").format(question=question.text), flow.specials(question), key=special_key(question),
                 format_func=labels.get, label_visibility="collapsed", on_change=_on_special, args=(question,))


def _note_widget(question: Question, saved: Answer | None) -> None:
    problem = session.NOTE_PROBLEMS.get({}).get(question.id)
    with st.expander(_("Note (optional)"), expanded=bool((saved and saved.note) or problem), icon=":material/edit_note:"):
        st.text_area(_("Note"), key=note_key(question), label_visibility="collapsed", height=80,
                     placeholder=_("Context, evidence or doubts (up to {limit} characters)").format(
                         limit=i18n.number(MAX_NOTE)),
                     on_change=_on_note, args=(question,))
        if problem:
            st.error(flow.plain(problem))


# --- callbacks: every change is saved at once -----------------------------------------


def pending_saved(questionnaire: Questionnaire, saved: dict[str, Answer]) -> bool:
    """Save every answer a widget holds that is not saved yet; True when one was saved.

    Callbacks save answers as they are given; this is the second path, for a change whose
    callback never ran, so that no answer depends on another widget's callback succeeding.
    """
    changed = False
    for question in questionnaire.questions:
        if value_key(question) not in st.session_state:
            continue
        shown = _widget_answer(question)
        if shown is _UNSETTLED or shown == (saved[question.id].value if question.id in saved else None):
            continue
        _saver(question)(question)
        changed = True
    return changed


_UNSETTLED = object()


def _widget_answer(question: Question):
    """The answer the widgets of a question show now, as it would be saved; _UNSETTLED when it cannot be saved."""
    value = st.session_state.get(value_key(question))
    if question.type == "multi":
        return flow.multi_value(value)
    if question.type == "text":
        value = flow.text_value(value)
        if value is not None and len(value) > MAX_NOTE:
            return _UNSETTLED  # refused with a message when it was typed
    if question.type in ("number", "text") and value is None:
        return st.session_state.get(special_key(question))
    return value


def _show_saved(question: Question) -> None:
    """After a refused save, put the widgets back to the saved answer, so the screen never shows an unsaved one."""
    st.session_state.pop(value_key(question), None)
    st.session_state.pop(special_key(question), None)


@state.safe
def _on_choice(question: Question) -> None:
    value = st.session_state[value_key(question)]
    if value is None:  # a tap cannot clear a choice: this is the widget drawn afresh, not an answer
        return
    if not state.save_value(question.id, value):
        _show_saved(question)


@state.safe
def _on_multi(question: Question, before: tuple = ()) -> None:
    alone = [option.value for option in question.options or () if option.exclusive]
    value = flow.multi_value(st.session_state[value_key(question)], alone, before)
    if value in (DONT_KNOW, NA):
        st.session_state[value_key(question)] = [value]
    elif value is not None and value != st.session_state[value_key(question)]:
        st.session_state[value_key(question)] = value  # an option chosen alone replaced the others, or gave way
    if not state.save_value(question.id, value):
        _show_saved(question)


@state.safe
def _on_free(question: Question) -> None:
    raw = st.session_state[value_key(question)]
    value = flow.text_value(raw) if question.type == "text" else raw
    if question.type == "text" and value is not None and len(value) > MAX_NOTE:
        session.FLASH.value = _("That answer is {length} characters long; at most {limit} are allowed. It was not "
                                "saved.").format(length=i18n.number(len(value)), limit=i18n.number(MAX_NOTE))
        return
    if value is not None:
        st.session_state[special_key(question)] = None
    if not state.save_value(question.id, value):
        _show_saved(question)


@state.safe
def _on_special(question: Question) -> None:
    special = st.session_state[special_key(question)]
    if special is not None:
        st.session_state[value_key(question)] = None
    if not state.save_value(question.id, special):
        _show_saved(question)


@state.safe
def _on_confirm(question: Question) -> None:
    state.confirm([question.id])


@state.safe
def _on_note(question: Question) -> None:
    state.save_note(question.id, st.session_state[note_key(question)] or "")


def _saver(question: Question):
    """The callback that saves what a question's widgets show."""
    if question.type == "multi":
        return _on_multi
    if question.type in ("number", "text"):
        return _on_free if st.session_state.get(value_key(question)) is not None else _on_special
    return _on_choice


# --- one question per screen: the bar at the bottom, advancing by itself, following the width ---------------

PAUSE_MS = 500  # how long a choice stays on screen before the next question comes
SETTLE_MS = 700  # after advancing, a Next tapped sooner than this on the new question was meant for the one before
NARROW_PX = 640  # a window at most this wide gets one question per screen, as a phone does

BAR_STYLE = """<style>
/* The bar's own block sits in a wrapper of its height: that wrapper is what sticks. */
[data-testid="stLayoutWrapper"]:has(> .st-key-focus_buttons) {{
  position: sticky; bottom: 0; z-index: 90; background: {background};
  border-top: 1px solid rgba(29, 39, 51, 0.15); padding: 0.5rem 0 calc(0.5rem + env(safe-area-inset-bottom)); }}
/* Whatever is brought into view (a focused option, a tapped one) comes to rest between the app's top bar and this
   bar, never under either. */
[data-testid="stMain"] {{ scroll-padding: 4.5rem 0 6rem; }}
</style>"""

# Installed once per page load. Advancing: a choice tapped or clicked in the question on screen is shown for a
# moment, then, once the app has saved it, Next is pressed for the reader, unless they have pressed or typed
# anything since. A keyboard never advances (arrow keys move through the options). Next pressed right after
# the app advanced, before the reader could see the new question, is dropped: it was meant for the question
# before, and the app has already taken them where that Next led. Width: a window as narrow as a phone turns
# one question per screen on, unless the reader has set it themselves in this tab; widened again, it goes back.
PHONE_SCRIPT = """<script>
(() => {{
  const PAUSE = {pause}, SETTLE = {settle}, NARROW = "(max-width: {narrow}px)";
  const live = (selector) => [...document.querySelectorAll(selector)].find((e) => !e.closest("[data-stale='true']"));
  const idle = () => {{
    const app = document.querySelector("[data-testid='stApp']");
    return !app || app.dataset.testScriptState === "notRunning";
  }};
  const keyOf = (element, prefix) => element && ([...element.classList].find((c) => c.startsWith(prefix)) || "")
    .slice(prefix.length);
  const drawn = () => keyOf(live("[class*='st-key-ask-']"), "st-key-ask-");
  const modeToggle = () => document.querySelector(".st-key-one_at_a_time input[type='checkbox']");
  const follow = () => {{
    if (sessionStorage.getItem("phasegate-mode-chosen")) return;
    let tries = 0;
    const look = setInterval(() => {{
      const toggle = modeToggle();
      tries += 1;
      if (!toggle || !idle()) {{ if (tries > 200) clearInterval(look); return; }}
      clearInterval(look);
      const narrow = window.matchMedia(NARROW).matches;
      if (narrow && !toggle.checked) {{
        sessionStorage.setItem("phasegate-mode-auto", "1");
        toggle.click();
      }} else if (!narrow && toggle.checked && sessionStorage.getItem("phasegate-mode-auto")) {{
        sessionStorage.removeItem("phasegate-mode-auto");
        toggle.click();
      }}
    }}, 50);
  }};
  if (!window.phasegatePhone) {{
    const s = window.phasegatePhone = {{pending: null, guard: null, pointer: -1, ticking: null, idleSince: null}};
    const tick = () => {{
      const now = performance.now();
      // The app counts as settled once it has been idle for a moment: between two runs it is idle for an instant.
      s.idleSince = idle() ? (s.idleSince === null ? now : s.idleSince) : null;
      const settled = s.idleSince !== null && now - s.idleSince >= 150;
      const g = s.guard;
      if (g) {{
        const shown = drawn();
        if (shown && shown !== g.from && g.seen === null) g.seen = now;
        // Over once the new question has been on screen a moment, or when the app settled without moving on.
        if ((g.seen !== null && now - g.seen > SETTLE) || (g.seen === null && settled && now - g.at > 1500)
            || now - g.at > 10000) s.guard = null;
      }}
      const p = s.pending;
      if (p && now - p.at >= PAUSE && (settled || now - p.at > 15000)) {{
        s.pending = null;
        const marker = live("[data-advance-from]");
        const chosen = live(".st-key-q-" + p.key + " input[type='radio']:checked");
        const next = live(".st-key-focus_buttons .st-key-next button");
        if (marker && marker.dataset.advanceFrom === p.key && drawn() === p.key && chosen && next && !next.disabled) {{
          s.guard = {{from: p.key, at: now, seen: null}};
          window.phasegateInput = {{at: now, answering: false}};  // as a Next pressed: bring the new question into view
          next.click();
        }}
      }}
      if (!s.pending && !s.guard) {{ clearInterval(s.ticking); s.ticking = null; }}
    }};
    const run = () => {{ if (!s.ticking) {{ s.idleSince = null; s.ticking = setInterval(tick, 40); }} }};
    document.addEventListener("pointerdown", (event) => {{
      s.pointer = performance.now();
      const onNext = event.target.closest && event.target.closest(".st-key-next");
      if (!(onNext && s.guard)) s.pending = null;
    }}, true);
    document.addEventListener("keydown", () => {{ s.pending = null; s.pointer = -1; }}, true);
    window.addEventListener("click", (event) => {{
      if (!event.isTrusted) return;
      const onNext = event.target.closest && event.target.closest(".st-key-next");
      if (onNext && s.guard) {{
        tick();
        if (s.guard) {{ event.stopImmediatePropagation(); event.preventDefault(); return; }}
      }}
      if (event.target.closest && event.target.closest(".st-key-one_at_a_time")) {{
        sessionStorage.setItem("phasegate-mode-chosen", "1");
      }}
      const option = event.target.closest && event.target.closest("[role='radiogroup'] label");
      const widget = option && option.closest("[class*='st-key-q-']");
      if (!widget || option.closest("[data-stale='true']") || performance.now() - s.pointer > 2000) return;
      s.guard = null;
      s.pending = {{key: keyOf(widget, "st-key-q-"), at: performance.now()}};
      run();
    }}, true);
    window.matchMedia(NARROW).addEventListener("change", follow);
  }}
  follow();
}})();
</script>"""


def css_name(key: str) -> str:
    """The part of a CSS class Streamlit makes of a widget or container key."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def phone_layout(question: Question | None, leads_on: bool) -> None:
    """Once per run of the assessment page: follow the window's width, and in one question per screen let a
    single choice on `question` advance by itself when `leads_on` (there is a next question to go to)."""
    marker = ""
    if question is not None and leads_on and flow.single_choice(question):
        marker = f'<span data-advance-from="{css_name(question.id)}"></span>'
    script = PHONE_SCRIPT.format(pause=PAUSE_MS, settle=SETTLE_MS, narrow=NARROW_PX)
    st.html(script + marker, unsafe_allow_javascript=True, width="content")


def bottom_bar_style() -> None:
    """Keep the bar of Back, progress and Next at the bottom of the screen while the question above scrolls."""
    st.html(BAR_STYLE.format(background=st.get_option("theme.backgroundColor") or "#ffffff"), width="content")

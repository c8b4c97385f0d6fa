"""One question on screen: the answer widget for its type, a note, and saving on every change."""

from __future__ import annotations

import streamlit as st

from app_pages import flow, state
from questionnaires.models import Question, Questionnaire
from scoring.answers import DONT_KNOW, NA, MAX_NOTE, Answer


def value_key(question: Question) -> str:
    return f"q:{question.id}"


def special_key(question: Question) -> str:
    return f"special:{question.id}"


def note_key(question: Question) -> str:
    return f"note:{question.id}"


def question_key(question: Question) -> str:
    return f"ask:{question.id}"


def confirm_key(question: Question) -> str:
    return f"confirm:{question.id}"


CARRIED = "Carried over — confirm or change"


def show_question(questionnaire: Questionnaire, question: Question, saved: Answer | None, number: int,
                  carried: bool = False) -> None:
    """Render one question with its widgets, prefilled from what is saved; `carried`: an answer carried over
    from the baseline, marked until it is confirmed or changed."""
    _prefill(question, saved)
    with st.container(border=True, key=question_key(question)):
        required = "" if question.required else "  \n:gray[optional]"
        st.markdown(f"**{number}. {question.text}**{required}")
        if question.help:
            st.caption(question.help)
        if carried:
            mark, button = st.columns([3, 1], vertical_alignment="center")
            mark.markdown(f":orange-badge[:material/history: {CARRIED}]")
            button.button("Confirm", key=confirm_key(question), on_click=_on_confirm, args=(question,),
                          icon=":material/check:")
        _answer_widget(questionnaire, question)
        if question.evidence:
            st.caption(f"Evidence: {question.evidence}")
        _note_widget(question, saved)


def _prefill(question: Question, saved: Answer | None) -> None:
    """Put the saved answer into widgets that are not on screen yet (after a reload or a step change)."""
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


def _answer_widget(questionnaire: Questionnaire, question: Question) -> None:
    labels = flow.option_labels(questionnaire, question)
    if question.type in ("scale", "single", "yes_no"):
        st.radio("Answer", flow.choices(questionnaire, question), index=None, key=value_key(question),
                 format_func=labels.get, captions=flow.option_captions(questionnaire, question),
                 label_visibility="collapsed", on_change=_on_choice, args=(question,))
    elif question.type == "multi":
        st.pills("Choose all that apply", flow.choices(questionnaire, question), selection_mode="multi",
                 key=value_key(question), format_func=labels.get, on_change=_on_multi, args=(question,))
        described = [o for o in questionnaire.options_for(question) if o.description]
        if described:
            st.caption("  \n".join(f"**{o.label}**: {o.description}" for o in described))
    else:
        _free_widget(question, labels)


def _free_widget(question: Question, labels: dict) -> None:
    if question.type == "number":
        st.number_input("Answer", value=None, min_value=question.min, max_value=question.max, key=value_key(question),
                        label_visibility="collapsed", placeholder="Type a number", on_change=_on_free, args=(question,))
    else:
        st.text_area("Answer", key=value_key(question), label_visibility="collapsed", placeholder="Type your answer",
                     height=90, on_change=_on_free, args=(question,))
    if flow.specials(question):
        st.pills("Or", flow.specials(question), key=special_key(question), format_func=labels.get,
                 label_visibility="collapsed", on_change=_on_special, args=(question,))


def _note_widget(question: Question, saved: Answer | None) -> None:
    problem = st.session_state.get("note_problems", {}).get(question.id)
    with st.expander("Note (optional)", expanded=bool((saved and saved.note) or problem), icon=":material/edit_note:"):
        st.text_area("Note", key=note_key(question), label_visibility="collapsed", height=80,
                     placeholder=f"Context, evidence or doubts (up to {MAX_NOTE:,} characters)",
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
    if not state.save_value(question.id, st.session_state[value_key(question)]):
        _show_saved(question)


@state.safe
def _on_multi(question: Question) -> None:
    value = flow.multi_value(st.session_state[value_key(question)])
    if value in (DONT_KNOW, NA):
        st.session_state[value_key(question)] = [value]
    if not state.save_value(question.id, value):
        _show_saved(question)


@state.safe
def _on_free(question: Question) -> None:
    raw = st.session_state[value_key(question)]
    value = flow.text_value(raw) if question.type == "text" else raw
    if question.type == "text" and value is not None and len(value) > MAX_NOTE:
        st.session_state["flash"] = f"That answer is {len(value):,} characters long; at most {MAX_NOTE:,} are allowed. It was not saved."
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

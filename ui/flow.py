"""Plain helpers for the assessment screens (no Streamlit): choices, labels, links, safe text."""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import parse_qs, urlparse

from i18n import _
from scoring.words import N_
from questionnaires.models import Question, Questionnaire
from scoring.answers import DONT_KNOW, NA, SPECIAL_LABELS, Answer, Response
from storage.text import strip_controls

SPECIAL_CAPTIONS = {
    DONT_KNOW: N_("Nobody here can say yet; it is listed as an unknown to resolve."),
    NA: N_("This does not apply to the organisation; it is left out of the score."),
}
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def choices(questionnaire: Questionnaire, question: Question) -> list:
    """The values a respondent can pick for a choice question, special answers last."""
    values = [o.value for o in questionnaire.options_for(question)]
    return values + specials(question)


def specials(question: Question) -> list[str]:
    """The special answers a question allows: don't know and/or not applicable."""
    return [v for v, ok in ((DONT_KNOW, question.allow_dont_know), (NA, question.allow_na)) if ok]


def option_labels(questionnaire: Questionnaire, question: Question) -> dict:
    """Label per value, special answers included."""
    specials = {value: _(label) for value, label in SPECIAL_LABELS.items()}  # the special answers' labels
    return {**{o.value: o.label for o in questionnaire.options_for(question)}, **specials}


def option_captions(questionnaire: Questionnaire, question: Question) -> list[str]:
    """The description of each choice, in the order of `choices`."""
    return ([o.description for o in questionnaire.options_for(question)] +
            [_(SPECIAL_CAPTIONS[v]) for v in specials(question)])


def multi_value(chosen: list | None, alone: Collection = (), before: Collection = ()) -> list | str | None:
    """A multi-choice selection as an answer value: a special answer wins; nothing chosen is no answer. An option
    chosen alone (`alone`, a 'None of these') replaces the others when it was just picked (it is not in `before`,
    the selection before the change), and gives way when another option is picked beside it."""
    chosen = list(chosen or [])
    for special in (DONT_KNOW, NA):
        if special in chosen:
            return special
    exclusive = [value for value in chosen if value in alone]
    if exclusive and len(chosen) > 1:
        picked = [value for value in exclusive if value not in before]
        chosen = picked[-1:] if picked else [value for value in chosen if value not in alone]
    return chosen or None


def text_value(text: str | None) -> str | None:
    """Free text as an answer value: blank is no answer."""
    return text if text and text.strip() else None


def with_answer(saved: dict[str, Answer], question_id: str, value) -> dict[str, Answer]:
    """The saved answers with one value replaced, note kept."""
    note = saved[question_id].note if question_id in saved else ""
    return {**saved, question_id: Answer(value, note)}


def with_note(saved: dict[str, Answer], question_id: str, note: str) -> dict[str, Answer]:
    """The saved answers with one note replaced, value kept."""
    value = saved[question_id].value if question_id in saved else None
    return {**saved, question_id: Answer(value, note)}


def answers_key(response: Response) -> tuple:
    """A hashable fingerprint of a response's answers and targets (for caching a score)."""
    answers = tuple((qid, repr(a.value)) for qid, a in sorted(response.answers.items()))
    return answers, tuple(sorted(response.targets.items()))


def token_from_link(link: str) -> str | None:
    """The resume token in a pasted link (…?a=TOKEN) or a bare token; None when there is none."""
    text = (link or "").strip()
    if not text:
        return None
    if "?" in text or "/" in text:
        values = parse_qs(urlparse(text).query).get("a", [])
        text = values[0] if values else ""
    return text if TOKEN_SHAPE.match(text) else None


def resume_link(base_url: str, page_path: str, token: str, language: str | None = None) -> str:
    """The private link that reopens an assessment (in its language, when that is not English)."""
    return f"{base_url.rstrip('/')}/{page_path}?a={token}" + language_suffix(language)


def join_link(base_url: str, display_code: str, language: str | None = None) -> str:
    """The link that opens a workshop's join page with its code (in the engagement language, unless English)."""
    return f"{base_url.rstrip('/')}/workshop?code={display_code}" + language_suffix(language)


def language_suffix(language: str | None) -> str:
    """What a link adds to keep its language: '&lang=de'; nothing for English, the default."""
    return f"&lang={language}" if language and language != "en" else ""


# Besides the markup: ':' and '.' (no "http://" or "www." is auto-linked), '@' (no e-mail address is), '=' (no
# underline makes a heading) and '&' (no entity is decoded).
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@=&])")
LINE_BREAKS = re.compile(r"\r\n?")
LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)


def plain(text: str) -> str:
    """User text shown as text by st.markdown: every markdown special escaped, no URL or address auto-linked, no
    leading indentation (which would make a code block), no control character."""
    text = LEADING_SPACE.sub("", LINE_BREAKS.sub("\n", strip_controls(text or "")))
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


# --- which pages the sidebar offers -------------------------------------------------------

PARTICIPANT_PAGES = ("assessment", "results")
LEADER_PAGES = ("start", "assessment", "results", "report")
NOTHING_OPEN_PAGES = ("start", "workshop", "workshop-new")
FACILITATOR_PAGES = ("workshop-dashboard", "presenter")
CONSULTANT_PAGES = ("my-workshops",)


def visible_pages(*, open_assessment: str | None, facilitator: bool, login: bool) -> tuple[str, ...]:
    """The url paths of the pages that make sense now. `open_assessment`: "participant" (a workshop
    participant's own answers), "leader" (a self-assessment) or None; `facilitator`: a workshop's facilitator
    link is at hand; `login`: consultant sign-in is configured."""
    if open_assessment == "participant":
        return PARTICIPANT_PAGES + (FACILITATOR_PAGES if facilitator else ())
    shown = LEADER_PAGES if open_assessment == "leader" else NOTHING_OPEN_PAGES
    if facilitator:
        shown += FACILITATOR_PAGES + (("workshop-new",) if "workshop-new" not in shown else ())
    if login and (open_assessment is None or facilitator):
        shown += CONSULTANT_PAGES
    return shown


# --- one question per screen ---------------------------------------------------------------

NARROW_AGENTS = re.compile(r"Mobi|Android|iPhone|iPod|Windows Phone", re.IGNORECASE)


def narrow_agent(user_agent: str | None) -> bool:
    """True for the browser of a phone (its User-Agent says so)."""
    return bool(NARROW_AGENTS.search(user_agent or ""))


def single_choice(question: Question) -> bool:
    """A question answered by one choice among options: a group of radio buttons, and, one question per screen,
    the next question comes by itself once it is answered."""
    return question.type in ("scale", "single", "yes_no")


def question_order(questionnaire: Questionnaire, result) -> list[Question]:
    """The visible questions in the order they are asked: step by step, each in questionnaire order."""
    shown = [q for q in questionnaire.questions if result.questions[q.id].visible]
    return [q for d in questionnaire.domains for q in shown if q.domain == d.id]


def first_open(order: list[Question], result, domain_id: str | None = None) -> Question | None:
    """The first question in `order` (of one domain, if given) without an answer; else the first one there."""
    candidates = [q for q in order if domain_id is None or q.domain == domain_id]
    return next((q for q in candidates if not result.questions[q.id].answered), candidates[0] if candidates else None)


def position(order: list[Question], question_id: str | None, questionnaire: Questionnaire) -> int:
    """The index in `order` of a question; for one no longer shown, of the next shown question after it."""
    ids = [q.id for q in order]
    if question_id in ids:
        return ids.index(question_id)
    asked = [q.id for d in questionnaire.domains for q in questionnaire.questions if q.domain == d.id]
    if question_id in asked:
        later = asked[asked.index(question_id):]
        return next((ids.index(qid) for qid in later if qid in ids), max(len(ids) - 1, 0))
    return 0

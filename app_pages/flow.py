"""Plain helpers for the assessment flow (no Streamlit): progress, steps, what is missing, links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from questionnaires.models import Question, Questionnaire
from scoring.answers import DONT_KNOW, NA, Answer, Response
from scoring.engine import Result

SPECIAL_LABELS = {DONT_KNOW: "Don't know", NA: "Not applicable"}
SPECIAL_CAPTIONS = {
    DONT_KNOW: "Nobody here can say yet; it is listed as an unknown to resolve.",
    NA: "This does not apply to the organisation; it is left out of the score.",
}
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Progress:
    """How far a respondent is: visible questions answered, required ones open, minutes left."""

    answered: int
    total: int
    open_required: tuple[str, ...]
    minutes_left: int

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0

    def text(self) -> str:
        """'23 of 48 answered · about 12 min left'."""
        left = "ready to finish" if not self.open_required else f"about {self.minutes_left} min left"
        return f"{self.answered} of {self.total} answered · {left}"


def progress(questionnaire: Questionnaire, result: Result) -> Progress:
    """Progress over the visible questions, from a scored result."""
    visible = [q for q in questionnaire.questions if result.questions[q.id].visible]
    answered = [q for q in visible if result.questions[q.id].answered]
    open_required = tuple(q.id for q in visible if q.required and not result.questions[q.id].answered)
    share_left = 1 - (len(answered) / len(visible) if visible else 1)
    minutes = max(1, round(questionnaire.estimated_minutes * share_left)) if share_left > 0 else 0
    return Progress(len(answered), len(visible), open_required, minutes)


def domain_questions(questionnaire: Questionnaire, result: Result, domain_id: str) -> list[Question]:
    """The visible questions of one domain, in questionnaire order."""
    return [q for q in questionnaire.questions if q.domain == domain_id and result.questions[q.id].visible]


def step_counts(questionnaire: Questionnaire, result: Result) -> dict[str, tuple[int, int]]:
    """Per domain id: (answered, visible) questions."""
    counts = {d.id: [0, 0] for d in questionnaire.domains}
    for question in questionnaire.questions:
        outcome = result.questions[question.id]
        if outcome.visible:
            counts[question.domain][1] += 1
            counts[question.domain][0] += outcome.answered
    return {domain: (done, total) for domain, (done, total) in counts.items()}


def step_label(name: str, answered: int, visible: int) -> str:
    """'Data 3/8', or 'Data ✓' once every visible question of the domain is answered."""
    return f"{name} ✓" if answered >= visible else f"{name} {answered}/{visible}"


def first_open_step(questionnaire: Questionnaire, result: Result) -> int:
    """The index of the first domain with an unanswered required question (0 when none is open)."""
    open_ids = set(progress(questionnaire, result).open_required)
    for index, domain in enumerate(questionnaire.domains):
        if any(q.domain == domain.id and q.id in open_ids for q in questionnaire.questions):
            return index
    return 0


def missing_by_domain(questionnaire: Questionnaire, missing: tuple[str, ...]) -> dict[str, list[Question]]:
    """Open required questions grouped by domain id, in questionnaire order."""
    wanted = set(missing)
    grouped: dict[str, list[Question]] = {}
    for question in questionnaire.questions:
        if question.id in wanted:
            grouped.setdefault(question.domain, []).append(question)
    return grouped


def choices(questionnaire: Questionnaire, question: Question) -> list:
    """The values a respondent can pick for a choice question, special answers last."""
    values = [o.value for o in questionnaire.options_for(question)]
    return values + specials(question)


def specials(question: Question) -> list[str]:
    """The special answers a question allows: don't know and/or not applicable."""
    return [v for v, ok in ((DONT_KNOW, question.allow_dont_know), (NA, question.allow_na)) if ok]


def option_labels(questionnaire: Questionnaire, question: Question) -> dict:
    """Label per value, special answers included."""
    return {**{o.value: o.label for o in questionnaire.options_for(question)}, **SPECIAL_LABELS}


def option_captions(questionnaire: Questionnaire, question: Question) -> list[str]:
    """The description of each choice, in the order of `choices`."""
    return [o.description for o in questionnaire.options_for(question)] + [SPECIAL_CAPTIONS[v] for v in specials(question)]


def multi_value(chosen: list | None) -> list | str | None:
    """A multi-choice selection as an answer value: a special answer wins; nothing chosen is no answer."""
    chosen = list(chosen or [])
    for special in (DONT_KNOW, NA):
        if special in chosen:
            return special
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


def resume_link(base_url: str, page_path: str, token: str) -> str:
    """The private link that reopens an assessment."""
    return f"{base_url.rstrip('/')}/{page_path}?a={token}"


MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """User text made safe for st.markdown: every markdown special escaped."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text or "")

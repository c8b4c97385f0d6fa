"""A questionnaire prepared for scoring once: each question's option scores, its maximum and its parsed
`visible_if`, and the scored questions of every domain and phase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from questionnaires.expressions import Expression, parse
from questionnaires.models import Question, Questionnaire

@dataclass(slots=True)
class _Item:
    question: Question
    order: int
    scores: dict[Any, float] | None  # option value -> points; None: not scored
    total: float  # the points a full score is worth: the best option, or every option of a multi
    visible_if: Expression | None


def compiled_items(questionnaire: Questionnaire) -> tuple[_Item, ...]:
    """The questionnaire prepared for scoring (option scores, maxima, parsed visible_if), built once."""
    return questionnaire.cached("scoring.items", _build_items)


def _cells(questionnaire: Questionnaire) -> dict[str, tuple[tuple[_Item, ...], ...]]:
    """Scored items per domain, per phase 1-4, in questionnaire order."""

    def build(q: Questionnaire):
        items = compiled_items(q)
        return {
            d.id: tuple(tuple(i for i in items if i.scores is not None and i.question.domain == d.id and i.question.phase == n)
                        for n in range(1, 5))
            for d in q.domains
        }

    return questionnaire.cached("scoring.cells", build)


def _build_items(questionnaire: Questionnaire) -> tuple[_Item, ...]:
    items = []
    for order, question in enumerate(questionnaire.questions):
        scores, total = None, 0.0
        if question.scored:
            options = questionnaire.options_for(question)
            scores = {o.value: o.score for o in options}
            total = sum(o.score for o in options) if question.type == "multi" else max(o.score for o in options)
        expression = parse(question.visible_if) if question.visible_if else None
        items.append(_Item(question, order, scores, total, expression))
    return tuple(items)

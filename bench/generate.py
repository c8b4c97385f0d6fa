"""Generated responses for the benchmarks: random but plausible, reproducible by seed."""

from __future__ import annotations

import random

from scoring import DONT_KNOW, NA, Answer, Response


def random_response(questionnaire, rng: random.Random, lean: int = 0) -> Response:
    """Mostly real answers with a few unknowns; `lean` shifts single answers up that many options."""
    answers = {}
    for question in questionnaire.questions:
        if not question.scored:
            continue
        values = [o.value for o in questionnaire.options_for(question)]
        roll = rng.random()
        if roll < 0.05 and question.allow_dont_know:
            value = DONT_KNOW
        elif roll < 0.07 and question.allow_na:
            value = NA
        elif question.type == "multi":
            value = rng.sample(values, rng.randint(1, len(values)))
        else:
            value = values[min(len(values) - 1, rng.randrange(len(values)) + lean)]
        answers[question.id] = Answer(value)
    return Response(questionnaire.id, questionnaire.version, answers)

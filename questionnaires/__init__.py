"""The questionnaire package: models, the safe loader and visible_if expressions."""

from questionnaires.errors import AnswersError, PhasegateError, Problem, QuestionnaireError
from questionnaires.loader import (
    find_questionnaire,
    load_questionnaire,
    parse_questionnaire,
    shipped_questionnaires,
)
from questionnaires.models import Questionnaire

__all__ = [
    "AnswersError",
    "PhasegateError",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "find_questionnaire",
    "load_questionnaire",
    "parse_questionnaire",
    "shipped_questionnaires",
]

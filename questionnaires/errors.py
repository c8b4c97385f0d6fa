"""The errors of questionnaires, answers files and branding; their base lives in the project-wide `errors`."""

from __future__ import annotations

from errors import MAX_LINE, MAX_SHOWN, PhasegateError, Problem, one_line

__all__ = ["MAX_LINE", "MAX_SHOWN", "AnswersError", "BrandingError", "PhasegateError", "Problem",
           "QuestionnaireError", "one_line"]


class QuestionnaireError(PhasegateError):
    """A questionnaire file is unreadable or invalid."""


class AnswersError(PhasegateError):
    """An answers file is unreadable, invalid, or does not match its questionnaire."""


class BrandingError(PhasegateError):
    """Report branding (logo, colour, names) is invalid."""

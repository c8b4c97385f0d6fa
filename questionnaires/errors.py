"""Errors raised by the core, each carrying located problems a person can fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem: which file, which line, which field, what is wrong."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        head = " ".join(part for part in (where, self.path) if part)
        return f"{head}: {self.message}" if head else self.message


class PhasegateError(Exception):
    """Base class for errors caused by bad input; the edges turn them into messages."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, "", problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One line per problem, ready to print."""
        return [str(p) for p in self.problems]


class QuestionnaireError(PhasegateError):
    """A questionnaire file is unreadable or invalid."""


class AnswersError(PhasegateError):
    """An answers file is unreadable, invalid, or does not match its questionnaire."""


class BrandingError(PhasegateError):
    """Report branding (logo, colour, names) is invalid."""

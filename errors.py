"""The project's errors: bad input, located so that a person can fix it. Every package raises these (or a
subclass); the edges (the app, the command line) turn them into messages. This module imports nothing of the
project, so any package may use it."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHOWN = 20
MAX_LINE = 400
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]")


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
        return one_line(f"{head}: {self.message}" if head else self.message)


def one_line(text: str) -> str:
    """A message as one printable line: control characters escaped, the middle of a very long one cut."""
    text = _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)
    if len(text) > MAX_LINE:
        text = f"{text[:MAX_LINE - 100]} ... {text[-90:]}"
    return text


class PhasegateError(Exception):
    """Base class for errors caused by bad input; the edges turn them into messages."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, "", problems)]
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, ready to print: the first MAX_SHOWN, then how many more."""
        shown = [str(p) for p in self.problems[:MAX_SHOWN]]
        hidden = len(self.problems) - MAX_SHOWN
        if hidden > 0:
            more = Problem(self.problems[0].file, None, "", f"... and {hidden} more problems; fix the ones above first")
            shown.append(str(more))
        return shown

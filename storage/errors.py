"""The database's own error, below every storage module: it cannot be reached, written, or is too new."""

from __future__ import annotations

from errors import PhasegateError, Problem


class StorageError(PhasegateError):
    """The database cannot be reached or written; the message says what to check, `reason` names the failure in a
    word for a message that has room for no more (the error's class name by default)."""

    def __init__(self, problems: list[Problem] | str, reason: str = ""):
        super().__init__(problems)
        self.reason = reason or self.__class__.__name__

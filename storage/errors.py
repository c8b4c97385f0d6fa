"""The database's own error, below every storage module: it cannot be reached, written, or is too new."""

from __future__ import annotations

from errors import PhasegateError


class StorageError(PhasegateError):
    """The database cannot be reached or written; the message says what to check."""

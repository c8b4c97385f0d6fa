"""The garbage collector paused around a report's work, for its speed."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """No garbage collection inside: a report makes millions of short-lived objects and few reference cycles, and
    the collector would walk the whole heap many times over for nothing. It resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

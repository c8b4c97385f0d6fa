"""Storage: the engine from settings, the tables, and the repository (the only SQL).

The engine and the repository are imported when first asked for, so a module of this package that needs neither
(`storage.text`, say) does not load the database driver: every command-line start pays for that otherwise.
"""

from __future__ import annotations

import importlib

__all__ = ["Assessment", "dispose_all", "get_engine"]
_WHERE = {"Assessment": "storage.repository", "dispose_all": "storage.engine", "get_engine": "storage.engine"}


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value

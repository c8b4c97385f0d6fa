"""Storage: the engine from settings, the tables, and the repository (the only SQL)."""

from storage.engine import dispose_all, get_engine
from storage.repository import Assessment

__all__ = ["Assessment", "dispose_all", "get_engine"]

"""Persistence: SQLite by default."""

from .sqlite import DEFAULT_PATH, Store

__all__ = ["DEFAULT_PATH", "Store"]

"""Errors raised by Rashomon.

Every error derives from :class:`RashomonError` and says what was wrong and how to fix it::

    RashomonError
    ├── InputError          a path, file or record that cannot be used
    │   └── PathNotFound    a path given on the command line does not exist
    ├── StageError          a pipeline stage failed or its needs are not met
    ├── StoreError          the database cannot be opened, migrated or written
    ├── ModelMissing        an NLP model or optional dependency is not installed
    └── FetchError          a URL or feed could not be fetched (or was refused)

A skipped input is never swallowed: it becomes a :class:`rashomon.model.Rejected` with
the reason, listed in the output's ``rejected``.
"""

from __future__ import annotations


class RashomonError(Exception):
    """Base class of every error Rashomon raises on purpose."""


class InputError(RashomonError):
    """An input (path, file or record) that cannot be used."""


class PathNotFound(InputError):
    def __init__(self, path: str):
        super().__init__(f"{path}: no such file or folder. Check the path, or quote it if it contains spaces.")
        self.path = path


class StageError(RashomonError):
    """A pipeline stage failed; the message names the stage."""


class StoreError(RashomonError):
    """The store could not be opened, migrated or written."""


class ModelMissing(RashomonError):
    """A model or optional dependency is not installed."""


class FetchError(RashomonError):
    """A URL or feed could not be fetched, or was refused for safety."""

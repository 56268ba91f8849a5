"""Exceptions. Each message says what went wrong with which input, and how to fix it where that helps.

The CLI prints ``str(error)`` as a single line; nothing below this module prints tracebacks.
"""


class SitrepError(Exception):
    """Base of every error a user may see."""


class InputError(SitrepError):
    """An input file (or one item in it) cannot be read."""

    def __init__(self, source: str, cause: str):
        self.source = source
        self.cause = cause
        super().__init__(f"{source}: {cause}")


class ConfigError(SitrepError):
    """A setting is wrong or something the settings point to is missing."""


class StoreError(SitrepError):
    """The database cannot be opened, migrated or written."""


class NotFound(SitrepError):
    """A requested record is not in the store."""

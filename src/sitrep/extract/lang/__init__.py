"""Language-specific extraction resources: ``lang/<code>/<file>``, one folder per language.

English (``en``) holds the lexicons of cleaning, attribution, geoparsing cues, time words and numbers.
A new language adds its own folder with the same file names; the stages ask for a file by name and
language, so that Ukrainian and Russian resources sit beside the English ones, not inside them.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

DEFAULT_LANGUAGE = "en"


def resource(name: str, language: str = DEFAULT_LANGUAGE) -> Traversable:
    """The resource file ``name`` of ``language`` (a package resource: ``.read_text()``)."""
    return resources.files(f"{__name__}.{language}").joinpath(name)

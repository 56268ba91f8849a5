"""Reading a gold set stored as JSON Lines, one record a line, for the evaluation commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sitrep.errors import InputError

T = TypeVar("T")


def read_records(path: Path | str, parse: Callable[[dict], T], what: str, hint: str) -> list[T]:
    """``parse`` applied to each non-blank line's JSON object. A file that cannot be read, a line that is
    not JSON or that ``parse`` refuses (KeyError, TypeError, ValueError), and an empty file are each an
    InputError naming the file (and line); ``what`` names a record, ``hint`` says what to pass instead."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read the {what}s ({error}); {hint}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(parse(json.loads(line), number))
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}", f"not valid JSON ({error.msg})") from None
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"{path}:{number}", f"bad {what}: {error}") from None
    if not records:
        raise InputError(str(path), f"the file holds no {what}s")
    return records

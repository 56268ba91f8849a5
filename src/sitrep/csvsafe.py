"""CSV writers that keep spreadsheet formulas out of the cells (CSV injection).

Source names, outlets and quotes come from channels run by warring parties. A cell such as
``=HYPERLINK("http://...","click")`` becomes a live formula when an analyst opens the export in
Excel or LibreOffice. As OWASP advises, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading apostrophe, which spreadsheets read as "this is text". Numbers
(a negative longitude, "-3") are left alone, and so is every other cell (docs/security.md).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """``value`` as a cell no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class Writer:
    """``csv.writer`` with every cell neutralized."""

    def __init__(self, stream: TextIO, **options: Any):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralize(value) for value in row])


class DictWriter(csv.DictWriter):
    """``csv.DictWriter`` with every value neutralized (the header is ours)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: neutralize(value) for key, value in rowdict.items()})


def writer(stream: TextIO, **options: Any) -> Writer:
    return Writer(stream, **options)

"""Cells that a spreadsheet would run as formulas are written as text (CSV and XLSX injection).

A value starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula (`=HYPERLINK(...)`, `=cmd|...`). Every CSV and XLSX the application writes
passes its cells through `cell_safe`, which puts a `'` in front of such text; numbers stay numbers.
"""

from collections.abc import Iterable
from typing import Any

import pandas as pd

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def row_safe(values: Iterable[Any]) -> list[Any]:
    return [cell_safe(value) for value in values]


def frame_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text cells made safe (a copy; numeric columns untouched)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(cell_safe)
    safe.columns = row_safe(str(column) for column in safe.columns)
    return safe

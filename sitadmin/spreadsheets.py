"""Every CSV and XLSX sitadmin writes goes through here: one writer, one renderer, cells that stay data.

Numbers stay numbers (so Excel sums them); text that a spreadsheet would run as a formula (a cell
starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading apostrophe,
so a customer's name or a remark can never become a live formula in someone's Excel. Control
characters that an XLSX file cannot hold (NUL to 0x1F but tab, newline and carriage return) are
dropped from its cells: a name with one is still exported, not a 500.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.renderers import BaseRenderer

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def wants_xlsx(request) -> bool:
    """Whether a page or API request asks for its Excel download (`?format=xlsx`)."""
    return request.GET.get("format") == "xlsx"


def cell_safe(value):
    """The value as a spreadsheet should hold it: numbers and dates as they are, formula-like text defused."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; the value is already local
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


# Number formats by the kind of a column: rates read as percentages, money with two decimals.
NUMBER_FORMATS = {"rate": "0.0%", "money": "#,##0.00", "count": "#,##0", "minutes": "0.0", "ratio": "0.0"}


def xlsx_safe(value):
    value = cell_safe(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(sheets: Sequence[tuple]) -> bytes:
    """A workbook of `(title, header, rows)` or `(title, header, rows, kinds)` sheets.

    `kinds` names each column's kind (`rate`, `money`, `count`, … or None) for its number format.
    """
    book = Workbook(write_only=True)
    for title, header, rows, *rest in sheets:
        kinds = rest[0] if rest else [None] * len(header)
        sheet = book.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", str(title))[:31] or "sheet")
        sheet.append([xlsx_safe(str(h)) for h in header])
        for row in rows:
            cells = []
            for value, kind in zip(row, kinds, strict=False):
                cell = WriteOnlyCell(sheet, value=xlsx_safe(value))
                if kind in NUMBER_FORMATS and isinstance(cell.value, int | float):
                    cell.number_format = NUMBER_FORMATS[kind]
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV with a BOM (so Excel opens Chinese text right), formula-like text defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell_safe(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else cell_safe(v) for v in row])
    return "\ufeff" + out.getvalue()


def _table(data) -> tuple[list, list]:
    if isinstance(data, dict) and "rows" in data:
        columns = list(data["columns"])
        return columns, [[row.get(c) for c in columns] for row in data["rows"]]
    # An error answer ({"detail": ...} or field errors) is exported as one row.
    return ["error"], [[str(data)]]


class CsvRenderer(BaseRenderer):
    """`format=csv` for an answer of `{"columns": [...], "rows": [dict, ...]}`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return csv_text(*_table(data))


class XlsxRenderer(BaseRenderer):
    """`format=xlsx`: an answer of `{"columns", "rows"}` becomes one sheet; bytes a view built pass through."""

    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        columns, rows = _table(data)
        return xlsx_bytes([("kpis", columns, rows)])


def xlsx_response(*, filename: str, sheets: Sequence[tuple]) -> HttpResponse:
    """An XLSX download of `sheets` (see `xlsx_bytes`)."""
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

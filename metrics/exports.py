"""CSV and XLSX renderers for KPI answers (`format=csv|xlsx`), built with pandas.

A view hands them `{"columns": [...], "rows": [dict, ...], "filename": "..."}`.
"""

import io

import pandas as pd
from rest_framework.renderers import BaseRenderer

from sitadmin.spreadsheet import frame_safe


def _frame(data) -> pd.DataFrame:
    if not isinstance(data, dict) or "rows" not in data:
        # An error answer ({"detail": ...} or field errors) is exported as one row per message.
        return frame_safe(pd.DataFrame([{"error": str(data)}]))
    return frame_safe(pd.DataFrame(data["rows"], columns=data["columns"]))


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # The BOM lets Excel open Chinese text in the CSV correctly.
        # CRLF rows (RFC 4180): a text holding a lone CR is then quoted rather than breaking its row.
        return "\ufeff" + _frame(data).to_csv(index=False, lineterminator="\r\n")


class XlsxRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            _frame(data).to_excel(writer, index=False, sheet_name="kpis")
        return buffer.getvalue()

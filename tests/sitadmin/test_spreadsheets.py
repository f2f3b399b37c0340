"""One writer for every CSV and XLSX: numbers stay numbers, formula-like text never becomes a formula."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sitadmin.spreadsheets import csv_text, xlsx_bytes

HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(1+1)", '+HYPERLINK("http://x")', "-2+3", "\tTAB", "\rCR"]


def test_xlsx_keeps_numbers_and_defuses_formulas():
    rows = [[text, Decimal("35327.60"), 7, dt.date(2026, 11, 20)] for text in HOSTILE]
    sheet = load_workbook(io.BytesIO(xlsx_bytes([("t", ["text", "money", "count", "day"], rows)]))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    # XML stores a carriage return as a line feed; what matters is the apostrophe in front.
    assert [v[0] for v in values] == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[0][1:3] == (35327.6, 7)


def test_xlsx_drops_control_characters_it_cannot_hold():
    # A staff name with a BEL or a team name with DC3 (typed through the API) used to crash the export.
    rows = [["x\x07y", "a\x13b\tc\nd"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes([("t\x01", ["name\x00", "team"], rows)]))).active
    assert sheet.title == "t"
    assert list(sheet.iter_rows(values_only=True)) == [("name", "team"), ("xy", "ab\tc\nd")]


def test_csv_defuses_formulas_and_starts_with_a_bom():
    text = csv_text(["name", "amount"], [[h, 1] for h in HOSTILE] + [["张三", None]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE] + ["张三"]
    assert rows[-1][1] == ""


@pytest.mark.django_db
def test_the_kpi_csv_export_goes_through_the_shared_writer(client_for, manager):
    response = client_for(manager).get(
        "/api/v1/kpis/daily/", {"date_from": "2026-11-01", "date_to": "2026-11-01", "dimension": "org", "format": "csv"}
    )
    assert response.status_code == 200
    assert response.content.decode().startswith("\ufeffdate,dimension,key,requests")

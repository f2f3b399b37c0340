"""Input that cannot crash: NUL bytes, lone surrogates, deep JSON, formula cells."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from customers.models import Event, LeadSource
from tests.customers.factories import LeadSourceFactory
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import EvaluationFactory, ReviewCycleFactory, StaffFactory

pytestmark = pytest.mark.django_db

NUL_QUERIES = [
    "/api/v1/customers/?source=a%00b",
    "/api/v1/customers/?owner=a%00b",
    "/api/v1/customers/?tag=a%00b",
    "/api/v1/customers/?search=a%00b",
    "/api/v1/staff/?team=a%00b",
    "/api/v1/evaluations/?cycle=a%00b",
    "/api/v1/kpis/daily/?dimension=team&key=a%00b",
    "/api/v1/audit/?user=a%00b",
    "/api/v1/teams/a%00b/",
    "/api/v1/tags/a%00b/",
    "/api/v1/staff/a%00b/",
]


@pytest.mark.parametrize("url", NUL_QUERIES)
def test_nul_in_a_filter_or_lookup_is_400(client_for, manager, url):
    answer = client_for(manager).get(url)
    assert answer.status_code == 400
    assert "空字符或无效字符" in json.dumps(answer.json(), ensure_ascii=False)


def test_nul_in_a_page_query_is_400(manager):
    client = Client()
    client.force_login(manager.user)
    assert client.get("/customers/?source=a%00b").status_code == 400
    form = "username=a%00b&password=x"
    assert client.post("/login/", form, content_type="application/x-www-form-urlencoded").status_code == 400


def test_one_bad_event_does_not_take_the_batch_down(client_for, manager):
    StaffFactory(user__username="amy")
    base = {"type": "message", "at": "2026-11-02T10:00:00+08:00", "phone": "13800000001", "direction": "in"}
    batch = [
        {**base, "id": "ok-1", "text": "你好"},
        {**base, "id": "nul", "text": "a\x00b"},
        {**base, "id": "surrogate", "text": "a\ud800b"},
        {**base, "id": "bad\x00id", "text": "x"},
        {**base, "id": "ok-2", "text": "在吗"},
    ]
    body = json.dumps(batch)  # lone surrogates stay escaped (\ud800) as a client would send them
    answer = client_for(manager).post("/api/v1/events/", body, content_type="application/json")
    assert answer.status_code == 200
    result = answer.json()
    assert result["accepted"] == 2
    assert [(error["index"], error["id"]) for error in result["errors"]] == [
        (1, "nul"),
        (2, "surrogate"),
        (3, "bad\ufffdid"),
    ]
    assert result["errors"][0]["error"] == "text: contains a NUL byte or an invalid character"
    assert sorted(Event.objects.values_list("client_id", flat=True)) == ["ok-1", "ok-2"]


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/events/", "/api/v1/teams/"])
def test_deep_json_is_400_before_parsing(client_for, manager, url):
    body = "[" * 990 + "]" * 990
    answer = client_for(manager).post(url, body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "JSON 嵌套过深：超过 32 层"
    # Brackets inside strings are text, not nesting.
    flat = json.dumps({"username": "[" * 100, "password": "{" * 100})
    assert client_for(manager).post("/api/v1/auth/token/", flat, content_type="application/json").status_code == 400


def test_parser_errors_speak_the_chosen_language(client_for, manager):
    client = client_for(manager)
    deep = "[" * 40 + "]" * 40
    assert client.post("/api/v1/teams/", deep, content_type="application/json").json() == {
        "detail": "JSON 嵌套过深：超过 32 层"
    }
    nul = json.dumps({"code": "a\u0000b", "name": "x"})
    assert client.post("/api/v1/teams/", nul, content_type="application/json").json() == {
        "code": ["不能包含空字符或无效字符"]
    }
    client.cookies["django_language"] = "en"
    assert client.post("/api/v1/teams/", deep, content_type="application/json").json() == {
        "detail": "the JSON body is nested deeper than 32 levels."
    }
    assert client.post("/api/v1/teams/", nul, content_type="application/json").json() == {
        "code": ["must not contain NUL bytes or invalid characters."]
    }
    answer = client.get("/api/v1/teams/?code=a%00b")
    assert answer.status_code == 400
    assert answer.json() == {"code": ["the request contains a NUL byte or an invalid character."]}


def test_nul_in_a_json_body_is_400_naming_the_field(client_for, manager):
    answer = client_for(manager).post(
        "/api/v1/teams/", json.dumps({"code": "t9", "name": "a\u0000b"}), content_type="application/json"
    )
    assert answer.status_code == 400
    assert "name" in answer.json()


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def test_kpi_csv_and_xlsx_neutralise_formula_keys(client_for, manager):
    for index, formula in enumerate(FORMULAS):
        DailyKpiFactory(date=dt.date(2026, 11, 2), dimension="source", key=f"{formula}{index}", requests=1)
    client = client_for(manager)
    params = {"date_from": "2026-11-02", "date_to": "2026-11-02", "dimension": "source"}
    csv_text = client.get("/api/v1/kpis/daily/", {**params, "format": "csv"}).content.decode("utf-8-sig")
    keys = [row[2] for row in list(csv.reader(io.StringIO(csv_text, newline="")))[1:]]
    assert len(keys) == len(FORMULAS)
    assert all(key.startswith("'") for key in keys), keys
    xlsx = client.get("/api/v1/kpis/summary/", {**params, "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [row[1].value for row in sheet.iter_rows(min_row=2)]
    # (XML reads a CR back as a line feed.)
    expected = sorted(f"'{formula}{index}".replace("\r", "\n") for index, formula in enumerate(FORMULAS))
    assert sorted(cell.replace("\r", "\n") for cell in cells) == expected
    assert all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_import_error_csv_neutralises_formulas(client_for, manager):
    LeadSourceFactory(code="tele", name="电销", kind=LeadSource.Kind.TELESALES)
    data = b'phone,name\n=HYPERLINK("http://x"),a\n+12,b\n13800000001,c\n'
    client = client_for(manager)
    job = client.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("leads.csv", data, content_type="text/csv"), "source": "tele"}
    ).json()
    report = b"".join(client.get(f"/api/v1/imports/{job['id']}/errors/").streaming_content).decode("utf-8-sig")
    values = [line.split(",", 2)[1] for line in report.splitlines()[1:]]
    assert values == ['\'=HYPERLINK(""http://x"")', "'+12"] or values == ['"\'=HYPERLINK(""http://x"")"', "'+12"]


def test_cycle_overview_xlsx_has_no_live_formulas(client_for, manager, operator):
    cycle = ReviewCycleFactory(code="c1", name="c1", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30))
    EvaluationFactory(
        staff=operator,
        cycle=cycle,
        reviewer=manager.user,
        total=50,
        decision="transfer",
        final_decision="keep",
        override_reason='=HYPERLINK("http://evil","x")',
    )
    operator.name = "@SUM(1)"
    operator.save()
    xlsx = client_for(manager).get("/api/v1/review-cycles/c1/overview/", {"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    row = [cell for cell in next(sheet.iter_rows(min_row=2))]
    assert row[1].value == "'@SUM(1)"
    assert row[7].value == '\'=HYPERLINK("http://evil","x")'
    assert all(cell.data_type != "f" for cell in row)

"""The chat archive (JSON lines): service, command and API."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from campaigns.models import Group
from customers.models import Event
from customers.wecom.archive import wecom_archive_import
from staff.models import Staff
from tests.staff.factories import StaffFactory

MS = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC


def line(**message) -> str:
    return json.dumps(message, ensure_ascii=False)


def text(msgid, sender, to, *, at=MS, room="", content="你好", action="send", msgtype="text") -> str:
    return line(
        msgid=msgid,
        action=action,
        **{"from": sender},
        tolist=to,
        roomid=room,
        msgtime=at,
        msgtype=msgtype,
        text={"content": content},
    )


@pytest.fixture
def amy(db):
    return StaffFactory(user__username="amy", wecom_userid="zhangsan")


ARCHIVE = [
    text("m1", "wmCUST", ["zhangsan"], content="膝盖疼"),  # in, private: staff amy
    text("m2", "zhangsan", ["wmCUST"], at=MS + 60_000, content="您好"),  # out
    text("m3", "wmCUST", ["zhangsan", "wmOTHER"], room="wrROOM1", at=MS + 120_000),  # in, group message
    line(msgid="m4", action="recall", **{"from": "wmCUST"}, tolist=["zhangsan"], msgtime=MS, msgtype="text"),
    text("m5", "wmCUST", ["zhangsan"], msgtype="image"),
    "this is not json",
    line(action="send", msgtype="text", **{"from": "wmCUST"}, tolist=["zhangsan"], msgtime=MS),
    "",
    text("m8", "wmCUST", ["zhangsan"], at="yesterday"),
]


def test_archive_lines_become_message_events(amy):
    result = wecom_archive_import(lines=[f"{row}\n".encode() for row in ARCHIVE])

    assert (result.accepted, result.duplicates, result.skipped) == (3, 0, 2)
    assert [(e["line"], e["error"]) for e in result.errors] == [
        (6, "line 6: not JSON"),
        (7, "line 7: msgid: missing"),
        (9, "line 9: msgtime: not a time in milliseconds"),
    ]
    events = {e.client_id: e for e in Event.objects.select_related("customer", "staff", "group")}
    assert set(events) == {"m1", "m2", "m3"}
    m1, m2, m3 = events["m1"], events["m2"], events["m3"]
    assert (m1.direction, m1.customer.external_id, m1.staff_id, m1.group_id, m1.text) == (
        "in",
        "wmCUST",
        amy.pk,
        None,
        "膝盖疼",
    )
    assert m1.at == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert (m2.direction, m2.customer_id, m2.staff_id) == ("out", m1.customer_id, amy.pk)
    group = Group.objects.get(wecom_chat_id="wrROOM1")
    assert (m3.direction, m3.group_id, m3.staff_id) == ("in", group.pk, None)


def test_importing_again_stores_nothing_new(amy):
    lines = [f"{row}\n".encode() for row in ARCHIVE[:3]]
    wecom_archive_import(lines=lines)

    again = wecom_archive_import(lines=lines, chunk_lines=2)

    assert (again.accepted, again.duplicates, again.errors) == (0, 3, [])
    assert Event.objects.count() == 3


def test_errors_of_ingestion_name_their_line_across_chunks(amy):
    too_long = "x" * 65
    lines = [text("a1", "wmA", ["zhangsan"]), text("a2", "wmB", ["zhangsan"]), text(too_long, "wmC", ["zhangsan"])]

    result = wecom_archive_import(lines=lines, chunk_lines=2)

    assert result.accepted == 2
    assert [(e["line"], e["id"]) for e in result.errors] == [(3, too_long)]
    assert result.errors[0]["error"] == "line 3: id: longer than 64 characters"


def test_command_prints_the_answer(amy, tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(ARCHIVE[:6]) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_wecom_archive", str(path), stdout=out, stderr=err, verbosity=0)

    assert json.loads(out.getvalue()) == {"accepted": 3, "duplicates": 0, "skipped": 2, "errors": 1}
    assert "line 6: not JSON" in err.getvalue()


def test_api_imports_a_file_for_managers_only(amy, client_for):
    manager = StaffFactory(user__username="boss", role=Staff.Role.MANAGER, team=None)
    upload = SimpleUploadedFile("archive.jsonl", ("\n".join(ARCHIVE[:6]) + "\n").encode(), "application/jsonl")

    answer = client_for(manager).post("/api/v1/wecom/archive/", {"file": upload}, format="multipart")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["accepted"], body["duplicates"], body["skipped"]) == (3, 0, 2)
    assert body["errors"] == [{"index": 5, "line": 6, "id": None, "error": "line 6: not JSON"}]

    assert client_for(amy).post("/api/v1/wecom/archive/", {}, format="multipart").status_code == 403
    assert client_for(manager).post("/api/v1/wecom/archive/", {}, format="multipart").json().keys() == {"file"}

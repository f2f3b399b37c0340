"""Channel codes: CRUD checks, routing (round robin, weighted, caps), the public page, the poster, contact QRs."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.channels.models import ChannelScanCount, StaffContactQr
from campaigns.channels.services import channel_code_route
from staff.models import Staff
from tests.campaigns.channels.factories import ChannelCodeFactory
from tests.staff.factories import StaffFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def trio(team):
    return [StaffFactory(user__username=name, team=team) for name in ("ann", "bob", "cat")]


@pytest.mark.django_db
def test_create_refuses_nobody_unknown_or_exited_staff(client_for, manager, trio):
    trio[2].status = Staff.Status.EXITED
    trio[2].save()
    client = client_for(manager)
    base = {"code": "qr1", "name": "海报"}
    assert client.post("/api/v1/channel-codes/", {**base, "staff": []}, format="json").json().keys() == {"staff"}
    assert client.post("/api/v1/channel-codes/", {**base, "staff": ["zed"]}, format="json").json().keys() == {"staff"}
    answer = client.post("/api/v1/channel-codes/", {**base, "staff": ["ann", "cat"]}, format="json")
    assert answer.status_code == 400 and "cat" in str(answer.json()["staff"])
    answer = client.post("/api/v1/channel-codes/", {**base, "staff": ["ann"], "daily_cap": 0}, format="json")
    assert answer.status_code == 400 and answer.json() == {"daily_cap": ["至少为 1（留空表示不限）"]}
    answer = client.post(
        "/api/v1/channel-codes/", {**base, "staff": ["ann", "bob"], "daily_cap": 2, "tags": []}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["staff"] == ["ann", "bob"] and answer.json()["url"] == "/c/qr1/"


@pytest.mark.django_db
def test_operators_cannot_write_codes(client_for, operator, trio):
    answer = client_for(operator).post(
        "/api/v1/channel-codes/", {"code": "x", "name": "x", "staff": ["ann"]}, format="json"
    )
    assert answer.status_code == 403


@pytest.mark.django_db
def test_round_robin_takes_turns_until_every_cap_is_reached(client_for, manager, trio):
    ChannelCodeFactory(code="qr1", staff=trio, daily_cap=2, welcome="欢迎")
    client = client_for(manager)
    picked = [client.post("/api/v1/channel-codes/qr1/route/").json() for _ in range(6)]
    assert [p["staff"] for p in picked] == ["ann", "bob", "cat", "ann", "bob", "cat"]
    assert picked[0]["welcome"] == "欢迎"
    assert client.post("/api/v1/channel-codes/qr1/route/").status_code == 409
    assert sorted(ChannelScanCount.objects.values_list("scans", flat=True)) == [2, 2, 2]


@pytest.mark.django_db
def test_weighted_routing_follows_the_weights_and_skips_exited_staff(trio):
    trio[0].weight = Decimal("1")
    trio[1].weight = Decimal("3")
    trio[0].save()
    trio[1].save()
    trio[2].status = Staff.Status.EXITED  # left after the code was made: passed over
    trio[2].save()
    code = ChannelCodeFactory(code="qr1", staff=trio, routing="weighted")
    names = [channel_code_route(channel_code=code).staff.user.username for _ in range(8)]
    assert names.count("ann") == 2 and names.count("bob") == 6


@pytest.mark.django_db
def test_caps_count_per_local_day(trio):
    code = ChannelCodeFactory(code="qr1", staff=trio[:1], daily_cap=1)
    late = dt.datetime(2026, 11, 2, 23, 59, tzinfo=SHANGHAI)
    assert channel_code_route(channel_code=code, now=late).staff == trio[0]
    assert channel_code_route(channel_code=code, now=late).reason == "full"
    assert channel_code_route(channel_code=code, now=late + dt.timedelta(minutes=2)).staff == trio[0]


@pytest.mark.django_db
def test_landing_page_is_public_shows_the_routed_qr_and_counts_a_scan(client, trio):
    code = ChannelCodeFactory(code="qr1", staff=trio[:1], daily_cap=1, welcome="送您护膝指南")
    StaffContactQr.objects.create(staff=trio[0], image=SimpleUploadedFile("ann.png", PNG), content_type="image/png")
    page = client.get("/c/qr1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/png;base64," in html and "送您护膝指南" in html
    assert "http" not in html.split("<body>")[1]  # nothing fetched from elsewhere
    assert ChannelScanCount.objects.get(channel_code=code).scans == 1
    assert "名额已满" in client.get("/c/qr1/").content.decode()
    code.active = False
    code.save()
    assert "已结束" in client.get("/c/qr1/").content.decode()
    code.active = True
    code.save()
    trio[0].status = Staff.Status.EXITED
    trio[0].save()
    assert "暂无可添加的顾问" in client.get("/c/qr1/").content.decode()
    assert client.get("/c/nope/").status_code == 404


@pytest.mark.django_db
def test_poster_qr_as_svg_and_png(client, manager, trio):
    ChannelCodeFactory(code="qr1", staff=trio)
    client.force_login(manager.user)
    svg = client.get("/channels/qr1/poster.svg")
    png = client.get("/channels/qr1/poster.png")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get("/channels/qr1/poster.gif").status_code == 404


@pytest.mark.django_db
def test_contact_qr_upload_checks_the_image(client_for, trio):
    client = client_for(trio[0])
    bad = client.put(
        "/api/v1/staff/ann/contact-qr/", {"image": SimpleUploadedFile("x.png", b"not an image")}, format="multipart"
    )
    assert bad.status_code == 400 and "image" in bad.json()
    good = client.put("/api/v1/staff/ann/contact-qr/", {"image": SimpleUploadedFile("x.png", PNG)}, format="multipart")
    assert good.status_code == 200 and good.json()["content_type"] == "image/png"
    other = client.put("/api/v1/staff/bob/contact-qr/", {"image": SimpleUploadedFile("x.png", PNG)}, format="multipart")
    assert other.status_code == 403


@pytest.mark.django_db
def test_manager_page_lists_codes_with_their_report(client, manager, trio):
    ChannelCodeFactory(code="qr1", name="直播间", staff=trio)
    client.force_login(manager.user)
    page = client.get("/channels/")
    assert page.status_code == 200 and "直播间" in page.content.decode()
    client.force_login(trio[0].user)
    assert client.get("/channels/").status_code == 403

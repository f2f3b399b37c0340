"""Staff `wecom_userid` and groups `wecom_chat_id` through the API."""

from staff.models import Staff
from tests.campaigns.factories import GroupFactory
from tests.staff.factories import StaffFactory


def test_staff_wecom_userid_is_set_read_and_unique(manager, client_for):
    client = client_for(manager)
    StaffFactory(user__username="amy", wecom_userid="zhangsan")

    created = client.post(
        "/api/v1/staff/", {"username": "bob", "password": "Lisi-password-2026", "wecom_userid": "lisi"}, format="json"
    )
    assert created.status_code == 201 and created.json()["wecom_userid"] == "lisi"

    taken = client.patch("/api/v1/staff/bob/", {"wecom_userid": "zhangsan"}, format="json")
    assert taken.status_code == 400 and list(taken.json()) == ["wecom_userid"]

    # Several staff may have none.
    assert client.patch("/api/v1/staff/bob/", {"wecom_userid": ""}, format="json").status_code == 200
    assert client.patch("/api/v1/staff/boss/", {"wecom_userid": ""}, format="json").status_code == 200
    assert Staff.objects.get(user__username="bob").wecom_userid == ""
    assert client.get("/api/v1/staff/amy/").json()["wecom_userid"] == "zhangsan"


def test_group_wecom_chat_id_is_set_read_and_unique(manager, client_for):
    client = client_for(manager)
    GroupFactory(code="g1", name="一群", wecom_chat_id="wrA")

    created = client.post("/api/v1/groups/", {"code": "g2", "name": "二群", "wecom_chat_id": "wrB"}, format="json")
    assert created.status_code == 201 and created.json()["wecom_chat_id"] == "wrB"

    taken = client.patch("/api/v1/groups/g2/", {"wecom_chat_id": "wrA"}, format="json")
    assert taken.status_code == 400 and "wecom_chat_id" in str(taken.json())
    assert client.post("/api/v1/groups/", {"code": "g3", "name": "三群"}, format="json").status_code == 201
    assert client.post("/api/v1/groups/", {"code": "g4", "name": "四群"}, format="json").status_code == 201

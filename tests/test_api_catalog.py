"""Lead sources, tags, scripts and groups: CRUD by code, reads for all staff, writes for managers."""

import pytest

from customers.models import LeadSource, Tag, TagGroup
from tests.campaigns.factories import GroupFactory, ScriptFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory, TagFactory
from tests.staff.factories import StaffFactory

pytestmark = pytest.mark.django_db

CASES = [
    ("lead-sources", {"code": "dy-ads", "name": "抖音广告", "kind": "ads"}, {"name": "抖音信息流"}),
    ("tags", {"code": "lumbar", "name": "腰椎病", "group": "病症"}, {"group": "场景"}),
    (
        "scripts",
        {"code": "s-health", "name": "健康话术", "text": "您好，我是健康顾问", "active": True},
        {"active": False},
    ),
    ("groups", {"code": "g-knee", "name": "膝关节群", "owner": "op1"}, {"owner": None}),
]


@pytest.mark.parametrize(("endpoint", "payload", "change"), CASES)
def test_crud_by_code(client_for, manager, operator, endpoint, payload, change):
    client = client_for(manager)
    url = f"/api/v1/{endpoint}/"
    created = client.post(url, payload, format="json")
    assert created.status_code == 201, created.json()
    for field, value in payload.items():
        assert created.json()[field] == value

    code = payload["code"]
    assert client.get(f"{url}{code}/").json()["code"] == code
    updated = client.patch(f"{url}{code}/", change, format="json")
    assert updated.status_code == 200, updated.json()
    for field, value in change.items():
        assert updated.json()[field] == value

    duplicate = client.post(url, payload, format="json")
    assert duplicate.status_code == 400
    assert "code" in duplicate.json()

    listing = client.get(url).json()
    assert set(listing) == {"count", "next", "previous", "results"}
    assert code in [row["code"] for row in listing["results"]]

    assert client.delete(f"{url}{code}/").status_code == 204
    assert client.get(f"{url}{code}/").status_code == 404


@pytest.mark.parametrize(("endpoint", "payload", "change"), CASES)
def test_everyone_reads_only_managers_write(client_for, team_lead, operator, endpoint, payload, change):
    LeadSourceFactory(code="dy-ads", name="x", kind="ads")
    TagFactory(code="lumbar", name="x")
    ScriptFactory(code="s-health", name="x")
    GroupFactory(code="g-knee")
    url = f"/api/v1/{endpoint}/"
    for staff in (team_lead, operator):
        client = client_for(staff)
        assert client.get(url).json()["count"] == 1
        assert client.get(f"{url}{payload['code']}/").status_code == 200
        refused = client.post(url, {**payload, "code": "other"}, format="json")
        assert refused.status_code == 403
        assert refused.json()["detail"] == "只有运营负责人可以修改。"
        assert client.patch(f"{url}{payload['code']}/", change, format="json").status_code == 403
        assert client.delete(f"{url}{payload['code']}/").status_code == 403


def test_tag_group_is_created_from_its_name(client_for, manager):
    client = client_for(manager)
    client.post("/api/v1/tags/", {"code": "knee", "name": "退行性关节炎", "group": "病症"}, format="json")
    client.post("/api/v1/tags/", {"code": "waist", "name": "腰酸背痛", "group": "场景"}, format="json")
    client.post("/api/v1/tags/", {"code": "lumbar", "name": "腰椎病", "group": "病症"}, format="json")
    assert sorted(TagGroup.objects.values_list("name", flat=True)) == ["场景", "病症"]
    assert Tag.objects.get(code="lumbar").group.name == "病症"
    untagged = client.post("/api/v1/tags/", {"code": "misc", "name": "其他"}, format="json")
    assert untagged.json()["group"] is None


@pytest.mark.parametrize(
    ("endpoint", "payload", "field"),
    [
        ("lead-sources", {"code": "x", "name": "x", "kind": "radio"}, "kind"),
        ("lead-sources", {"code": "has space", "name": "x", "kind": "ads"}, "code"),
        ("lead-sources", {"name": "x", "kind": "ads"}, "code"),
        ("scripts", {"code": "x", "name": "x", "active": "perhaps"}, "active"),
        ("groups", {"code": "x", "owner": "ghost"}, "owner"),
        ("tags", {"code": "x", "name": "x", "group": 5}, "group"),
    ],
)
def test_bad_input_is_400_naming_the_field(client_for, manager, endpoint, payload, field):
    response = client_for(manager).post(f"/api/v1/{endpoint}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_malformed_json_is_400(client_for, manager):
    response = client_for(manager).post("/api/v1/scripts/", data='{"code": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_deleting_a_source_still_in_use_is_409_and_keeps_it(client_for, manager):
    source = LeadSourceFactory(code="tele")
    CustomerFactory(source=source)
    response = client_for(manager).delete("/api/v1/lead-sources/tele/")
    assert response.status_code == 409
    assert LeadSource.objects.filter(code="tele").exists()


def test_list_query_counts_are_constant(client_for, manager, django_assert_max_num_queries):
    tag_group = TagGroup.objects.create(name="病症")
    for _ in range(30):
        GroupFactory(owner=StaffFactory())
        TagFactory(group=tag_group)
    client = client_for(manager)
    # count + page (owners, users and tag groups joined in), whatever the number of rows; staff also
    # read every listed member's team history in one more query.
    for url, queries in (("/api/v1/groups/", 2), ("/api/v1/tags/", 2), ("/api/v1/staff/", 3)):
        with django_assert_max_num_queries(queries):
            response = client.get(url, {"page_size": 100})
        assert response.json()["count"] >= 30

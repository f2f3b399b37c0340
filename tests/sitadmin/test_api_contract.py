"""What the OpenAPI schema promises is what the API does: paging bounds, strict filters, strings that
are strings, codes that never change, decimals rounded to their places, RFC 3339 times. The
schemathesis run (test_schemathesis.py) checks the same against generated data; these pin each rule."""

import datetime as dt

import pytest

from campaigns.sop.models import SopTemplate
from tests.campaigns.channels.factories import ChannelCodeFactory
from tests.campaigns.factories import CampaignFactory, ScriptFactory
from tests.customers.factories import TagFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "5.0"}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
    ],
)
def test_page_and_page_size_out_of_bounds_are_400_naming_them(client_for, manager, query, field):
    response = client_for(manager).get("/api/v1/teams/", query)
    assert response.status_code == 400
    assert set(response.json()) == {field}


def test_empty_paging_parameters_mean_the_defaults(client_for, manager):
    TeamFactory.create_batch(3)
    client = client_for(manager)
    assert client.get("/api/v1/teams/", {"page": "", "page_size": ""}).json()["count"] >= 3
    assert len(client.get("/api/v1/teams/", {"page_size": 1000}).json()["results"]) >= 3
    assert client.get("/api/v1/teams/", {"page": 99}).status_code == 404


def test_a_page_size_above_1000_gives_pages_of_1000(client_for, manager):
    TagFactory.create_batch(1001)
    answer = client_for(manager).get("/api/v1/tags/", {"page_size": 5000}).json()
    assert (answer["count"], len(answer["results"])) == (1001, 1000)
    assert "page=2" in answer["next"]


def test_a_boolean_filter_refuses_what_it_cannot_read(client_for, manager):
    ScriptFactory(code="on", active=True)
    ScriptFactory(code="off", active=False)
    client = client_for(manager)
    for word, codes in (("true", ["on"]), ("false", ["off"]), ("1", ["on"]), ("", ["off", "on"])):
        answer = client.get("/api/v1/scripts/", {"active": word})
        assert sorted(row["code"] for row in answer.json()["results"]) == codes
    for word in ("maybe", "null", "yes"):
        answer = client.get("/api/v1/scripts/", {"active": word})
        assert answer.status_code == 400
        assert set(answer.json()) == {"active"}


def test_an_unknown_decision_filter_is_400(client_for, manager):
    answer = client_for(manager).get("/api/v1/evaluations/", {"decision": "promote"})
    assert answer.status_code == 400
    assert set(answer.json()) == {"decision"}
    assert client_for(manager).get("/api/v1/evaluations/", {"decision": "keep"}).status_code == 200


def test_a_number_is_not_a_text(client_for, manager):
    answer = client_for(manager).post("/api/v1/teams/", {"code": "t9", "name": 12}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"name"}


def test_a_blank_reference_in_json_is_400_and_null_clears_it(client_for, manager, operator):
    # DRF reads "" as null for HTML forms; the schema says a team code has at least one character.
    client = client_for(manager)
    url = f"/api/v1/staff/{operator.user.username}/"
    answer = client.patch(url, {"team": ""}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"team"}
    operator.refresh_from_db()
    assert operator.team is not None
    answer = client.patch(url, {"team": None}, format="json")
    assert answer.status_code == 200
    assert answer.json()["team"] is None
    # A form (a QueryDict) keeps DRF's reading: its empty select means no team.
    other = StaffFactory(user__username="op9", team=TeamFactory(code="t9"))
    answer = client.patch(f"/api/v1/staff/{other.user.username}/", {"team": ""})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["team"] is None


def test_put_without_the_code_keeps_the_one_in_the_url(client_for, manager):
    TeamFactory(code="t1", name="一组")
    answer = client_for(manager).put("/api/v1/teams/t1/", {"name": "二组"}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"code": "t1", "name": "二组"}


def test_channel_codes_campaigns_and_sop_templates_keep_their_codes(client_for, manager):
    # A channel code is printed on posters as /c/<code>/: renaming it would break every poster.
    ChannelCodeFactory(code="qr1", staff=[manager])
    CampaignFactory(code="camp1")
    SopTemplate.objects.create(code="sop1", name="s", trigger={"kind": "channel"}, steps=[])
    client = client_for(manager)
    for url in ("/api/v1/channel-codes/qr1/", "/api/v1/campaigns/camp1/", "/api/v1/sop-templates/sop1/"):
        answer = client.patch(url, {"code": "renamed"}, format="json")
        assert answer.status_code == 400, url
        assert set(answer.json()) == {"code"}
        assert client.patch(url, {"code": url.split("/")[-2]}, format="json").status_code == 200


def test_a_patched_trigger_needs_its_kind(client_for, manager):
    SopTemplate.objects.create(code="sop1", name="s", trigger={"kind": "channel"}, steps=[])
    answer = client_for(manager).patch("/api/v1/sop-templates/sop1/", {"trigger": {"tag": "vip"}}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()["trigger"]) == {"kind"}


def test_decimals_are_rounded_to_their_places_within_their_largest_value(client_for, manager):
    client = client_for(manager)
    answer = client.patch("/api/v1/dimensions/learning/", {"weight": 0.1 + 0.2}, format="json")
    assert answer.status_code == 200
    assert answer.json()["weight"] == 0.3
    assert client.patch("/api/v1/dimensions/learning/", {"weight": 2.675}, format="json").json()["weight"] == 2.68
    assert client.patch("/api/v1/dimensions/learning/", {"weight": 9999.99}, format="json").status_code == 200
    # The bounds hold for the number as sent, though each of these rounds to one inside them.
    for outside in (9999.996, 9999.990000000002, -4.7e-27):
        answer = client.patch("/api/v1/dimensions/learning/", {"weight": outside}, format="json")
        assert answer.status_code == 400, outside
        assert set(answer.json()) == {"weight"}
    assert client.get("/api/v1/dimensions/learning/").json()["weight"] == 9999.99


def test_a_text_longer_than_its_limit_as_sent_is_400(client_for, manager):
    # DRF would trim the spaces and then measure; the schema's maxLength is of the text as sent.
    client = client_for(manager)
    answer = client.post("/api/v1/groups/", {"code": "g9", "wecom_chat_id": "a" * 60 + " " * 5}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"wecom_chat_id"}
    answer = client.post("/api/v1/groups/", {"code": "g9", "wecom_chat_id": "a" * 60 + " " * 4}, format="json")
    assert answer.status_code == 201
    assert answer.json()["wecom_chat_id"] == "a" * 60


def test_a_time_before_1901_is_written_in_utc(client_for, manager):
    # Asia/Shanghai kept local mean time (+08:05:43) until 1901: an offset RFC 3339 cannot write.
    client = client_for(manager)
    template = {"code": "old", "name": "s", "trigger": {"kind": "channel"}}
    steps = [{"day": 0, "time": "09:00", "action": "call"}]
    body = {**template, "steps": steps, "active_from": "1800-01-01T08:05:43+08:05:43"}
    answer = client.post("/api/v1/sop-templates/", body, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["active_from"] == "1800-01-01T00:00:00Z"
    recent = client.patch("/api/v1/sop-templates/old/", {"active_from": "2026-11-01T09:00:00+08:00"}, format="json")
    assert recent.json()["active_from"] == "2026-11-01T09:00:00+08:00"
    assert SopTemplate.objects.get(code="old").active_from == dt.datetime(2026, 11, 1, 1, tzinfo=dt.UTC)


def test_the_schema_says_so(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    teams = schema["paths"]["/api/v1/teams/"]
    paging = {p["name"]: p for p in teams["get"]["parameters"]}
    assert paging["page_size"]["schema"] | {"type": "integer"} == {"type": "integer", "minimum": 1}
    assert paging["page"]["allowEmptyValue"] is True
    # A body without a file is JSON only; a file upload is multipart only.
    assert list(teams["post"]["requestBody"]["content"]) == ["application/json"]
    imports = schema["paths"]["/api/v1/imports/"]["post"]["requestBody"]["content"]
    assert list(imports) == ["multipart/form-data"]
    components = schema["components"]["schemas"]
    update = schema["paths"]["/api/v1/teams/{code}/"]["put"]["requestBody"]["content"]["application/json"]
    assert update["schema"]["$ref"] == "#/components/schemas/TeamUpdateRequest"
    assert "code" not in components["TeamUpdateRequest"]["properties"]
    assert "code" not in components["PatchedTeamRequest"]["properties"]
    assert components["TeamRequest"]["required"] == ["code", "name"]
    assert components["PatchedCustomerUpdateRequest"]["additionalProperties"] is False
    assert components["DimensionRequest"]["properties"]["weight"]["maximum"] == 9999.99

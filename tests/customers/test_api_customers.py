"""The customer API: scoping by role in every list, detail, filter and count; masking; PATCH history."""

import datetime as dt

import pytest
from django.utils import timezone

from customers.models import Customer, OwnershipPeriod, StageTransition, TagGroup
from customers.ownership.services import customers_assign_owner
from tests.customers.factories import CustomerFactory, LeadSourceFactory, TagFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/customers/"


@pytest.fixture
def org(manager, team_lead, operator):
    """t1: lead, op1 (3 customers), op2 (2); t2: op3 (4); one customer without owner. 10 in all."""
    op2 = StaffFactory(user__username="op2", team=team_lead.team)
    op3 = StaffFactory(user__username="op3", team=TeamFactory(code="t2"))
    tele = LeadSourceFactory(code="tele")
    ads = LeadSourceFactory(code="ads", kind="ads")
    illness = TagGroup.objects.create(name="病症")
    knee = TagFactory(code="knee", name="退行性关节炎", group=illness)
    TagFactory(code="waist", name="腰酸背痛")

    def make(n, owner, source, **fields):
        rows = [CustomerFactory(phone=f"1380000{len(made) + i:04d}", source=source, **fields) for i in range(n)]
        made.extend(rows)
        if owner is not None:
            customers_assign_owner(
                assignments={c.pk: owner.pk for c in rows},
                at=timezone.make_aware(dt.datetime(2026, 11, 1, 9, 0)),
                cause=OwnershipPeriod.Cause.IMPORT,
            )
        return rows

    made: list[Customer] = []
    op1_customers = make(2, operator, tele) + make(1, operator, ads, stage="fan", remark="20261120-张三-已加粉")
    op2_customers = make(2, op2, tele, stage="fan")
    op3_customers = make(4, op3, ads)
    nobody = make(1, None, tele, external_id="wm-ext-42")
    op1_customers[0].tags.add(knee)
    op2_customers[0].tags.add(knee)
    op3_customers[0].tags.add(knee)
    return {
        "op1": op1_customers,
        "op2": op2_customers,
        "op3": op3_customers,
        "nobody": nobody,
        "op2_staff": op2,
        "op3_staff": op3,
    }


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_list_counts_follow_the_role(client_for, manager, team_lead, operator, org):
    # manager: 3 + 2 + 4 + 1 = 10; lead of t1: op1's 3 + op2's 2 = 5; op1: 3; op3: 4.
    assert client_for(manager).get(URL).json()["count"] == 10
    lead = client_for(team_lead).get(URL)
    assert lead.json()["count"] == 5
    assert ids(lead) == {c.pk for c in org["op1"] + org["op2"]}
    mine = client_for(operator).get(URL)
    assert mine.json()["count"] == 3
    assert ids(mine) == {c.pk for c in org["op1"]}
    assert client_for(org["op3_staff"]).get(URL).json()["count"] == 4


def test_detail_and_patch_outside_scope_are_404(client_for, team_lead, operator, org):
    other = org["op2"][0].pk
    assert client_for(operator).get(f"{URL}{other}/").status_code == 404
    assert client_for(operator).patch(f"{URL}{other}/", {"remark": "x"}, format="json").status_code == 404
    far = org["op3"][0].pk
    assert client_for(team_lead).get(f"{URL}{far}/").status_code == 404
    assert client_for(team_lead).get(f"{URL}{org['nobody'][0].pk}/").status_code == 404
    assert client_for(team_lead).get(f"{URL}{org['op2'][0].pk}/").status_code == 200


def test_errors_speak_one_language_chinese_unless_english_is_chosen(client_for, operator, org):
    client = client_for(operator)
    other = org["op2"][0].pk
    mine = org["op1"][0].pk
    assert client.get(f"{URL}{other}/").json() == {"detail": "没有这个客户"}
    assert client.patch(f"{URL}{mine}/", {"phone": "1"}, format="json").json() == {
        "phone": "不能修改；可修改：stage, tags, owner, remark"
    }
    client.cookies["django_language"] = "en"
    assert client.get(f"{URL}{other}/").json() == {"detail": "no such customer."}
    assert client.patch(f"{URL}{mine}/", {"phone": "1"}, format="json").json() == {
        "phone": "cannot be changed; writable: stage, tags, owner, remark."
    }


def test_filters_stay_within_scope(client_for, manager, team_lead, operator, org):
    manager_client, lead_client, op_client = client_for(manager), client_for(team_lead), client_for(operator)
    # stage fan: op1 has 1, op2 has 2 -> manager 3, lead 3, op1 1.
    assert manager_client.get(URL, {"stage": "fan"}).json()["count"] == 3
    assert lead_client.get(URL, {"stage": "fan"}).json()["count"] == 3
    assert op_client.get(URL, {"stage": "fan"}).json()["count"] == 1
    # source ads: op1 1 + op3 4 = 5 for the manager, 1 for the lead and for op1.
    assert manager_client.get(URL, {"source": "ads"}).json()["count"] == 5
    assert lead_client.get(URL, {"source": "ads"}).json()["count"] == 1
    assert op_client.get(URL, {"source": "ads"}).json()["count"] == 1
    # owner: the lead asking for op3's customers (other team) sees none.
    assert manager_client.get(URL, {"owner": "op3"}).json()["count"] == 4
    assert lead_client.get(URL, {"owner": "op3"}).json()["count"] == 0
    assert lead_client.get(URL, {"owner": "op2"}).json()["count"] == 2
    assert op_client.get(URL, {"owner": "op2"}).json()["count"] == 0
    # tag knee: on one customer each of op1, op2, op3.
    assert manager_client.get(URL, {"tag": "knee"}).json()["count"] == 3
    assert lead_client.get(URL, {"tag": "knee"}).json()["count"] == 2
    assert op_client.get(URL, {"tag": "knee"}).json()["count"] == 1
    # combined: ads and fan -> only op1's third customer.
    assert ids(manager_client.get(URL, {"source": "ads", "stage": "fan"})) == {org["op1"][2].pk}


def test_empty_filter_parameters_mean_no_filter(client_for, manager, org):
    assert client_for(manager).get(URL, {"stage": "", "source": "", "owner": "", "search": ""}).json()["count"] == 10


def test_search_by_name_phone_external_id_and_remark(client_for, manager, operator, org):
    client = client_for(manager)
    target = org["op2"][1]
    assert ids(client.get(URL, {"search": target.name})) == {target.pk}
    # The same number written with a country prefix and dashes.
    assert ids(client.get(URL, {"search": f"+86 {target.phone[:3]}-{target.phone[3:7]}-{target.phone[7:]}"})) == {
        target.pk
    }
    assert ids(client.get(URL, {"search": "ext-42"})) == {org["nobody"][0].pk}
    assert ids(client.get(URL, {"search": "张三"})) == {org["op1"][2].pk}
    # op1 searching op2's number finds nothing.
    assert client_for(operator).get(URL, {"search": target.phone}).json()["count"] == 0


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("0086 13912345678", {"full"}),
        ("(86) 139.1234.5678", {"full"}),
        ("8613912345678", {"full"}),
        # Part of a number finds nothing: the whole number or its last four digits only.
        ("1234 5678", set()),
        ("86", set()),
        ("5678", {"full"}),
        ("0086", set()),
        ("8612345678", set()),
        ("8612345678901", set()),
    ],
)
def test_phone_search_drops_a_country_prefix_only_before_a_whole_number(client_for, manager, search, found):
    CustomerFactory(phone="13912345678", name="full")
    CustomerFactory(phone="13886000000", name="eighty-six")
    names = {row["name"] for row in client_for(manager).get(URL, {"search": search}).json()["results"]}
    assert names == found


@pytest.mark.parametrize(
    ("params", "field"),
    [({"stage": "vip"}, "stage"), ({"source": "nope"}, "source"), ({"owner": "ghost"}, "owner"), ({"tag": "x"}, "tag")],
)
def test_unknown_filter_values_are_400_naming_the_parameter(client_for, manager, org, params, field):
    response = client_for(manager).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_phone_is_masked_unless_manager_or_owner(client_for, manager, team_lead, operator, org):
    customer = org["op1"][0]
    masked = f"{customer.phone[:3]}****{customer.phone[-4:]}"
    assert client_for(manager).get(f"{URL}{customer.pk}/").json()["phone"] == customer.phone
    assert client_for(operator).get(f"{URL}{customer.pk}/").json()["phone"] == customer.phone
    assert client_for(team_lead).get(f"{URL}{customer.pk}/").json()["phone"] == masked
    lead_rows = {row["id"]: row["phone"] for row in client_for(team_lead).get(URL).json()["results"]}
    assert all("****" in phone for phone in lead_rows.values())
    assert lead_rows[customer.pk] == masked


def test_list_output_fields(client_for, manager, org):
    customer = org["op1"][0]
    row = client_for(manager).get(f"{URL}{customer.pk}/").json()
    assert {k: row[k] for k in ("phone", "name", "source", "owner", "stage", "stage_display", "tags")} == {
        "phone": customer.phone,
        "name": customer.name,
        "source": "tele",
        "owner": "op1",
        "stage": "lead",
        "stage_display": "线索",
        "tags": ["knee"],
    }
    assert set(row) >= {"id", "external_id", "remark", "created_at", "stage_history", "ownership_history"}


def test_patch_stage_records_a_manual_transition(client_for, operator, org):
    customer = org["op1"][0]
    response = client_for(operator).patch(f"{URL}{customer.pk}/", {"stage": "grouped"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "grouped"
    assert response.json()["stage_display"] == "已进群"
    transition = StageTransition.objects.get(customer=customer)
    assert (transition.from_stage, transition.to_stage, transition.cause) == ("lead", "grouped", "manual")
    assert transition.changed_by == operator.user
    history = response.json()["stage_history"]
    assert [(h["from_stage"], h["to_stage"], h["cause"], h["changed_by"]) for h in history] == [
        ("lead", "grouped", "manual", "op1")
    ]
    # The same stage again changes nothing and records nothing.
    client_for(operator).patch(f"{URL}{customer.pk}/", {"stage": "grouped"}, format="json")
    assert StageTransition.objects.filter(customer=customer).count() == 1


def test_patch_owner_keeps_ownership_history(client_for, manager, org):
    customer = org["op1"][0]
    response = client_for(manager).patch(f"{URL}{customer.pk}/", {"owner": "op3"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["owner"] == "op3"
    periods = list(OwnershipPeriod.objects.filter(customer=customer).order_by("started_at"))
    assert [(p.staff.username, p.cause, p.ended_at is None) for p in periods] == [
        ("op1", "import", False),
        ("op3", "manual", True),
    ]
    assert periods[0].ended_at == periods[1].started_at
    assert periods[1].changed_by == manager.user
    history = response.json()["ownership_history"]
    assert [(h["staff"], h["cause"]) for h in history] == [("op1", "import"), ("op3", "manual")]

    released = client_for(manager).patch(f"{URL}{customer.pk}/", {"owner": None}, format="json")
    assert released.json()["owner"] is None
    assert not OwnershipPeriod.objects.filter(customer=customer, ended_at__isnull=True).exists()


def test_owner_changes_by_role(client_for, team_lead, operator, org):
    customer = org["op1"][0]
    # A team lead assigns within the team only; an operator not at all.
    assert client_for(team_lead).patch(f"{URL}{customer.pk}/", {"owner": "op3"}, format="json").status_code == 403
    assert client_for(operator).patch(f"{URL}{customer.pk}/", {"owner": "op2"}, format="json").status_code == 403
    assert Customer.objects.get(pk=customer.pk).owner == operator
    # Echoing the current owner back is no change and is allowed to anyone who may edit the customer.
    echo = client_for(operator).patch(f"{URL}{customer.pk}/", {"owner": "op1", "remark": "ok"}, format="json")
    assert echo.status_code == 200
    assert OwnershipPeriod.objects.filter(customer=customer).count() == 1
    ok = client_for(team_lead).patch(f"{URL}{customer.pk}/", {"owner": "op2"}, format="json")
    assert ok.status_code == 200
    assert Customer.objects.get(pk=customer.pk).owner == org["op2_staff"]
    # A forbidden owner change saves nothing else of the same request either.
    client_for(operator).patch(f"{URL}{org['op1'][1].pk}/", {"owner": "op2", "remark": "x"}, format="json")
    assert Customer.objects.get(pk=org["op1"][1].pk).remark == ""


def test_patch_tags_and_remark(client_for, operator, org):
    customer = org["op1"][0]
    response = client_for(operator).patch(
        f"{URL}{customer.pk}/", {"tags": ["waist", "knee"], "remark": "20261121-李四-已加粉"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["tags"]) == ["knee", "waist"]
    assert response.json()["remark"] == "20261121-李四-已加粉"
    client_for(operator).patch(f"{URL}{customer.pk}/", {"tags": []}, format="json")
    assert Customer.objects.get(pk=customer.pk).tags.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"stage": "vip"}, "stage"),
        ({"tags": ["knee", "nope"]}, "tags"),
        ({"tags": "knee"}, "tags"),
        ({"owner": "ghost"}, "owner"),
        ({"owner": 12}, "owner"),
        ({"remark": ["a"]}, "remark"),
        ({"name": "改名"}, "name"),
    ],
)
def test_bad_patch_is_400_naming_the_field_and_saves_nothing(client_for, manager, org, payload, field):
    customer = org["op1"][0]
    # A valid change rides along; it must not be saved either.
    valid = {"stage": "fan"} if field == "remark" else {"remark": "kept?"}
    response = client_for(manager).patch(f"{URL}{customer.pk}/", {**valid, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    customer.refresh_from_db()
    assert (customer.remark, customer.stage) == ("", "lead")


def test_patch_to_an_exited_owner_is_400(client_for, manager, org):
    org["op2_staff"].status = "exited"
    org["op2_staff"].save()
    response = client_for(manager).patch(f"{URL}{org['op1'][0].pk}/", {"owner": "op2"}, format="json")
    assert response.status_code == 400
    assert "owner" in response.json()


def test_pagination_and_page_size(client_for, manager, org):
    first = client_for(manager).get(URL, {"page_size": 4}).json()
    assert first["count"] == 10
    assert len(first["results"]) == 4
    assert first["previous"] is None
    assert "page=2" in first["next"]
    # Newest first.
    assert [row["id"] for row in first["results"]] == sorted(ids_ := [row["id"] for row in first["results"]])[::-1]
    assert ids_


def test_list_query_count_does_not_grow_with_page_size(client_for, manager, django_assert_max_num_queries):
    source = LeadSourceFactory(code="bulk")
    tag = TagFactory(code="bulk-tag")
    owners = [StaffFactory() for _ in range(5)]
    customers = [CustomerFactory(source=source, owner=owners[i % 5]) for i in range(60)]
    for customer in customers:
        customer.tags.add(tag)
    client = client_for(manager)
    # count + page + tags prefetch, plus the viewer's staff row: 4 at most for 5 rows or 60.
    for page_size in (5, 60):
        with django_assert_max_num_queries(4):
            response = client.get(URL, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size


def test_detail_query_count_does_not_grow_with_history(client_for, manager, org, django_assert_max_num_queries):
    customer = org["op1"][0]
    client = client_for(manager)
    for stage in ("requested", "fan", "grouped", "buyer", "fan", "lost"):
        client.patch(
            f"{URL}{customer.pk}/", {"stage": stage, "owner": "op2" if stage == "fan" else "op1"}, format="json"
        )
    assert StageTransition.objects.filter(customer=customer).count() == 6
    # customer + tags + transitions + ownership periods, plus the viewer's staff row: 5 at most.
    with django_assert_max_num_queries(5):
        response = client.get(f"{URL}{customer.pk}/")
    assert len(response.json()["stage_history"]) == 6
    # import period, then op1 -> op2 -> op1 -> op2 -> op1 at each fan/other switch: 1 + 4 = 5 periods.
    assert len(response.json()["ownership_history"]) == 5

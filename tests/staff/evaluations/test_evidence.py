"""Evidence beside the evaluation form, on a hand-built case (KPI rows, remarks, SOP tasks)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from staff.evaluations.evidence import remark_complies, remark_pattern
from staff.models import Staff
from tests.campaigns.sop.factories import task as sop_task
from tests.customers.factories import CustomerFactory
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

SH = ZoneInfo("Asia/Shanghai")
D1, D2 = dt.date(2026, 11, 1), dt.date(2026, 11, 2)


def _kpi(date, username, **metrics):
    DailyKpiFactory(date=date, dimension="staff", key=username, computed_at=timezone.now(), **metrics)


@pytest.fixture
def case(team, team_lead, operator):
    """op1, op2, op3 in team t1 (lead also there); the cycle is D1..D2."""
    op2 = StaffFactory(team=team, user__username="op2")
    StaffFactory(team=team, user__username="op3")
    cycle = ReviewCycleFactory(code="nov", name="十一月上", starts_on=D1, ends_on=D2)
    _kpi(
        D1,
        "op1",
        requests=4,
        requests_converted=2,
        fan_rate=0.5,
        new_fans=2,
        new_fans_grouped=1,
        group_join_rate=0.5,
        fans_total=10,
        active_customers=2,
        activity_rate=0.2,
        chats=4,
        chats_replied=3,
        reply_rate=0.75,
        first_reply_minutes=2.0,
        revenue=Decimal("100"),
        headcount=1,
        revenue_per_head=100.0,
    )
    _kpi(
        D2,
        "op1",
        requests=6,
        requests_converted=4,
        fan_rate=4 / 6,
        new_fans=3,
        new_fans_grouped=2,
        group_join_rate=2 / 3,
        fans_total=12,
        active_customers=4,
        activity_rate=4 / 12,
        chats=2,
        chats_replied=1,
        reply_rate=0.5,
        first_reply_minutes=5.0,
        revenue=Decimal("200"),
        headcount=1,
        revenue_per_head=200.0,
    )
    _kpi(
        D2,
        "op2",
        requests=10,
        requests_converted=2,
        new_fans=4,
        new_fans_grouped=4,
        fans_total=20,
        active_customers=10,
        chats=10,
        chats_replied=10,
        first_reply_minutes=1.0,
        revenue=Decimal("500"),
        headcount=1,
    )
    _kpi(
        D2,
        "op3",
        requests=5,
        requests_converted=4,
        new_fans=0,
        new_fans_grouped=0,
        fans_total=10,
        active_customers=1,
        chats=0,
        chats_replied=0,
        revenue=Decimal("0"),
        headcount=1,
    )
    # The team lead has a payroll row (人效 0) but is no operator: left out of the team median.
    _kpi(D2, "lead", headcount=1, revenue=Decimal("0"), fans_total=0)
    # Another team's operator with huge figures does not move t1's median.
    StaffFactory(team=TeamFactory(code="t2"), user__username="far")
    _kpi(D2, "far", requests=1, requests_converted=1, revenue=Decimal("99999"), headcount=1)

    remarks = [
        "20261120-张三-已加粉",  # complies
        "20261120-李四-复购",  # complies: any stage label, not necessarily the current one
        "20261101-钱七-线索",  # complies
        "20261102-孙八-已进群",  # complies
        "20261340-王五-已加粉",  # month 13: no such date
        "",  # no remark
        "20261120-张-三-已加粉",  # the name may not contain "-"
        "20261120-赵六-已付款",  # not a stage label
    ]
    for i, remark in enumerate(remarks):
        CustomerFactory(owner=operator, remark=remark, phone=f"1380000{i:04d}")
    CustomerFactory(owner=op2, remark="bad")

    def at(day, hour, minute=0):
        return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)

    tasks = [
        (at(1, 10), at(1, 9)),  # on time
        (at(1, 18), at(1, 18)),  # done exactly at the due time: on time
        (at(2, 12), at(3, 0, 5)),  # done after its due day ended: late
        (at(2, 23, 30), None),  # open
        (at(3, 0, 30), at(3, 0, 10)),  # due after the cycle (local time): not counted
        (dt.datetime(2026, 10, 31, 23, 59, tzinfo=SH), None),  # due before the cycle: not counted
    ]
    for due, done in tasks:
        sop_task(staff=operator, due_at=due, done_at=done)
    sop_task(staff=op2, due_at=at(1, 10), done_at=None)
    return cycle


def test_evidence_figures(client_for, team_lead, case):
    response = client_for(team_lead).get("/api/v1/evaluations/evidence/", {"staff": "op1", "cycle": "nov"})
    assert response.status_code == 200
    body = response.json()
    metrics = {m["metric"]: m for m in body["metrics"]}
    # op1 over D1..D2, ratios of sums: fan_rate (2+4)/(4+6) = 0.6; group_join_rate (1+2)/(2+3) = 0.6;
    # activity_rate (2+4)/(10+12) = 6/22; reply_rate (3+1)/(4+2) = 4/6; first reply (2×3 + 5×1)/4 = 2.75;
    # 人效 (100+200) / headcount at D2 (1) = 300
    assert metrics["fan_rate"]["value"] == pytest.approx(0.6)
    assert metrics["group_join_rate"]["value"] == pytest.approx(0.6)
    assert metrics["activity_rate"]["value"] == pytest.approx(6 / 22)
    assert metrics["reply_rate"]["value"] == pytest.approx(4 / 6)
    assert metrics["first_reply_minutes"]["value"] == pytest.approx(2.75)
    assert metrics["revenue_per_head"]["value"] == pytest.approx(300)
    # Team medians over op1, op2, op3 (nulls left out):
    # fan_rate {0.6, 2/10, 4/5} → 0.6; group_join_rate {0.6, 4/4, null} → (0.6+1)/2 = 0.8;
    # activity {6/22, 10/20, 1/10} → 6/22; reply {4/6, 10/10, null} → (4/6+1)/2 = 5/6;
    # first reply {2.75, 1.0, null} → 1.875; 人效 {300, 500, 0} → 300 (the lead's 0 is not an operator's)
    assert metrics["fan_rate"]["team_median"] == pytest.approx(0.6)
    assert metrics["group_join_rate"]["team_median"] == pytest.approx(0.8)
    assert metrics["activity_rate"]["team_median"] == pytest.approx(6 / 22)
    assert metrics["reply_rate"]["team_median"] == pytest.approx(5 / 6)
    assert metrics["first_reply_minutes"]["team_median"] == pytest.approx(1.875)
    assert metrics["revenue_per_head"]["team_median"] == pytest.approx(300)
    assert metrics["group_join_rate"]["team_values"] == 2

    # Sparkline series: one value per day of the cycle, the stored daily rate.
    assert body["dates"] == ["2026-11-01", "2026-11-02"]
    assert body["series"]["fan_rate"] == pytest.approx([0.5, 4 / 6])

    # Remarks: 4 of op1's 8 customers comply → 0.5; the other 4 are listed with masked phones.
    remarks = body["remarks"]
    assert (remarks["customers"], remarks["compliant"], remarks["share"]) == (8, 4, 0.5)
    assert remarks["non_compliant_count"] == 4
    assert sorted(c["remark"] for c in remarks["non_compliant"]) == sorted(
        ["20261340-王五-已加粉", "", "20261120-张-三-已加粉", "20261120-赵六-已付款"]
    )
    assert all("****" in c["masked_phone"] for c in remarks["non_compliant"])
    assert "13800000004" not in response.content.decode()

    # SOP: 4 tasks due in the cycle; 2 on time, 1 late, 1 open → 0.5
    assert body["sop"] == {"due": 4, "done_on_time": 2, "done_late": 1, "open": 1, "share": 0.5}

    # Suggestions: execution = 10 × mean(0.5, 0.5) = 5.0;
    # user_ops = mean(6 × (4/6)/(5/6), 6 × 1) = mean(4.8, 6.0) = 5.4
    suggested = body["suggested_scores"]
    assert suggested["execution"]["score"] == 5.0
    assert suggested["user_ops"]["score"] == 5.4
    assert suggested["learning"]["score"] is None
    assert suggested["analysis"]["score"] is None
    assert suggested["product_selection"]["score"] is None


def test_evidence_scoping(client_for, manager, operator, case):
    op2 = Staff.objects.get(user__username="op2")
    assert client_for(manager).get("/api/v1/evaluations/evidence/", {"staff": "op1", "cycle": "nov"}).status_code == 200
    assert client_for(op2).get("/api/v1/evaluations/evidence/", {"staff": "op1", "cycle": "nov"}).status_code == 404
    far = Staff.objects.get(user__username="far")
    outsider_lead = StaffFactory(team=far.team, role=Staff.Role.TEAM_LEAD)
    assert (
        client_for(outsider_lead).get("/api/v1/evaluations/evidence/", {"staff": "op1", "cycle": "nov"}).status_code
        == 404
    )
    missing = client_for(manager).get("/api/v1/evaluations/evidence/", {"staff": "op1"})
    assert missing.status_code == 400 and "cycle" in missing.json()


def test_no_data_gives_no_suggestion(client_for, manager, team):
    newbie = StaffFactory(team=team, user__username="newbie")
    ReviewCycleFactory(code="empty", name="空", starts_on=D1, ends_on=D2)
    body = client_for(manager).get("/api/v1/evaluations/evidence/", {"staff": newbie.username, "cycle": "empty"}).json()
    assert all(m["value"] is None for m in body["metrics"])
    assert body["remarks"]["share"] is None and body["sop"]["share"] is None
    assert body["suggested_scores"]["execution"]["score"] is None
    assert body["suggested_scores"]["user_ops"]["score"] is None
    assert body["series"]["reply_rate"] == [None, None]


@pytest.mark.parametrize(
    ("fmt", "remark", "ok"),
    [
        ("{date:%Y%m%d}-{name}-{stage}", "20261120-张三-已加粉", True),
        ("{date:%Y%m%d}-{name}-{stage}", " 20261120-张三-已加粉 ", True),
        ("{date:%Y%m%d}-{name}-{stage}", "20261120-张三-fan", False),
        ("{date:%Y%m%d}-{name}-{stage}", "2026112-张三-已加粉", False),
        ("{date:%Y%m%d}-{name}-{stage}", "20260229-张三-已加粉", False),
        ("{date:%Y%m%d}-{name}-{stage}", "20261120--已加粉", False),
        ("{stage}/{name}/{date:%Y-%m-%d}", "复购/李四/2026-02-28", True),
        ("{stage}/{name}/{date:%Y-%m-%d}", "复购/李四/20260228", False),
    ],
)
def test_remark_format(fmt, remark, ok):
    pattern, date_format = remark_pattern(remark_format=fmt)
    assert remark_complies(remark=remark, pattern=pattern, date_format=date_format) is ok


def test_running_cycle_is_read_up_to_the_last_computed_day(client_for, manager, case):
    ReviewCycleFactory(code="running", name="进行中", starts_on=D1, ends_on=dt.date(2026, 11, 30))
    for day in (D1, D2):
        KpiComputationFactory(date=day, computed_at=timezone.now())
    body = client_for(manager).get("/api/v1/evaluations/evidence/", {"staff": "op1", "cycle": "running"}).json()
    metrics = {m["metric"]: m for m in body["metrics"]}
    # Read over D1..D2 (computed), so 人效 = (100 + 200) / headcount at D2 (1) = 300, not null for lack of a D30 row
    assert metrics["revenue_per_head"]["value"] == pytest.approx(300)
    assert body["date_to"] == "2026-11-02"
    assert body["dates"] == ["2026-11-01", "2026-11-02"]

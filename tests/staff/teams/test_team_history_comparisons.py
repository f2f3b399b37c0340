"""The staff board and the evaluation evidence set a transferred operator against the team they were in."""

import datetime as dt

import pytest

from metrics.dashboard.pages import staff_board_for
from staff.evaluations.evidence import staff_kpi_evidence
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 11, 10)


@pytest.fixture
def moved_ben(client_for, manager):
    """amy and ben in t1, cat in t2; on D amy converted 2 of 10, ben 4 of 10, cat 8 of 10; ben moves to t2 today."""
    t1, t2 = TeamFactory(code="t1", name="一组"), TeamFactory(code="t2", name="二组")
    ben = StaffFactory(user__username="ben", team=t1)
    StaffFactory(user__username="amy", team=t1)
    StaffFactory(user__username="cat", team=t2)
    for username, converted in (("amy", 2), ("ben", 4), ("cat", 8)):
        DailyKpiFactory(
            date=D, dimension="staff", key=username, requests=10, requests_converted=converted, fan_rate=converted / 10
        )
    assert client_for(manager).patch("/api/v1/staff/ben/", {"team": "t2"}, format="json").status_code == 200
    return ben


def test_evidence_uses_the_team_at_the_end_of_the_cycle(moved_ben):
    cycle = ReviewCycleFactory(code="c1", name="十一月上", starts_on=dt.date(2026, 11, 1), ends_on=D)
    evidence = staff_kpi_evidence(staff=moved_ben, cycle=cycle)
    fan = next(m for m in evidence["metrics"] if m["metric"] == "fan_rate")
    # Against t1 (amy 0.2, ben 0.4): median 0.3; against today's t2 (ben 0.4, cat 0.8) it would be 0.6.
    assert fan["value"] == pytest.approx(0.4)
    assert fan["team_median"] == pytest.approx(0.3)
    assert fan["team_values"] == 2


def test_staff_board_shows_the_team_of_the_range(moved_ben, manager):
    board = staff_board_for(user=manager.user, date_from=D, date_to=D)
    teams = {row["username"]: row["team"] for row in board["rows"]}
    assert teams == {"amy": "一组", "ben": "一组", "cat": "二组"}
    ben = next(row for row in board["rows"] if row["username"] == "ben")
    fan = [m for m, _label, _kind in board["metrics"]].index("fan_rate")
    # ben's 40.0% against t1's median of amy's 20.0% and his own 40.0%: 30.0%.
    assert (ben["cells"][fan]["text"], ben["cells"][fan]["median"]) == ("40.0%", "30.0%")

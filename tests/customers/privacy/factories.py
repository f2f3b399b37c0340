"""A small world for personal-data tests: two teams, their leads and operators, one customer each."""

from staff.models import Staff
from tests.customers.factories import CustomerFactory
from tests.staff.factories import StaffFactory, TeamFactory


def two_teams() -> dict:
    t1, t2 = TeamFactory(code="t1", name="一组"), TeamFactory(code="t2", name="二组")
    world = {
        "t1": t1,
        "t2": t2,
        "manager": StaffFactory(user__username="boss", role=Staff.Role.MANAGER, team=None),
        "lead1": StaffFactory(user__username="lead1", role=Staff.Role.TEAM_LEAD, team=t1),
        "lead2": StaffFactory(user__username="lead2", role=Staff.Role.TEAM_LEAD, team=t2),
        "op1": StaffFactory(user__username="op1", role=Staff.Role.OPERATOR, team=t1),
        "op2": StaffFactory(user__username="op2", role=Staff.Role.OPERATOR, team=t2),
    }
    world["c1"] = CustomerFactory(phone="13912344512", name="一组客户", owner=world["op1"])
    world["c2"] = CustomerFactory(phone="13987654321", name="二组客户", owner=world["op2"], remark="")
    return world

"""`manage.py import_leads`: imports a file now and reports each row's outcome."""

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer, ImportJob
from staff.models import Staff
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_import_leads_with_weighted_allocation(tmp_path, team, capsys):
    LeadSourceFactory(code="ads")
    StaffFactory(user__username="ann", team=team, role=Staff.Role.OPERATOR, weight=2)
    StaffFactory(user__username="bob", team=team, role=Staff.Role.OPERATOR, weight=1)
    path = tmp_path / "线索.csv"
    rows = [f"1350000{i:04d}" for i in range(9)] + ["1350000", "13500000000"]
    path.write_text("手机号\n" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_leads", str(path), "--source", "ads", "--team", "t1", "--allocation", "weighted")
    out = capsys.readouterr().out
    # 11 rows: 9 created, 1 invalid (7 digits), 1 duplicate (13500000000 is row 2 again).
    assert "11 rows: 9 created, 0 updated, 1 duplicates, 1 invalid; 0 unassigned" in out
    # Weights 2:1 over 9 new customers: 6 for ann, 3 for bob.
    owners = sorted(Customer.objects.values_list("owner__user__username", flat=True))
    assert owners == ["ann"] * 6 + ["bob"] * 3
    assert ImportJob.objects.get().status == "done"


def test_import_leads_capacity_leftovers(tmp_path, team, capsys):
    LeadSourceFactory(code="ads")
    StaffFactory(user__username="ann", team=team, role=Staff.Role.OPERATOR, capacity=2)
    StaffFactory(user__username="bob", team=team, role=Staff.Role.OPERATOR, capacity=1)
    path = tmp_path / "leads.csv"
    path.write_text("phone\n" + "\n".join(f"1350000{i:04d}" for i in range(5)) + "\n", encoding="utf-8")
    call_command("import_leads", str(path), "--source", "ads", "--team", "t1", "--allocation", "capacity")
    # Room for 2 + 1 = 3 of the 5 new customers; 2 stay unassigned.
    assert "5 created" in capsys.readouterr().out
    job = ImportJob.objects.get()
    assert job.unassigned == 2
    assert Customer.objects.filter(owner__isnull=True).count() == 2


def test_import_leads_bad_input(tmp_path):
    LeadSourceFactory(code="ads")
    path = tmp_path / "leads.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少手机号列"):
        call_command("import_leads", str(path), "--source", "ads")
    with pytest.raises(CommandError, match="unknown lead source"):
        call_command("import_leads", str(path), "--source", "nope")
    with pytest.raises(CommandError, match="--allocation needs --team"):
        call_command("import_leads", str(path), "--source", "ads", "--allocation", "round_robin")

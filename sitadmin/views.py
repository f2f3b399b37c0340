from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from campaigns.models import SopTask
from customers.selectors import customer_list_for
from metrics.dashboard.views import overview
from sitadmin.dates import day_bounds
from staff.models import Staff
from staff.roles import role_for, staff_for

HOME_CUSTOMERS = 10


@login_required
def home(request):
    """Managers and team leads land on the KPI overview; an operator on their customers and today's SOP tasks."""
    role, staff = role_for(request.user), staff_for(request.user)
    # A team lead without a team has no team figures to show: they get the operator's home.
    if role == Staff.Role.MANAGER or (role == Staff.Role.TEAM_LEAD and staff.team_id):
        return overview(request)
    tasks, customers = [], []
    if staff is not None:
        start_of_today, end_of_today = day_bounds(timezone.localdate())
        # Due today, plus anything overdue and still open: an operator's to-do list for the day.
        tasks = list(
            SopTask.objects.filter(staff=staff, due_at__lt=end_of_today)
            .filter(Q(done_at__isnull=True) | Q(due_at__gte=start_of_today))
            .select_related("customer", "group")
            .order_by("done_at", "due_at")[:50]
        )
        customers = list(customer_list_for(user=request.user, filters={})[:HOME_CUSTOMERS])
    return render(request, "home.html", {"staff": staff, "tasks": tasks, "customers": customers, "now": timezone.now()})

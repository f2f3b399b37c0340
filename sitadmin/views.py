from django.contrib.auth.decorators import login_required

from campaigns.sop.views import workbench_page
from metrics.dashboard.views import overview
from staff.models import Staff
from staff.roles import role_for, staff_for


@login_required
def home(request):
    """Managers and team leads land on the KPI overview; an operator on their SOP workbench and customers."""
    role, staff = role_for(request.user), staff_for(request.user)
    # A team lead without a team has no team figures to show: they get the operator's home.
    if role == Staff.Role.MANAGER or (role == Staff.Role.TEAM_LEAD and staff.team_id):
        return overview(request)
    return workbench_page(request)

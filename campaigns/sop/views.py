"""The operator's workbench (工作台): today's and overdue SOP tasks, grouped by customer, each with its
content ready to copy and a 完成 button (htmx swaps the workbench in place)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.sop.completion import TaskAlreadyDone, sop_task_mark_done
from campaigns.sop.models import SopTask
from campaigns.sop.selectors import sop_task_get_for, sop_workbench
from customers.selectors import customer_list_for
from staff.roles import staff_for

HOME_CUSTOMERS = 10


def workbench_page(request):
    """The home page of an operator (and of a team lead without a team)."""
    staff = staff_for(request.user)
    context = {"staff": staff, "customers": []}
    if staff is not None:
        context.update(sop_workbench(staff=staff))
        context["customers"] = list(customer_list_for(user=request.user, filters={})[:HOME_CUSTOMERS])
    return render(request, "home.html", context)


@login_required
@require_POST
def task_done(request, task_id: int):
    """Mark one of the viewer's tasks done; htmx gets the workbench back, a plain form the home page."""
    try:
        task = sop_task_get_for(user=request.user, task_id=task_id)
    except SopTask.DoesNotExist:
        raise Http404(_("没有这个任务")) from None
    try:
        sop_task_mark_done(task_id=task.pk, by=staff_for(request.user))
    except TaskAlreadyDone:
        if not request.headers.get("HX-Request"):
            return redirect("home")
        return HttpResponse(_("任务已完成"), status=409)
    if not request.headers.get("HX-Request"):
        return redirect("home")
    staff = staff_for(request.user)
    return render(request, "sop/_workbench.html", {"staff": staff, **sop_workbench(staff=staff)})

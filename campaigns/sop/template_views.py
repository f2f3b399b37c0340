"""The managers' SOP template builder (SOP 模板): trigger and steps row by row (day, time, action,
content), a preview of the schedule they give, and the same checks as the API (errors by field)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Group
from campaigns.sop.engine import STAGE_RANK
from campaigns.sop.models import SopTemplate
from campaigns.sop.serializers import STEP_ACTIONS, SopTemplateSerializer
from campaigns.sop.services import sop_template_create, sop_template_update
from campaigns.sop.tasks_build import schedule_preview
from customers.models import Stage, Tag
from staff.roles import is_manager

BLANK_STEP = {"day": 0, "time": "10:00", "action": "private_message", "content": ""}


def _manager(request) -> None:
    if not is_manager(request.user):
        raise PermissionDenied(_("只有运营负责人可以编辑 SOP 模板"))


def _posted(request) -> dict:
    """The builder's form as the API's JSON: steps from the repeated day/time/action/content fields."""
    post = request.POST
    steps = [
        {"day": day, "time": time, "action": action, "content": content}
        for day, time, action, content in zip(
            post.getlist("day"), post.getlist("time"), post.getlist("action"), post.getlist("content"), strict=False
        )
        if day.strip() or content.strip()
    ]
    kind = post.get("kind", "")
    trigger = {"kind": kind}
    if kind in ("stage", "tag"):
        trigger[kind] = post.get(kind, "")
    elif kind == "group_joined":
        trigger["group"] = post.get("group") or None
    data = {"code": post.get("code", "").strip(), "name": post.get("name", "").strip(), "trigger": trigger}
    data.update(steps=steps, active=post.get("active") == "on", description=post.get("description", ""))
    if post.get("active_from"):
        data["active_from"] = post["active_from"]
    return data


def _context(*, values: dict, errors: dict | None = None, template: SopTemplate | None = None) -> dict:
    return {
        "values": values,
        "steps": values.get("steps") or [BLANK_STEP],
        "errors": errors or {},
        "template": template,
        "stages": [(code, Stage(code).label) for code in STAGE_RANK],
        "groups": Group.objects.values_list("code", "name"),
        "tags": Tag.objects.values_list("code", "name"),
        "actions": STEP_ACTIONS,
        "kinds": SopTemplate.TriggerKind.choices,
    }


@login_required
def template_list(request):
    _manager(request)
    return render(request, "sop/templates.html", {"templates": SopTemplate.objects.all()})


@login_required
def template_edit(request, code: str | None = None):
    _manager(request)
    template = get_object_or_404(SopTemplate, code=code) if code else None
    if request.method == "POST":
        values = _posted(request)
        serializer = SopTemplateSerializer(instance=template, data=values)
        if serializer.is_valid():
            if template is None:
                sop_template_create(data=serializer.validated_data)
            else:
                sop_template_update(template=template, data=serializer.validated_data)
            return redirect("sop-templates")
        return render(
            request,
            "sop/template_form.html",
            _context(values=values, errors=serializer.errors, template=template),
            status=400,
        )
    values = SopTemplateSerializer(template).data if template else {"active": True, "trigger": {"kind": "stage"}}
    return render(request, "sop/template_form.html", _context(values=values, template=template))


@login_required
def template_preview(request):
    """htmx: the schedule the posted steps give for a trigger today at 15:00 (or errors by field)."""
    _manager(request)
    values = _posted(request)
    serializer = SopTemplateSerializer(
        data={**values, "code": values["code"] or "preview", "name": values["name"] or "-"}
    )
    trigger_at = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    if not serializer.is_valid():
        return render(request, "sop/_preview.html", {"errors": serializer.errors, "trigger_at": trigger_at})
    steps = serializer.validated_data["steps"]
    return render(
        request,
        "sop/_preview.html",
        {"rows": schedule_preview(steps=steps, trigger_at=trigger_at), "trigger_at": trigger_at, "errors": {}},
    )


@login_required
def template_step_row(request):
    """htmx: one more blank step row."""
    _manager(request)
    return render(request, "sop/_step_row.html", {"step": BLANK_STEP, "actions": STEP_ACTIONS})

"""Lead-import pages (导入线索): upload a list, watch its progress, download its row report.

Managers and team leads only; a team lead imports into their own team and sees their own imports
and their team's. The progress partial is polled by htmx until the job is done or failed.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from customers.imports.messages import message_text
from customers.imports.readers import ImportFileError
from customers.imports.selectors import import_can_create, import_jobs_for
from customers.imports.services import import_job_create
from customers.models import ImportJob, LeadSource
from staff.audit.services import audit_record
from staff.models import Staff, Team
from staff.roles import role_for, staff_for

RECENT_JOBS = 20


class TeamChoiceField(forms.ModelChoiceField):
    """Teams by their name (一组), as everywhere in the pages; the code stays the submitted value."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件 (CSV / XLSX)"))
    source = forms.ModelChoiceField(LeadSource.objects.all(), to_field_name="code", label=_("线索来源"))
    team = TeamChoiceField(Team.objects.all(), to_field_name="code", required=False, label=_("分配到团队"))
    allocation = forms.ChoiceField(
        choices=ImportJob.Allocation.choices, initial="none", required=False, label=_("分配方式")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if role_for(user) == Staff.Role.TEAM_LEAD:
            own = staff_for(user).team
            self.fields["team"].queryset = Team.objects.filter(pk=own.pk if own else None)
            # The field submits codes: preselect the lead's own team by its code.
            self.fields["team"].initial = own.code if own else None

    def clean(self):
        data = super().clean()
        data["allocation"] = data.get("allocation") or ImportJob.Allocation.NONE
        if data["allocation"] != ImportJob.Allocation.NONE and not data.get("team"):
            self.add_error("team", _("分配需要团队"))
        return data


def _require_importer(user) -> None:
    if not import_can_create(user=user):
        raise PermissionDenied(_("只有运营负责人和组长可以导入线索。"))


@login_required
def import_page(request):
    _require_importer(request.user)
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_job_create(
                    file=upload,
                    file_name=upload.name,
                    source=form.cleaned_data["source"],
                    team=form.cleaned_data["team"],
                    allocation=form.cleaned_data["allocation"],
                    created_by=request.user,
                )
            except ImportFileError as exc:
                form.add_error("file", message_text(str(exc)))
            else:
                audit_record(
                    action="import", request=request, object_repr=f"import:{job.pk}", detail={"file": job.file_name}
                )
                return redirect(f"{reverse('imports')}?job={job.pk}")
        status = 400
    else:
        form = ImportForm(user=request.user)
    jobs = list(import_jobs_for(user=request.user)[:RECENT_JOBS])
    for job in jobs:
        job.error_text = message_text(job.error)
    current = next((job for job in jobs if str(job.pk) == request.GET.get("job")), None)
    context = {"form": form, "jobs": jobs, "current": current, "has_sources": LeadSource.objects.exists()}
    return render(request, "imports/page.html", context, status=status)


@login_required
def import_progress(request, job_id: int):
    _require_importer(request.user)
    job = get_object_or_404(import_jobs_for(user=request.user), pk=job_id)
    job.error_text = message_text(job.error)
    return render(request, "imports/_progress.html", {"job": job})

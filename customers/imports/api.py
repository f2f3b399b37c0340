"""Lead-import API (docs/domain.md §Imports): upload, follow a job, download its row report, run it again."""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import get_language, gettext, gettext_lazy, override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from customers.imports.messages import message_text
from customers.imports.readers import ImportFileError
from customers.imports.selectors import import_can_create, import_jobs_for, import_row_report
from customers.imports.serializers import ImportCreateSerializer, ImportJobSerializer
from customers.imports.services import import_job_create, import_job_retry
from customers.models import ImportJob
from sitadmin.spreadsheets import cell_safe
from staff.audit.services import audit_record
from staff.models import Staff
from staff.permissions import IsStaffMember
from staff.roles import role_for, staff_for

REPORT_HEADER = [gettext_lazy("行号"), gettext_lazy("值"), gettext_lazy("未导入原因")]


class CanImport(IsStaffMember):
    message = gettext_lazy("只有运营负责人和组长可以导入线索。")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and import_can_create(user=request.user)


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lead imports (线索导入). Managers see every import, team leads their own and their team's."""

    permission_classes = [CanImport]
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return import_jobs_for(user=self.request.user)

    @extend_schema(request=ImportCreateSerializer, responses={202: ImportJobSerializer})
    def create(self, request):
        """Upload a CSV or XLSX; `202` with the job. Small files are already imported in the answer."""
        form = ImportCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        team = _team_for_upload(request.user, data.get("team"))
        if data["allocation"] != ImportJob.Allocation.NONE and team is None:
            raise ValidationError({"team": [gettext("分配需要团队")]})
        upload = data["file"]
        try:
            job = import_job_create(
                file=upload,
                file_name=upload.name,
                source=data["source"],
                team=team,
                allocation=data["allocation"],
                created_by=request.user,
            )
        except ImportFileError as exc:
            raise ValidationError({"file": [message_text(str(exc))]}) from exc
        audit_record(action="import", request=request, object_repr=f"import:{job.pk}", detail=_import_detail(job))
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], url_path="errors")
    def errors(self, request, pk=None):
        """The rows that were not imported, as CSV (UTF-8 with BOM): row number, value, reason."""
        job = self.get_object()
        audit_record(
            action="export", request=request, object_repr=f"import:{job.pk}", detail={"report": "import_errors"}
        )
        lines = _report_lines(job, request.user, language=get_language())
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
        return response

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"], url_path="retry")
    def retry(self, request, pk=None):
        """Run a failed or interrupted import again; it ends as one clean run would."""
        job = import_job_retry(job=self.get_object())
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _team_for_upload(user, team):
    """A team lead imports into their own team (the default); a manager into any team or none."""
    if role_for(user) != Staff.Role.TEAM_LEAD:
        return team
    own = staff_for(user).team
    if team is not None and team != own:
        raise PermissionDenied(gettext("组长只能导入到本组。"))
    return own


def _import_detail(job: ImportJob) -> dict:
    return {"file": job.file_name, "source": job.source.code, "team": job.team.code if job.team else None}


class _Echo:
    def write(self, value):
        return value


def _report_lines(job, user, *, language: str):
    """The report in the requester's language: the response streams after the request has ended."""
    writer = csv.writer(_Echo())
    with override(language):
        # The BOM lets Excel open the Chinese text as UTF-8.
        yield "\ufeff" + writer.writerow([str(h) for h in REPORT_HEADER])
        for row_number, value, reason in import_row_report(job=job, user=user):
            yield writer.writerow([cell_safe(row_number), cell_safe(value), cell_safe(message_text(reason))])

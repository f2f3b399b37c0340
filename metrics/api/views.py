"""KPI and report APIs (docs/metrics.md, §5): thin views over `metrics.selectors` and the KPI tasks.

Every answer is scoped with `kpi_keys_visible` and says which days it covers and when they were
computed; cohort metrics of the last W-1 days are marked provisional: each daily row carries
`provisional`, a summary row too when its range reaches such a day, and `coverage` lists the days.
"""

import uuid

from celery.result import AsyncResult
from django.db import transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from metrics import selectors
from metrics.api.serializers import FORMATS, DateRangeSerializer, KpiQuerySerializer, RecomputeSerializer
from metrics.catalog import ALL_METRICS
from metrics.models import Dimension
from metrics.tasks import compute_kpis_range
from sitadmin.celery import app as celery_app
from sitadmin.pagination import PageSizePagination
from sitadmin.spreadsheets import CsvRenderer, XlsxRenderer
from staff import permissions
from staff.audit.services import audit_record
from staff.roles import is_manager

RANGE_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="first day (YYYY-MM-DD); default: date_to - 6"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="last day (YYYY-MM-DD); default: yesterday"),
]
KPI_PARAMETERS = [
    *RANGE_PARAMETERS,
    OpenApiParameter("dimension", OpenApiTypes.STR, enum=Dimension.values, description="default org"),
    OpenApiParameter("key", OpenApiTypes.STR, description="one team/staff/source/script/group code"),
    OpenApiParameter("format", OpenApiTypes.STR, enum=FORMATS, description="json (paginated), csv or xlsx"),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="up to 1000"),
]


class IsManager(permissions.IsManager):
    message = "Only managers may recompute KPIs."


def _validated(serializer_class, data) -> dict:
    if hasattr(data, "getlist"):
        # A query parameter sent empty (`?dimension=`) counts as not sent, as on every other list.
        data = {name: value for name, value in data.items() if value != ""}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _coverage(params: dict) -> dict:
    coverage = selectors.kpi_coverage(date_from=params["date_from"], date_to=params["date_to"])
    return {
        **coverage,
        "provisional_metrics": ["requests_converted", "fan_rate", "new_fans_grouped", "group_join_rate"],
    }


def _visible_keys(user, dimension: str, key: str | None) -> list[str] | None:
    visible = selectors.kpi_keys_visible(user=user, dimension=dimension)
    if key is not None:
        if visible is not None and key not in visible:
            raise PermissionDenied(f"key: you may not read {dimension} '{key}'.")
        return [key]
    if visible is not None and not visible:
        raise PermissionDenied(f"dimension: you may not read the dimension '{dimension}'.")
    return None if visible is None else sorted(visible)


class _KpiExportApi(APIView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CsvRenderer, XlsxRenderer]
    leading_columns: tuple[str, ...] = ()
    name_prefix = "kpis"

    def perform_content_negotiation(self, request, force=False):
        fmt = request.query_params.get("format")
        if not force and fmt and fmt not in FORMATS:
            raise ValidationError({"format": f"'{fmt}' is not one of {', '.join(FORMATS)}."})
        return super().perform_content_negotiation(request, force)

    def answer(self, request, params: dict, rows: list[dict]) -> Response:
        paginator = PageSizePagination()
        if params["format"] != "json":
            paginator.check_query_params(request)
            filename = f"{self.name_prefix}-{params['dimension']}-{params['date_from']}-{params['date_to']}"
            response = Response({"columns": [*self.leading_columns, *ALL_METRICS], "rows": rows})
            response["Content-Disposition"] = f'attachment; filename="{filename}.{params["format"]}"'
            audit_record(action="export", request=request, object_repr=f"{filename}.{params['format']}", detail=params)
            return response
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response(page)
        response.data["coverage"] = _coverage(params)
        return response


class KpiDailyApi(_KpiExportApi):
    """Daily KPI rows of one dimension (docs/metrics.md): `date`, `dimension`, `key` and every metric."""

    leading_columns = ("date", "dimension", "key")
    name_prefix = "kpis-daily"

    @extend_schema(parameters=KPI_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = _validated(KpiQuerySerializer, request.query_params)
        keys = _visible_keys(request.user, params["dimension"], params.get("key"))
        rows = selectors.kpi_daily(
            dimension=params["dimension"], date_from=params["date_from"], date_to=params["date_to"], keys=keys
        )
        provisional_since = selectors.kpi_provisional_since()
        for row in rows:
            row["provisional"] = row["date"] >= provisional_since
        return self.answer(request, params, rows)


class KpiSummaryApi(_KpiExportApi):
    """One row per key with the range summary of docs/metrics.md (sums, state at date_to, ratios of sums)."""

    leading_columns = ("dimension", "key")
    name_prefix = "kpis-summary"

    @extend_schema(parameters=KPI_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = _validated(KpiQuerySerializer, request.query_params)
        keys = _visible_keys(request.user, params["dimension"], params.get("key"))
        rows = selectors.kpi_summary(
            dimension=params["dimension"], date_from=params["date_from"], date_to=params["date_to"], keys=keys
        )
        provisional = params["date_to"] >= selectors.kpi_provisional_since()
        for row in rows:
            row["provisional"] = provisional
        return self.answer(request, params, rows)


class KpiRecomputeApi(APIView):
    """Recompute the KPI rows of a range (managers): one Celery task per day, across the workers."""

    permission_classes = [IsManager]

    @extend_schema(
        request=RecomputeSerializer,
        responses={
            202: inline_serializer(
                "KpiRecomputeQueued",
                {
                    "task_id": serializers.CharField(),
                    "status": serializers.CharField(),
                    "date_from": serializers.DateField(),
                    "date_to": serializers.DateField(),
                    "days": serializers.IntegerField(),
                    "status_url": serializers.CharField(),
                },
            )
        },
    )
    def post(self, request):
        params = _validated(RecomputeSerializer, request.data)
        task_id = str(uuid.uuid4())
        args = [params["date_from"].isoformat(), params["date_to"].isoformat()]
        transaction.on_commit(lambda: compute_kpis_range.apply_async(args=args, task_id=task_id))
        audit_record(
            action="kpi_recompute", request=request, object_repr=f"{args[0]}..{args[1]}", detail={"task_id": task_id}
        )
        return Response(
            {
                "task_id": task_id,
                "status": "queued",
                "date_from": params["date_from"],
                "date_to": params["date_to"],
                "days": (params["date_to"] - params["date_from"]).days + 1,
                "status_url": request.build_absolute_uri(f"/api/v1/kpis/tasks/{task_id}/"),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class KpiTaskStatusApi(APIView):
    """State of a recompute: the range task and the per-day tasks it fanned out."""

    permission_classes = [IsManager]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, task_id: str):
        result = AsyncResult(task_id, app=celery_app)
        answer = {"task_id": task_id, "state": result.state, "days_total": None, "days_done": None}
        if result.successful() and isinstance(result.result, dict) and "task_ids" in result.result:
            states = [AsyncResult(child, app=celery_app).state for child in result.result["task_ids"]]
            answer["days"] = result.result.get("days", [])
            answer["days_total"] = len(states)
            answer["days_done"] = sum(1 for s in states if s == "SUCCESS")
            answer["days_failed"] = sum(1 for s in states if s == "FAILURE")
            if answer["days_failed"]:
                answer["state"] = "FAILURE"
            elif answer["days_done"] < answer["days_total"]:
                answer["state"] = "STARTED"
        elif result.failed():
            answer["error"] = str(result.result)
        return Response(answer)


def _range_answer(params: dict, results, *, from_kpi_table: bool) -> Response:
    answer = {"date_from": params["date_from"], "date_to": params["date_to"]}
    if from_kpi_table:
        answer["coverage"] = _coverage(params)
    else:
        answer["computed_at"] = timezone.now()
    answer["results"] = results
    return Response(answer)


class _ReportApi(APIView):
    """A report over `date_from`..`date_to`, for those who may read `dimension` as a whole."""

    dimension: str
    from_kpi_table = False
    report = None  # the selector, called with date_from and date_to

    @extend_schema(parameters=RANGE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = _validated(DateRangeSerializer, request.query_params)
        _visible_keys(request.user, self.dimension, None)
        results = self.report(date_from=params["date_from"], date_to=params["date_to"])
        return _range_answer(params, results, from_kpi_table=self.from_kpi_table)


class ScriptReportApi(_ReportApi):
    """话术 A/B: per script fan rate, Wilson 95% interval, chi-square p-value against the others."""

    dimension = Dimension.SCRIPT
    from_kpi_table = True
    report = staticmethod(selectors.script_report)


class FunnelReportApi(_ReportApi):
    """Customers created in the range: how many reached each stage, by source, and the step rates."""

    dimension = Dimension.SOURCE
    report = staticmethod(selectors.funnel_report)


class GroupEffectReportApi(_ReportApi):
    """Buyers among group members against non-members over the range, with both conversion rates."""

    dimension = Dimension.ORG
    report = staticmethod(selectors.group_effect_report)


class RepurchaseReportApi(APIView):
    """复购率 over the range: org and by source (managers), by staff (scoped by role)."""

    @extend_schema(parameters=RANGE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = _validated(DateRangeSerializer, request.query_params)
        staff_keys = _visible_keys(request.user, Dimension.STAFF, None)
        manager = is_manager(request.user)
        rows = [
            row
            for row in selectors.repurchase_report(date_from=params["date_from"], date_to=params["date_to"])
            if manager or (row["dimension"] == Dimension.STAFF and row["key"] in (staff_keys or ()))
        ]
        return _range_answer(params, rows, from_kpi_table=False)

"""Evaluation pages: the list and cycle overview, the scoring form beside the evidence, the detail
with the manager's override. Thin: read the request, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.ownership.handover import staff_handover
from metrics.models import Dimension
from metrics.selectors import kpi_keys_visible
from sitadmin.formats import money_text
from staff.audit.services import audit_evaluation_create, audit_evaluation_override
from staff.evaluations.evidence import staff_evidence
from staff.evaluations.scoring import EvaluationError, evaluation_create, evaluation_override
from staff.evaluations.selectors import cycle_overview, evaluation_can_score, evaluation_list_for
from staff.evaluations.tiers import cycle_leaderboard
from staff.models import CompetencyDimension, Decision, Evaluation, ReviewCycle, Staff
from staff.roles import is_manager, role_for, scope_staff

RATE_METRICS = {"fan_rate", "group_join_rate", "activity_rate", "reply_rate"}
DECISION_BADGES = {"advance": "good", "keep": "neutral", "transfer": "warn", "exit": "bad"}


def _current_cycle(code: str | None) -> ReviewCycle | None:
    """The requested cycle, else the latest one already started, else the earliest."""
    if code:
        return ReviewCycle.objects.filter(code=code).first()
    today = timezone.localdate()
    return (
        ReviewCycle.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
        or ReviewCycle.objects.order_by("starts_on").first()
    )


def _display(metric: str, value) -> str:
    if value is None:
        return "—"
    if metric in RATE_METRICS:
        return f"{value * 100:.1f}%"
    if metric == "revenue_per_head":
        return money_text(value)
    return f"{value:.1f}"


def _evidence_context(evidence: dict) -> dict:
    """Evidence with display strings and whether the staff member is above or below the team median."""
    for metric in evidence["metrics"]:
        metric["value_display"] = _display(metric["metric"], metric["value"])
        metric["median_display"] = _display(metric["metric"], metric["team_median"])
        value, median = metric["value"], metric["team_median"]
        metric["versus"] = ""
        if value is not None and median is not None and value != median:
            better = value > median if metric["better"] == "higher" else value < median
            metric["versus"] = "above" if better else "below"
    for part in (evidence["remarks"], evidence["sop"]):
        part["share_display"] = "—" if part["share"] is None else f"{part['share'] * 100:.1f}%"
    return evidence


@login_required
def evaluation_list(request):
    cycles = list(ReviewCycle.objects.order_by("-starts_on"))
    cycle = _current_cycle(request.GET.get("cycle"))
    role = role_for(request.user)
    context = {"cycles": cycles, "cycle": cycle, "role": role}
    if role in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD) and cycle is not None:
        overview = cycle_overview(cycle=cycle, user=request.user)
        labels = dict(Decision.choices)
        statuses = dict(Staff.Status.choices)
        for row in overview["rows"]:
            for field in ("decision", "final_decision"):
                row[f"{field}_label"] = labels.get(row[field], "")
                row[f"{field}_badge"] = DECISION_BADGES.get(row[field], "neutral")
            row["status_label"] = statuses.get(row["status"], row["status"])
            row["can_score"] = row["evaluation_id"] is None and (
                role == Staff.Role.MANAGER or row["staff"] != request.user.username
            )
        visible = kpi_keys_visible(user=request.user, dimension=Dimension.STAFF)
        context.update(
            overview=overview,
            decision_counts=[
                (
                    value,
                    label,
                    DECISION_BADGES[value],
                    overview["decision_counts"][value],
                    overview["final_decision_counts"][value],
                )
                for value, label in Decision.choices
            ],
            distribution={
                "buckets": [b["bucket"] for b in overview["distribution"]],
                "counts": [b["count"] for b in overview["distribution"]],
            },
            leaderboard=cycle_leaderboard(cycle=cycle, visible_usernames=visible),
        )
    else:
        filters = {"cycle": cycle.code} if cycle else {}
        evaluations = list(evaluation_list_for(user=request.user, filters=filters)[:200])
        for evaluation in evaluations:
            evaluation.badge = DECISION_BADGES.get(evaluation.final_decision, "neutral")
        context["evaluations"] = evaluations
    return render(request, "evaluations/list.html", context)


@login_required
def evaluation_new(request):
    if role_for(request.user) not in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    candidates = (
        scope_staff(Staff.objects.select_related("user", "team"), request.user)
        .exclude(role=Staff.Role.MANAGER)
        .filter(status__in=[Staff.Status.ACTIVE, Staff.Status.CANDIDATE])
        .order_by("team__code", "user__username")
    )
    cycles = list(ReviewCycle.objects.order_by("-starts_on"))
    staff = candidates.filter(user__username=params.get("staff", "")).first() if params.get("staff") else None
    cycle = _current_cycle(params.get("cycle"))
    context = {"candidates": candidates, "cycles": cycles, "staff": staff, "cycle": cycle}
    if staff is None or cycle is None:
        return render(request, "evaluations/pick.html", context)
    if not evaluation_can_score(user=request.user, staff=staff):
        raise PermissionDenied
    existing = Evaluation.objects.filter(staff=staff, cycle=cycle).first()
    if existing is not None:
        messages.info(request, _("该员工本周期已有考核。"))
        return redirect("evaluation-detail", pk=existing.pk)
    dimensions = list(CompetencyDimension.objects.filter(active=True).order_by("position", "code"))
    errors: dict = {}
    if request.method == "POST":
        scores = {d.code: request.POST.get(f"score_{d.code}", "").strip() for d in dimensions}
        dimension_notes = {d.code: request.POST.get(f"note_{d.code}", "").strip() for d in dimensions}
        try:
            evaluation = evaluation_create(
                staff=staff,
                cycle=cycle,
                scores={code: value for code, value in scores.items() if value != ""},
                notes=request.POST.get("notes", ""),
                dimension_notes={code: note for code, note in dimension_notes.items() if note},
                reviewer=request.user,
            )
        except EvaluationError as exc:
            errors = exc.errors
        else:
            audit_evaluation_create(request=request, evaluation=evaluation)
            messages.success(request, _("考核已保存。"))
            return redirect("evaluation-detail", pk=evaluation.pk)
    else:
        scores, dimension_notes = {}, {}
    score_errors = errors.get("scores", {}) if isinstance(errors.get("scores"), dict) else {}
    evidence = _evidence_context(staff_evidence(staff=staff, cycle=cycle))
    context.update(
        dimensions=[
            {
                "dimension": d,
                "value": scores.get(d.code, ""),
                "note": dimension_notes.get(d.code, ""),
                "error": " ".join(score_errors.get(d.code, [])),
                "suggested": evidence["suggested_scores"].get(d.code, {}),
            }
            for d in dimensions
        ],
        general_errors=[
            message
            for field, value in errors.items()
            for message in (value if isinstance(value, list) else [])
            if field != "scores" or not score_errors
        ],
        notes=request.POST.get("notes", "") if request.method == "POST" else "",
        evidence=evidence,
        chart_data={"dates": evidence["dates"], "series": evidence["series"]},
    )
    return render(request, "evaluations/form.html", context, status=400 if errors else 200)


@login_required
def evaluation_detail(request, pk: int):
    evaluation = get_object_or_404(evaluation_list_for(user=request.user), pk=pk)
    errors: dict = {}
    if request.method == "POST":
        if not is_manager(request.user):
            raise PermissionDenied
        previous = evaluation.final_decision
        try:
            evaluation_override(
                evaluation=evaluation,
                final_decision=request.POST.get("final_decision", ""),
                override_reason=request.POST.get("override_reason", ""),
                by=request.user,
            )
        except EvaluationError as exc:
            errors = exc.errors
        else:
            audit_evaluation_override(request=request, evaluation=evaluation, previous=previous)
            messages.success(request, _("最终结论已调整。"))
            return redirect("evaluation-detail", pk=evaluation.pk)
    scores = sorted(evaluation.scores.all(), key=lambda s: (s.dimension.position, s.dimension.code))
    handover_preview = None
    if is_manager(request.user) and evaluation.final_decision in (Decision.TRANSFER, Decision.EXIT):
        # What acting on 转 / 退 would do to the staff member's customers (a dry run writes nothing).
        handover_preview = staff_handover(staff=evaluation.staff, dry_run=True, performed_by=request.user)
    return render(
        request,
        "evaluations/detail.html",
        {
            "evaluation": evaluation,
            "scores": scores,
            "decisions": Decision.choices,
            "decision_badge": DECISION_BADGES.get(evaluation.decision, "neutral"),
            "final_badge": DECISION_BADGES.get(evaluation.final_decision, "neutral"),
            "errors": errors,
            "can_override": is_manager(request.user),
            "posted": request.POST if errors else {},
            "handover_preview": handover_preview,
        },
        status=400 if errors else 200,
    )

"""Reads for evaluations: who may see and score whom, lists, and the cycle overview (docs/domain.md §Evaluation).

Scoping: managers see every evaluation, a team lead those of their team's members, an operator only
their own (read-only). Scoring: managers anyone, team leads the members of their own team (and
candidates placed in it) but not themselves, operators no one.
"""

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sitadmin.spreadsheets import xlsx_bytes
from staff.models import Decision, Evaluation, ReviewCycle, Staff
from staff.roles import role_for, scope_by_owner, scope_staff, staff_for

DISTRIBUTION_BUCKETS = [(low, low + 10) for low in range(0, 100, 10)]


def evaluation_can_score(*, user, staff: Staff) -> bool:
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return True
    reviewer = staff_for(user)
    return (
        role == Staff.Role.TEAM_LEAD
        and reviewer is not None
        and reviewer.team_id is not None
        and staff.team_id == reviewer.team_id
        and staff.pk != reviewer.pk
    )


def evaluation_list_for(*, user, filters: dict | None = None) -> QuerySet[Evaluation]:
    """Evaluations the user may see, with `cycle`, `staff`, `team`, `decision`, `final_decision` filters."""
    qs = Evaluation.objects.select_related(
        "staff__user", "staff__team", "cycle", "reviewer", "overridden_by"
    ).prefetch_related("scores__dimension")
    qs = scope_by_owner(qs, user, owner_field="staff")
    filters = filters or {}
    lookups = {
        "cycle": "cycle__code",
        "staff": "staff__user__username",
        "team": "staff__team__code",
        "decision": "decision",
        "final_decision": "final_decision",
    }
    for name, lookup in lookups.items():
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    return qs.order_by("-created_at", "-pk")


def cycle_overview(*, cycle: ReviewCycle, user) -> dict:
    """Every visible staff member (active, candidate, or evaluated in the cycle) with their evaluation,
    counts per decision and final decision, and the distribution of totals in 10-point buckets."""
    evaluations = {
        e.staff_id: e for e in evaluation_list_for(user=user, filters={"cycle": cycle.code}).prefetch_related(None)
    }
    people = (
        scope_staff(Staff.objects.all(), user)
        .filter(Q(status__in=[Staff.Status.ACTIVE, Staff.Status.CANDIDATE]) | Q(pk__in=list(evaluations)))
        .exclude(role=Staff.Role.MANAGER)
        .select_related("user", "team")
        .order_by("team__code", "user__username")
    )
    rows = []
    for person in people:
        evaluation = evaluations.get(person.pk)
        rows.append(
            {
                "staff": person.username,
                "name": person.name,
                "team": person.team.code if person.team_id else None,
                "team_name": person.team.name if person.team_id else None,
                "role": person.role,
                "status": person.status,
                "hire_type": person.hire_type,
                "evaluation_id": evaluation.pk if evaluation else None,
                "total": evaluation.total if evaluation else None,
                "decision": evaluation.decision if evaluation else None,
                "final_decision": evaluation.final_decision if evaluation else None,
                "override_reason": evaluation.override_reason if evaluation else "",
            }
        )
    totals = [row["total"] for row in rows if row["total"] is not None]
    return {
        "cycle": cycle.code,
        "name": cycle.name,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "staff": len(rows),
        "evaluated": len(totals),
        "decision_counts": {d: sum(r["decision"] == d for r in rows) for d in Decision.values},
        "final_decision_counts": {d: sum(r["final_decision"] == d for r in rows) for d in Decision.values},
        "distribution": [
            {
                "bucket": f"{low}-{high}",
                # The last bucket holds 100 itself.
                "count": sum(low <= t < high or (high == 100 and t == Decimal(100)) for t in totals),
            }
            for low, high in DISTRIBUTION_BUCKETS
        ],
        "rows": rows,
    }


def cycle_overview_xlsx(*, overview: dict) -> bytes:
    """The overview as an XLSX workbook: one row per staff member, then the counts per decision."""
    labels, statuses = dict(Decision.choices), dict(Staff.Status.choices)
    header = [_("员工"), _("姓名"), _("团队"), _("状态"), _("总分"), _("结论"), _("最终结论"), _("调整原因")]
    rows = [
        [
            row["staff"],
            row["name"],
            row["team_name"] or "",
            str(statuses.get(row["status"], row["status"])),
            float(row["total"]) if row["total"] is not None else None,
            labels.get(row["decision"], ""),
            labels.get(row["final_decision"], ""),
            row["override_reason"],
        ]
        for row in overview["rows"]
    ]
    counts = [
        [labels[d], overview["decision_counts"][d], overview["final_decision_counts"][d]] for d in Decision.values
    ]
    return xlsx_bytes([(overview["cycle"], header, rows), ("counts", [_("结论"), _("计算"), _("最终")], counts)])

"""Performance tiers and rewards of a review cycle (考核 / 嘉奖).

Revenue per staff member over the cycle's dates comes from the KPI tables (`kpi_summary`, dimension
`staff`: the revenue of the customers they owned on each order's day). Staff are ranked by revenue,
highest first (ties share a rank, then by username). Each reaches the highest tier whose
`min_revenue` their revenue is at or above. First place is awarded only when the top revenue is at
or above the cycle's `revenue_baseline` (no baseline: nothing to clear); otherwise nobody is first.
The gap between first and second is shown either way.
"""

from decimal import Decimal

from django.db import transaction

from metrics.selectors import kpi_summary
from staff.models import RevenueTier, ReviewCycle, Staff


def cycle_leaderboard(*, cycle: ReviewCycle, visible_usernames: set[str] | None = None) -> dict:
    """The ranking of everyone with revenue in the cycle; rows and first place limited to `visible_usernames`."""
    summaries = kpi_summary(dimension="staff", date_from=cycle.starts_on, date_to=cycle.ends_on)
    revenue = {row["key"]: Decimal(row["revenue"] or 0) for row in summaries if (row["revenue"] or 0) > 0}
    staff = {
        s.user.username: s
        for s in Staff.objects.filter(user__username__in=list(revenue)).select_related("user", "team")
    }
    tiers = list(cycle.tiers.order_by("-min_revenue", "name"))
    ordered = sorted(revenue.items(), key=lambda kv: (-kv[1], kv[0]))
    baseline = cycle.revenue_baseline
    top = ordered[0][1] if ordered else None
    awarded = top is not None and (baseline is None or top >= baseline)
    rows = []
    rank = 0
    previous = None
    for position, (username, amount) in enumerate(ordered, start=1):
        if amount != previous:
            rank, previous = position, amount
        tier = next((t for t in tiers if amount >= t.min_revenue), None)
        member = staff.get(username)
        rows.append(
            {
                "rank": rank,
                "staff": username,
                "name": member.name if member else "",
                "team": member.team.code if member and member.team_id else None,
                "team_name": member.team.name if member and member.team_id else None,
                "revenue": amount,
                "tier": tier.name if tier else None,
                "reward": tier.reward if tier else "",
                "first_place": awarded and rank == 1,
            }
        )
    # Names come only from the rows the caller may see: a lead is not told who is first in another team.
    visible = [r for r in rows if visible_usernames is None or r["staff"] in visible_usernames]
    return {
        "cycle": cycle.code,
        "date_from": cycle.starts_on,
        "date_to": cycle.ends_on,
        "baseline": baseline,
        "tiers": [{"name": t.name, "min_revenue": t.min_revenue, "reward": t.reward} for t in tiers],
        "first_place_awarded": awarded,
        "first_place": [r["staff"] for r in visible if r["first_place"]],
        "gap_first_second": ordered[0][1] - ordered[1][1] if len(ordered) > 1 else None,
        "rows": visible,
    }


@transaction.atomic
def review_cycle_save(*, cycle: ReviewCycle | None = None, data: dict) -> ReviewCycle:
    """Create or update a cycle; `tiers` (a list of name / min_revenue / reward), when given, replaces them."""
    tiers = data.pop("tiers", None)
    cycle = cycle or ReviewCycle()
    for name, value in data.items():
        setattr(cycle, name, value)
    cycle.save()
    if tiers is not None:
        cycle.tiers.all().delete()
        RevenueTier.objects.bulk_create([RevenueTier(cycle=cycle, **tier) for tier in tiers])
    return cycle

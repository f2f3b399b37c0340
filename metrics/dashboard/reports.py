"""Page-shaped reads for the funnel, scripts A/B and groups pages, built on `metrics.selectors`."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from campaigns.models import Group, Script
from customers.models import LeadSource
from metrics import selectors
from metrics.catalog import ratio
from metrics.dashboard.pages import TREND_DAYS, dashboard_scope
from metrics.models import Dimension
from metrics.reports import selectors as report_selectors
from sitadmin.dates import kpi_days
from staff.roles import is_manager

SIGNIFICANCE = 0.05
MIN_REQUESTS = 30
DORMANT_DAYS = 7
GROUP_CHART_SERIES = 8


def script_verdict(*, requests: int, p_value: float | None, fan_rate: float | None, rest_rate: float | None) -> dict:
    """A plain-language verdict on one script against all the others together.

    Fewer than 30 requests is too little to say anything; otherwise the difference counts when the
    two-sided p-value is under 0.05, in the direction of this script's rate against the rest's.
    """
    if requests < MIN_REQUESTS:
        return {"code": "insufficient", "label": _("数据不足"), "css": "warn"}
    if p_value is None or fan_rate is None or rest_rate is None or p_value >= SIGNIFICANCE:
        return {"code": "no_difference", "label": _("暂无显著差异"), "css": "neutral"}
    if fan_rate > rest_rate:
        return {"code": "better", "label": _("显著更好"), "css": "good"}
    return {"code": "worse", "label": _("显著更差"), "css": "bad"}


def scripts_for(*, user, date_from: dt.date, date_to: dt.date) -> dict:
    """Fan rate per script with its 95% Wilson interval and a verdict against the other scripts."""
    dashboard_scope(user=user)
    base = {"date_from": date_from, "date_to": date_to, "rows": [], "hidden": not is_manager(user)}
    if base["hidden"]:
        return base
    report = report_selectors.script_report(date_from=date_from, date_to=date_to)
    total_requests = sum(r["requests"] for r in report)
    total_converted = sum(r["requests_converted"] for r in report)
    names = dict(Script.objects.filter(code__in=[r["script"] for r in report]).values_list("code", "name"))
    rows = []
    for r in sorted(report, key=lambda r: (-(r["fan_rate"] or 0), r["script"])):
        rest_requests = total_requests - r["requests"]
        rest_rate = ratio(total_converted - r["requests_converted"], rest_requests)
        verdict = script_verdict(
            requests=r["requests"], p_value=r.get("p_value"), fan_rate=r["fan_rate"], rest_rate=rest_rate
        )
        rows.append({**r, "name": names.get(r["script"], r["script"]), "rest_rate": rest_rate, "verdict": verdict})
    colors = {"better": "#16a34a", "worse": "#dc2626", "no_difference": "#94a3b8", "insufficient": "#d1d5db"}
    base["rows"] = rows
    base["chart"] = {
        "kind": "ci",
        "name": str(_("转粉率")),
        "labels": [r["name"] for r in rows],
        "values": [r["fan_rate"] for r in rows],
        "low": [r.get("ci_low") for r in rows],
        "high": [r.get("ci_high") for r in rows],
        "requests": [r["requests"] for r in rows],
        "colors": [colors[r["verdict"]["code"]] for r in rows],
    }
    return base


# The weekly speaking rate a good group reaches.
WEEKLY_SPEAKING_BENCHMARK = 0.15


def groups_for(*, user, date_from: dt.date, date_to: dt.date) -> dict:
    """Members, speakers, speaking rates (daily and 周讲话率), joins and leaves per group; dormant groups flagged."""
    dashboard_scope(user=user)
    base = {"date_from": date_from, "date_to": date_to, "rows": [], "hidden": not is_manager(user)}
    if base["hidden"]:
        return base
    summary = selectors.kpi_summary(dimension=Dimension.GROUP, date_from=date_from, date_to=date_to)
    last_week = selectors.kpi_summary(
        dimension=Dimension.GROUP, date_from=date_to - dt.timedelta(days=DORMANT_DAYS - 1), date_to=date_to
    )
    spoke_last_week = {r["key"] for r in last_week if r.get("speakers")}
    effect = report_selectors.group_effect_report(date_from=date_from, date_to=date_to)
    names = dict(Group.objects.filter(code__in=[r["key"] for r in summary]).values_list("code", "name"))
    rows = [
        {
            **r,
            "name": names.get(r["key"]) or r["key"],
            "dormant": r["key"] not in spoke_last_week,
        }
        for r in summary
    ]
    rows.sort(key=lambda r: (r["dormant"], -(r["group_members"] or 0), r["key"]))

    trend_from = min(date_from, date_to - dt.timedelta(days=TREND_DAYS - 1))
    charted = [r["key"] for r in sorted(rows, key=lambda r: -(r["group_members"] or 0))[:GROUP_CHART_SERIES]]
    daily = selectors.kpi_daily(dimension=Dimension.GROUP, date_from=trend_from, date_to=date_to, keys=charted)
    # 周讲话率: the week's speakers over the members, the figure the trade quotes (a good group: 15%+).
    by_day = {(row["date"], row["key"]): row["speaking_rate_7d"] for row in daily}
    dates = kpi_days(trend_from, date_to)
    base["rows"] = rows
    base["effect"] = effect
    base["dormant_count"] = sum(1 for r in rows if r["dormant"])
    base["chart"] = {
        "kind": "lines",
        "format": "rate",
        "dates": [d.isoformat() for d in dates],
        "series": [{"name": names.get(key) or key, "values": [by_day.get((d, key)) for d in dates]} for key in charted],
        "benchmark": {"value": WEEKLY_SPEAKING_BENCHMARK, "label": str(_("15% 基准"))},
    }
    return base


FUNNEL_STAGES = (
    ("lead", _("线索")),
    ("requested", _("已申请")),
    ("fan", _("已加粉")),
    ("grouped", _("已进群")),
    ("buyer", _("已成交")),
    ("repeat_buyer", _("复购")),
)


def funnel_for(*, user, date_from: dt.date, date_to: dt.date) -> dict:
    """How far the cohort of customers created in the range got, by lead source."""
    dashboard_scope(user=user)
    base = {
        "date_from": date_from,
        "date_to": date_to,
        "stages": FUNNEL_STAGES,
        "rows": [],
        "hidden": not is_manager(user),
    }
    if base["hidden"]:
        return base
    *report, total = report_selectors.funnel_report(date_from=date_from, date_to=date_to)
    names = dict(LeadSource.objects.filter(code__in=[r["source"] for r in report]).values_list("code", "name"))
    stages = [stage for stage, _label in FUNNEL_STAGES]
    rows = []
    for r in report:
        steps = [
            {
                "count": r[stage],
                "share": ratio(r[stage], r["lead"]),
                "step": r["conversion"][f"{prev}_to_{stage}"] if prev else None,
            }
            for prev, stage in zip([None, *stages[:-1]], stages, strict=True)
        ]
        rows.append({"source": r["source"], "name": names.get(r["source"], r["source"]), "steps": steps})
    base["rows"] = rows
    base["totals"] = [{"count": total[stage], "share": ratio(total[stage], total["lead"])} for stage in stages]
    base["chart"] = {
        "kind": "funnel",
        "stages": [str(label) for _stage, label in FUNNEL_STAGES],
        "series": [{"name": row["name"], "values": [s["count"] for s in row["steps"]]} for row in rows],
    }
    return base

"""Page-shaped reads for the dashboard (docs/metrics.md figures, shaped for the overview and the staff board).

Every KPI figure comes from `metrics.selectors` (the precomputed KPI tables); this module only
picks ranges, scopes keys by role, compares periods and names the keys.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Script
from customers.models import Event, LeadSource
from metrics.catalog import BY_NAME, RATE_OF_SUMS, metric_columns
from metrics.comparisons.same_day import SAME_DAY, SAME_DAY_LABELS, headline_same_day
from metrics.comparisons.team_median import team_median, versus_median
from metrics.models import Dimension
from metrics.selectors import kpi_coverage, kpi_daily, kpi_keys_visible, kpi_summary
from metrics.templatetags.dashboard_tags import num, pct
from sitadmin.dates import MAX_RANGE_DAYS, kpi_days
from sitadmin.formats import money_text
from staff.models import Staff, Team
from staff.roles import role_for, staff_for
from staff.teams.selectors import staff_teams_on

TREND_DAYS = 30


@dataclass(frozen=True)
class Headline:
    metric: str
    label: str
    kind: str  # "rate" (shown as a percentage) or "money" (CNY)
    cohort: bool  # cohort metrics of the last W-1 days are provisional


def _headline(metric: str) -> Headline:
    """A headline figure with its catalogue label and kind."""
    record = BY_NAME[metric]
    return Headline(metric, record.label, record.kind, record.family == "cohort")


HEADLINES = tuple(
    _headline(metric)
    for metric in ("fan_rate", "group_join_rate", "activity_rate", "reply_rate", "revenue", "revenue_per_head")
)
# Money figures grow with the length of the range, so comparisons are made per day.
PER_DAY = {"revenue", "revenue_per_head"}
FRACTIONS = {**RATE_OF_SUMS, "revenue_per_head": ("revenue", "headcount")}

BREAKDOWNS = {
    Dimension.TEAM: _("团队"),
    Dimension.STAFF: _("员工"),
    Dimension.SOURCE: _("线索来源"),
    Dimension.SCRIPT: _("话术"),
}


def dashboard_scope(*, user) -> tuple[str, str]:
    """The (dimension, key) of the viewer's headline: the whole company, or a team lead's team."""
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return Dimension.ORG, ""
    staff = staff_for(user)
    if role == Staff.Role.TEAM_LEAD and staff and staff.team_id:
        return Dimension.TEAM, staff.team.code
    raise PermissionDenied("The dashboard is for managers and team leads.")


def dashboard_range(
    *, params, today: dt.date | None = None, default_days: int = 1, through_today: bool = False
) -> tuple[dt.date, dt.date, str]:
    """`date_from`/`date_to` from a query string; by default the `default_days` ending yesterday
    (ending today with `through_today`, for reports read live rather than from the KPI table).

    Returns (from, to, error); a bad range falls back to yesterday with an error to show.
    """
    today = today or timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    raw_from, raw_to = params.get("date_from") or "", params.get("date_to") or ""
    if not raw_from and not raw_to:
        last = today if through_today else yesterday
        return last - dt.timedelta(days=default_days - 1), last, ""
    try:
        date_to = dt.date.fromisoformat(raw_to) if raw_to else yesterday
        date_from = dt.date.fromisoformat(raw_from) if raw_from else date_to
    except ValueError:
        return yesterday, yesterday, str(_("日期格式应为 YYYY-MM-DD，已显示昨天的数据。"))
    if date_from > date_to:
        return yesterday, yesterday, str(_("开始日期晚于结束日期，已显示昨天的数据。"))
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        date_from = date_to - dt.timedelta(days=MAX_RANGE_DAYS - 1)
        return date_from, date_to, str(_("日期范围最长一年，已截取最近一年。"))
    return date_from, date_to, ""


def _summary_for(*, dimension: str, key: str, date_from: dt.date, date_to: dt.date) -> dict:
    rows = kpi_summary(dimension=dimension, date_from=date_from, date_to=date_to, keys=[key], denominators=True)
    return rows[0] if rows else {}


def _change(current, previous, *, kind: str) -> dict | None:
    """The move from `previous` to `current`: percentage points for rates, percent for money."""
    if current is None or previous is None:
        return None
    if kind == "rate":
        diff = (current - previous) * 100
        text = f"{diff:+.1f} pp"
    else:
        if not previous:
            return None
        diff = (float(current) - float(previous)) / float(previous) * 100
        text = f"{diff:+.1f}%"
    direction = "up" if diff > 0.05 else "down" if diff < -0.05 else "flat"
    return {"text": text, "direction": direction}


def _per_day(value, days: int):
    return None if value is None else float(value) / days


def _fraction(row: dict, metric: str) -> str:
    """'12 / 40': the numerator and denominator behind a rate, for a hover title."""
    if metric not in FRACTIONS or not row:
        return ""
    num_name, den_name = FRACTIONS[metric]
    numerator = row.get(num_name)
    # A range rate divides by its sum over the days, not by a state count taken at the last day.
    denominator = row["denominators"].get(metric) if metric in RATE_OF_SUMS else row.get(den_name)
    if numerator is None or denominator is None:
        return ""
    shown = money_text(numerator) if BY_NAME[num_name].kind == "money" else _fmt(numerator)
    return f"{shown} / {_fmt(denominator)}"


def display(value, kind: str) -> str:
    """A figure as shown in tables: 30.0% for rates, ¥1,234.50 for money, 1,234 for counts, — for null."""
    if kind == "rate":
        return pct(value)
    if kind == "money":
        return money_text(value)
    if isinstance(value, float) and not value.is_integer():
        return num(value, 1)  # a median of counts may fall between two
    return num(None if value is None else int(value))


def _fmt(value) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):,.2f}"


def overview_for(*, user, date_from: dt.date, date_to: dt.date, breakdown: str, today: dt.date | None = None) -> dict:
    """Everything the overview shows: headline KPIs with comparisons, 30-day trends, a breakdown, freshness."""
    today = today or timezone.localdate()
    dimension, key = dashboard_scope(user=user)
    days = (date_to - date_from).days + 1
    current = _summary_for(dimension=dimension, key=key, date_from=date_from, date_to=date_to)
    previous = _summary_for(
        dimension=dimension, key=key, date_from=date_from - dt.timedelta(days=days), date_to=date_from - dt.timedelta(1)
    )
    week = _summary_for(
        dimension=dimension, key=key, date_from=date_from - dt.timedelta(days=7), date_to=date_from - dt.timedelta(1)
    )

    trend_from = min(date_from, date_to - dt.timedelta(days=TREND_DAYS - 1))
    daily = {
        row["date"]: row for row in kpi_daily(dimension=dimension, date_from=trend_from, date_to=date_to, keys=[key])
    }
    yesterday = today - dt.timedelta(days=1)
    coverage = kpi_coverage(date_from=trend_from, date_to=max(date_to, yesterday))
    provisional = {d for d in coverage["provisional_days"] if d <= date_to}
    provisional_in_range = sorted(d for d in provisional if d >= date_from)
    trend_days = kpi_days(trend_from, date_to)

    headlines = []
    for h in HEADLINES:
        value = current.get(h.metric)
        prev_value, week_value = previous.get(h.metric), week.get(h.metric)
        if h.metric in PER_DAY:
            change_prev = _change(_per_day(value, days), _per_day(prev_value, days), kind=h.kind)
            change_week = _change(_per_day(value, days), _per_day(week_value, 7), kind=h.kind)
        else:
            change_prev = _change(value, prev_value, kind=h.kind)
            change_week = _change(value, week_value, kind=h.kind)
        series = [_trend_point(daily.get(d), h.metric) for d in trend_days]
        same_day = SAME_DAY.get(h.metric, (None,))[0]
        headline = headline_same_day(
            headline={
                "metric": h.metric,
                "label": h.label,
                "kind": h.kind,
                "value": value,
                "fraction": _fraction(current, h.metric),
                "vs_previous": change_prev,
                "vs_week": change_week,
                "chart_id": f"chart-{h.metric}",
                "provisional": h.cohort and bool(provisional_in_range),
                "chart": {
                    "kind": "trend",
                    "name": str(h.label),
                    "format": h.kind,
                    "dates": [d.isoformat() for d in trend_days],
                    "values": series,
                    "provisional": [d.isoformat() for d in trend_days if h.cohort and d in provisional],
                    "provisionalLabel": str(_("暂定")),
                    # The same-day rate beside the complete one: final every day, the tail included.
                    "sameDay": [_trend_point(daily.get(d), same_day) for d in trend_days] if same_day else None,
                    "sameDayName": str(SAME_DAY_LABELS[h.metric]) if same_day else None,
                },
            },
            current=current,
            previous=previous,
            week=week,
            provisional=h.cohort and bool(provisional_in_range),
            change=_change,
        )
        headlines.append(headline)

    return {
        "scope_dimension": dimension,
        "scope_key": key,
        "scope_name": _names(dimension, [key]).get(key, key),
        "date_from": date_from,
        "date_to": date_to,
        "days": days,
        "has_data": bool(current) or bool(daily),
        "headlines": headlines,
        "breakdown_tabs": list(BREAKDOWNS.items()),
        "breakdown": breakdown_for(user=user, dimension=breakdown, date_from=date_from, date_to=date_to),
        "freshness": _freshness(coverage=coverage, yesterday=yesterday),
        "provisional_in_range": provisional_in_range,
    }


def _trend_point(row: dict | None, metric: str):
    if row is None:
        # A day without a row holds only zeros: its counts are 0 and its rates have no denominator.
        return 0 if metric == "revenue" else None
    value = row.get(metric)
    return None if value is None else float(value)


def _freshness(*, coverage: dict, yesterday: dt.date) -> dict:
    """Last computed time, and why the figures may be stale (yesterday missing, or events since)."""
    last_computed = coverage["computed_at_max"]
    last_event = Event.objects.order_by("-pk").values_list("received_at", flat=True).first()
    yesterday_missing = yesterday in coverage["missing_days"]
    events_since = bool(last_event and last_computed and last_event > last_computed)
    return {
        "computed_at": last_computed,
        "last_event_at": last_event,
        "yesterday_missing": yesterday_missing,
        "events_since": events_since,
        "stale": yesterday_missing or events_since,
        "yesterday": yesterday,
    }


def _names(dimension: str, keys) -> dict[str, str]:
    keys = list(keys)
    if dimension == Dimension.TEAM:
        return dict(Team.objects.filter(code__in=keys).values_list("code", "name"))
    if dimension == Dimension.STAFF:
        return {
            username: name or username
            for username, name in Staff.objects.filter(user__username__in=keys).values_list("user__username", "name")
        }
    if dimension == Dimension.SOURCE:
        return dict(LeadSource.objects.filter(code__in=keys).values_list("code", "name"))
    if dimension == Dimension.SCRIPT:
        return dict(Script.objects.filter(code__in=keys).values_list("code", "name"))
    return {}


BREAKDOWN_COLUMNS = metric_columns(
    "requests",
    "fan_rate",
    "new_fans",
    "group_join_rate",
    "fans_total",
    "activity_rate",
    "reply_rate",
    "orders",
    "revenue",
    "revenue_per_head",
)


def breakdown_for(*, user, dimension: str, date_from: dt.date, date_to: dt.date) -> dict:
    """Range summaries of one dimension's keys the user may see, with names and hover fractions."""
    if dimension not in BREAKDOWNS:
        dimension = Dimension.TEAM
    visible = kpi_keys_visible(user=user, dimension=dimension)
    if visible is not None and not visible:
        return {"dimension": dimension, "label": BREAKDOWNS[dimension], "rows": [], "hidden": True}
    rows = kpi_summary(dimension=dimension, date_from=date_from, date_to=date_to, keys=visible, denominators=True)
    names = _names(dimension, (r["key"] for r in rows))
    shaped = []
    for row in rows:
        cells = [
            {
                "raw": "" if row.get(metric) is None else str(row[metric]),
                "text": display(row.get(metric), kind),
                "title": _fraction(row, metric),
            }
            for metric, _label, kind in BREAKDOWN_COLUMNS
        ]
        shaped.append(
            {"key": row["key"], "name": names.get(row["key"], row["key"]), "revenue": row["revenue"], "cells": cells}
        )
    shaped.sort(key=lambda r: -float(r["revenue"] or 0))
    return {
        "dimension": dimension,
        "label": BREAKDOWNS[dimension],
        "columns": BREAKDOWN_COLUMNS,
        "rows": shaped,
        "hidden": False,
    }


BOARD_METRICS = metric_columns(
    "revenue",
    "orders",
    "new_fans",
    "fan_rate",
    "group_join_rate",
    "activity_rate",
    "reply_rate",
    "fans_total",
)


def staff_board_for(*, user, date_from: dt.date, date_to: dt.date, sort: str = "revenue") -> dict:
    """The leaderboard of staff the user may see, each KPI against their team's median."""
    dashboard_scope(user=user)
    visible = kpi_keys_visible(user=user, dimension=Dimension.STAFF)
    rows = kpi_summary(dimension=Dimension.STAFF, date_from=date_from, date_to=date_to, keys=visible)
    # The board ranks operators: managers and team leads carry no customers of their own to rank on.
    people = {
        s["user__username"]: s
        for s in Staff.objects.filter(user__username__in=[r["key"] for r in rows], role=Staff.Role.OPERATOR).values(
            "user__username", "name", "team__code", "team__name", "status"
        )
    }
    rows = [r for r in rows if r["key"] in people]
    # Each person is compared with the team they were in at the end of the range (team history).
    for username, team in staff_teams_on(day=date_to, usernames=people).items():
        people[username].update(team__code=team["code"], team__name=team["name"])
    by_team: dict[str | None, list[dict]] = {}
    for row in rows:
        by_team.setdefault((people.get(row["key"]) or {}).get("team__code"), []).append(row)
    medians = {
        team: {metric: team_median(r.get(metric) for r in members) for metric, _label, _kind in BOARD_METRICS}
        for team, members in by_team.items()
    }
    if sort not in {m for m, _l, _k in BOARD_METRICS}:
        sort = "revenue"
    board = []
    for row in rows:
        person = people.get(row["key"]) or {}
        medians_of_team = medians.get(person.get("team__code"), {})
        cells = []
        for metric, _label, kind in BOARD_METRICS:
            value, median = row.get(metric), medians_of_team.get(metric)
            versus = versus_median(value, median)
            cells.append(
                {
                    "raw": "" if value is None else str(value),
                    "text": display(value, kind),
                    "median": display(median, kind),
                    "versus": versus,
                }
            )
        board.append(
            {
                "username": row["key"],
                "name": person.get("name") or row["key"],
                "team": person.get("team__name") or "",
                "status": person.get("status") or "",
                "sort_value": float(row.get(sort) or 0),
                "cells": cells,
            }
        )
    board.sort(key=lambda r: (-r["sort_value"], r["username"]))
    top = board[:15]
    return {
        "metrics": BOARD_METRICS,
        "sort": sort,
        "rows": board,
        "chart": {
            "kind": "bar",
            "format": "money" if sort == "revenue" else "rate" if "rate" in sort else "count",
            "labels": [r["name"] for r in reversed(top)],
            "values": [r["sort_value"] for r in reversed(top)],
        },
    }

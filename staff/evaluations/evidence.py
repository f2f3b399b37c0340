"""The evidence beside the evaluation form (docs/domain.md §Evaluation): what the data says of a staff member.

KPIs come only from the precomputed tables through `metrics.selectors` (range summaries are ratios
of sums, never averages of daily rates), over the cycle's days up to its last computed KPI day.
The team median is taken over the team's operators with a value (a rate with a zero denominator is
null and left out), the evaluated staff member included.

Remark compliance (备注规范): a remark complies when it matches `REMARK_FORMAT` as a whole, e.g.
`20261120-张三-已加粉` for `{date:%Y%m%d}-{name}-{stage}`: `{date}` a real calendar date in the
given strftime format, `{name}` any non-empty text without `-`, `{stage}` one of the Chinese stage
labels. The stage need not be the customer's current one: the remark is written when the customer
is renamed and the stage moves on afterwards.

Suggested scores (建议分, a suggestion only; the evaluator decides):
- execution 工作执行能力 = 10 × mean(remark compliance share, SOP on-time share), over the parts that
  have data;
- user_ops 用户运营能力 = mean over reply rate and activity rate of min(10, 6 × value / team median):
  6 at the team median, 8 at a third above it; a metric whose median is 0 or null is left out;
- learning, analysis, product_selection: none, the data says nothing about them.
"""

import datetime as dt
import re
import statistics
import string
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from campaigns.alerts.selectors import alert_daily_counts
from campaigns.models import SopTask
from customers.models import Customer, Stage
from customers.privacy.crypto import phone_decrypt
from customers.privacy.masking import phone_mask
from metrics.catalog import BY_NAME
from metrics.comparisons.team_median import team_median
from metrics.selectors import kpi_coverage, kpi_daily, kpi_summary
from sitadmin.dates import day_bounds, kpi_days
from staff.models import ReviewCycle, Staff
from staff.teams.selectors import team_operators_with

# The KPIs set beside the team median; which way is better comes from the catalogue.
EVIDENCE_METRICS = tuple(
    (name, BY_NAME[name].label, "higher" if BY_NAME[name].higher_is_better else "lower")
    for name in (
        "fan_rate",
        "group_join_rate",
        "activity_rate",
        "reply_rate",
        "first_reply_minutes",
        "revenue_per_head",
    )
)
NON_COMPLIANT_LISTED = 50
_STRFTIME_PATTERNS = {
    "Y": r"\d{4}",
    "y": r"\d{2}",
    "m": r"\d{2}",
    "d": r"\d{2}",
    "H": r"\d{2}",
    "M": r"\d{2}",
    "S": r"\d{2}",
    "%": "%",
}


def remark_pattern(*, remark_format: str | None = None) -> tuple[re.Pattern, str]:
    """The regex of a remark format, and the strftime format of its `{date}` ('' without one)."""
    remark_format = remark_format if remark_format is not None else settings.REMARK_FORMAT
    parts = []
    date_format = ""
    stages = sorted((str(label) for label in Stage.labels), key=len, reverse=True)
    for literal, field_name, spec, _conversion in string.Formatter().parse(remark_format):
        parts.append(re.escape(literal))
        if field_name is None:
            continue
        if field_name == "date":
            date_format = spec or "%Y%m%d"
            parts.append(f"(?P<date>{_strftime_regex(date_format)})")
        elif field_name == "name":
            parts.append("(?P<name>[^-]+)")
        elif field_name == "stage":
            parts.append("(?P<stage>" + "|".join(map(re.escape, stages)) + ")")
        else:
            raise ImproperlyConfigured(f"REMARK_FORMAT: unknown field {{{field_name}}}; use date, name, stage")
    return re.compile("".join(parts)), date_format


def _strftime_regex(date_format: str) -> str:
    out = []
    chars = iter(date_format)
    for char in chars:
        if char != "%":
            out.append(re.escape(char))
            continue
        directive = next(chars, "")
        if directive not in _STRFTIME_PATTERNS:
            raise ImproperlyConfigured(f"REMARK_FORMAT: unsupported date directive %{directive}")
        out.append(_STRFTIME_PATTERNS[directive])
    return "".join(out)


def remark_complies(*, remark: str, pattern: re.Pattern, date_format: str) -> bool:
    match = pattern.fullmatch((remark or "").strip())
    if match is None:
        return False
    if date_format:
        try:
            dt.datetime.strptime(match["date"], date_format)  # noqa: DTZ007 (a calendar check, no time zone)
        except ValueError:
            return False
    return True


def _masked(encrypted: str | None) -> str:
    return phone_mask(phone_decrypt(encrypted)) if encrypted else ""


def remark_compliance(*, staff: Staff) -> dict:
    """How many of the customers `staff` owns now carry a remark in the company's format."""
    pattern, date_format = remark_pattern()
    customers = Customer.objects.filter(owner=staff).order_by("pk")
    customers = customers.values_list("pk", "name", "phone_encrypted", "remark")
    total = 0
    non_compliant = []
    for pk, name, encrypted, remark in customers:
        total += 1
        if not remark_complies(remark=remark, pattern=pattern, date_format=date_format):
            non_compliant.append({"id": pk, "name": name, "masked_phone": _masked(encrypted), "remark": remark})
    compliant = total - len(non_compliant)
    return {
        "format": settings.REMARK_FORMAT,
        "customers": total,
        "compliant": compliant,
        "share": compliant / total if total else None,
        "non_compliant_count": len(non_compliant),
        "non_compliant": non_compliant[:NON_COMPLIANT_LISTED],
    }


def sop_on_time(*, staff: Staff, date_from: dt.date, date_to: dt.date) -> dict:
    """SOP tasks due in the range (local days) and how many were done by the end of their due day."""
    start, end = day_bounds(date_from, days=(date_to - date_from).days + 1)
    counts = SopTask.objects.filter(staff=staff, due_at__gte=start, due_at__lt=end).aggregate(
        due=Count("pk"),
        done_on_time=Count("pk", filter=Q(done_at__lt=F("deadline"))),
        done_late=Count("pk", filter=Q(done_at__gte=F("deadline"))),
    )
    counts["open"] = counts["due"] - counts["done_on_time"] - counts["done_late"]
    counts["share"] = counts["done_on_time"] / counts["due"] if counts["due"] else None
    return counts


def cycle_kpi_range(*, cycle: ReviewCycle) -> tuple[dt.date, dt.date]:
    """The cycle's dates up to its last computed KPI day: a cycle still running is read up to the
    latest day computed, so state taken at the end of the range (headcount, hence 人效) is not empty."""
    computed = kpi_coverage(date_from=cycle.starts_on, date_to=cycle.ends_on)["computed_days"]
    return cycle.starts_on, (max(computed) if computed else cycle.ends_on)


def staff_kpi_evidence(*, staff: Staff, cycle: ReviewCycle) -> dict:
    """The staff member's range summary per evidence metric beside the team median, and daily series."""
    date_from, date_to = cycle_kpi_range(cycle=cycle)
    username = staff.username
    # The team they were in at the end of the range: a transferred operator is set against their old team.
    peers = set(team_operators_with(staff=staff, day=date_to))
    peers.add(username)
    summaries = {
        row["key"]: row for row in kpi_summary(dimension="staff", date_from=date_from, date_to=date_to, keys=peers)
    }
    own = summaries.get(username, {})
    metrics = []
    for metric, label, better in EVIDENCE_METRICS:
        values = [_as_float(summaries.get(key, {}).get(metric)) for key in sorted(peers)]
        metrics.append(
            {
                "metric": metric,
                "label": str(label),
                "better": better,
                "value": _as_float(own.get(metric)),
                "team_median": team_median(values),
                "team_values": sum(v is not None for v in values),
            }
        )
    daily = {
        row["date"]: row for row in kpi_daily(dimension="staff", date_from=date_from, date_to=date_to, keys=[username])
    }
    dates = kpi_days(date_from, date_to)
    series = {
        metric: [_as_float(daily.get(day, {}).get(metric)) for day in dates] for metric, _label, _b in EVIDENCE_METRICS
    }
    return {
        "date_from": date_from,
        "date_to": date_to,
        "metrics": metrics,
        "dates": [d.isoformat() for d in dates],
        "series": series,
    }


def _as_float(value) -> float | None:
    return None if value is None else float(value)


def suggested_scores(*, metrics: list[dict], remarks: dict, sop: dict) -> dict[str, dict]:
    """A suggested score per dimension code where the data supports one (see the module docstring)."""
    by_metric = {m["metric"]: m for m in metrics}
    execution_parts = [share for share in (remarks["share"], sop["share"]) if share is not None]
    user_ops_parts = []
    for metric in ("reply_rate", "activity_rate"):
        value, median = by_metric[metric]["value"], by_metric[metric]["team_median"]
        if value is not None and median:
            user_ops_parts.append(min(10.0, 6.0 * value / median))
    no_data = {"score": None, "basis": _("无数据")}
    return {
        "user_ops": (
            {"score": _one_decimal(statistics.fmean(user_ops_parts)), "basis": _("回复率、活跃度相对团队中位数")}
            if user_ops_parts
            else no_data
        ),
        "execution": (
            {"score": _one_decimal(10 * statistics.fmean(execution_parts)), "basis": _("备注规范率、SOP 按时完成率")}
            if execution_parts
            else no_data
        ),
        "learning": no_data,
        "analysis": no_data,
        "product_selection": no_data,
    }


def _one_decimal(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def staff_evidence(*, staff: Staff, cycle: ReviewCycle) -> dict:
    """Everything the evaluator sees beside the form for `staff` in `cycle`."""
    kpis = staff_kpi_evidence(staff=staff, cycle=cycle)
    remarks = remark_compliance(staff=staff)
    sop = sop_on_time(staff=staff, date_from=cycle.starts_on, date_to=cycle.ends_on)
    return {
        "staff": staff.username,
        "name": staff.name,
        "team": staff.team.code if staff.team_id else None,
        "cycle": cycle.code,
        "date_from": kpis["date_from"].isoformat(),
        "date_to": kpis["date_to"].isoformat(),
        "metrics": kpis["metrics"],
        "dates": kpis["dates"],
        "series": kpis["series"],
        "remarks": remarks,
        "sop": sop,
        "alerts": alert_daily_counts(staff=staff, date_from=cycle.starts_on, date_to=cycle.ends_on),
        "suggested_scores": suggested_scores(metrics=kpis["metrics"], remarks=remarks, sop=sop),
    }

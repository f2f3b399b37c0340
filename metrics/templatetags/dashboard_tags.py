"""Template helpers of the dashboard pages: the viewer's role and number formatting."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.roles import role_for

register = template.Library()


@register.simple_tag(takes_context=True)
def viewer_role(context) -> str:
    request = context.get("request")
    return (role_for(request.user) if request else None) or ""


@register.filter
def pct(value, digits: int = 1) -> str:
    """0.1234 → "12.3%"; a rate without a denominator (None) → "—"."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


@register.filter
def num(value, digits: int = 0) -> str:
    """Thousands separators, fixed decimals; None → "—"."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        value = float(value)
    return f"{value:,.{digits}f}"


@register.filter
def raw(value) -> str:
    """The exact value for `data-value` attributes (tests compare them with the API)."""
    return "" if value is None else str(value)


@register.filter
def active_if(path: str, prefix: str) -> str:
    if prefix == "/":
        return "active" if path == "/" else ""
    return "active" if path.startswith(prefix) else ""


@register.inclusion_tag("dashboard/_range.html", takes_context=True)
def range_picker(context):
    """The date-range form; other query parameters (breakdown, sort) are kept."""
    request = context["request"]
    keep = [(k, v) for k, v in request.GET.items() if k not in ("date_from", "date_to", "page")]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    quick = [
        {"label": _("昨天"), "date_from": yesterday, "date_to": yesterday},
        {"label": _("近7天"), "date_from": yesterday - dt.timedelta(days=6), "date_to": yesterday},
        {"label": _("近30天"), "date_from": yesterday - dt.timedelta(days=29), "date_to": yesterday},
    ]
    return {
        "request": request,
        "date_from": context.get("date_from"),
        "date_to": context.get("date_to"),
        "range_error": context.get("range_error"),
        "keep": keep,
        "keep_query": ("&" + urlencode(keep)) if keep else "",
        "quick_ranges": quick,
    }

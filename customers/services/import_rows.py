"""Checking one data row of a lead list: its phone, and for order files its order fields.

Every reason names the problem in Chinese and English, as uploaders read both.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

MISSING_PHONE = "缺少手机号 missing phone"
WRONG_DIGITS = "号码位数不对 wrong number of digits"
NOT_MAINLAND = "不是大陆手机号 not a mainland mobile number"
MISSING_ORDER_NO = "缺少订单号 missing order_no"
ORDER_NO_TOO_LONG = "订单号太长 order_no longer than 64 characters"
BAD_AMOUNT = "金额不对 amount must be a number ≥ 0 with at most 2 decimals"
BAD_TIME = "下单时间不对 ordered_at must be a date and time such as 2026-11-20 14:30"
MAX_AMOUNT = Decimal("9999999999.99")
TAG_SEPARATORS = re.compile(r"[,，、;；]")
_SEPARATORS = re.compile(r"[\s\-]+")
_PREFIX = re.compile(r"^(\+86|0086|86)(?=\d{11}$)")
_CURRENCY = re.compile(r"[¥￥,\s]")


def phone_problem(raw: str) -> str:
    """Why `raw` is not a mainland mobile number (called only for rows `phone_normalize` refused)."""
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        return MISSING_PHONE
    text = _PREFIX.sub("", text)
    if text.isdigit() and len(text) != 11:
        return WRONG_DIGITS
    return NOT_MAINLAND


def split_tags(raw: str) -> list[str]:
    """Tag names in a cell, split on , ， 、 ; and trimmed to the 64 characters a tag holds."""
    if not raw:
        return []
    return [part.strip()[:64] for part in TAG_SEPARATORS.split(raw) if part.strip()]


def order_fields(order_no: str, amount: str, ordered_at: str) -> tuple[str | None, Decimal | None, dt.datetime | None]:
    """(problem, amount, time) of an order row; problem is None when the row is good."""
    if not order_no:
        return MISSING_ORDER_NO, None, None
    if len(order_no) > 64:
        return ORDER_NO_TOO_LONG, None, None
    try:
        value = Decimal(_CURRENCY.sub("", amount))
    except InvalidOperation:
        return BAD_AMOUNT, None, None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        return BAD_AMOUNT, None, None
    when = parse_ordered_at(ordered_at)
    if when is None:
        return BAD_TIME, None, None
    return None, value.quantize(Decimal("0.01")), when


def parse_ordered_at(text: str) -> dt.datetime | None:
    """ISO 8601 or `2026/11/20 14:30`; a date alone is its midnight; no offset means TIME_ZONE."""
    text = text.strip().replace("/", "-")
    try:
        when = parse_datetime(text)
        if when is None:
            day = parse_date(text)
            when = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        return None
    if when is None:
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_default_timezone())
    return when

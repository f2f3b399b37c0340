"""Checking one incoming event (docs/domain.md §Events) without the database: fields, types, time, phone, amount."""

import datetime as dt
import re
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from customers.models import Event, EventType
from customers.phones import phone_normalize
from sitadmin.text import text_is_storable

STAFF_REQUIRED = {EventType.FRIEND_REQUEST_SENT, EventType.FRIEND_ADDED, EventType.FRIEND_DELETED}
GROUP_EVENTS = {EventType.GROUP_JOINED, EventType.GROUP_LEFT}
_TYPES = [choice.value for choice in EventType]
_DIRECTIONS = [choice.value for choice in Event.Direction]
_MAX_AMOUNT = Decimal("9999999999.99")
_CODE = re.compile(r"[-\w]+")


@dataclass
class EventItem:
    """A valid incoming event; the ids are filled in once references are resolved."""

    index: int
    client_id: str
    type: str
    at: dt.datetime
    phone: str | None
    external_id: str | None
    staff: str | None
    script: str | None
    group: str | None
    source: str | None
    direction: str
    text: str
    amount: Decimal | None
    order_no: str
    channel_code: str | None = None
    referrer: str | None = None
    staff_id: int | None = None
    script_id: int | None = None
    source_id: int | None = None
    group_id: int | None = None
    customer_id: int | None = None
    channel_code_id: int | None = None
    referrer_id: int | None = None
    pk: int | None = None


def event_parse(*, index: int, raw) -> tuple[EventItem | None, list[str]]:
    """Check one item without the database; returns the item or the problems found, by field."""
    if not isinstance(raw, dict):
        return None, ["item: must be an object"]
    problems: list[str] = []

    def text_field(name: str, *, max_length: int, required: bool = False) -> str | None:
        value = raw.get(name)
        if value is None or value == "":
            if required:
                problems.append(f"{name}: required")
            return None
        if not isinstance(value, str):
            problems.append(f"{name}: must be a string")
            return None
        if not text_is_storable(value):
            problems.append(f"{name}: contains a NUL byte or an invalid character")
            return None
        value = value.strip()
        if len(value) > max_length:
            problems.append(f"{name}: longer than {max_length} characters")
            return None
        return value or None

    client_id = text_field("id", max_length=64, required=True)
    event_type = raw.get("type")
    if event_type not in _TYPES:
        problems.append(f"type: must be one of {', '.join(_TYPES)}")
        event_type = None
    at = _time_parse(raw.get("at"), problems)

    phone = None
    raw_phone = raw.get("phone")
    if raw_phone not in (None, ""):
        phone = phone_normalize(raw_phone) if isinstance(raw_phone, str | int) else None
        if phone is None:
            problems.append("phone: not a mainland mobile number")
    external_id = text_field("external_id", max_length=128)
    if raw_phone in (None, "") and external_id is None and not any(p.startswith("external_id") for p in problems):
        problems.append("phone: phone or external_id required")

    def code_field(name: str, *, required: bool = False) -> str | None:
        # An unknown group or source code creates that row, so it must be a usable code (it appears in URLs).
        value = text_field(name, max_length=64, required=required)
        if value and not _CODE.fullmatch(value):
            problems.append(f"{name}: a code of letters, digits, '-' or '_' (no spaces, '/' or '.')")
            return None
        return value

    staff = text_field("staff", max_length=150, required=event_type in STAFF_REQUIRED)
    script = text_field("script", max_length=64)
    group = code_field("group", required=event_type in GROUP_EVENTS)
    source = code_field("source")
    text = text_field("text", max_length=10_000) or ""
    channel_code = code_field("channel_code")
    referrer = text_field("referrer", max_length=128)
    for name, value in (("channel_code", channel_code), ("referrer", referrer)):
        if value and event_type and event_type != EventType.FRIEND_ADDED:
            problems.append(f"{name}: only on friend_added")

    direction = ""
    if event_type == EventType.MESSAGE:
        direction = raw.get("direction")
        if direction not in _DIRECTIONS:
            problems.append("direction: must be 'in' or 'out' for a message")

    amount = None
    order_no = ""
    if event_type == EventType.ORDER:
        amount = _amount_parse(raw.get("amount"), problems)
        order_no = text_field("order_no", max_length=64, required=True) or ""

    if problems:
        return None, problems
    item = EventItem(
        index=index,
        client_id=client_id,
        type=event_type,
        at=at,
        phone=phone,
        external_id=external_id,
        staff=staff,
        script=script,
        group=group,
        source=source,
        direction=direction,
        text=text,
        amount=amount,
        order_no=order_no,
        channel_code=channel_code,
        referrer=referrer,
    )
    return item, []


def _time_parse(value, problems: list[str]) -> dt.datetime | None:
    if isinstance(value, dt.datetime) and not timezone.is_naive(value):
        return value.astimezone(dt.UTC)  # from an importer that read the time itself (the chat archive)
    if value in (None, ""):
        problems.append("at: required")
        return None
    parsed = None
    # A bare date is no time of day: "at" names the moment the event happened.
    if isinstance(value, str) and ":" in value:
        value = value.strip()
        # The usual `2026-11-02T08:00:00+08:00` read in C; anything else Django's reader decides.
        if value[10:11] == "T":
            with suppress(ValueError):
                parsed = dt.datetime.fromisoformat(value)
        if parsed is None:
            with suppress(ValueError):
                parsed = parse_datetime(value)
    if parsed is None:
        problems.append("at: not an ISO 8601 time")
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    # One zone for all: sorting by time then compares plain values.
    return parsed.astimezone(dt.UTC)


def _amount_parse(value, problems: list[str]) -> Decimal | None:
    if value is None or value == "":
        problems.append("amount: required for an order")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append("amount: must be a decimal number")
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        problems.append("amount: must be a decimal number")
        return None
    if not amount.is_finite() or amount < 0:
        problems.append("amount: must be a number ≥ 0")
        return None
    # The bound first: a number as large as 1e308 has more digits than a quantize can hold.
    if amount > _MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        problems.append("amount: at most 2 decimal places and below 10,000,000,000")
        return None
    return amount.quantize(Decimal("0.01"))

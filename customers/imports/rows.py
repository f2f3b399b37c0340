"""Checking one data row of a lead list: its phone, and for order files its order fields.

Every reason is one of `customers.imports.messages`, stored in Chinese and shown in the reader's language.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from customers.imports.messages import (
    BAD_AMOUNT,
    BAD_TIME,
    DUPLICATE_ORDER_NO,
    DUPLICATE_ROW,
    MISSING_ORDER_NO,
    MISSING_PHONE,
    NOT_MAINLAND,
    ORDER_NO_TOO_LONG,
    WRONG_DIGITS,
    message_stored,
)
from customers.phones import SEPARATORS, phones_normalize
from customers.privacy.crypto import phones_encrypt, phones_index, phones_last4_index

MAX_AMOUNT = Decimal("9999999999.99")
TAG_SEPARATORS = re.compile(r"[,，、;；]")
_PREFIX = re.compile(r"^(\+86|0086|86(?=[0-9]{10}))")
_CURRENCY = re.compile(r"[¥￥,\s]")


def phone_problem(raw: str) -> str:
    """Why `raw` is not a mainland mobile number (called only for rows `phone_normalize` refused)."""
    text = SEPARATORS.sub("", raw or "")
    if not text:
        return MISSING_PHONE
    if text.startswith("+") and not text.startswith("+86"):
        return NOT_MAINLAND
    text = _PREFIX.sub("", text)
    if text.isascii() and text.isdigit() and len(text) != 11:
        return WRONG_DIGITS
    return NOT_MAINLAND


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


@dataclass
class CheckedChunk:
    """A chunk split into rows to stage, their tags, and the rows that are not imported."""

    rows: pd.DataFrame  # STAGED_COLUMNS
    tags: pd.DataFrame  # row_no, phone_index, tag
    errors: pd.DataFrame  # row_no, value, phone_encrypted, reason
    invalid: int
    duplicates: int


# Phones leave the reader encrypted and indexed (`customers.privacy`): no number reaches the database.
STAGED_COLUMNS = [
    "row_no",
    "phone_index",
    "phone_encrypted",
    "phone_last4",
    "name",
    "remark",
    "order_no",
    "amount",
    "ordered_at",
    "first_of_phone",
]


def rows_check(frame: pd.DataFrame, *, first_row: dict[str, int], order_phones: set[str] | None) -> CheckedChunk:
    """Classify a chunk of rows, column-wise; `first_row` (key → first row number) spans the chunks.

    Lead file: the key is the phone and a repeated phone is a duplicate row (not staged). Order
    file (`order_phones` given: the phones of earlier chunks): the key is the order number and a
    repeated one is invalid; every other good row is staged for its order, and the first row of
    each phone is marked as the one speaking for the customer (the others count as duplicates).
    """
    phones = pd.Series(phones_normalize(frame["phone"]), index=frame.index, dtype=object)
    bad = phones.isna()
    errors = [
        _errors(
            frame.loc[bad, "row_no"], frame.loc[bad, "phone"], frame.loc[bad, "phone"].map(phone_problem), phone=True
        )
    ]
    invalid = int(bad.sum())
    rows = frame.loc[~bad].assign(phone=phones[~bad])
    if order_phones is None:
        rows = rows.assign(order_no="", amount=None, ordered_at=None)
        key = rows["phone"]
    else:
        checked = [
            order_fields(no, amount, at)
            for no, amount, at in zip(rows["order_no"], rows["amount"], rows["ordered_at"], strict=True)
        ]
        problems = pd.Series([problem for problem, _, _ in checked], index=rows.index, dtype=object)
        wrong = problems.notna()
        # The report shows the cell at fault.
        shown = (
            rows["order_no"].mask(problems == BAD_AMOUNT, rows["amount"]).mask(problems == BAD_TIME, rows["ordered_at"])
        )
        errors.append(_errors(rows.loc[wrong, "row_no"], shown[wrong], problems[wrong]))
        invalid += int(wrong.sum())
        rows = rows.assign(amount=[a for _, a, _ in checked], ordered_at=[t for _, _, t in checked]).loc[~wrong]
        key = rows["order_no"]
    # Rows are in file order: a key already met (in an earlier chunk or higher up) repeats it.
    met = pd.Series([k in first_row for k in key], index=key.index, dtype=bool)
    repeated = met | key.duplicated(keep="first")
    first_row.update(zip(key[~repeated], rows.loc[~repeated, "row_no"], strict=True))
    reason = DUPLICATE_ORDER_NO if order_phones is not None else DUPLICATE_ROW
    first = pd.Series(
        [message_stored(reason, row=first_row[k]) for k in key[repeated]], dtype=object, index=key[repeated].index
    )
    errors.append(_errors(rows.loc[repeated, "row_no"], key[repeated], first, phone=order_phones is None))
    rows = rows.loc[~repeated]
    duplicates = 0 if order_phones is not None else int(repeated.sum())
    invalid += int(repeated.sum()) - duplicates
    if order_phones is None:
        rows = rows.assign(first_of_phone=True)
    else:
        rows = rows.assign(first_of_phone=~rows["phone"].isin(order_phones) & ~rows["phone"].duplicated())
        order_phones.update(rows["phone"])
    rows = rows.assign(
        name=rows["name"].str.slice(0, 100),
        remark=rows["remark"].str.slice(0, 255),
        phone_index=phones_index(rows["phone"]),
        phone_encrypted=phones_encrypt(list(rows["phone"])),
        phone_last4=phones_last4_index(rows["phone"]),
    )
    return CheckedChunk(
        rows=rows[STAGED_COLUMNS],
        tags=_tags(rows),
        errors=pd.concat(errors).sort_values("row_no"),
        invalid=invalid,
        duplicates=duplicates,
    )


def _errors(row_no: pd.Series, value: pd.Series, reason, *, phone: bool = False) -> pd.DataFrame:
    """Report rows; a phone cell (`phone`) is kept encrypted, never as it was typed."""
    text = value.astype(str).str.slice(0, 255)
    if not phone:
        return pd.DataFrame({"row_no": row_no, "value": text, "phone_encrypted": "", "reason": reason})
    filled = text.str.strip() != ""
    encrypted = pd.Series("", index=text.index, dtype=object)
    encrypted[filled] = phones_encrypt(list(text[filled]))
    return pd.DataFrame({"row_no": row_no, "value": "", "phone_encrypted": encrypted, "reason": reason})


def _tags(rows: pd.DataFrame) -> pd.DataFrame:
    """One (row_no, phone_index, tag) per tag named in a row's tags cell."""
    tagged = rows.loc[rows["tags"] != "", ["row_no", "phone_index", "tags"]]
    tags = tagged.assign(tag=tagged["tags"].str.split(TAG_SEPARATORS)).explode("tag")
    tags["tag"] = tags["tag"].str.strip().str.slice(0, 64)
    return tags.loc[tags["tag"] != "", ["row_no", "phone_index", "tag"]].drop_duplicates(["phone_index", "tag"])

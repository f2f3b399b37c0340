"""Event ingestion (docs/domain.md §Events): validate a batch, store every valid item once, derive what follows.

A batch costs a fixed number of queries, whatever its size up to `EVENTS_MAX_BATCH`: every
reference (staff, scripts, sources, groups, customers, known ids, order numbers) is fetched in one
query per kind, and events, orders and customers are written in bulk. Re-sent ids are skipped by
the unique `client_id` (`ON CONFLICT DO NOTHING`), so two identical batches arriving together
store each event once.
"""

from dataclasses import dataclass, field

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.activities.services import referrals_record, referrers_resolve
from campaigns.alerts.services import loss_alerts_raise, sensitive_word_alerts_raise
from campaigns.channels.services import channel_adds_record, channel_codes_for_events
from campaigns.models import Group, Script
from campaigns.sop.engine import sop_after_events
from customers.events.effects import BULK_BATCH_SIZE, customers_owner_from_events, group_memberships_refresh
from customers.events.parsing import GROUP_EVENTS, EventItem, event_parse
from customers.models import Customer, Event, EventType, LeadSource, Order
from customers.privacy.crypto import phones_index
from customers.services.stages import customer_stages_refresh, customers_with_stage_set_by_hand
from sitadmin.bulk import rows_insert_ignoring_conflicts, rows_update
from sitadmin.text import text_clean
from staff.models import Staff

UNKNOWN_SOURCE_CODE = "unknown"
DEADLOCK_DETECTED = "40P01"
DEADLOCK_ATTEMPTS = 3
# The event types that can change a customer's stage (orders included) or fire a stage or group SOP.
STAGE_DECIDING = {
    EventType.FRIEND_REQUEST_SENT,
    EventType.FRIEND_ADDED,
    EventType.FRIEND_DELETED,
    EventType.GROUP_JOINED,
    EventType.ORDER,
}


@dataclass
class EventIngestResult:
    accepted: int = 0
    duplicates: int = 0
    errors: list[dict] = field(default_factory=list)
    stored_ids: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "errors": self.errors}


def events_ingest(*, events: list) -> EventIngestResult:
    """Store the valid events of `events` (dicts as in docs/domain.md §Events) and report the rest by index."""
    items: list[EventItem] = []
    errors: dict[int, list[str]] = {}
    for index, raw in enumerate(events):
        item, problems = event_parse(index=index, raw=raw)
        if problems:
            errors[index] = problems
        else:
            items.append(item)
    parse_errors = errors
    # A batch's own transaction is tried again when PostgreSQL broke a lock cycle with another batch
    # by cancelling it (nothing of it was stored); inside a caller's transaction it cannot be.
    attempts = 1 if transaction.get_connection().in_atomic_block else DEADLOCK_ATTEMPTS
    for attempt in range(1, attempts + 1):
        result = EventIngestResult()
        errors = {index: list(problems) for index, problems in parse_errors.items()}
        try:
            _items_write(items=items, errors=errors, result=result)
            break
        except OperationalError as exc:
            if attempt == attempts or getattr(exc.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
                raise
    # After the batch's commit, in a statement of its own: every batch of a day's deletions upserts
    # the same (staff, day) alert rows, and inside the batch's transaction their locks would make
    # concurrent batches wait for each other's whole commit. The count is recounted from the stored
    # events and only ever grows, so batches finishing in any order leave it exact.
    loss_alerts_raise(event_ids=result.stored_ids)
    ids = {index: (raw.get("id") if isinstance(raw, dict) else None) for index, raw in enumerate(events)}
    ids = {index: text_clean(value) if isinstance(value, str) else None for index, value in ids.items()}
    result.errors = [
        {"index": index, "id": ids[index], "error": "; ".join(problems)} for index, problems in sorted(errors.items())
    ]
    return result


def _items_write(*, items: list[EventItem], errors: dict[int, list[str]], result: EventIngestResult) -> None:
    with transaction.atomic():
        items = _items_resolve(items=items, errors=errors, result=result)
        inserted, stored_meanwhile = _events_store(items=items, errors=errors)
        result.duplicates += stored_meanwhile
        result.accepted = len(inserted)
        result.stored_ids = [event.pk for event in inserted]
        if inserted:
            # Messages (most of a chat archive) move no owner and decide no stage: only the customers
            # with an event of a deciding type are looked at again, and those whose stage was set by
            # hand, which any event of theirs ends.
            added = {event.customer_id for event in inserted if event.type == EventType.FRIEND_ADDED}
            staged = {event.customer_id for event in inserted if event.type in STAGE_DECIDING}
            staged |= customers_with_stage_set_by_hand(customer_ids={e.customer_id for e in inserted} - staged)
            group_memberships_refresh(events=[event for event in inserted if event.type in GROUP_EVENTS])
            customers_owner_from_events(customer_ids=added)
            customer_stages_refresh(customer_ids=staged, cause="event")
            channel_adds_record(events=inserted)
            referrals_record(events=inserted)
            sensitive_word_alerts_raise(event_ids=[event.pk for event in inserted])
            sop_after_events(customer_ids=staged, events=inserted)


def _items_resolve(
    *, items: list[EventItem], errors: dict[int, list[str]], result: EventIngestResult
) -> list[EventItem]:
    """Drop duplicates and items naming unknown staff/scripts or used order numbers; attach the
    database ids every remaining item needs (customers, groups and lead sources created on demand)."""
    known_ids = set(
        Event.objects.filter(client_id__any_of={item.client_id for item in items}).values_list("client_id", flat=True)
    )
    staff_ids = dict(
        Staff.objects.filter(user__username__in={item.staff for item in items if item.staff}).values_list(
            "user__username", "pk"
        )
    )
    script_ids = dict(
        Script.objects.filter(code__in={item.script for item in items if item.script}).values_list("code", "pk")
    )
    used_order_nos = set(
        Order.objects.filter(order_no__in={item.order_no for item in items if item.order_no}).values_list(
            "order_no", flat=True
        )
    )

    channel_codes = channel_codes_for_events(codes={item.channel_code for item in items if item.channel_code})
    referrers = referrers_resolve(items=items)

    kept: list[EventItem] = []
    seen_ids: set[str] = set()
    batch_order_nos: set[str] = set()
    for item in items:
        if item.client_id in known_ids or item.client_id in seen_ids:
            result.duplicates += 1
            continue
        problems = []
        if item.staff and item.staff not in staff_ids:
            problems.append(f"staff: unknown username '{item.staff}'")
        if item.script and item.script not in script_ids:
            problems.append(f"script: unknown script code '{item.script}'")
        if item.order_no and (item.order_no in used_order_nos or item.order_no in batch_order_nos):
            problems.append(f"order_no: '{item.order_no}' is already used by another order")
        if item.channel_code and item.channel_code not in channel_codes:
            problems.append(f"channel_code: unknown channel code '{item.channel_code}'")
        if item.referrer and item.referrer not in referrers:
            problems.append(f"referrer: unknown customer '{item.referrer}'")
        if problems:
            errors[item.index] = problems
            continue
        if item.channel_code:
            # A customer without a source takes the channel code's.
            item.channel_code_id, code_source = channel_codes[item.channel_code]
            item.source = item.source or code_source
        seen_ids.add(item.client_id)
        if item.order_no:
            batch_order_nos.add(item.order_no)
        item.staff_id = staff_ids.get(item.staff)
        item.script_id = script_ids.get(item.script)
        kept.append(item)
    if not kept:
        return kept

    # A source code a client names before anyone registered it is kept, not refused: the lead source
    # is created (kind ads, like `unknown`) for a manager to name and classify.
    source_ids = _codes_ensure(
        model=LeadSource,
        codes={item.source for item in kept if item.source} | {UNKNOWN_SOURCE_CODE},
        defaults={"kind": LeadSource.Kind.ADS},
    )
    group_ids = _codes_ensure(model=Group, codes={item.group for item in kept if item.group})
    for item in kept:
        item.source_id = source_ids.get(item.source)
    customer_ids = _customers_ensure(items=kept, unknown_source_id=source_ids[UNKNOWN_SOURCE_CODE])
    for item in kept:
        item.group_id = group_ids.get(item.group)
        item.customer_id = customer_ids[id(item)]
    referrers.attach(items=kept)
    return kept


def _codes_ensure(*, model, codes: set[str], defaults: dict | None = None) -> dict[str, int]:
    """Ids by code of `model` rows, creating the missing ones (named by their code)."""
    if not codes:
        return {}
    found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = codes - set(found)
    if missing:
        model.objects.bulk_create(
            [model(code=code, name=code, **(defaults or {})) for code in sorted(missing)], ignore_conflicts=True
        )
        found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
    return found


def _customers_ensure(*, items: list[EventItem], unknown_source_id: int) -> dict[int, int]:
    """The customer id of every item (keyed by `id(item)`), creating unknown customers.

    A customer is found by phone first, then by external_id; an item carrying both attaches the one
    the customer lacks. A customer whose source is still `unknown` takes the source an event names.
    """
    phones = sorted({item.phone for item in items if item.phone})
    # Customers are found by the phone's blind index: the number itself is stored only encrypted.
    index_of = dict(zip(phones, phones_index(phones), strict=True))
    external_ids = {item.external_id for item in items if item.external_id}
    # Locked, in id order, until the batch commits: a concurrent batch naming the same customers
    # waits here and then reads this one's events, owner and stage rather than deciding beside it.
    existing = list(
        Customer.objects.filter(Q(phone_index__any_of=list(index_of.values())) | Q(external_id__any_of=external_ids))
        .only("pk", "phone_encrypted", "phone_index", "phone_last4", "external_id", "source_id")
        .order_by("pk")
        .select_for_update(of=("self",))
    )
    by_phone = {c.phone_index: c for c in existing if c.phone_index}
    by_external = {c.external_id: c for c in existing if c.external_id}
    changed: set[int] = set()
    new: list[Customer] = []
    item_customer: dict[int, Customer] = {}
    # Items naming both a phone and an external id go first, so that the other items of the same
    # new customer find it under either key.
    for item in sorted(items, key=lambda i: (not (i.phone and i.external_id), i.at, i.client_id)):
        customer = (by_phone.get(index_of[item.phone]) if item.phone else None) or (
            by_external.get(item.external_id) if item.external_id else None
        )
        if customer is None:
            customer = Customer(source_id=unknown_source_id)
            new.append(customer)
        if item.phone and customer.phone_index is None and index_of[item.phone] not in by_phone:
            customer.phone = item.phone
            by_phone[index_of[item.phone]] = customer
            changed.add(id(customer))
        if item.external_id and customer.external_id is None and item.external_id not in by_external:
            customer.external_id = item.external_id
            by_external[item.external_id] = customer
            changed.add(id(customer))
        item_customer[id(item)] = customer
    # Earliest first: a customer still of the `unknown` source takes its earliest event's source.
    for item in sorted(items, key=lambda i: (i.at, i.client_id)):
        customer = item_customer[id(item)]
        if item.source_id and customer.source_id == unknown_source_id:
            customer.source_id = item.source_id
            changed.add(id(customer))

    rows_update(
        model=Customer,
        columns=["id", "phone_encrypted", "phone_index", "phone_last4", "external_id", "source_id"],
        rows=[
            [c.pk, c.phone_encrypted, c.phone_index, c.phone_last4, c.external_id, c.source_id]
            for c in existing
            if id(c) in changed
        ],
    )
    if new:
        # A customer created meanwhile by a concurrent batch is skipped here and found below. Inserted in
        # phone (index) order, so that two batches creating the same phones wait for each other, never in a circle.
        new.sort(key=lambda c: (c.phone_index or "", c.external_id or ""))
        Customer.objects.bulk_create(new, batch_size=BULK_BATCH_SIZE, ignore_conflicts=True)
        new_phones = {c.phone_index for c in new if c.phone_index}
        new_external = {c.external_id for c in new if c.external_id}
        # Those a concurrent batch created are locked too, once it has committed them.
        fresh = (
            Customer.objects.filter(Q(phone_index__any_of=new_phones) | Q(external_id__any_of=new_external))
            .order_by("pk")
            .select_for_update(of=("self",))
            .values_list("pk", "phone_index", "external_id")
        )
        pk_by_phone = {index: pk for pk, index, _ in fresh if index}
        pk_by_external = {ext: pk for pk, _, ext in fresh if ext}
        for customer in new:
            customer.pk = pk_by_phone.get(customer.phone_index) or pk_by_external.get(customer.external_id)
    return {key: customer.pk for key, customer in item_customer.items()}


_EVENT_COLUMNS = [
    "client_id",
    "type",
    "at",
    "customer_id",
    "staff_id",
    "script_id",
    "group_id",
    "direction",
    "text",
    "amount",
    "order_no",
    "source_id",
    "received_at",
]


def _events_store(*, items: list[EventItem], errors: dict[int, list[str]]) -> tuple[list[EventItem], int]:
    """Insert the events, then their orders; returns the events stored and how many ids a concurrent
    batch stored meanwhile (duplicates too)."""
    if not items:
        return [], 0
    now = timezone.now()
    rows = [
        [
            item.client_id,
            item.type,
            item.at,
            item.customer_id,
            item.staff_id,
            item.script_id,
            item.group_id,
            item.direction,
            item.text,
            item.amount,
            item.order_no,
            item.source_id,
            now,
        ]
        for item in items
    ]
    # In id order: two batches sharing ids wait for each other's rows in the same order.
    rows.sort(key=lambda row: row[0])
    stored = dict(
        (client_id, pk)
        for pk, client_id in rows_insert_ignoring_conflicts(
            model=Event, columns=_EVENT_COLUMNS, rows=rows, conflict="client_id", returning=["id", "client_id"]
        )
    )
    inserted = []
    for item in items:
        if item.client_id in stored:
            item.pk = stored[item.client_id]
            inserted.append(item)
    orders = [event for event in inserted if event.type == EventType.ORDER]
    if orders:
        stored_orders = {
            order_no
            for (order_no,) in rows_insert_ignoring_conflicts(
                model=Order,
                columns=["order_no", "customer_id", "amount", "ordered_at", "event_id"],
                rows=sorted([e.order_no, e.customer_id, e.amount, e.at, e.pk] for e in orders),
                conflict="order_no",
                returning=["order_no"],
            )
        }
        # An order number taken by a concurrent import or batch since the check: the event goes too.
        lost = [e for e in orders if e.order_no not in stored_orders]
        if lost:
            Event.objects.filter(pk__in=[e.pk for e in lost]).delete()
            for event in lost:
                errors[event.index] = [f"order_no: '{event.order_no}' is already used by another order"]
            lost_pks = {e.pk for e in lost}
            inserted = [e for e in inserted if e.pk not in lost_pks]
    return inserted, len(items) - len(stored)

"""The WeCom callback's writes: keep what arrived, then turn it into events after commit."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from customers.events.services import events_ingest
from customers.wecom.crypto import CallbackRejected, callback_dedup_key, xml_fields
from customers.wecom.mapping import callback_events, callback_kind
from customers.wecom.models import WecomCallback

logger = logging.getLogger(__name__)
Status = WecomCallback.Status


def callback_receive(*, fields: dict, body: str) -> tuple[WecomCallback, bool]:
    """Store a verified callback once; WeCom's retries only count a delivery. Returns it and whether
    it is new. Its processing is queued after commit (again for a retry of one still waiting)."""
    now = timezone.now()
    with transaction.atomic():
        callback, created = WecomCallback.objects.get_or_create(
            dedup_key=callback_dedup_key(fields),
            defaults={"kind": callback_kind(fields), "body": body, "received_at": now, "last_delivered_at": now},
        )
        if not created:
            WecomCallback.objects.filter(pk=callback.pk).update(deliveries=F("deliveries") + 1, last_delivered_at=now)
        if created or callback.status == Status.RECEIVED:
            transaction.on_commit(lambda: _process_later(callback.pk))
    return callback, created


def _process_later(callback_id: int) -> None:
    from customers.wecom.tasks import wecom_callback_process

    try:
        wecom_callback_process.delay(callback_id)
    except Exception:
        # WeCom has its answer either way: the callback waits as `received` for `wecom_replay`.
        logger.exception("WeCom callback #%s stored, but its processing could not be queued", callback_id)


def callback_process(*, callback_id: int) -> WecomCallback:
    """Turn a stored callback into events. Processed or ignored callbacks are left alone; a failed
    one is tried again (its event ids are fixed, so events already stored count as duplicates)."""
    with transaction.atomic():
        callback = WecomCallback.objects.select_for_update().get(pk=callback_id)
        if callback.status in (Status.PROCESSED, Status.IGNORED):
            return callback
        try:
            outcome = callback_events(fields=xml_fields(callback.body), dedup_key=callback.dedup_key)
        except CallbackRejected as exc:
            callback.status, callback.reason = Status.FAILED, exc.reason
        else:
            callback.status, callback.reason = outcome.status, outcome.reason
            if outcome.events:
                result = events_ingest(events=outcome.events)
                callback.events_accepted += result.accepted
                callback.events_duplicate = result.duplicates
                if result.errors:
                    callback.status = Status.FAILED
                    callback.reason = "; ".join(error["error"] for error in result.errors)
        callback.processed_at = timezone.now()
        callback.save(
            update_fields=["status", "reason", "events_accepted", "events_duplicate", "processed_at"],
        )
    return callback


def callbacks_replay(*, ids: list[int] | None = None) -> dict[str, int]:
    """Process again the failed callbacks and those still waiting (all, or those of `ids`), oldest
    first, e.g. once a staff member's `wecom_userid` is set. Returns how many ended in each status."""
    pending = WecomCallback.objects.filter(status__in=[Status.FAILED, Status.RECEIVED])
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    counts = {status: 0 for status in Status.values}
    for callback_id in pending.order_by("received_at", "pk").values_list("pk", flat=True):
        counts[callback_process(callback_id=callback_id).status] += 1
    return counts

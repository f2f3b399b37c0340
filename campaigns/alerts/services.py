"""Alerts raised while events are stored (告警): sensitive words in staff messages, and loss days.

Both run once per ingested batch, set-based, on the ids of the events the batch stored:
- every `out` message whose text contains an active sensitive word (ignoring case) gets one alert
  per word, in one `INSERT … SELECT` joining the batch's messages with the words; the (event, word)
  unique constraint and `ON CONFLICT DO NOTHING` make a re-run raise nothing twice;
- every (staff, local day) that got a `friend_deleted` in the batch is counted again over all the
  stored deletions of that day, so the threshold is reached however the day's events were split
  into batches; one loss alert per (staff, day), its `count` kept up to date.

A sensitive-word alert names the message's staff, or, for a message sent without one, the
customer's owner at the time the alert is raised.
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.alerts.models import Alert, SensitiveWord
from customers.models import Customer, Event, EventType


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _ids_condition(column: str, ids: list[int]) -> tuple[str, list]:
    # A bigint array: a list of small ids would otherwise be sent as smallint[], and PostgreSQL
    # would filter rows by it instead of looking the ids up in the primary key.
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def sensitive_word_alerts_raise(*, event_ids: list[int]) -> int:
    """One alert per (out message among `event_ids`, active word it contains); returns how many are new.

    Each text and each word is lower-cased once (the materialised CTEs), not once per pair."""
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    ids_sql, ids_params = _ids_condition("e.id", event_ids)
    sql = (
        "WITH m AS MATERIALIZED ("  # noqa: S608 (table names from the models; values bound)
        "  SELECT e.id, COALESCE(e.staff_id, c.owner_id) AS staff_id, e.customer_id, e.text, e.at,"
        "         LOWER(e.text) AS folded"
        f"  FROM {_qn(Event._meta.db_table)} e JOIN {_qn(Customer._meta.db_table)} c ON c.id = e.customer_id"
        f"  WHERE {ids_sql} AND e.type = %s AND e.direction = %s AND e.text <> ''"
        f"), w AS MATERIALIZED (SELECT word, LOWER(word) AS folded FROM {_qn(SensitiveWord._meta.db_table)}"
        "  WHERE active) "
        f"INSERT INTO {_qn(Alert._meta.db_table)} (kind, staff_id, customer_id, event_id, word, text, at, created_at) "
        "SELECT %s, m.staff_id, m.customer_id, m.id, w.word, m.text, m.at, %s "
        f"FROM m JOIN w ON {find}(m.folded, w.folded) > 0 WHERE true "
        "ON CONFLICT DO NOTHING"
    )
    params = [
        *ids_params,
        EventType.MESSAGE,
        Event.Direction.OUT,
        Alert.Kind.SENSITIVE_WORD,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def loss_alerts_raise(*, event_ids: list[int]) -> None:
    """Recount the (staff, day) pairs that got a deletion among `event_ids`; raise or update their alert."""
    if not event_ids:
        return
    threshold = settings.LOSS_ALERT_THRESHOLD
    if connection.vendor == "postgresql":
        _loss_alerts_raise_pg(event_ids=event_ids, threshold=threshold)
    else:
        _loss_alerts_raise_portable(event_ids=event_ids, threshold=threshold)


def _loss_alerts_raise_pg(*, event_ids: list[int], threshold: int) -> None:
    """One statement: the touched pairs, their day's deletions, the upsert."""
    events = _qn(Event._meta.db_table)
    sql = (
        "WITH touched AS ("  # noqa: S608 (table names from the models; values bound)
        "  SELECT DISTINCT staff_id, (at AT TIME ZONE %(tz)s)::date AS day"
        f"  FROM {events} WHERE id = ANY(%(ids)s::bigint[]) AND type = %(deleted)s AND staff_id IS NOT NULL"
        "), counted AS ("
        "  SELECT t.staff_id, t.day, count(*) AS deletions, max(e.at) AS last_at FROM touched t"
        f"  JOIN {events} e ON e.staff_id = t.staff_id AND e.type = %(deleted)s"
        "   AND e.at >= (t.day::timestamp AT TIME ZONE %(tz)s) AND e.at < ((t.day + 1)::timestamp AT TIME ZONE %(tz)s)"
        "  GROUP BY t.staff_id, t.day HAVING count(*) >= %(threshold)s"
        ") "
        f"INSERT INTO {_qn(Alert._meta.db_table)} AS a (kind, staff_id, word, text, at, date, count, created_at) "
        "SELECT %(kind)s, staff_id, '', '', last_at, day, deletions, %(now)s FROM counted "
        "ON CONFLICT (staff_id, date) WHERE kind = 'loss' "
        # A recount that read before a concurrent batch committed never lowers a later one's figure.
        "DO UPDATE SET count = GREATEST(a.count, EXCLUDED.count), at = GREATEST(a.at, EXCLUDED.at)"
    )
    params = {
        "tz": settings.TIME_ZONE,
        "ids": list(event_ids),
        "deleted": EventType.FRIEND_DELETED,
        "threshold": threshold,
        "kind": Alert.Kind.LOSS,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _loss_alerts_raise_portable(*, event_ids: list[int], threshold: int) -> None:
    """The same on SQLite (the embedded setup): touched pairs in Python, one grouped count, then an
    upsert per qualifying pair (a handful a day)."""
    tz = timezone.get_default_timezone()
    touched = {
        (staff_id, timezone.localtime(at, tz).date())
        for staff_id, at in Event.objects.filter(
            pk__in=event_ids, type=EventType.FRIEND_DELETED, staff_id__isnull=False
        ).values_list("staff_id", "at")
    }
    if not touched:
        return
    days = {day for _staff, day in touched}
    start = dt.datetime.combine(min(days), dt.time(), tzinfo=tz)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    counts = (
        Event.objects.filter(
            type=EventType.FRIEND_DELETED, staff_id__in={s for s, _d in touched}, at__gte=start, at__lt=end
        )
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values("staff_id", "day")
        .annotate(deletions=Count("pk"), last_at=Max("at"))
    )
    for row in counts:
        if (row["staff_id"], row["day"]) in touched and row["deletions"] >= threshold:
            Alert.objects.update_or_create(
                kind=Alert.Kind.LOSS,
                staff_id=row["staff_id"],
                date=row["day"],
                defaults={"count": row["deletions"], "at": row["last_at"]},
            )


def alert_acknowledge(*, alert: Alert, user) -> Alert:
    """Mark `alert` seen by `user`; acknowledging again keeps the first acknowledgement."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert

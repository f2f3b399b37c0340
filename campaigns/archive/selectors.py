"""The message archive (会话存档): stored message texts, searched by customer, staff, group, words and
days, newest first, within the viewer's scope.

The text search is a case-insensitive substring match (`ILIKE '%…%'`, `%`, `_` and `\\` taken
literally). On PostgreSQL the partial trigram index `event_message_text_trgm` (pg_trgm, GIN) serves
it for any phrase of 3 characters or more, Chinese included; a shorter phrase has no trigram, is
looked for with a plain substring test among the messages the other filters select, and needs such a
filter (see `MessageFilterSerializer`).
"""

import datetime as dt

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Lower, StrIndex
from django.db.models.lookups import Lookup

from campaigns.alerts.selectors import local_day_start, team_scope
from customers.models import Event, EventType

TRIGRAM_LENGTH = 3


class ILike(Lookup):
    """`lhs ILIKE rhs` (PostgreSQL; what a trigram index serves), `LIKE … ESCAPE` elsewhere, where
    LIKE already ignores ASCII case."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def like_pattern(text: str) -> str:
    """`%text%` with the LIKE wildcards of `text` escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def message_scope(queryset: QuerySet, *, user) -> QuerySet:
    """Managers read every message, team leads those of customers their team owns, anyone else none."""
    return team_scope(queryset, user=user, team_field="customer__owner__team_id")


def message_search(*, user, filters: dict) -> QuerySet:
    """Message events `user` may read, newest first, narrowed by `customer` (id), `staff` (a Staff),
    `group` (a Group), `q` (text contains, ignoring case) and the local days `date_from` … `date_to`."""
    messages = message_scope(Event.objects.filter(type=EventType.MESSAGE), user=user)
    if filters.get("customer"):
        messages = messages.filter(customer_id=filters["customer"])
    if filters.get("staff"):
        messages = messages.filter(staff=filters["staff"])
    if filters.get("group"):
        messages = messages.filter(group=filters["group"])
    if filters.get("q") and len(filters["q"]) >= TRIGRAM_LENGTH:
        messages = messages.filter(ILike(F("text"), Value(like_pattern(filters["q"]))))
    elif filters.get("q"):
        # No trigram in the phrase: given an ILIKE, PostgreSQL would read the whole trigram index
        # (about 100 s at 10M messages); a plain substring test reads only what the other filters select.
        messages = messages.alias(found_at=StrIndex(Lower("text"), Value(filters["q"].lower()))).filter(found_at__gt=0)
    if filters.get("date_from"):
        messages = messages.filter(at__gte=local_day_start(filters["date_from"]))
    if filters.get("date_to"):
        messages = messages.filter(at__lt=local_day_start(filters["date_to"] + dt.timedelta(days=1)))
    return messages.select_related("staff__user", "group").order_by("-at", "-id")

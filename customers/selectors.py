"""Reading customers, always within what the user may see (docs/domain.md §Vocabulary roles)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from customers.models import Customer, OwnershipPeriod, StageTransition
from customers.privacy.search import phone_search_q
from staff.roles import is_manager, scope_by_owner, staff_for


def customer_list_for(*, user, filters: Mapping[str, Any]) -> QuerySet[Customer]:
    """The user's customers (all, their team's, or their own), narrowed by validated filters.

    `filters` may hold `stage`, `source` (LeadSource), `owner` (Staff), `tag` (Tag) and `search`
    (name, external id or remark containing it; the whole phone number or its last four digits).
    Owner, source and tags come in a constant number of queries, whatever the page size.
    """
    customers = scope_by_owner(Customer.objects.all(), user)
    if filters.get("stage"):
        customers = customers.filter(stage=filters["stage"])
    if filters.get("source") is not None:
        customers = customers.filter(source=filters["source"])
    if filters.get("owner") is not None:
        customers = customers.filter(owner=filters["owner"])
    if filters.get("tag") is not None:
        customers = customers.filter(tags=filters["tag"])
    term = (filters.get("search") or "").strip()
    if term:
        match = Q(name__icontains=term) | Q(external_id__icontains=term) | Q(remark__icontains=term)
        phone = phone_search_q(term)
        if phone is not None:
            match |= phone
        customers = customers.filter(match)
    return customers.select_related("source", "owner__user").prefetch_related("tags").order_by("-id")


def _with_history(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    return customers.select_related("source", "owner__user").prefetch_related(
        "tags",
        Prefetch("stage_transitions", StageTransition.objects.select_related("event", "changed_by")),
        Prefetch("ownership_periods", OwnershipPeriod.objects.select_related("staff__user", "changed_by")),
    )


def customer_get_for(*, user, customer_id: int) -> Customer:
    """One customer the user may see, with its stage and ownership history; DoesNotExist otherwise."""
    return _with_history(scope_by_owner(Customer.objects.all(), user)).get(pk=customer_id)


def customer_get(*, customer_id: int) -> Customer:
    """One customer with its history, unscoped: for answering a change the user was allowed to make."""
    return _with_history(Customer.objects.all()).get(pk=customer_id)


@dataclass(frozen=True)
class PhoneViewer:
    """What decides which phone numbers a user sees in full: all of them for a manager, else their own customers'."""

    is_manager: bool
    staff_id: int | None


def phone_viewer_for(*, user) -> PhoneViewer:
    staff = staff_for(user)
    return PhoneViewer(is_manager=is_manager(user), staff_id=staff.pk if staff else None)


def customer_phone_for(*, customer: Customer, viewer: PhoneViewer) -> str | None:
    """The full number for a manager or the owner, masked (138****8000) for everyone else; None without one."""
    if customer.phone is None:
        return None
    if viewer.is_manager or (customer.owner_id is not None and customer.owner_id == viewer.staff_id):
        return customer.phone
    return customer.masked_phone

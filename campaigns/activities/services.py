"""Campaign writes: referrals named by events, and draws among the qualified."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from campaigns.activities.models import Campaign, CampaignDraw, Referral
from campaigns.activities.selectors import campaign_participants
from customers.models import Customer
from customers.phones import phone_normalize
from customers.privacy.crypto import phones_index


@dataclass
class ReferrerLookup:
    """Which `referrer` values of a batch name a customer: known ones by id, and those that only
    another item of the same batch creates (looked up again once the batch's customers exist)."""

    found: dict[str, int] = field(default_factory=dict)
    in_batch: set[str] = field(default_factory=set)

    def __contains__(self, key: str) -> bool:
        return key in self.found or key in self.in_batch

    def attach(self, *, items: list) -> None:
        pending = {i.referrer for i in items if i.referrer and i.referrer not in self.found}
        if pending:
            self.found.update(_referrers_find(keys=pending))
        for item in items:
            if item.referrer:
                item.referrer_id = self.found.get(item.referrer)


def _referrers_find(*, keys: set[str]) -> dict[str, int]:
    """Customer ids by referrer value (a phone in any accepted spelling, or an external id): one query."""
    phones = {key: phone_normalize(key) for key in keys}
    valid = sorted({p for p in phones.values() if p})
    index_of = dict(zip(valid, phones_index(valid), strict=True))
    rows = Customer.objects.filter(Q(phone_index__in=index_of.values()) | Q(external_id__in=keys)).values_list(
        "pk", "phone_index", "external_id"
    )
    by_index = {index: pk for pk, index, _ in rows if index}
    by_external = {ext: pk for pk, _, ext in rows if ext}
    found = {}
    for key, phone in phones.items():
        pk = by_index.get(index_of[phone]) if phone else None
        pk = pk or by_external.get(key)
        if pk:
            found[key] = pk
    return found


def referrers_resolve(*, items: Iterable) -> ReferrerLookup:
    """The referrers a batch of parsed events names, resolved in one query (none when none is named)."""
    items = list(items)
    keys = {i.referrer for i in items if i.referrer}
    if not keys:
        return ReferrerLookup()
    found = _referrers_find(keys=keys)
    batch_phones = {i.phone for i in items if i.phone}
    batch_external = {i.external_id for i in items if i.external_id}
    in_batch = {k for k in keys - set(found) if phone_normalize(k) in batch_phones or k in batch_external}
    return ReferrerLookup(found=found, in_batch=in_batch)


def referrals_record(*, events: Iterable) -> int:
    """Keep a referral for each stored event naming a referrer (`pk`, `customer_id`, `at`,
    `referrer_id`); a customer naming itself is no referral. One query; returns how many."""
    rows = [
        Referral(event_id=e.pk, referrer_id=e.referrer_id, customer_id=e.customer_id, at=e.at)
        for e in events
        if getattr(e, "referrer_id", None) and e.referrer_id != e.customer_id
    ]
    if rows:
        Referral.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def campaign_draw(*, campaign: Campaign, winners: int, seed: str, user=None) -> CampaignDraw:
    """Draw `winners` customers among the qualified and keep the draw.

    The qualified customers' ids are sorted and shuffled by `random.Random(seed)`: the same seed and
    the same qualifiers always give the same winners, in the same order.
    """
    qualified = sorted(p["customer_id"] for p in campaign_participants(campaign=campaign) if p["qualified"])
    chosen = random.Random(str(seed)).sample(qualified, min(winners, len(qualified)))
    with transaction.atomic():
        return CampaignDraw.objects.create(
            campaign=campaign,
            seed=str(seed),
            winners_wanted=winners,
            qualified=len(qualified),
            winners=chosen,
            drawn_by=user if getattr(user, "is_authenticated", False) else None,
        )

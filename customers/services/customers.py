"""Changing a customer by hand: stage, tags, owner and remark (docs/domain.md §Imports PATCH)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.sop.engine import sop_after_hand_edit
from customers.models import Customer, OwnershipPeriod, StageTransition
from customers.ownership.services import customers_assign_owner
from staff.models import Staff
from staff.roles import role_for, staff_for


def _check_owner_change(*, changed_by, new_owner: Staff | None) -> None:
    role = role_for(changed_by)
    if role == Staff.Role.MANAGER:
        return
    if role == Staff.Role.TEAM_LEAD:
        lead = staff_for(changed_by)
        if new_owner is None or (lead.team_id and new_owner.team_id == lead.team_id):
            return
        raise PermissionDenied(gettext("组长只能把客户分配给本组员工。"))
    raise PermissionDenied(gettext("运营专员不能更换客户归属。"))


@transaction.atomic
def customer_update(*, customer: Customer, data: Mapping[str, Any], changed_by) -> Customer:
    """Apply validated changes (`stage`, `tags` as Tag list, `owner` as Staff or None, `remark`).

    A stage change is kept as a manual StageTransition; an owner change goes through
    `customers_assign_owner`, so ownership history stays complete. Raises PermissionDenied when
    `changed_by` may not give the customer that owner.
    """
    # Re-sending the current owner (a client echoing what it read) is no change, so no permission is needed.
    if "owner" in data and customer.owner_id != (data["owner"].pk if data["owner"] else None):
        _check_owner_change(changed_by=changed_by, new_owner=data["owner"])
    # Lock the row so a concurrent event batch cannot interleave its own stage change.
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    now = timezone.now()
    changed_fields = []
    if "stage" in data and data["stage"] != locked.stage:
        StageTransition.objects.create(
            customer=locked,
            from_stage=locked.stage,
            to_stage=data["stage"],
            at=now,
            changed_by=changed_by,
            cause="manual",
        )
        customer.stage = data["stage"]
        changed_fields.append("stage")
    if "remark" in data and data["remark"] != locked.remark:
        customer.remark = data["remark"]
        changed_fields.append("remark")
    if changed_fields:
        customer.save(update_fields=[*changed_fields, "updated_at"])
    if "tags" in data:
        customer.tags.set(data["tags"])
    if "owner" in data:
        new_owner = data["owner"]
        customers_assign_owner(
            assignments={customer.pk: new_owner.pk if new_owner else None},
            at=now,
            cause=OwnershipPeriod.Cause.MANUAL,
            changed_by=changed_by,
        )
        customer.owner = new_owner
    sop_after_hand_edit(customer=customer, old_stage=locked.stage, at=now)
    return customer

"""The audit hook of a phone reveal.

One call, `phone_reveal_audit`, made by `customer_phone_reveal` after each reveal: it appends the
action `phone_reveal` (who, which customer, from where) to the audit log. Never the number.
"""

from staff.audit.services import audit_record

ACTION = "phone_reveal"


def phone_reveal_audit(*, user, customer_id: int, request=None) -> None:
    """Record that `user` saw customer `customer_id`'s phone in full."""
    audit_record(action=ACTION, user=user, request=request, object_repr=f"customer:{customer_id}")

"""The audit hook of a phone reveal.

One call, `phone_reveal_audit`, made by `customer_phone_reveal` after each reveal; it is where the
audit log records the action `phone_reveal` (who, which customer, from where). Until that log is
connected it logs the fact without the number: a phone never reaches a log line.
"""

import logging

logger = logging.getLogger("sitadmin.audit")

ACTION = "phone_reveal"


def phone_reveal_audit(*, user, customer_id: int, request=None) -> None:
    """Record that `user` saw customer `customer_id`'s phone in full."""
    logger.info("%s user=%s customer=%s", ACTION, getattr(user, "pk", None), customer_id)

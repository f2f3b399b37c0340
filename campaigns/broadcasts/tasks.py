"""Broadcast tasks: thin wrappers around the services, safe to run twice."""

from celery import shared_task

from campaigns.broadcasts.services import broadcast_send, broadcasts_send_due


@shared_task(acks_late=True)
def broadcast_send_task(broadcast_id: int) -> int:
    return broadcast_send(broadcast_id=broadcast_id)


@shared_task(acks_late=True, expires=300)
def send_due_broadcasts() -> list[int]:
    """Beat, every minute: freeze and hand out every broadcast whose time has come."""
    return broadcasts_send_due()

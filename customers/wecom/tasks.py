"""Celery task of the WeCom bridge: a thin wrapper taking the stored callback's id."""

from celery import shared_task
from django.db import OperationalError

from customers.wecom.services import callback_process


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def wecom_callback_process(callback_id: int) -> str:
    """Process one stored callback; one already processed is left alone, so a redelivery does nothing."""
    return callback_process(callback_id=callback_id).status

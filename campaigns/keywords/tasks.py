"""Keyword reply tasks: thin wrappers around the services, safe to run twice."""

from celery import shared_task

from campaigns.keywords.hits import keyword_hits_fold


@shared_task(acks_late=True, expires=60)
def fold_keyword_hits() -> int:
    """Beat, every minute: add the hits counted in Redis to the rules' `hits`."""
    return keyword_hits_fold()

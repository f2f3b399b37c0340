"""Message leases on the Redis broker: a dead worker's tasks come back within minutes, a live one's never.

The Redis transport keeps every message a worker took but has not acknowledged (with `acks_late`,
until its task ends) in a sorted set scored by the time it was taken, and puts it back in its queue
once it is older than `visibility_timeout`. Two things made that useless after a whole worker was
killed:

- the timeout had to exceed the longest task (an import can run for many minutes), or a live
  worker's long task was delivered a second time; so a dead worker's tasks waited that long too;
- kombu looks for expired messages only on every tenth tick of a 10-second timer (every 100 s or
  so) and once at start-up, when a just-killed worker's messages are not yet expired.

This consumer step renews the lease of every message the worker holds (reserved or running) every
quarter of the timeout, so the timeout can be short whatever a task's length; and it puts expired
messages back on the same cadence. A killed worker's messages are then back in their queue one
timeout after its last renewal, picked up by any live or restarted worker.
"""

import logging
import time

from celery import bootsteps
from celery.worker import state
from celery.worker.consumer.tasks import Tasks

logger = logging.getLogger(__name__)


def lease_interval(visibility_timeout: float) -> float:
    """Seconds between two renewals (and two restores): a quarter of the timeout, at least one."""
    return max(1.0, visibility_timeout / 4)


class MessageLeases(bootsteps.StartStopStep):
    """Renew the held messages' leases and restore expired ones (Redis broker only)."""

    requires = (Tasks,)

    def __init__(self, c, **kwargs):
        self.tref = None
        super().__init__(c, **kwargs)

    def start(self, c):
        channel = c.connection.default_channel
        if not hasattr(channel, "unacked_index_key"):  # not the Redis transport
            return
        self.tref = c.timer.call_repeatedly(lease_interval(channel.visibility_timeout), self.tick, (c,), priority=10)

    def stop(self, c):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    shutdown = stop

    def tick(self, c) -> None:
        try:
            channel = c.connection.default_channel
            leases_renew(channel=channel, delivery_tags=[r.message.delivery_tag for r in list(state.reserved_requests)])
            # interval=1: look on every call (kombu's own default looks on every tenth).
            channel.qos.restore_visible(num=channel.unacked_restore_limit, interval=1)
        except Exception:
            # A broker hiccup: the next tick tries again; the worker's reconnection handles the rest.
            logger.warning("message lease renewal failed", exc_info=True)


def leases_renew(*, channel, delivery_tags: list[str], now: float | None = None) -> int:
    """Mark the given held messages as taken `now`; acknowledged ones are left out (XX). Returns the count."""
    if not delivery_tags:
        return 0
    stamp = time.time() if now is None else now
    with channel.conn_or_acquire() as client:
        client.zadd(channel.unacked_index_key, dict.fromkeys(delivery_tags, stamp), xx=True, ch=True)
    return len(delivery_tags)

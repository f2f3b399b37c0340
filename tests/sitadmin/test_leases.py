"""Message leases on the real Redis broker: a renewed message stays with its worker, a lapsed one
goes back to its queue on the next look (sitadmin/leases.py)."""

import time
import uuid

import pytest
from django.conf import settings
from kombu import Connection

from sitadmin.leases import lease_interval, leases_renew

pytestmark = pytest.mark.redis


def test_a_renewed_message_stays_taken_and_a_lapsed_one_is_restored():
    name = f"lease-{uuid.uuid4().hex}"
    with Connection(settings.CELERY_BROKER_URL, transport_options={"visibility_timeout": 60}) as conn:
        channel = conn.default_channel
        queue = conn.SimpleQueue(name)
        try:
            queue.put({"n": 1})
            queue.put({"n": 2})
            first, second = queue.get(timeout=2), queue.get(timeout=2)
            assert _waiting(channel, name) == 0
            # Both were taken two minutes ago, as by a worker that has since died...
            leases_renew(
                channel=channel, delivery_tags=[first.delivery_tag, second.delivery_tag], now=time.time() - 120
            )
            # ...except that the first one's worker is alive and renews its lease.
            assert leases_renew(channel=channel, delivery_tags=[first.delivery_tag]) == 1

            channel.qos.restore_visible(num=None, interval=1)

            assert _waiting(channel, name) == 1
            back = queue.get(timeout=2)
            assert back.payload == {"n": 2}
            assert back.delivery_info["redelivered"] is True
            for message in (first, back):
                message.ack()
            # An acknowledged message is not brought back to life by a late renewal.
            leases_renew(channel=channel, delivery_tags=[first.delivery_tag])
            with channel.conn_or_acquire() as client:
                assert client.zscore(channel.unacked_index_key, first.delivery_tag) is None
        finally:
            queue.clear()
            queue.close()


def _waiting(channel, name: str) -> int:
    """Messages waiting in the queue's Redis list (an emptied list is no key at all)."""
    with channel.conn_or_acquire() as client:
        return client.llen(name)


def test_leases_are_renewed_four_times_per_timeout():
    assert lease_interval(120) == 30
    assert lease_interval(2) == 1

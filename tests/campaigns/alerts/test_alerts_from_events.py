"""From events to alerts: sensitive words in staff messages and loss days, raised during ingestion."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from campaigns.alerts.models import Alert
from customers.events.services import events_ingest
from customers.models import Customer
from customers.privacy.crypto import phone_index
from tests.campaigns.factories import SensitiveWordFactory
from tests.staff.factories import StaffFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _message(n, text, *, direction="out", staff="op1", phone="13800000001"):
    event = {"id": f"m{n}", "type": "message", "at": f"2026-11-02T10:{n:02d}:00+08:00", "phone": phone}
    event.update({"direction": direction, "text": text})
    if staff:
        event["staff"] = staff
    return event


def _deletion(n, at, *, staff="op1"):
    return {"id": f"d{n}", "type": "friend_deleted", "at": at, "phone": f"1370000{n:04d}", "staff": staff}


@pytest.mark.django_db
def test_one_alert_per_message_and_active_word_ignoring_case_never_twice(operator):
    SensitiveWordFactory(word="微信转账")
    SensitiveWordFactory(word="VIP")
    SensitiveWordFactory(word="最低价", active=False)
    batch = [
        _message(1, "加我微信转账，vip价更低"),  # two words: two alerts
        _message(2, "微信转账也行", direction="in", staff=None),  # the customer wrote it: none
        _message(3, "全网最低价"),  # inactive word: none
        _message(4, "再说一次：微信转账"),  # another message: its own alert
    ]
    assert events_ingest(events=batch).accepted == 4
    assert events_ingest(events=batch).duplicates == 4
    alerts = list(Alert.objects.order_by("event__client_id", "word"))
    assert [(a.event.client_id, a.word) for a in alerts] == [("m1", "VIP"), ("m1", "微信转账"), ("m4", "微信转账")]
    first = alerts[1]
    customer = Customer.objects.get(phone_index=phone_index("13800000001"))
    assert (first.kind, first.staff_id, first.customer_id, first.text) == (
        "sensitive_word",
        operator.pk,
        customer.pk,
        "加我微信转账，vip价更低",
    )
    assert first.at == dt.datetime(2026, 11, 2, 10, 1, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_a_message_without_staff_names_the_customers_owner(operator):
    SensitiveWordFactory(word="转账")
    events_ingest(
        events=[
            {
                "id": "a",
                "type": "friend_added",
                "at": "2026-11-01T09:00:00+08:00",
                "phone": "13800000001",
                "staff": "op1",
            },
            _message(1, "转账给我", staff=None),
        ]
    )
    assert list(Alert.objects.values_list("staff_id", "word")) == [(operator.pk, "转账")]


@pytest.mark.django_db
def test_a_loss_alert_once_per_staff_and_local_day_however_the_deletions_arrive(operator):
    settings_threshold = 5
    # Four deletions on 2 November (Shanghai), then the fifth in another batch: the day is recounted.
    first = [_deletion(n, f"2026-11-02T{9 + n}:00:00+08:00") for n in range(4)]
    events_ingest(events=first)
    assert Alert.objects.count() == 0
    # 16:30 UTC on 2 November is 00:30 on 3 November in Shanghai: a deletion of the next day.
    second = [_deletion(4, "2026-11-02T23:30:00+08:00"), _deletion(5, "2026-11-02T16:30:00Z")]
    events_ingest(events=second)
    loss = Alert.objects.get()
    assert (loss.kind, loss.staff_id, loss.date, loss.count) == ("loss", operator.pk, dt.date(2026, 11, 2), 5)
    assert loss.count == settings_threshold
    assert loss.at == dt.datetime(2026, 11, 2, 23, 30, tzinfo=SHANGHAI)
    events_ingest(events=second)  # re-sent: nothing new
    events_ingest(events=[_deletion(6, "2026-11-02T08:00:00+08:00")])  # a sixth, earlier that day
    loss = Alert.objects.get()
    assert (loss.count, loss.at) == (6, dt.datetime(2026, 11, 2, 23, 30, tzinfo=SHANGHAI))


@pytest.mark.django_db
def test_loss_counts_each_staff_member_apart_and_follows_the_threshold_setting(operator, team, settings):
    settings.LOSS_ALERT_THRESHOLD = 3
    StaffFactory(user__username="op2", team=team)
    events_ingest(
        events=[_deletion(n, f"2026-11-05T1{n}:00:00+08:00") for n in range(3)]
        + [_deletion(10 + n, f"2026-11-05T1{n}:00:00+08:00", staff="op2") for n in range(2)]
    )
    assert list(Alert.objects.values_list("staff__user__username", "date", "count")) == [
        ("op1", dt.date(2026, 11, 5), 3)
    ]

"""/wecom/callback/: URL verification, every callback kind, retries, bad input, unknown staff and replay."""

import datetime as dt
import hashlib
import io
import logging

import pytest
from django.core.management import call_command

from campaigns.models import Group, GroupMembership
from customers.models import Customer, Event, Stage
from customers.wecom.models import WecomCallback
from tests.campaigns.factories import GroupFactory
from tests.customers.wecom.factories import (
    CORP_ID,
    TOKEN,
    chat_xml,
    contact_xml,
    post_callback,
    signed_post,
    wecom_settings,
)
from tests.staff.factories import StaffFactory

URL = "/wecom/callback/"
AT = 1_700_000_000  # 2023-11-14 22:13:20 UTC
AT_TIME = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
OFFICIAL_GET = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    "timestamp": "1409659589",
    "nonce": "263014780",
    "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
}


@pytest.fixture(autouse=True)
def _wecom(settings):
    wecom_settings(settings)


@pytest.fixture
def amy(db):
    return StaffFactory(user__username="amy", wecom_userid="zhangsan")


def post(client, xml, capture, **kwargs):
    with capture(execute=True):
        return post_callback(client, xml, **kwargs)


def test_official_url_verification_vector(client, db):
    answer = client.get(URL, OFFICIAL_GET)

    assert answer.status_code == 200
    assert answer.content == b"1616140317555161061"
    assert answer["Content-Type"].startswith("text/plain")


def test_url_verification_with_a_bad_signature_is_403(client, db):
    assert client.get(URL, {**OFFICIAL_GET, "msg_signature": "0" * 40}).status_code == 403
    assert client.get(URL, {k: v for k, v in OFFICIAL_GET.items() if k != "echostr"}).status_code == 403


def test_unconfigured_bridge_answers_503(client, db, settings):
    settings.WECOM_TOKEN = ""
    assert client.get(URL, OFFICIAL_GET).status_code == 503


def test_add_external_contact_becomes_friend_added(client, amy, django_capture_on_commit_callbacks):
    xml = contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmEXT1", at=AT)

    answer = post(client, xml, django_capture_on_commit_callbacks)

    assert answer.status_code == 200 and answer.content == b"success"
    event = Event.objects.get()
    assert (event.type, event.staff_id, event.at) == ("friend_added", amy.pk, AT_TIME)
    customer = Customer.objects.get(external_id="wmEXT1")
    assert (customer.stage, customer.owner_id) == (Stage.FAN, amy.pk)
    callback = WecomCallback.objects.get()
    assert (callback.status, callback.kind, callback.events_accepted) == (
        "processed",
        "change_external_contact/add_external_contact",
        1,
    )
    assert "<ExternalUserID><![CDATA[wmEXT1]]></ExternalUserID>" in callback.body


def test_half_add_also_becomes_friend_added(client, amy, django_capture_on_commit_callbacks):
    post(
        client,
        contact_xml(change="add_half_external_contact", userid="zhangsan", external_id="wmEXT2", at=AT),
        django_capture_on_commit_callbacks,
    )

    assert list(Event.objects.values_list("type", "customer__external_id")) == [("friend_added", "wmEXT2")]


def test_a_retried_callback_stores_nothing_new(client, amy, django_capture_on_commit_callbacks):
    xml = contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmEXT1", at=AT)
    post(client, xml, django_capture_on_commit_callbacks)
    # WeCom's retries are encrypted again: another nonce, timestamp, random prefix and signature.
    for nonce, timestamp in (("111", "1409304400"), ("222", "1409304460")):
        answer = post(client, xml, django_capture_on_commit_callbacks, nonce=nonce, timestamp=timestamp)
        assert answer.content == b"success"

    assert Event.objects.count() == 1
    callback = WecomCallback.objects.get()
    assert (callback.deliveries, callback.events_accepted) == (3, 1)


def test_del_follow_user_becomes_friend_deleted(client, amy, django_capture_on_commit_callbacks):
    post(
        client,
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmEXT1", at=AT),
        django_capture_on_commit_callbacks,
    )
    post(
        client,
        contact_xml(change="del_follow_user", userid="zhangsan", external_id="wmEXT1", at=AT + 3600),
        django_capture_on_commit_callbacks,
    )

    assert list(Event.objects.order_by("at").values_list("type", flat=True)) == ["friend_added", "friend_deleted"]
    assert Customer.objects.get(external_id="wmEXT1").stage == Stage.LOST


def test_chat_member_changes_become_group_joins_and_leaves(client, amy, django_capture_on_commit_callbacks):
    chat = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"
    # zhangsan is staff (a member, not a customer); wmA and wmB are external contacts.
    post(
        client,
        chat_xml(detail="add_member", chat_id=chat, members=["zhangsan", "wmA", "wmB"], at=AT),
        django_capture_on_commit_callbacks,
    )
    post(
        client,
        chat_xml(detail="del_member", chat_id=chat, members=["wmB"], at=AT + 60),
        django_capture_on_commit_callbacks,
    )

    group = Group.objects.get(wecom_chat_id=chat)
    assert group.code == chat
    assert sorted(Event.objects.values_list("type", "customer__external_id", "group_id")) == [
        ("group_joined", "wmA", group.pk),
        ("group_joined", "wmB", group.pk),
        ("group_left", "wmB", group.pk),
    ]
    active = {m.customer.external_id for m in GroupMembership.objects.select_related("customer") if m.active}
    assert active == {"wmA"}
    assert list(WecomCallback.objects.values_list("events_accepted", flat=True).order_by("pk")) == [2, 1]


def test_a_known_chat_id_uses_its_group(client, amy, django_capture_on_commit_callbacks):
    group = GroupFactory(code="vip", name="VIP 群", wecom_chat_id="wrVIP")

    post(
        client,
        chat_xml(detail="add_member", chat_id="wrVIP", members=["wmA"], at=AT),
        django_capture_on_commit_callbacks,
    )

    assert Event.objects.get().group_id == group.pk
    assert Group.objects.count() == 1


@pytest.mark.parametrize(
    "xml",
    [
        contact_xml(change="edit_external_contact", userid="zhangsan", external_id="wmEXT1", at=AT),
        contact_xml(change="del_external_contact", userid="zhangsan", external_id="wmEXT1", at=AT),
        chat_xml(detail="change_name", chat_id="wrX", members=[], at=AT),
        f"<xml><ToUserName>{CORP_ID}</ToUserName><MsgType>text</MsgType><Content>hi</Content></xml>",
    ],
    ids=["edit", "staff-deleted-customer", "chat-renamed", "plain-message"],
)
def test_other_callbacks_are_acknowledged_and_ignored(client, amy, xml, django_capture_on_commit_callbacks):
    answer = post(client, xml, django_capture_on_commit_callbacks)

    assert answer.content == b"success"
    assert WecomCallback.objects.get().status == "ignored"
    assert Event.objects.count() == 0


def test_unknown_userid_fails_with_its_reason_and_replays(client, db, django_capture_on_commit_callbacks):
    bob = StaffFactory(user__username="bob")
    xml = contact_xml(change="add_external_contact", userid="lisi", external_id="wmEXT9", at=AT)

    assert post(client, xml, django_capture_on_commit_callbacks).content == b"success"

    callback = WecomCallback.objects.get()
    assert callback.status == "failed"
    assert "UserID 'lisi'" in callback.reason
    assert Event.objects.count() == 0

    bob.wecom_userid = "lisi"
    bob.save()
    call_command("wecom_replay", stdout=io.StringIO())

    callback.refresh_from_db()
    assert (callback.status, callback.reason, callback.events_accepted) == ("processed", "", 1)
    assert Event.objects.get().staff_id == bob.pk
    # A second replay has nothing left to do.
    call_command("wecom_replay", stdout=io.StringIO())
    assert Event.objects.count() == 1


def test_bad_signature_is_403_stores_nothing_and_logs_no_payload(client, amy, caplog):
    query, body = signed_post(contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmS", at=AT))
    query = query.replace("msg_signature=", "msg_signature=0")
    encrypted = body.split("<Encrypt><![CDATA[")[1].split("]]>")[0]

    with caplog.at_level(logging.WARNING):
        answer = client.post(f"{URL}?{query}", data=body, content_type="text/xml")

    assert answer.status_code == 403
    assert WecomCallback.objects.count() == 0 and Event.objects.count() == 0
    assert "bad signature" in caplog.text
    assert encrypted[:20] not in caplog.text


def test_a_callback_for_another_corp_is_403(client, amy):
    query, body = signed_post(
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmS", at=AT), corp_id="wwOTHER"
    )

    assert client.post(f"{URL}?{query}", data=body, content_type="text/xml").status_code == 403
    assert WecomCallback.objects.count() == 0


def test_malformed_or_undecryptable_bodies_store_nothing(client, amy):
    query, _ = signed_post("<xml/>")
    assert client.post(f"{URL}?{query}", data="<xml><Encrypt>", content_type="text/xml").status_code == 400
    dtd = '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'
    assert client.post(f"{URL}?{query}", data=dtd, content_type="text/xml").status_code == 400

    # A correct signature over ciphertext that is not WeCom's.
    garbage = "bm90IGFlcw=="
    # WeCom signs with SHA-1 over the sorted token, timestamp, nonce and ciphertext.
    signature = hashlib.sha1("".join(sorted([TOKEN, "1", "2", garbage])).encode()).hexdigest()  # noqa: S324
    body = f"<xml><Encrypt><![CDATA[{garbage}]]></Encrypt></xml>"
    answer = client.post(f"{URL}?msg_signature={signature}&timestamp=1&nonce=2", data=body, content_type="text/xml")
    assert answer.status_code == 403

    # Decrypts, but what is inside is no XML.
    query, body = signed_post("not xml at all")
    assert client.post(f"{URL}?{query}", data=body, content_type="text/xml").status_code == 400
    assert WecomCallback.objects.count() == 0


def test_the_callback_needs_no_login_and_no_csrf_token(amy, django_capture_on_commit_callbacks):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    answer = post(
        client,
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmC", at=AT),
        django_capture_on_commit_callbacks,
    )

    assert answer.status_code == 200 and answer.content == b"success"


def test_a_callback_whose_task_cannot_be_queued_waits_for_replay(
    client, amy, monkeypatch, django_capture_on_commit_callbacks
):
    from customers.wecom import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.wecom_callback_process, "delay", broker_down)
    xml = contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmQ", at=AT)

    assert post(client, xml, django_capture_on_commit_callbacks).content == b"success"
    assert WecomCallback.objects.get().status == "received"
    assert Event.objects.count() == 0

    call_command("wecom_replay", stdout=io.StringIO())

    assert WecomCallback.objects.get().status == "processed"
    assert Event.objects.count() == 1

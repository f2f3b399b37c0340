"""The events a decrypted callback maps to, as dicts for event ingestion."""

import pytest

from campaigns.models import ChannelCode
from customers.wecom.crypto import callback_dedup_key, xml_fields
from customers.wecom.mapping import callback_events
from tests.customers.wecom.factories import contact_xml
from tests.staff.factories import StaffFactory

AT = 1_700_000_000


@pytest.fixture
def amy(db):
    return StaffFactory(user__username="amy", wecom_userid="zhangsan")


def outcome_of(xml):
    fields = xml_fields(xml)
    return callback_events(fields=fields, dedup_key=callback_dedup_key(fields))


def test_state_naming_a_channel_code_is_passed_as_channel_code(amy):
    ChannelCode.objects.create(code="poster-a", name="海报 A")

    outcome = outcome_of(
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmX", at=AT, state="poster-a")
    )

    assert outcome.status == "processed"
    (event,) = outcome.events
    assert event["id"].startswith("wecom-") and len(event["id"]) == 54
    assert {k: v for k, v in event.items() if k != "id"} == {
        "type": "friend_added",
        "at": "2023-11-14T22:13:20+00:00",
        "external_id": "wmX",
        "staff": "amy",
        "channel_code": "poster-a",
    }


def test_state_that_is_no_channel_code_is_left_out(amy):
    outcome = outcome_of(
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmX", at=AT, state="other")
    )

    assert "channel_code" not in outcome.events[0]


def test_the_same_callback_maps_to_the_same_event_id(amy):
    xml = contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmX", at=AT)
    other = contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmY", at=AT)

    assert outcome_of(xml).events[0]["id"] == outcome_of(xml).events[0]["id"]
    assert outcome_of(xml).events[0]["id"] != outcome_of(other).events[0]["id"]


def test_a_callback_missing_its_external_user_is_failed_with_the_field(amy):
    xml = contact_xml(change="add_external_contact", userid="zhangsan", external_id="", at=AT)

    outcome = outcome_of(xml)

    assert (outcome.status, outcome.reason, outcome.events) == ("failed", "ExternalUserID: missing", [])

"""The admin page of WeCom callbacks: what WeCom sent, its outcome, and a replay action."""

from django.contrib.auth import get_user_model

from customers.wecom.crypto import xml_fields
from customers.wecom.models import WecomCallback
from customers.wecom.services import callback_receive
from tests.customers.wecom.factories import contact_xml
from tests.staff.factories import StaffFactory


def test_callbacks_page_shows_outcome_and_replays(client, db, django_capture_on_commit_callbacks):
    admin = get_user_model().objects.create_superuser("root", password="pw-12345")
    xml = contact_xml(change="add_external_contact", userid="lisi", external_id="wmZ", at=1_700_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        callback, created = callback_receive(fields=xml_fields(xml), body=xml)
    assert created
    client.force_login(admin)

    page = client.get("/admin/customers/wecomcallback/")
    assert page.status_code == 200
    assert "UserID &#x27;lisi&#x27;" in page.content.decode()
    detail = client.get(f"/admin/customers/wecomcallback/{callback.pk}/change/")
    assert "wmZ" in detail.content.decode()

    StaffFactory(user__username="li", wecom_userid="lisi")
    client.post(
        "/admin/customers/wecomcallback/",
        {"action": "replay", "_selected_action": [callback.pk]},
    )
    callback.refresh_from_db()
    assert callback.status == WecomCallback.Status.PROCESSED

"""From events to tasks to statuses: the trigger engine on PostgreSQL."""

import pytest

from campaigns.sop.completion import sop_tasks_complete_by_messages
from campaigns.sop.engine import sop_fire_for_channel
from campaigns.sop.models import SopTask
from customers.events.services import events_ingest
from customers.models import Customer
from tests.campaigns.factories import GroupFactory
from tests.campaigns.sop.factories import at, event, template
from tests.staff.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(team):
    return StaffFactory(user__username="amy", name="Amy", team=team)


def ingest(*events):
    result = events_ingest(events=list(events))
    assert result.errors == [], result.errors
    return result


def tasks():
    return list(SopTask.objects.order_by("customer_id", "step").with_status())


def test_a_stage_template_fires_once_with_due_times_from_the_trigger(amy):
    welcome = template()
    ingest(
        event("r1", "friend_request_sent", 2, 9, staff="amy"),
        event("a1", "friend_added", 2, 20, staff="amy"),
    )
    first, second = tasks()
    # Step 0 is due 18:00 on the trigger day, but the add came at 20:00: due at the trigger.
    assert (first.template_id, first.step, first.staff_id) == (welcome.pk, 0, amy.pk)
    assert (first.trigger_at, first.due_at, first.deadline) == (at(2, 20), at(2, 20), at(3, 0))
    assert (second.action, second.due_at, second.deadline) == ("call", at(3, 9), at(4, 0))
    # A re-sent event and a second add create nothing.
    ingest(event("a2", "friend_added", 5, 10, staff="amy"))
    assert events_ingest(events=[event("a1", "friend_added", 2, 20, staff="amy")]).duplicates == 1
    assert SopTask.objects.count() == 2


def test_a_late_earlier_event_moves_the_trigger_and_a_message_stored_first_completes(amy):
    template()
    # The out message arrives before the add it answers.
    ingest(event("m1", "message", 4, 19, direction="out", staff="amy", text="您好"))
    ingest(event("a1", "friend_added", 4, 10, staff="amy"))
    first, second = tasks()
    assert first.trigger_at == at(4, 10) and first.due_at == at(4, 18)
    assert first.done_at == at(4, 19) and first.done_by == "m1" and first.status_code == "done_on_time"
    assert second.done_at is None
    # An add even earlier, arriving last, moves the open task to its time; the done one stays.
    ingest(event("a0", "friend_added", 3, 8, staff="amy"))
    first, second = tasks()
    assert second.trigger_at == at(3, 8) and second.due_at == at(4, 9)
    assert first.done_at == at(4, 19)


def test_statuses_late_and_overdue(amy):
    template(steps=[{"day": 0, "time": "12:00", "action": "private_message", "content": "hi"}])
    ingest(
        event("a1", "friend_added", 2, 10, staff="amy"),
        event("a2", "friend_added", 2, 10, phone="13800000002", staff="amy"),
        # A message before the due day's start does not count; one the next day is late.
        event("m1", "message", 3, 9, direction="out", staff="amy"),
    )
    late, overdue = tasks()
    assert late.status_code == "done_late" and late.done_at == at(3, 9)
    assert overdue.status_code == "overdue" and overdue.done_at is None
    # A message in a group does not complete a private task.
    ingest(event("g1", "message", 2, 11, phone="13800000002", direction="out", group="g1"))
    assert SopTask.objects.get(pk=overdue.pk).done_at is None


def test_a_stage_reached_before_active_from_does_not_fire_and_lost_is_behind(amy):
    template(active_from=at(5, 0))
    ingest(event("a1", "friend_added", 2, staff="amy"), event("o1", "order", 6, amount="10", order_no="S1"))
    assert SopTask.objects.count() == 0
    # Added, deleted (lost), added again after active_from: fires at the re-add.
    ingest(
        event("b1", "friend_added", 3, phone="13800000009", staff="amy"),
        event("b2", "friend_deleted", 4, phone="13800000009", staff="amy"),
        event("b3", "friend_added", 6, 8, phone="13800000009", staff="amy"),
    )
    assert {t.trigger_at for t in tasks()} == {at(6, 8)}


def test_group_template_gives_group_tasks_done_by_a_message_in_the_group(amy):
    GroupFactory(code="vip", name="VIP")
    template(
        "onboard",
        trigger={"kind": "group_joined", "group": "vip"},
        steps=[{"day": 1, "time": "10:00", "action": "group_message", "content": "欢迎新朋友"}],
    )
    ingest(
        event("a1", "friend_added", 2, staff="amy"),
        event("j0", "group_joined", 2, 11, group="other"),
        event("j1", "group_joined", 2, 12, group="vip"),
        event("j2", "group_joined", 2, 12, phone="13800000002", group="vip"),
    )
    assert SopTask.objects.count() == 2
    # Any out message in the group on the due day completes both tasks (one message, several tasks).
    ingest(event("gm", "message", 3, 8, phone="13800000003", direction="out", group="vip"))
    assert {(t.status_code, t.done_by) for t in tasks()} == {("done_on_time", "gm")}


def test_tasks_wait_for_an_owner_and_follow_owner_changes(amy, team):
    template()
    bob = StaffFactory(user__username="bob", team=team)
    # An add without a staff... every add names its staff; a request-only customer has no owner.
    template(
        "req",
        trigger={"kind": "stage", "stage": "requested"},
        steps=[{"day": 0, "time": "10:00", "action": "call", "content": "call"}],
    )
    ingest(event("r1", "friend_request_sent", 2, staff="amy"))
    waiting = SopTask.objects.get()
    assert waiting.staff_id is None
    from customers.ownership.services import customers_assign_owner

    customer = Customer.objects.get()
    customers_assign_owner(assignments={customer.pk: bob.pk}, at=at(3), cause="manual")
    assert SopTask.objects.get().staff_id == bob.pk
    ingest(event("a1", "friend_added", 3, staff="amy"))  # bob stays owner: the customer has one
    assert set(SopTask.objects.values_list("staff_id", flat=True)) == {bob.pk}
    customers_assign_owner(assignments={customer.pk: amy.pk}, at=at(4), cause="handover")
    assert set(SopTask.objects.filter(done_at__isnull=True).values_list("staff_id", flat=True)) == {amy.pk}


def test_channel_firings_from_another_feature(amy):
    channel = template("chan", trigger={"kind": "channel"})
    other = template("other")
    ingest(event("a1", "friend_added", 2, staff="amy"))  # fires "welcome"? no: only other (stage fan)
    customer = Customer.objects.get()
    made = sop_fire_for_channel(firings=[(customer.pk, channel.pk, at(2)), (customer.pk, other.pk, at(2))])
    assert made == 2  # the stage template is not a channel template: ignored
    assert SopTask.objects.filter(template=channel).count() == 2
    assert sop_fire_for_channel(firings=[(customer.pk, channel.pk, at(1))]) == 0
    assert sop_tasks_complete_by_messages(customer_ids=[], group_ids=[]) == 0


def test_hand_over_carries_open_tasks_and_leaves_done_ones(amy, team):
    from customers.ownership.handover import staff_handover

    template()
    bob = StaffFactory(user__username="bob", team=team)
    ingest(event("a1", "friend_added", 2, 9, staff="amy"), event("m1", "message", 2, 19, direction="out"))
    done, open_task = tasks()
    assert done.done_by == "m1" and open_task.done_at is None
    amy.status = "exited"
    amy.save()
    assert staff_handover(staff=amy, allocation="round_robin").moved == 1
    done, open_task = tasks()
    assert (done.staff_id, open_task.staff_id) == (amy.pk, bob.pk)

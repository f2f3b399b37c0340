import datetime as dt
from zoneinfo import ZoneInfo

from campaigns.sop.serializers import SopTemplateSerializer
from campaigns.sop.services import sop_template_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
EPOCH = dt.datetime(2026, 11, 1, tzinfo=SHANGHAI)


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """2026-11-`day` at hour:minute, Shanghai time."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def iso(day: int, hour: int = 10, minute: int = 0) -> str:
    return at(day, hour, minute).isoformat()


def template(code="welcome", *, trigger=None, steps=None, active_from=EPOCH, **fields):
    """A template made as the API makes it (codes in the trigger checked and resolved)."""
    serializer = SopTemplateSerializer(
        data={
            "code": code,
            "name": code,
            "trigger": trigger or {"kind": "stage", "stage": "fan"},
            "steps": steps
            or [
                {"day": 0, "time": "18:00", "action": "private_message", "content": "欢迎 {name}，我是{owner}"},
                {"day": 1, "time": "09:00", "action": "call", "content": "回访 {stage}"},
            ],
            "active_from": active_from,
            **fields,
        }
    )
    serializer.is_valid(raise_exception=True)
    return sop_template_create(data=serializer.validated_data)


def event(event_id, event_type, day, hour=10, minute=0, phone="13800000001", **fields):
    return {"id": event_id, "type": event_type, "at": iso(day, hour, minute), "phone": phone, **fields}


def task(*, due_at: dt.datetime, done_at: dt.datetime | None = None, content: str = "回访", **fields):
    """A task due at `due_at`, triggered then (on time when done before its local day ends)."""
    from campaigns.sop.models import SopTask
    from campaigns.sop.tasks_build import step_due

    local = due_at.astimezone(SHANGHAI)
    _, deadline, complete_after = step_due(trigger_at=due_at, day=0, time=f"{local:%H:%M}")
    return SopTask.objects.create(
        content=content,
        trigger_at=due_at,
        due_at=due_at,
        deadline=deadline,
        complete_after=complete_after,
        done_at=done_at,
        **fields,
    )

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

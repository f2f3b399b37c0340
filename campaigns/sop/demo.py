"""The demo's SOP templates (`manage.py seed_demo`): their tasks arise from the seeded events."""

import datetime as dt

from campaigns.sop.models import SopTemplate

# Their tasks arise from the seeded events: active from the first demo day, before any event is posted.
SOP_DEMO_TEMPLATES = [
    (
        "new-fan",
        "新粉欢迎",
        {"kind": "stage", "stage": "fan"},
        [
            {
                "day": 0,
                "time": "10:00",
                "action": "private_message",
                "content": "{name}您好，我是{owner}，有问题随时找我",
            },
            {"day": 2, "time": "10:00", "action": "private_message", "content": "{name}，这两天用得怎么样？"},
        ],
    ),
    (
        "group-onboarding",
        "进群引导",
        {"kind": "group_joined", "group": None},
        [{"day": 0, "time": "20:00", "action": "private_message", "content": "欢迎{name}进群，群公告里有使用说明"}],
    ),
]


def sop_demo_templates_seed(*, active_from: dt.datetime) -> None:
    """The demo templates, active from `active_from` (the first demo day, before any event is posted)."""
    for code, name, trigger, steps in SOP_DEMO_TEMPLATES:
        SopTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "trigger": trigger, "steps": steps, "active_from": active_from}
        )

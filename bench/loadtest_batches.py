"""The 1,000-event batches of the load test (bench/loadtest_locustfile.py), apart from locust so that
a profile can replay them in-process."""

import os
import random

SEEDED = int(os.environ.get("LOADTEST_CUSTOMERS", "100000"))
BATCH_CUSTOMERS = 100


def _steps(customer: int) -> list[tuple[str, dict]]:
    staff = f"op{customer % 100:03d}"
    group = f"g{customer % 50:02d}"
    steps = [
        ("friend_request_sent", {"staff": staff, "script": f"s{customer % 10}", "source": "tele"}),
        ("friend_added", {"staff": staff}),
        ("group_joined", {"group": group}),
        ("message", {"direction": "in", "text": "膝盖疼"}),
        ("message", {"direction": "out", "staff": staff, "text": "您好"}),
        ("message", {"direction": "in", "group": group, "text": "大家好"}),
        ("order", {"amount": "199.00"}),
        ("group_left", {"group": group}),
        ("order", {"amount": "59.90"}),
    ]
    steps.append(("friend_deleted", {"staff": staff}) if customer % 4 == 0 else ("message", {"direction": "in"}))
    return steps


def event_batch(*, poster: int, batch: int, rng: random.Random) -> list[dict]:
    """Batch `batch` of poster `poster`: 100 customers × 10 events, every other customer new
    (a phone made of the poster, batch and position), the others seeded ones (135xxxxxxxx)."""
    prefix = f"lt{poster}-{batch}"
    events = []
    for n in range(BATCH_CUSTOMERS):
        if n % 2:
            phone = f"13{6 + poster % 2}{poster:02d}{batch:04d}{n:02d}"
        else:
            phone = f"135{rng.randrange(SEEDED):08d}"
        hour = 8 + n % 12
        for step, (event_type, fields) in enumerate(_steps(n)):
            event = {
                "id": f"{prefix}-{n}-{step}",
                "type": event_type,
                "at": f"2026-11-02T{hour:02d}:{step * 5:02d}:{n % 60:02d}+08:00",
                "phone": phone,
                **fields,
            }
            if event_type == "order":
                event["order_no"] = f"{prefix}-{n}-{step}"
            events.append(event)
    return events

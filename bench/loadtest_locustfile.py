"""Locust users of `make loadtest` (started by bench/loadtest.py, which seeds the database first).

- `EventPoster` ×8: POST /api/v1/events/ with 1,000 events, back to back: 100 customers × 10
  events (request with script and source, add, group join, messages in, out and in a group, an
  order, a group leave, a second order, a deletion on every fourth customer), half the customers
  new (phones never used before), half picked from the seeded customers.
- `Reader` ×20: GET /api/v1/kpis/summary/ (100 staff × 365 days), GET /dashboard/ (the manager's
  default view) and GET /healthz (the baseline: a trivial JSON view), one every 1–2 s.

Environment: LOADTEST_TOKEN (a manager's API token), LOADTEST_SESSION (a manager's session
cookie), LOADTEST_RESULT (where the posters' counts are written as JSON at the end),
LOADTEST_SUMMARY_FROM / LOADTEST_SUMMARY_TO (the summary's range), LOADTEST_CUSTOMERS (seeded
customers, phones 135xxxxxxxx).
"""

import itertools
import json
import os
import random
import time

from loadtest_batches import event_batch
from locust import HttpUser, between, constant, events, task

_poster_numbers = itertools.count()
_counts = {"batches": 0, "sent": 0, "accepted": 0, "duplicates": 0, "errors": 0, "first": None, "last": None}


class EventPoster(HttpUser):
    fixed_count = 8
    wait_time = constant(0)

    def on_start(self):
        self.number = next(_poster_numbers)
        self.batches = itertools.count()
        self.rng = random.Random(self.number)
        self.client.headers["Authorization"] = f"Token {os.environ['LOADTEST_TOKEN']}"

    @task
    def post_events(self):
        body = json.dumps(event_batch(poster=self.number, batch=next(self.batches), rng=self.rng), ensure_ascii=False)
        started = time.time()
        _counts["batches"] += 1
        _counts["sent"] += 1000
        with self.client.post(
            "/api/v1/events/",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
            name="POST /api/v1/events/ (1,000)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            answer = response.json()
            _counts["accepted"] += answer["accepted"]
            _counts["duplicates"] += answer["duplicates"]
            _counts["errors"] += len(answer["errors"])
            if answer["errors"]:
                response.failure(f"item errors: {answer['errors'][:3]}")
        _counts["first"] = min(_counts["first"] or started, started)
        _counts["last"] = max(_counts["last"] or 0, time.time())


class Reader(HttpUser):
    fixed_count = 20
    wait_time = between(1, 2)

    def on_start(self):
        self.client.cookies.set("sessionid", os.environ["LOADTEST_SESSION"])
        self.summary = {
            "dimension": "staff",
            "date_from": os.environ["LOADTEST_SUMMARY_FROM"],
            "date_to": os.environ["LOADTEST_SUMMARY_TO"],
        }

    @task(2)
    def summary(self):
        self.client.get("/api/v1/kpis/summary/", params=self.summary, name="GET /api/v1/kpis/summary/")

    @task(1)
    def dashboard(self):
        self.client.get("/dashboard/", name="GET /dashboard/")

    @task(1)
    def healthz(self):
        self.client.get("/healthz", name="GET /healthz (baseline)")


@events.quitting.add_listener
def _write_counts(environment, **kwargs):
    path = os.environ.get("LOADTEST_RESULT")
    if path and _counts["batches"]:
        with open(path, "w") as fh:
            json.dump(_counts, fh)

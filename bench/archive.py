"""Benchmark: the message archive (会话存档) search at scale on PostgreSQL.

    .venv/bin/python bench/archive.py --messages 10000000          # generate (fresh database), then measure
    .venv/bin/python bench/archive.py --messages 10000000 --reuse  # measure the database made before

Database `sitadmin_bench_archive_<N>` on the server of `DATABASE_URL`. Data: bench/archive_data.py.
Each search is what `GET /api/v1/messages/` does (the scoped, filtered query, its capped count and
one page of 50, newest first), run through the selector and the paginator, cold once and then the
median of 5 runs. The baseline is the same text searches in the same run with the trigram index
dropped inside a transaction that is rolled back (cold, then one more run).
"""

import argparse
import statistics
import time

from archive_data import RARE_PHRASE, STAFF_PER_TEAM, generate
from benchdb import bench_database_url, django_setup

RUNS = 5


def _organisation():
    from django.contrib.auth import get_user_model

    from staff.models import Staff, Team

    user_model = get_user_model()
    manager = Staff.objects.create(user=user_model.objects.create(username="boss"), role="manager")
    leads = []
    for t in (1, 2):
        team = Team.objects.create(code=f"t{t}", name=f"{t}组")
        leads.append(
            Staff.objects.create(user=user_model.objects.create(username=f"lead{t}"), team=team, role="team_lead")
        )
        for n in range(STAFF_PER_TEAM - 1):
            Staff.objects.create(user=user_model.objects.create(username=f"op{t}{n}"), team=team, role="operator")
    return manager, leads


def _timed(user, params: dict, runs: int = RUNS) -> tuple[float, float, int]:
    """Cold seconds, median seconds of `runs` warm runs, and the count answered."""
    from campaigns.archive.pagination import MessagePagination
    from campaigns.archive.selectors import message_search
    from campaigns.archive.serializers import MessageFilterSerializer

    def once():
        filters = MessageFilterSerializer(data=params)
        filters.is_valid(raise_exception=True)
        queryset = message_search(user=user, filters=filters.validated_data)
        paginator = MessagePagination()
        count = paginator.capped_count(queryset)
        list(queryset[:50])
        return count

    started = time.perf_counter()
    count = once()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    name = f"sitadmin_bench_archive_{args.messages}"
    django_setup(database_url=bench_database_url(name, fresh=not args.reuse))
    from django.core.management import call_command
    from django.db import connection, transaction

    from customers.models import Customer
    from staff.models import Staff

    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        _organisation()
        print(f"generating {args.messages} messages")
        with connection.cursor() as cursor:
            generate(cursor, messages=args.messages)
        print(f"data ready in {time.perf_counter() - started:.0f} s")
    if args.generate_only:
        return
    manager = Staff.objects.get(user__username="boss").user
    lead = Staff.objects.get(user__username="lead1").user
    customer = Customer.objects.order_by("pk").values_list("pk", flat=True)[1000]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('event_message_text_trgm'))")
        print(f"trigram index size: {cursor.fetchone()[0]}")
    searches = [
        ("newest first, no filter", manager, {}),
        ("one customer", manager, {"customer": customer}),
        ("one staff, 7 days", manager, {"staff": "op10", "date_from": "2026-11-20", "date_to": "2026-11-26"}),
        ("one staff, newest first", manager, {"staff": "op10"}),
        ("one group, newest first", manager, {"group": "g7"}),
        ("q common 5 chars 膝盖还是疼", manager, {"q": "膝盖还是疼"}),
        ("q rare 6 chars " + RARE_PHRASE, manager, {"q": RARE_PHRASE}),
        ("q 3 chars 说明书", manager, {"q": "说明书"}),
        (
            "q 2 chars 微信 + 7 days (no trigram)",
            manager,
            {"q": "微信", "date_from": "2026-11-20", "date_to": "2026-11-26"},
        ),
        ("q 2 chars 微信 + one staff (no trigram)", manager, {"q": "微信", "staff": "op10"}),
        ("q 2 chars 打卡 + one staff (no trigram)", manager, {"q": "打卡", "staff": "op10"}),
        ("q ASCII any case vip会员", manager, {"q": "vip会员"}),
        ("team lead, q 说明书", lead, {"q": "说明书"}),
        ("team lead, newest first", lead, {}),
    ]
    print(f"{'search':46} {'count':>8} {'cold s':>8} {'median s':>9}")
    for label, user, params in searches:
        cold, warm, count = _timed(user, params)
        print(f"{label:46} {count:>8} {cold:8.3f} {warm:9.3f}")
    if args.no_baseline:
        connection.close()
        return
    print("baseline: the text searches without the trigram index")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX event_message_text_trgm")
        for label, user, params in searches:
            if "q" in params:
                cold, warm, count = _timed(user, params, runs=1)
                print(f"{label:46} {count:>8} {cold:8.3f} {warm:9.3f}")
        transaction.set_rollback(True)
    connection.close()


if __name__ == "__main__":
    main()

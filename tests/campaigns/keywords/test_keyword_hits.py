"""Hit counts stay exact while answers count them in Redis and folds carry them to the database."""

import re
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from campaigns.keywords.hits import keyword_hits_fold, rules_version_new
from campaigns.keywords.models import KeywordHitFold, KeywordReply
from campaigns.keywords.services import keyword_reply_create, keyword_reply_match
from campaigns.keywords.tasks import fold_keyword_hits

URL = "/api/v1/keyword-replies/"
MATCH_URL = "/api/v1/keyword-replies/match/"
pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _stored_hits(*rules) -> tuple[int, ...]:
    """The `hits` column as stored, without folding."""
    stored = dict(KeywordReply.objects.values_list("pk", "hits"))
    return tuple(stored[rule.pk] for rule in rules)


def _hits_cells(page: str) -> dict[int, int]:
    """{rule id: the page's 命中次数 cell} (each row's last cell)."""
    rows = re.findall(r'<tr data-id="(\d+)">(.*?)</tr>', page, flags=re.S)
    return {int(pk): int(re.findall(r"<td>(\d+)</td>", cells)[-1]) for pk, cells in rows}


@pytest.mark.django_db
def test_the_api_and_the_page_show_every_hit_counted_since_the_last_fold(
    client_for, client, operator, django_capture_on_commit_callbacks
):
    ship = keyword_reply_create(keywords=["物流"], reply="查看物流")
    refund = keyword_reply_create(keywords=["退款"], reply="七天无理由")
    api = client_for(operator)
    for text in ["物流信息", "物流到哪了", "退款", "你好", "物流", "怎么退款", "物流慢"]:
        api.post(MATCH_URL, {"text": text}, format="json")
    assert _stored_hits(ship, refund) == (0, 0)  # counted in Redis, not folded yet
    with django_capture_on_commit_callbacks(execute=True):
        listed = {rule["id"]: rule["hits"] for rule in api.get(URL).json()["results"]}
    assert (listed[ship.pk], listed[refund.pk]) == (4, 2)
    assert _stored_hits(ship, refund) == (4, 2)
    api.post(MATCH_URL, {"text": "退款了吗"}, format="json")
    assert api.get(f"{URL}{refund.pk}/").json()["hits"] == 3
    client.force_login(operator.user)
    api.post(MATCH_URL, {"text": "退款"}, format="json")
    page = client.get("/keywords/").content.decode()
    assert _hits_cells(page) == {ship.pk: 4, refund.pk: 4}


@pytest.mark.django_db
def test_a_fold_stopped_between_its_commit_and_the_cleanup_is_not_counted_twice(django_capture_on_commit_callbacks):
    rule = keyword_reply_create(keywords=["价格"], reply="看群公告")
    for _ in range(5):
        keyword_reply_match(text="价格多少")
    # Inside the test's transaction the on-commit cleanup never runs: the Redis hash of this fold stays.
    assert keyword_hits_fold() == 5
    assert KeywordHitFold.objects.count() == 1
    keyword_reply_match(text="价格")
    with django_capture_on_commit_callbacks(execute=True):
        assert keyword_hits_fold() == 1
    assert _stored_hits(rule) == (6,)
    with django_capture_on_commit_callbacks(execute=True):
        assert keyword_hits_fold() == 0
    assert KeywordHitFold.objects.count() == 0  # both hashes gone, so their records too
    assert _stored_hits(rule) == (6,)


@pytest.mark.django_db
def test_a_fold_rolled_back_leaves_its_hits_to_the_next(django_capture_on_commit_callbacks):
    rule = keyword_reply_create(keywords=["发货"], reply="48小时")
    for _ in range(3):
        keyword_reply_match(text="发货了吗")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert keyword_hits_fold() == 3
        raise RuntimeError("the database went away before the commit")
    assert _stored_hits(rule) == (0,)
    keyword_reply_match(text="发货")
    with django_capture_on_commit_callbacks(execute=True):
        assert keyword_hits_fold() == 4
    assert _stored_hits(rule) == (4,)


@pytest.mark.django_db
def test_a_rule_switched_off_in_another_process_counts_no_hit_and_is_skipped(django_capture_on_commit_callbacks):
    urgent = keyword_reply_create(keywords=["退款"], reply="马上处理", priority=5)
    usual = keyword_reply_create(keywords=["退"], reply="稍等")
    assert keyword_reply_match(text="退款") == (urgent.pk, "马上处理")
    # Another process switches the rule off: the row and the version change, this process's index does not.
    KeywordReply.objects.filter(pk=urgent.pk).update(active=False)
    rules_version_new()
    assert keyword_reply_match(text="退款") == (usual.pk, "稍等")
    with django_capture_on_commit_callbacks(execute=True):
        keyword_hits_fold()
    assert _stored_hits(urgent, usual) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_and_folds_lose_and_double_no_hit():
    rule = keyword_reply_create(keywords=["打卡"], reply="已记录")
    other = keyword_reply_create(keywords=["请假"], reply="好的")
    answering = 4
    per_thread = 150
    done = threading.Event()
    errors = []

    def answer(n):
        try:
            for i in range(per_thread):
                keyword_reply_match(text="今天打卡" if (n + i) % 3 else "明天请假")
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    def fold():
        try:
            while not done.is_set():
                keyword_hits_fold()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    folder = threading.Thread(target=fold)
    folder.start()
    threads = [threading.Thread(target=answer, args=(n,)) for n in range(answering)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    folder.join()
    keyword_hits_fold()
    assert errors == []
    # Per thread n, i in 0..149 asks 请假 when (n + i) % 3 == 0: 50 times for every n (150 is a multiple of 3).
    assert _stored_hits(rule, other) == (4 * 100, 4 * 50)


@pytest.mark.django_db(transaction=True)
def test_the_beat_job_folds_the_hits_in_a_real_worker(celery_worker_process, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert django_settings.CELERY_BEAT_SCHEDULE["fold-keyword-hits"]["task"] == fold_keyword_hits.name
    rule = keyword_reply_create(keywords=["优惠"], reply="领券")
    for _ in range(25):
        keyword_reply_match(text="有优惠吗")
    assert fold_keyword_hits.apply_async(queue=celery_worker_process).get(timeout=60) == 25
    assert _stored_hits(rule) == (25,)
    assert fold_keyword_hits.apply_async(queue=celery_worker_process).get(timeout=60) == 0
    assert _stored_hits(rule) == (25,)

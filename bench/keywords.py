"""Benchmark: the keyword-reply match on 1,000 rules, on PostgreSQL.

    .venv/bin/python bench/keywords.py

Fresh database `sitadmin_bench_keywords`: 1,000 rules (900 `contains`, 100 `exact`; 1–4 keywords of
2–4 Chinese characters each, some ASCII; priorities 0–9), 5,000 customer texts of 4–40 characters
(about a third carry a keyword). Redis (`REDIS_URL`) counts the hits, as in production. Printed, in
one run:
- the indexed lookup alone (Aho–Corasick automaton + exact dict, the index already built);
- the match service with its hit counted in Redis (one script call per hit), and the same with the
  hit as an `UPDATE … SET hits = hits + 1` per hit (the setup without Redis), for comparison;
- the match API view (DRF: authentication, permission, serializer, match, hit) called with a request
  object, beside a trivial view with the same authentication, permission and serializer and no match;
- `POST /api/v1/keyword-replies/match/` through Django's WSGI handler (what gunicorn calls: URL
  routing, every middleware, the API token checked; no network), beside `GET /healthz` through it;
- the fold of the counted hits into the database, and a check that every count is exact;
- the baseline: scanning every active rule per call, with the rules already in memory, and the
  same scan reading the rules from the database per call, as a view without an index would;
- the index build time, and a check that the index and the scan choose the same rule for every text.
"""

import collections
import io
import json
import os
import random
import time
from wsgiref.util import setup_testing_defaults

from benchdb import bench_database_url, django_setup

BENCH_DB = "sitadmin_bench_keywords"
RULES = 1_000
TEXTS = 5_000
# 600 common-range CJK ideographs: keywords of 2–4 of them are rare enough to be distinct.
CHARS = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 600))
ASCII_WORDS = ["VIP", "OK", "App", "QQ", "PDF", "WiFi", "iPhone", "Mini"]


def _word(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return rng.choice(ASCII_WORDS) + str(rng.randrange(100))
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(2, 4)))


def _rules_and_texts(rng: random.Random):
    rules = []
    for n in range(RULES):
        match = "exact" if n % 10 == 9 else "contains"
        keywords = [_word(rng) for _ in range(rng.randint(1, 4))]
        rules.append({"keywords": keywords, "match": match, "priority": rng.randrange(10), "reply": f"回复{n}"})
    texts = []
    for _ in range(TEXTS):
        filler = "".join(rng.choice(CHARS) for _ in range(rng.randint(4, 36)))
        roll = rng.random()
        if roll < 0.3:
            rule = rng.choice(rules)
            keyword = rng.choice(rule["keywords"])
            if rule["match"] == "exact":
                text = f" {keyword.lower()} "
            else:
                cut = rng.randrange(len(filler))
                text = filler[:cut] + (keyword.upper() if rng.random() < 0.2 else keyword) + filler[cut:]
        else:
            text = filler
        texts.append(text)
    return rules, texts


def _scan(rules: list[tuple], text: str) -> int | None:
    """The baseline: every active rule checked in turn, the best kept."""
    folded = text.casefold()
    best = None
    for rule_id, keywords, match, priority in rules:
        if match == "exact":
            hit = folded.strip() in {k.strip().casefold() for k in keywords}
        else:
            hit = any(k.casefold() in folded for k in keywords)
        if hit and (best is None or (-priority, rule_id) < best):
            best = (-priority, rule_id)
    return best[1] if best else None


def _rate(label: str, calls: int, seconds: float) -> float:
    rate = calls / seconds
    print(f"{label:66} {calls:>6} calls {seconds:7.2f} s {rate:>10,.0f} matches/s")
    return rate


def _interleaved(label_a: str, call_a, label_b: str, call_b, items) -> tuple[float, float]:
    """Both calls in turn for each item, each timed on its own: the same moments of a busy machine."""
    seconds = [0.0, 0.0]
    for item in items:
        for n, call in enumerate((call_a, call_b)):
            started = time.perf_counter()
            call(item)
            seconds[n] += time.perf_counter() - started
    return _rate(label_a, len(items), seconds[0]), _rate(label_b, len(items), seconds[1])


def _timed(label: str, call, items) -> float:
    started = time.perf_counter()
    for item in items:
        call(item)
    return _rate(label, len(items), time.perf_counter() - started)


def main() -> None:
    django_setup(database_url=bench_database_url(BENCH_DB, fresh=True))
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection
    from knox.models import AuthToken
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from campaigns.keywords.api import KeywordReplyViewSet
    from campaigns.keywords.hits import keyword_hits_fold, keyword_hits_pending_clear
    from campaigns.keywords.matcher import rule_index_current, rule_index_invalidate
    from campaigns.keywords.models import KeywordReply
    from campaigns.keywords.serializers import KeywordMatchSerializer
    from campaigns.keywords.services import keyword_reply_match
    from staff.models import Staff
    from staff.permissions import IsStaffMember

    assert settings.REDIS_URL, "REDIS_URL: the hits are counted in Redis, as in production"
    call_command("migrate", verbosity=0)
    keyword_hits_pending_clear()
    rng = random.Random(15)
    rules, texts = _rules_and_texts(rng)
    KeywordReply.objects.bulk_create([KeywordReply(**rule) for rule in rules])
    operator = Staff.objects.create(user=get_user_model().objects.create(username="op1"), role="operator")
    print(f"{RULES} rules ({sum(len(r['keywords']) for r in rules)} keywords), {TEXTS} texts")

    rule_index_invalidate()
    started = time.perf_counter()
    rule_index_current()
    print(f"index build: {(time.perf_counter() - started) * 1000:.0f} ms")

    in_memory = list(KeywordReply.objects.filter(active=True).values_list("id", "keywords", "match", "priority"))
    expected = [_scan(in_memory, text) for text in texts]
    found = [keyword_reply_match(text=text, count_hit=False)[0] for text in texts]
    assert found == expected, "the index and the scan disagree"
    matching = sum(r is not None for r in expected)
    print(f"texts with a matching rule: {matching} of {TEXTS}; index == scan on all")
    expected_hits = collections.Counter()
    expected_of = dict(zip(texts, expected, strict=True))

    def expect(items) -> None:
        """Each text answered with a rule adds one hit to it."""
        expected_hits.update(expected_of[t] for t in items if expected_of[t] is not None)

    _timed("indexed lookup alone (no hit counted)", lambda t: keyword_reply_match(text=t, count_hit=False), texts)
    _timed("match service, hit counted in Redis", lambda t: keyword_reply_match(text=t), texts)
    expect(texts)
    settings.REDIS_URL = ""  # the setup without Redis: one UPDATE per hit
    rule_index_invalidate()
    rule_index_current()
    _timed("match service, hit as an UPDATE per hit (no Redis)", lambda t: keyword_reply_match(text=t), texts)
    expect(texts)
    settings.REDIS_URL = os.environ["REDIS_URL"]
    rule_index_invalidate()
    rule_index_current()

    factory = APIRequestFactory()
    match_view = KeywordReplyViewSet.as_view({"post": "match"}, **KeywordReplyViewSet.match.kwargs)

    class TrivialView(APIView):
        """The match view's authentication, permission and serializer, without the match."""

        permission_classes = [IsStaffMember]

        def post(self, request):
            serializer = KeywordMatchSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return Response({"rule": None, "reply": None})

    trivial_view = TrivialView.as_view()

    def call_view(view, text):
        request = factory.post("/api/v1/keyword-replies/match/", {"text": text}, format="json")
        force_authenticate(request, user=operator.user)
        answer = view(request)
        answer.render()
        assert answer.status_code == 200, answer.content

    view_texts = texts[:3000]
    print("the API view, a request object per call (no URL routing, no middleware), interleaved:")
    trivial, matched = _interleaved(
        "baseline: trivial view, same auth/permission/serializer",
        lambda t: call_view(trivial_view, t),
        "match view: lookup + hit counted in Redis",
        lambda t: call_view(match_view, t),
        view_texts,
    )
    expect(view_texts)
    print(f"  the match and its hit cost {1e6 / matched - 1e6 / trivial:,.0f} µs per call over the trivial view")

    _, token = AuthToken.objects.create(user=operator.user, expiry=None)
    handler = WSGIHandler()

    def wsgi_call(method: str, path: str, body: bytes = b"") -> None:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Token {token}",
            "wsgi.input": io.BytesIO(body),
        }
        setup_testing_defaults(environ)
        statuses = []
        b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        assert statuses[0].startswith("200"), statuses

    def post_match(text: str) -> None:
        wsgi_call("POST", "/api/v1/keyword-replies/match/", json.dumps({"text": text}).encode())

    for max_age, api_texts in ((0, texts[:500]), (300, texts[500:3000])):
        # DB_CONN_MAX_AGE: 0 (the default) opens a PostgreSQL connection per request; gunicorn's 300 keeps it.
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = max_age
        wsgi_call("GET", "/healthz")
        post_match("warm-up")
        print(
            f"the whole Django stack through its WSGI handler (routing, middleware, token), DB_CONN_MAX_AGE={max_age}:"
        )
        floor, posted = _interleaved(
            "baseline: GET /healthz",
            lambda t: wsgi_call("GET", "/healthz"),
            "POST /api/v1/keyword-replies/match/, hit counted in Redis",
            post_match,
            api_texts,
        )
        expect(api_texts)
        print(f"  the match endpoint costs {1e6 / posted - 1e6 / floor:,.0f} µs per call over /healthz")

    started = time.perf_counter()
    folded = keyword_hits_fold()
    print(
        f"fold of {folded} hits over {len(KeywordReply.objects.filter(hits__gt=0))} rules into the database:"
        f" {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    started = time.perf_counter()
    keyword_hits_fold()
    print(f"fold with nothing pending: {(time.perf_counter() - started) * 1000:.1f} ms")
    stored = dict(KeywordReply.objects.filter(hits__gt=0).values_list("id", "hits"))
    assert stored == dict(expected_hits), "a hit count is not exact"
    print(f"every rule's hits exact: {sum(stored.values())} hits on {len(stored)} rules")

    print("baseline:")
    _timed("scan of every rule per call, rules in memory", lambda t: _scan(in_memory, t), texts)

    def scan_from_database(text):
        current = list(KeywordReply.objects.filter(active=True).values_list("id", "keywords", "match", "priority"))
        _scan(current, text)

    _timed("scan of every rule per call, rules read per call", scan_from_database, texts[:500])
    connection.close()


if __name__ == "__main__":
    main()

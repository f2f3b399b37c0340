"""Benchmark: the keyword-reply match on 1,000 rules, on PostgreSQL.

    .venv/bin/python bench/keywords.py

Fresh database `sitadmin_bench_keywords`: 1,000 rules (900 `contains`, 100 `exact`; 1–4 keywords of
2–4 Chinese characters each, some ASCII; priorities 0–9), 5,000 customer texts of 4–40 characters
(about a third carry a keyword). Printed, in one run:
- the indexed lookup alone (Aho–Corasick automaton + exact dict, the index already built);
- the match service as the API runs it (lookup and the atomic hit UPDATE, one transaction per call);
- `POST /api/v1/keyword-replies/match/` in process through Django and DRF (no network);
- the baseline: scanning every active rule per call, with the rules already in memory, and the
  same scan reading the rules from the database per call, as a view without an index would;
- the index build time, and a check that the index and the scan choose the same rule for every text.
"""

import random
import time

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
    print(f"{label:62} {calls:>6} calls {seconds:7.2f} s {rate:>10,.0f} matches/s")
    return rate


def main() -> None:
    django_setup(database_url=bench_database_url(BENCH_DB, fresh=True))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from campaigns.keywords.matcher import rule_index_current, rule_index_invalidate
    from campaigns.keywords.models import KeywordReply
    from campaigns.keywords.services import keyword_reply_match
    from staff.models import Staff

    call_command("migrate", verbosity=0)
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
    print(f"texts with a matching rule: {sum(r is not None for r in expected)} of {TEXTS}; index == scan on all")

    started = time.perf_counter()
    for text in texts:
        keyword_reply_match(text=text, count_hit=False)
    _rate("indexed lookup (no hit counted)", TEXTS, time.perf_counter() - started)

    started = time.perf_counter()
    for text in texts:
        keyword_reply_match(text=text)
    _rate("match service: lookup + atomic hit UPDATE (own transaction)", TEXTS, time.perf_counter() - started)
    hits = sum(KeywordReply.objects.values_list("hits", flat=True))
    assert hits == sum(r is not None for r in expected), hits

    client = APIClient()
    client.force_authenticate(operator.user)
    api_texts = texts[:2000]
    client.post("/api/v1/keyword-replies/match/", {"text": "warm-up"}, format="json")
    started = time.perf_counter()
    for text in api_texts:
        client.post("/api/v1/keyword-replies/match/", {"text": text}, format="json")
    _rate("POST /api/v1/keyword-replies/match/ (in process, DRF)", len(api_texts), time.perf_counter() - started)

    print("baseline:")
    started = time.perf_counter()
    for text in texts:
        _scan(in_memory, text)
    _rate("scan of every rule per call, rules in memory", TEXTS, time.perf_counter() - started)
    scan_texts = texts[:500]
    started = time.perf_counter()
    for text in scan_texts:
        current = list(KeywordReply.objects.filter(active=True).values_list("id", "keywords", "match", "priority"))
        _scan(current, text)
    _rate("scan of every rule per call, rules read per call", len(scan_texts), time.perf_counter() - started)
    connection.close()


if __name__ == "__main__":
    main()

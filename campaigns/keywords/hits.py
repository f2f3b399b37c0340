"""Hit counts of the keyword rules, and the version of the rules the match index was built from.

With Redis and PostgreSQL (production), an answer counts its hit in Redis: one script call checks
that the index the answer came from is still the current version and adds 1 to the rule's pending
count (`HINCRBY`), atomically, in one round trip. The database's `hits` column receives the pending
counts by a fold (`keyword_hits_fold`): the beat task every minute, and every read of the counts
(the API, the page, the admin) folds first, so the figure shown is exact.

The fold is exact across crashes as well. It renames the pending hash to a hash of its own (a new
token; answers meanwhile count in a fresh pending hash), adds its counts to `hits` and records the
token in `KeywordHitFold` in one transaction, then deletes the hash. A fold that dies before its
commit leaves the hash to the next fold; one that dies after it leaves a recorded token, whose hash
the next fold deletes without counting it again. Folds take a PostgreSQL advisory lock, so a read
that folds sees every hit answered before it.

Without Redis, or on SQLite (the embedded setup), a hit is one `UPDATE … SET hits = hits + 1` of the
active rule, and the version lives in Django's cache (per process).
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from redis.commands.core import Script

from campaigns.keywords.models import KeywordHitFold, KeywordReply

# pg_advisory_xact_lock key of the fold ("KWHITS" in ASCII).
FOLD_LOCK = 0x4B5748495453

# KEYS: version, pending hash. ARGV: the index's version, the rule id. 1 when counted.
COUNT_HIT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 1
"""
# KEYS: pending hash, the fold's own hash, the set of unfinished fold tokens. ARGV: the token.
TAKE_PENDING = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
"""


@dataclass(frozen=True)
class _Redis:
    client: redis.Redis
    count_hit: Script
    take_pending: Script


@memoize
def _connect(url: str) -> _Redis:
    client = redis.Redis.from_url(url)
    # The scripts are sent once, then called by their digest (EVALSHA).
    return _Redis(client, client.register_script(COUNT_HIT), client.register_script(TAKE_PENDING))


def _redis() -> _Redis | None:
    """The Redis the counts live in, or None when hits go straight to the database."""
    if settings.REDIS_URL and connection.vendor == "postgresql":
        return _connect(settings.REDIS_URL)
    return None


def _key(name: str) -> str:
    # Named after the database, so sites (and test runs) sharing one Redis keep their counts apart.
    return f"sitadmin:{connection.settings_dict['NAME']}:keyword-hits:{name}"


VERSION = "version"
PENDING = "pending"
TOKENS = "fold-tokens"


def rules_version_get() -> str:
    """The version of the rules now (a new one is made the first time)."""
    store = _redis()
    if store is None:
        cache.add(_key(VERSION), uuid.uuid4().hex, timeout=None)
        return cache.get(_key(VERSION))
    store.client.set(_key(VERSION), uuid.uuid4().hex, nx=True)
    return store.client.get(_key(VERSION)).decode()


def rules_version_new() -> None:
    store = _redis()
    if store is None:
        cache.set(_key(VERSION), uuid.uuid4().hex, timeout=None)
    else:
        store.client.set(_key(VERSION), uuid.uuid4().hex)


def hit_count(*, rule_id: int, version: str) -> bool:
    """Count one answer with `rule_id` from an index of `version`; False (nothing counted) when the
    rules changed since that index was built, or, without Redis, when the rule is gone or off."""
    store = _redis()
    if store is not None:
        return bool(store.count_hit(keys=[_key(VERSION), _key(PENDING)], args=[version, rule_id]))
    active_rule = KeywordReply.objects.filter(pk=rule_id, active=True)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return bool(active_rule.update(hits=F("hits") + 1))
    # On PostgreSQL without Redis, a call of its own does not wait for the disk: a crash may lose the last hits.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return bool(active_rule.update(hits=F("hits") + 1))


def keyword_hits_fold() -> int:
    """Add the hits counted in Redis to `KeywordReply.hits`; the number of hits added."""
    store = _redis()
    if store is None:
        return 0
    client = store.client
    token = uuid.uuid4().hex
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FOLD_LOCK])
        store.take_pending(keys=[_key(PENDING), _key(f"fold:{token}"), _key(TOKENS)], args=[token])
        tokens = {member.decode() for member in client.smembers(_key(TOKENS))}
        # Tokens folded before whose hash is gone are finished; the others are folded, or counted now.
        KeywordHitFold.objects.exclude(token__in=tokens).delete()
        folded = set(KeywordHitFold.objects.filter(token__in=tokens).values_list("token", flat=True))
        counts = Counter()
        for unfolded in sorted(tokens - folded):
            for rule_id, hits in client.hgetall(_key(f"fold:{unfolded}")).items():
                counts[int(rule_id)] += int(hits)
        if counts:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE campaigns_keywordreply AS r SET hits = r.hits + f.hits"
                    " FROM unnest(%s::bigint[], %s::bigint[]) AS f(id, hits) WHERE r.id = f.id",
                    [list(counts), list(counts.values())],
                )
        KeywordHitFold.objects.bulk_create([KeywordHitFold(token=t) for t in tokens - folded])
        transaction.on_commit(lambda: _forget(client, tokens))
    return sum(counts.values())


def _forget(client: redis.Redis, tokens: set[str]) -> None:
    """Drop the folded hashes (before their tokens, so a token in the set always names its hash or a recorded fold)."""
    for token in tokens:
        client.delete(_key(f"fold:{token}"))
        client.srem(_key(TOKENS), token)


def keyword_hits_pending_clear() -> None:
    """Forget every hit not folded yet (tests start from none)."""
    store = _redis()
    if store is not None:
        tokens = [member.decode() for member in store.client.smembers(_key(TOKENS))]
        store.client.delete(_key(PENDING), _key(TOKENS), *[_key(f"fold:{t}") for t in tokens])

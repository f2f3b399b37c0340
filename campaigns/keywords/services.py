"""Keyword replies (关键词回复): writing rules and answering a text with the best rule's reply."""

from django.db import connection, transaction
from django.db.models import F

from campaigns.keywords.matcher import rule_index_current, rule_index_invalidate
from campaigns.keywords.models import KeywordReply


def keyword_rules_changed() -> None:
    """Rebuild the match index now and again when the transaction commits, so no process keeps an
    index read from rows another transaction was still writing."""
    rule_index_invalidate()
    transaction.on_commit(rule_index_invalidate)


def keyword_reply_create(
    *, keywords: list[str], reply: str, match: str = KeywordReply.Match.CONTAINS, priority: int = 0, active: bool = True
) -> KeywordReply:
    rule = KeywordReply.objects.create(keywords=keywords, reply=reply, match=match, priority=priority, active=active)
    keyword_rules_changed()
    return rule


def keyword_reply_update(*, rule: KeywordReply, **changes) -> KeywordReply:
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.save(update_fields=[*changes, "updated_at"])
    keyword_rules_changed()
    return rule


def keyword_reply_delete(*, rule: KeywordReply) -> None:
    rule.delete()
    keyword_rules_changed()


def keyword_reply_match(*, text: str, count_hit: bool = True) -> tuple[int | None, str | None]:
    """(rule id, reply) of the best active rule for `text`, or (None, None); counts a hit on it.

    The hit is one atomic `UPDATE … SET hits = hits + 1`, so concurrent answers never lose a count.
    A rule gone since the index was read (deleted, or switched off) counts nothing: the index is
    rebuilt and the text matched again.
    """
    for _attempt in range(2):
        index = rule_index_current()
        rule_id = index.best(text)
        if rule_id is None:
            return None, None
        if not count_hit or _hit_count(rule_id=rule_id):
            return rule_id, index.replies[rule_id]
        rule_index_invalidate()
    return None, None


def _hit_count(*, rule_id: int) -> bool:
    """Count a hit; False when the rule is gone or off. On PostgreSQL, a call of its own does not wait
    for the commit to reach the disk: a crash may lose the last hits, never a rule."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return bool(KeywordReply.objects.filter(pk=rule_id, active=True).update(hits=F("hits") + 1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return bool(KeywordReply.objects.filter(pk=rule_id, active=True).update(hits=F("hits") + 1))

"""Keyword replies (关键词回复): writing rules and answering a text with the best rule's reply."""

from django.db import transaction

from campaigns.keywords.hits import hit_count, keyword_hits_fold
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

    A rule changed since the index was read (deleted, or switched off) counts nothing: the index is
    rebuilt and the text matched again. How a hit is counted: `campaigns.keywords.hits`.
    """
    for _attempt in range(2):
        index = rule_index_current()
        rule_id = index.best(text)
        if rule_id is None:
            return None, None
        if not count_hit or hit_count(rule_id=rule_id, version=index.version):
            return rule_id, index.replies[rule_id]
        rule_index_invalidate()
    return None, None


def keyword_rules_with_hits():
    """The rules, their `hits` exact: the hits counted since the last fold are folded first."""
    keyword_hits_fold()
    return KeywordReply.objects.all()

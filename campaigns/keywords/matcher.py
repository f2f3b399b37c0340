"""The index the match API reads: one Aho–Corasick automaton over every `contains` keyword of the
active rules and one dict of the `exact` keywords, built in memory once per version of the rules.

A text is matched in one pass over its characters, whatever the number of rules. Each keyword keeps
only the best rule that carries it (highest priority, then lowest id), so a match is the best of the
keywords found. The version lives in Redis in production (`campaigns.keywords.hits`); a process asks
for it at most once every `VERSION_CHECK_SECONDS`, so a change made through one process takes effect
there at once and in the other processes within that second; and a hit is counted only if the index
it came from is the current version, so no process answers with a rule switched off or deleted
since. Without Redis the version is per process, as everything else in the embedded setup is.
"""

import time
from dataclasses import dataclass, field

import ahocorasick

from campaigns.keywords.hits import rules_version_get, rules_version_new
from campaigns.keywords.models import KeywordReply

VERSION_CHECK_SECONDS = 1.0


@dataclass
class RuleIndex:
    version: str
    contains: ahocorasick.Automaton | None = None
    exact: dict[str, tuple[int, int]] = field(default_factory=dict)
    replies: dict[int, str] = field(default_factory=dict)

    def best(self, text: str) -> int | None:
        """The id of the best active rule matching `text`, or None."""
        folded = text.casefold()
        candidates = []
        exact = self.exact.get(folded.strip())
        if exact is not None:
            candidates.append(exact)
        if self.contains is not None:
            candidates.extend(rank for _end, rank in self.contains.iter(folded))
        return min(candidates)[1] if candidates else None


_index: RuleIndex | None = None
_checked_at = 0.0


def rule_index_build(*, version: str) -> RuleIndex:
    """Read the active rules once and index their keywords."""
    index = RuleIndex(version=version)
    contains: dict[str, tuple[int, int]] = {}
    for rule_id, keywords, match, reply, priority in KeywordReply.objects.filter(active=True).values_list(
        "id", "keywords", "match", "reply", "priority"
    ):
        rank = (-priority, rule_id)
        target = index.exact if match == KeywordReply.Match.EXACT else contains
        for keyword in keywords if isinstance(keywords, list) else []:  # the admin edits raw JSON
            if not isinstance(keyword, str):
                continue
            key = keyword.strip().casefold() if match == KeywordReply.Match.EXACT else keyword.casefold()
            if key and (key not in target or rank < target[key]):
                target[key] = rank
        index.replies[rule_id] = reply
    if contains:
        automaton = ahocorasick.Automaton()
        for key, rank in contains.items():
            automaton.add_word(key, rank)
        automaton.make_automaton()
        index.contains = automaton
    return index


def rule_index_current() -> RuleIndex:
    """The index of the rules as they are now: rebuilt when another change was announced."""
    global _index, _checked_at  # noqa: PLW0603 (the one per-process copy)
    now = time.monotonic()
    if _index is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return _index
    _checked_at = now
    version = rules_version_get()
    if _index is None or _index.version != version:
        _index = rule_index_build(version=version)
    return _index


def rule_index_invalidate() -> None:
    """Announce a change of the rules to every process (and drop this process's copy)."""
    global _index  # noqa: PLW0603
    rules_version_new()
    _index = None

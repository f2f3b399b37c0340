"""Demo rules for the conduct tools: keyword replies and sensitive words.

Seeded before the demo's events are ingested, so its staff replies that promise a gift (今天下单有赠品)
raise real sensitive-word alerts, and any day an operator is deleted five times raises a loss alert.
"""

from campaigns.alerts.models import SensitiveWord
from campaigns.keywords.models import KeywordReply
from campaigns.keywords.services import keyword_reply_create

KEYWORD_RULES = [
    (["价格", "多少钱"], "contains", "本周活动价请私信群主领取优惠券", 0),
    (["怎么用", "使用说明"], "contains", "使用说明：每天早晚各一次，每次15分钟", 0),
    (["发货", "物流"], "contains", "下单后48小时内发货，顺丰包邮", 0),
    (["退款", "退货"], "contains", "7天无理由退换，请联系您的专属顾问", 10),
    (["在吗"], "exact", "在的，请问有什么可以帮您？", 5),
]
SENSITIVE_WORDS = ["赠品", "微信转账", "保证治愈", "最低价"]


def conduct_demo_seed() -> None:
    """Keyword replies and sensitive words, once (a second run adds nothing)."""
    if not KeywordReply.objects.exists():
        for keywords, match, reply, priority in KEYWORD_RULES:
            keyword_reply_create(keywords=keywords, match=match, reply=reply, priority=priority)
    SensitiveWord.objects.bulk_create([SensitiveWord(word=word) for word in SENSITIVE_WORDS], ignore_conflicts=True)

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class KeywordReply(models.Model):
    """An automatic reply (关键词回复): a message containing, or being, one of the keywords gets the reply.

    `match` `contains` looks for any keyword inside the text, `exact` compares the whole trimmed text
    with a keyword; both ignore case. When several active rules match, the highest `priority` wins,
    then the lowest id. `hits` counts the answers the match API gave with this rule.
    """

    class Match(models.TextChoices):
        CONTAINS = "contains", _("包含")
        EXACT = "exact", _("完全匹配")

    keywords = models.JSONField(default=list, help_text=_('关键词列表，如 ["价格", "多少钱"]'))
    match = models.CharField(max_length=16, choices=Match.choices, default=Match.CONTAINS)
    reply = models.TextField()
    priority = models.IntegerField(default=0)
    active = models.BooleanField(default=True)
    hits = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "campaigns_keywordreply"
        ordering = ["-priority", "id"]
        verbose_name = pgettext_lazy("model", "关键词回复")
        verbose_name_plural = pgettext_lazy("models", "关键词回复")

    def __str__(self) -> str:
        return " / ".join(self.keywords) or f"#{self.pk}"


class KeywordHitFold(models.Model):
    """A fold of the hits counted in Redis into `KeywordReply.hits`, kept while its Redis hash
    still exists, so a fold that stopped between its commit and that hash's deletion is never
    counted twice (see `campaigns.keywords.hits`)."""

    token = models.CharField(max_length=32, primary_key=True)
    folded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "campaigns_keywordhitfold"
        verbose_name = pgettext_lazy("model", "关键词命中汇总")
        verbose_name_plural = pgettext_lazy("models", "关键词命中汇总")

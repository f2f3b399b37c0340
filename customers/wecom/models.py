"""What WeCom sent: every verified callback, kept once, with what became of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WecomCallback(models.Model):
    """A decrypted WeCom callback (企业微信回调), stored on arrival and turned into events after commit.

    `dedup_key` is a hash of the decrypted message's fields: WeCom's retries of one callback carry
    the same fields, so they find this row instead of adding one.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("待处理")
        PROCESSED = "processed", _("已处理")
        IGNORED = "ignored", _("已忽略")
        FAILED = "failed", _("失败")

    dedup_key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=128, blank=True, help_text="Event / ChangeType / UpdateDetail")
    body = models.TextField(help_text=_("解密后的回调"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(blank=True)
    events_accepted = models.PositiveIntegerField(default=0)
    events_duplicate = models.PositiveIntegerField(default=0)
    deliveries = models.PositiveIntegerField(default=1, help_text=_("企业微信投递次数"))
    received_at = models.DateTimeField()
    last_delivered_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = pgettext_lazy("model", "企业微信回调")
        verbose_name_plural = pgettext_lazy("models", "企业微信回调")
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.status})"

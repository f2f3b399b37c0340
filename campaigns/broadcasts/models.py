"""Broadcasts (群发): one content to an audience of customers, handed to their owners as tasks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Broadcast(models.Model):
    """A broadcast: its audience is frozen into recipients at `scheduled_at`."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("待发送")
        SENT = "sent", _("已发送")

    title = models.CharField(max_length=200)
    content = models.TextField()
    audience = models.JSONField(default=dict, help_text='{"tags": [], "stages": [], "sources": [], "owners": []}')
    team = models.ForeignKey(
        "staff.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("一个组长的群发只发给本组客户"),
    )
    scheduled_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("staff.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = pgettext_lazy("model", "群发")
        verbose_name_plural = pgettext_lazy("models", "群发")
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title


class BroadcastRecipient(models.Model):
    """One customer of a sent broadcast, with the owner (and owner's task) at the time it was sent."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey("staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task = models.ForeignKey("campaigns.SopTask", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("model", "群发对象")
        verbose_name_plural = pgettext_lazy("models", "群发对象")
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "customer"], name="one_recipient_per_broadcast_customer")
        ]

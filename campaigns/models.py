from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Feature packages keep their models beside their services; importing them here registers them with the app.
from campaigns.alerts.models import Alert, SensitiveWord  # noqa: F401
from campaigns.keywords.models import KeywordHitFold, KeywordReply  # noqa: F401


class Script(models.Model):
    """An add-friend script (加好友话术): the greeting sent with a friend request."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "话术")
        verbose_name_plural = pgettext_lazy("models", "话术")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Group(models.Model):
    """A customer group (社群)."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey("staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="groups")
    purpose = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=8,
        choices=[("active", _("活跃")), ("dormant", _("沉寂")), ("archived", _("归档"))],
        default="active",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    wecom_chat_id = models.CharField(
        max_length=64, blank=True, default="", help_text=_("企业微信客户群 ID（ChatId、roomid）")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "社群")
        verbose_name_plural = pgettext_lazy("models", "社群")
        constraints = [
            models.UniqueConstraint(
                fields=["wecom_chat_id"], condition=~models.Q(wecom_chat_id=""), name="group_wecom_chat_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.code


class GroupMembership(models.Model):
    """A customer's current standing in a group, kept from group_joined / group_left events."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="group_memberships")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "-joined_at"]
        verbose_name = pgettext_lazy("model", "群成员")
        verbose_name_plural = pgettext_lazy("models", "群成员")
        constraints = [models.UniqueConstraint(fields=["group", "customer"], name="one_membership_per_group_customer")]

    @property
    def active(self) -> bool:
        return self.left_at is None or self.left_at < self.joined_at


# Feature packages keep their own models; importing them here registers them with the app.
from campaigns.activities.models import Campaign, CampaignDraw, Referral  # noqa: E402
from campaigns.broadcasts.models import Broadcast, BroadcastRecipient  # noqa: E402
from campaigns.channels.models import ChannelAdd, ChannelCode, ChannelScanCount, StaffContactQr  # noqa: E402
from campaigns.sop.models import SopTask, SopTaskStatus, SopTemplate  # noqa: E402

__all__ = [
    "Alert",
    "SensitiveWord",
    "Broadcast",
    "BroadcastRecipient",
    "Campaign",
    "CampaignDraw",
    "ChannelAdd",
    "ChannelCode",
    "ChannelScanCount",
    "Group",
    "GroupMembership",
    "KeywordReply",
    "Referral",
    "Script",
    "SopTask",
    "SopTaskStatus",
    "SopTemplate",
    "StaffContactQr",
]

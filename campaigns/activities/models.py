"""Check-in (打卡) and referral (任务宝) campaigns, the referrals events name, and the draws kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Campaign(models.Model):
    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("打卡")
        REFERRAL = "referral", _("任务宝")

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    goal = models.PositiveIntegerField(default=1)
    group = models.ForeignKey(
        "campaigns.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="activity_campaigns"
    )
    keyword = models.CharField(max_length=64, default="打卡", blank=True)
    prize = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = pgettext_lazy("model", "打卡/任务宝活动")
        verbose_name_plural = pgettext_lazy("models", "打卡/任务宝活动")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A friend_added event naming the customer who invited the one added."""

    event = models.OneToOneField("customers.Event", on_delete=models.CASCADE, related_name="referral")
    referrer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="referrals_made")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("model", "转介绍")
        verbose_name_plural = pgettext_lazy("models", "转介绍")
        indexes = [models.Index(fields=["referrer", "at"]), models.Index(fields=["at"])]


class CampaignDraw(models.Model):
    """A draw among a campaign's qualified customers, kept with the seed that reproduces it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField(max_length=64)
    winners_wanted = models.PositiveIntegerField()
    qualified = models.PositiveIntegerField(help_text=_("合格人数"))
    winners = models.JSONField(default=list, help_text="customer ids, in the order drawn")
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = pgettext_lazy("model", "抽奖")
        verbose_name_plural = pgettext_lazy("models", "抽奖")

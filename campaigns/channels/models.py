"""Channel codes (渠道活码): a poster's QR code that routes each scan to one of its staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChannelCode(models.Model):
    """A channel code: the staff a scan may reach, how they are chosen, and what an add through it brings."""

    class Routing(models.TextChoices):
        ROUND_ROBIN = "round_robin", _("轮流")
        WEIGHTED = "weighted", _("按权重")

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    source = models.ForeignKey("customers.LeadSource", null=True, blank=True, on_delete=models.SET_NULL)
    staff = models.ManyToManyField("staff.Staff", blank=True, related_name="channel_codes")
    routing = models.CharField(max_length=16, choices=Routing.choices, default=Routing.ROUND_ROBIN)
    daily_cap = models.PositiveIntegerField(null=True, blank=True, help_text=_("每人每天最多扫码数（留空：不限）"))
    welcome = models.TextField(blank=True)
    tags = models.ManyToManyField("customers.Tag", blank=True, related_name="channel_codes")
    group = models.ForeignKey(
        "campaigns.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="channel_codes"
    )
    sop = models.ForeignKey(
        "campaigns.SopTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="channel_codes"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "渠道活码")
        verbose_name_plural = pgettext_lazy("models", "渠道活码")

    def __str__(self) -> str:
        return self.name


class ChannelScanCount(models.Model):
    """Scans one staff member took through one code on one local day; the row routing locks."""

    channel_code = models.ForeignKey(ChannelCode, on_delete=models.CASCADE, related_name="scan_counts")
    staff = models.ForeignKey("staff.Staff", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    scans = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "扫码计数")
        verbose_name_plural = pgettext_lazy("models", "扫码计数")
        constraints = [
            models.UniqueConstraint(fields=["channel_code", "staff", "day"], name="one_scan_count_per_code_staff_day")
        ]
        indexes = [models.Index(fields=["day", "channel_code"])]


class StaffContactQr(models.Model):
    """A staff member's own contact QR image (企业微信「联系我」), shown on the channel page."""

    staff = models.OneToOneField("staff.Staff", on_delete=models.CASCADE, related_name="contact_qr")
    image = models.FileField(upload_to="contact-qr/")
    content_type = models.CharField(max_length=32)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "联系我二维码")
        verbose_name_plural = pgettext_lazy("models", "联系我二维码")

    def __str__(self) -> str:
        return f"contact QR of {self.staff}"


class ChannelAdd(models.Model):
    """A friend_added event that came in through a channel code."""

    event = models.OneToOneField("customers.Event", on_delete=models.CASCADE, related_name="channel_add")
    channel_code = models.ForeignKey(ChannelCode, on_delete=models.PROTECT, related_name="adds")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("model", "渠道加粉")
        verbose_name_plural = pgettext_lazy("models", "渠道加粉")
        indexes = [models.Index(fields=["channel_code", "at"])]

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SensitiveWord(models.Model):
    """A word staff must not write to customers (敏感词); matched case-insensitively in `out` messages."""

    word = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = pgettext_lazy("model", "敏感词")
        verbose_name_plural = pgettext_lazy("models", "敏感词")

    def __str__(self) -> str:
        return self.word


class Alert(models.Model):
    """Conduct a team lead should look at (告警): a sensitive word in a staff message, or a day on which
    one staff member's customers deleted them `LOSS_ALERT_THRESHOLD` times or more (流失告警).

    A sensitive-word alert is unique per (event, word) and a loss alert per (staff, date), so a
    re-sent event or a second batch of the same day never raises a second one.
    """

    class Kind(models.TextChoices):
        SENSITIVE_WORD = "sensitive_word", _("敏感词")
        LOSS = "loss", _("流失")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    staff = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    event = models.ForeignKey("customers.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)
    at = models.DateTimeField(help_text="the message's time; for a loss alert, the day's latest deletion")
    date = models.DateField(null=True, blank=True, help_text="the local day of a loss alert")
    count = models.PositiveIntegerField(null=True, blank=True, help_text="deletions on that day (loss)")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "campaigns_sensitivewordalert"
        ordering = ["-at", "-id"]
        verbose_name = pgettext_lazy("model", "告警")
        verbose_name_plural = pgettext_lazy("models", "告警")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "word"],
                condition=models.Q(kind="sensitive_word"),
                name="alert_one_per_event_word",
            ),
            models.UniqueConstraint(
                fields=["staff", "date"], condition=models.Q(kind="loss"), name="alert_one_loss_per_staff_day"
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "at"], name="alert_staff_at_idx"),
            models.Index(fields=["at"], name="alert_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.word or self.count} @ {self.at:%Y-%m-%d %H:%M}"

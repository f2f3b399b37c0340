from django.db import models

# Models of feature packages, imported here so that Django registers them with the app.
from campaigns.sop.models import SopTask, SopTaskStatus, SopTemplate  # noqa: F401


class Script(models.Model):
    """An add-friend script (加好友话术): the greeting sent with a friend request."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "话术 script"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ChannelCode(models.Model):
    """A channel QR code (渠道活码) that routes scanning customers to staff, tagged with a source."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    source = models.ForeignKey("customers.LeadSource", null=True, blank=True, on_delete=models.SET_NULL)
    script = models.ForeignKey(Script, null=True, blank=True, on_delete=models.SET_NULL)
    staff = models.ManyToManyField("staff.Staff", blank=True, related_name="channel_codes")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "渠道活码 channel code"

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A customer group (社群)."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey("staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="groups")
    purpose = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=8,
        choices=[("active", "活跃 active"), ("dormant", "沉寂 dormant"), ("archived", "归档 archived")],
        default="active",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "社群 group"

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
        verbose_name = "群成员 membership"
        constraints = [models.UniqueConstraint(fields=["group", "customer"], name="one_membership_per_group_customer")]

    @property
    def active(self) -> bool:
        return self.left_at is None or self.left_at < self.joined_at


class Broadcast(models.Model):
    """A message sent to many customers or groups at once (群发)."""

    title = models.CharField(max_length=200)
    text = models.TextField()
    groups = models.ManyToManyField(Group, blank=True, related_name="broadcasts")
    scheduled_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("staff.Staff", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = "群发 broadcast"


class KeywordReply(models.Model):
    """An automatic reply to a keyword in a group (关键词回复)."""

    keyword = models.CharField(max_length=64, unique=True)
    reply = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["keyword"]
        verbose_name = "关键词回复 keyword reply"


class SensitiveWordAlert(models.Model):
    """A message that contained a watched word (敏感词告警)."""

    word = models.CharField(max_length=64)
    event = models.ForeignKey("customers.Event", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "敏感词告警 sensitive-word alert"

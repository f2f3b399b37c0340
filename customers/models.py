from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.privacy.models import EncryptedPhone
from customers.tagging.models import CustomerTag  # noqa: F401 (registered with the customers app)
from customers.wecom.models import WecomCallback  # noqa: F401  (registered with the customers app)
from staff.models import AllocationRule


class LeadSource(models.Model):
    class Kind(models.TextChoices):
        TELESALES = "telesales", _("电销数据")
        ORDERS = "orders", _("订单数据")
        ADS = "ads", _("广告数据")
        INTERCEPT = "intercept", _("截流数据")

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "线索来源")
        verbose_name_plural = pgettext_lazy("models", "线索来源")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TagGroup(models.Model):
    """A family of tags, e.g. 病症 (condition) or 场景 (scenario)."""

    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("model", "标签组")
        verbose_name_plural = pgettext_lazy("models", "标签组")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=64)
    group = models.ForeignKey(TagGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="tags")

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "标签")
        verbose_name_plural = pgettext_lazy("models", "标签")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """Lifecycle stages in order (docs/domain.md §Vocabulary); `lost` stands apart."""

    LEAD = "lead", _("线索")
    REQUESTED = "requested", _("已申请")
    FAN = "fan", _("已加粉")
    GROUPED = "grouped", _("已进群")
    BUYER = "buyer", _("已成交")
    REPEAT_BUYER = "repeat_buyer", _("复购")
    LOST = "lost", _("已流失")


class Customer(EncryptedPhone, models.Model):
    # The phone is kept encrypted with its keyed indexes (`EncryptedPhone`). Unique through constraints
    # rather than `unique=True`: PostgreSQL would add a `LIKE` index to each, which no query uses.
    external_id = models.CharField(max_length=128, null=True, blank=True)
    name = models.CharField(max_length=100, blank=True)
    remark = models.CharField(max_length=255, blank=True)
    # No single-column indexes: the (source, stage) and (owner, stage) indexes below lead with them.
    source = models.ForeignKey(LeadSource, on_delete=models.PROTECT, related_name="customers", db_index=False)
    owner = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="customers", db_index=False
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.LEAD)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers", through="CustomerTag")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = pgettext_lazy("model", "客户")
        verbose_name_plural = pgettext_lazy("models", "客户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phone_index__isnull=False) | models.Q(external_id__isnull=False),
                name="customer_has_phone_or_external_id",
            ),
            models.UniqueConstraint(fields=["phone_index"], name="customer_phone_index_unique"),
            models.UniqueConstraint(fields=["external_id"], name="customer_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["source", "stage"]),
            models.Index(fields=["phone_last4"], name="customer_phone_last4_idx"),
        ]

    def __str__(self) -> str:
        return self.name or self.masked_phone or self.external_id or str(self.pk)


class StageTransition(models.Model):
    """Every change of a customer's stage, with its cause: an event, or the user who changed it."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="stage_transitions")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField()
    event = models.ForeignKey("Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cause = models.CharField(max_length=32, blank=True, help_text="event / manual / import")

    class Meta:
        ordering = ["customer", "at", "id"]
        verbose_name = pgettext_lazy("model", "阶段变更")
        verbose_name_plural = pgettext_lazy("models", "阶段变更")


class OwnershipPeriod(models.Model):
    """Who owned a customer from when until when; `ended_at` is empty for the current owner."""

    class Cause(models.TextChoices):
        IMPORT = "import", _("导入分配")
        MANUAL = "manual", _("手工")
        HANDOVER = "handover", _("交接")
        EVENT = "event", _("首次加粉")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="ownership_periods")
    # No index of its own: the (staff, started_at) index below leads with it.
    staff = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="ownership_periods", db_index=False)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    cause = models.CharField(max_length=16, choices=Cause.choices)
    # Read only when a user is deleted: not worth an index entry on every change of owner.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["customer", "started_at", "id"]
        verbose_name = pgettext_lazy("model", "归属记录")
        verbose_name_plural = pgettext_lazy("models", "归属记录")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=models.Q(ended_at__isnull=True), name="one_open_ownership_per_customer"
            ),
        ]
        indexes = [models.Index(fields=["staff", "started_at"]), models.Index(fields=["started_at", "ended_at"])]


class EventType(models.TextChoices):
    FRIEND_REQUEST_SENT = "friend_request_sent", _("发送好友申请")
    FRIEND_ADDED = "friend_added", _("加粉")
    FRIEND_DELETED = "friend_deleted", _("删除好友")
    GROUP_JOINED = "group_joined", _("进群")
    GROUP_LEFT = "group_left", _("退群")
    MESSAGE = "message", _("消息")
    ORDER = "order", _("下单")


class Event(models.Model):
    """A customer's journey, one fact at a time (docs/domain.md §Events). `client_id` makes re-sends idempotent."""

    class Direction(models.TextChoices):
        IN = "in", _("客户发")
        OUT = "out", _("员工发")

    # Unique through the constraint below, which (unlike `unique=True`) adds no second, pattern-ops index.
    client_id = models.CharField(max_length=64)
    type = models.CharField(max_length=32, choices=EventType.choices)
    at = models.DateTimeField()
    # No index of its own: the (customer, type, at) index below leads with it.
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events", db_index=False)
    staff = models.ForeignKey("staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    # Indexed only where set (see Meta): most events, every chat message among them, name no script or source.
    script = models.ForeignKey(
        "campaigns.Script", null=True, blank=True, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    group = models.ForeignKey("campaigns.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    direction = models.CharField(max_length=3, choices=Direction.choices, blank=True)
    text = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    order_no = models.CharField(max_length=64, blank=True)
    source = models.ForeignKey(
        LeadSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "client_id"]
        verbose_name = pgettext_lazy("model", "事件")
        verbose_name_plural = pgettext_lazy("models", "事件")
        constraints = [models.UniqueConstraint(fields=["client_id"], name="event_client_id_unique")]
        indexes = [
            models.Index(fields=["script"], condition=models.Q(script__isnull=False), name="event_script_idx"),
            models.Index(fields=["source"], condition=models.Q(source__isnull=False), name="event_source_idx"),
            models.Index(fields=["type", "at"]),
            models.Index(fields=["customer", "type", "at"]),
            # The KPI engine's state at the end of a day (who is a friend, who is in which group) reads
            # every customer's latest add/delete and join/leave in customer order from these alone.
            models.Index(
                fields=["customer", "at"],
                include=["type", "client_id"],
                condition=models.Q(type__in=["friend_added", "friend_deleted"]),
                name="event_friend_state_idx",
            ),
            models.Index(
                fields=["customer", "group", "at"],
                include=["type", "client_id"],
                condition=models.Q(type__in=["group_joined", "group_left"]),
                name="event_group_state_idx",
            ),
            # A staff member's deletions of a day: the loss alert counts them again after every batch with one.
            models.Index(
                fields=["staff", "at"], condition=models.Q(type="friend_deleted"), name="event_deleted_staff_idx"
            ),
            # The week's group speakers (speakers_7d) read seven days of group `in` messages from this alone.
            models.Index(
                fields=["at"],
                include=["customer", "group"],
                condition=models.Q(type="message", direction="in", group__isnull=False),
                name="event_group_speaker_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.type} @ {self.at:%Y-%m-%d %H:%M}"


class Order(models.Model):
    order_no = models.CharField(max_length=64, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    ordered_at = models.DateTimeField(db_index=True)
    event = models.OneToOneField(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="order")
    import_job = models.ForeignKey("ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")

    class Meta:
        ordering = ["-ordered_at"]
        verbose_name = pgettext_lazy("model", "订单")
        verbose_name_plural = pgettext_lazy("models", "订单")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="order_amount_not_negative")]

    def __str__(self) -> str:
        return self.order_no


class ImportJob(models.Model):
    """One uploaded lead list and what became of each of its rows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    Allocation = AllocationRule

    file = models.FileField(upload_to="imports/%Y/%m/")
    file_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(default=0)
    source = models.ForeignKey(LeadSource, on_delete=models.PROTECT, related_name="imports")
    team = models.ForeignKey("staff.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="imports")
    allocation = models.CharField(max_length=16, choices=Allocation.choices, default=Allocation.NONE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    unassigned = models.PositiveIntegerField(default=0)
    orders_created = models.PositiveIntegerField(default=0)
    # Rows of a team lead's import whose customer is outside the lead's team: nothing written to it.
    held_elsewhere = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Touched with each progress update: a `running` job whose heartbeat stops was lost with its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("model", "导入任务")
        verbose_name_plural = pgettext_lazy("models", "导入任务")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class ImportRowError(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()
    # The cell at fault; a phone cell is kept encrypted in `phone_encrypted` instead (value empty).
    value = models.CharField(max_length=255, blank=True)
    phone_encrypted = models.TextField(blank=True, default="")
    reason = models.CharField(max_length=255)

    class Meta:
        ordering = ["job", "row_number"]

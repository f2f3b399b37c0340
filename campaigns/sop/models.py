"""SOP templates and the tasks they turn into (SOP 模板与任务).

A template's `trigger` and `steps` are kept as JSON (validated by `campaigns.sop.serializers`); a task
keeps the moments that decide its status, worked out once when it is made: `due_at`, `deadline`
(the end of its due day) and `complete_after` (the earliest a message may complete it).
"""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SopTemplate(models.Model):
    """A standard operating procedure: the steps an operator runs once a customer meets its trigger."""

    class TriggerKind(models.TextChoices):
        STAGE = "stage", _("阶段")
        GROUP_JOINED = "group_joined", _("进群")
        TAG = "tag", _("标签")
        CHANNEL = "channel", _("渠道活码")

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    trigger = models.JSONField(default=dict, blank=True, help_text='{"kind": "stage", "stage": "fan"}')
    steps = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"day": 0, "time": "10:00", "action": "private_message", "content": "..."}]',
    )
    active = models.BooleanField(default=True)
    active_from = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "SOP 模板")
        verbose_name_plural = pgettext_lazy("models", "SOP 模板")

    def __str__(self) -> str:
        return self.name

    @property
    def trigger_kind(self) -> str:
        return (self.trigger or {}).get("kind", "")


class SopTaskStatus(models.TextChoices):
    OPEN = "open", _("待完成")
    OVERDUE = "overdue", _("已逾期")
    DONE_ON_TIME = "done_on_time", _("按时完成")
    DONE_LATE = "done_late", _("逾期完成")


class SopTaskQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate `status_code`: open / overdue (open after its due day) / done_on_time / done_late."""
        return self.annotate(
            status_code=Case(
                When(done_at__isnull=True, deadline__gt=Now(), then=Value(SopTaskStatus.OPEN)),
                When(done_at__isnull=True, then=Value(SopTaskStatus.OVERDUE)),
                When(done_at__lt=models.F("deadline"), then=Value(SopTaskStatus.DONE_ON_TIME)),
                default=Value(SopTaskStatus.DONE_LATE),
                output_field=models.CharField(),
            )
        )

    def status_in(self, status: str):
        now = Now()
        return self.filter(
            {
                SopTaskStatus.OPEN: Q(done_at__isnull=True, deadline__gt=now),
                SopTaskStatus.OVERDUE: Q(done_at__isnull=True, deadline__lte=now),
                SopTaskStatus.DONE_ON_TIME: Q(done_at__lt=models.F("deadline")),
                SopTaskStatus.DONE_LATE: Q(done_at__gte=models.F("deadline")),
            }[status]
        )


class SopTask(models.Model):
    """One step of a template for one customer (and, for group triggers, in one group)."""

    class Action(models.TextChoices):
        PRIVATE_MESSAGE = "private_message", _("私聊")
        GROUP_MESSAGE = "group_message", _("群消息")
        CALL = "call", _("电话")
        TAG = "tag", _("打标签")
        BROADCAST = "broadcast", _("群发")

    template = models.ForeignKey(SopTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    step = models.PositiveSmallIntegerField(default=0)
    # Empty while the customer has no owner: the task waits for one.
    # No single-column indexes where a composite one below leads with the column: every index is
    # written for each task an event batch makes.
    staff = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="sop_tasks", db_index=False
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="sop_tasks", db_index=False
    )
    group = models.ForeignKey(
        "campaigns.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="sop_tasks"
    )
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.PRIVATE_MESSAGE)
    content = models.TextField(blank=True)
    trigger_at = models.DateTimeField()
    due_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text="the end of the due day: done before it is on time")
    complete_after = models.DateTimeField(help_text="a message at or after this completes the task")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_staff = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    done_event = models.ForeignKey(
        "customers.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    objects = SopTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = pgettext_lazy("model", "SOP 任务")
        verbose_name_plural = pgettext_lazy("models", "SOP 任务")
        constraints = [
            models.UniqueConstraint(fields=["customer", "template", "step"], name="one_sop_task_per_step_customer"),
        ]
        indexes = [models.Index(fields=["staff", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.content[:30]}"

    @property
    def done_by(self) -> str | None:
        """A username when done by hand, the message event's id when a message did it."""
        if self.done_by_staff_id:
            return self.done_by_staff.user.username
        if self.done_event_id:
            return self.done_event.client_id
        return None

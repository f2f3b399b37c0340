from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class AllocationRule(models.TextChoices):
    """How customers are dealt to a team's active operators: on import, and on hand-over (which always deals)."""

    NONE = "none", _("不分配")
    ROUND_ROBIN = "round_robin", _("轮流")
    WEIGHTED = "weighted", _("按权重")
    CAPACITY = "capacity", _("按容量")


# A hand-over always deals the customers to someone.
HANDOVER_RULES = (AllocationRule.ROUND_ROBIN.value, AllocationRule.WEIGHTED.value, AllocationRule.CAPACITY.value)


class Team(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("model", "团队")
        verbose_name_plural = pgettext_lazy("models", "团队")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Staff(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("运营负责人")
        TEAM_LEAD = "team_lead", _("组长")
        OPERATOR = "operator", _("运营专员")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        TRANSFERRED = "transferred", _("已转岗")
        EXITED = "exited", _("已离职")
        CANDIDATE = "candidate", _("候选人")

    class HireType(models.TextChoices):
        EXTERNAL = "external", _("外招")
        INTERNAL = "internal", _("内部晋升")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(max_length=100, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OPERATOR)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    hire_type = models.CharField(max_length=16, choices=HireType.choices, default=HireType.EXTERNAL)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(default=1000, help_text=_("最多负责的客户数"))
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("1"))
    wecom_userid = models.CharField(
        max_length=64, blank=True, default="", help_text=_("企业微信 UserID：成员在企业微信回调中的 ID")
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = pgettext_lazy("model", "员工")
        verbose_name_plural = pgettext_lazy("models", "员工")
        constraints = [
            models.UniqueConstraint(
                fields=["wecom_userid"], condition=~models.Q(wecom_userid=""), name="staff_wecom_userid_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.user.username

    @property
    def username(self) -> str:
        return self.user.username


class CompetencyDimension(models.Model):
    """A competency scored in evaluations (能力维度); the five of docs/domain.md §Evaluation ship with the schema."""

    code = models.SlugField(max_length=64, unique=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("1"))
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = pgettext_lazy("model", "能力维度")
        verbose_name_plural = pgettext_lazy("models", "能力维度")

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"

    @property
    def name(self) -> str:
        """The name in the active language: English pages show name_en, Chinese pages name_zh."""
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh


class ReviewCycle(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()
    revenue_baseline = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("考核基线：业绩达到或超过此数才评第一名"),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = pgettext_lazy("model", "考核周期")
        verbose_name_plural = pgettext_lazy("models", "考核周期")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cycle_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    ADVANCE = "advance", _("进")
    KEEP = "keep", _("留")
    TRANSFER = "transfer", _("转")
    EXIT = "exit", _("退")


class Evaluation(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="evaluations")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="evaluations")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(max_digits=4, decimal_places=1)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    final_decision = models.CharField(max_length=16, choices=Decision.choices)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("model", "考核")
        verbose_name_plural = pgettext_lazy("models", "考核")
        constraints = [models.UniqueConstraint(fields=["staff", "cycle"], name="one_evaluation_per_staff_cycle")]

    def __str__(self) -> str:
        return f"{self.staff} / {self.cycle}: {self.total}"


class EvaluationScore(models.Model):
    """One dimension's score; the weight in force when scored is kept so past totals never move."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(CompetencyDimension, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=3, decimal_places=1)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "dimension"], name="one_score_per_dimension"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=10), name="score_between_0_and_10"),
        ]


class HandoverAudit(models.Model):
    """Audit entry of a hand-over (离职继承 / 在职转接)."""

    from_staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="handovers")
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    allocation = models.CharField(max_length=16)
    reason = models.CharField(max_length=16, blank=True)
    customers_moved = models.PositiveIntegerField(default=0)
    customers_unassigned = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("model", "客户交接")
        verbose_name_plural = pgettext_lazy("models", "客户交接")


class RevenueTier(models.Model):
    """A revenue tier of a review cycle (考核档位) and its reward (嘉奖)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=64)
    min_revenue = models.DecimalField(max_digits=14, decimal_places=2)
    reward = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["cycle", "-min_revenue"]
        verbose_name = pgettext_lazy("model", "业绩档位")
        verbose_name_plural = pgettext_lazy("models", "业绩档位")
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="one_tier_name_per_cycle")]

    def __str__(self) -> str:
        return f"{self.cycle.code}: {self.name} ≥ {self.min_revenue}"


# A staff member's team over time lives in its own package; imported here so Django registers it.
# The audit log lives in staff core so customers and campaigns can record to it.
from staff.audit.models import AuditEntry  # noqa: E402
from staff.teams.models import TeamMembership  # noqa: E402

__all__ = [
    "AuditEntry",
    "CompetencyDimension",
    "Decision",
    "Evaluation",
    "EvaluationScore",
    "HandoverAudit",
    "RevenueTier",
    "ReviewCycle",
    "Staff",
    "Team",
    "TeamMembership",
]

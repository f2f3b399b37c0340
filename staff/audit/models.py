from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录 login"
    LOGIN_FAILED = "login_failed", "登录失败 login failed"
    TOKEN_REVOKE = "token_revoke", "注销令牌 token revoked"
    PHONE_REVEAL = "phone_reveal", "查看手机号 phone reveal"
    EXPORT = "export", "导出 export"
    IMPORT = "import", "导入 import"
    EVALUATION_CREATE = "evaluation_create", "考核评分 evaluation"
    EVALUATION_OVERRIDE = "evaluation_override", "改判 evaluation override"
    HANDOVER = "handover", "客户交接 hand-over"
    STAFF_CHANGE = "staff_change", "员工变更 staff change"
    KPI_RECOMPUTE = "kpi_recompute", "重算指标 KPI recompute"
    MESSAGE_SEARCH = "message_search", "会话检索 message search"


class AppendOnlyError(Exception):
    """An audit entry is never changed or deleted once written."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One audited action. The user is kept by name so the row outlives the account.

    Rows are only ever inserted: the model refuses updates and deletes, and on PostgreSQL a
    trigger refuses them in the database too.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        app_label = "staff"
        db_table = "staff_auditentry"
        ordering = ["-at", "-id"]
        verbose_name = "审计日志 audit entry"
        verbose_name_plural = "审计日志 audit log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

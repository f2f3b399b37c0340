from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    TOKEN_REVOKE = "token_revoke", _("注销令牌")
    PHONE_REVEAL = "phone_reveal", _("查看手机号")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    EVALUATION_CREATE = "evaluation_create", _("考核评分")
    EVALUATION_OVERRIDE = "evaluation_override", _("改判")
    HANDOVER = "handover", _("客户交接")
    STAFF_CHANGE = "staff_change", _("员工变更")
    KPI_RECOMPUTE = "kpi_recompute", _("重算指标")
    MESSAGE_SEARCH = "message_search", _("会话检索")


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
        verbose_name = pgettext_lazy("model", "审计日志")
        verbose_name_plural = pgettext_lazy("models", "审计日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

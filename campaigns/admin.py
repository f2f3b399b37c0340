from django.contrib import admin

from campaigns.activities import admin as activities_admin  # noqa: F401 (registers the feature's models)
from campaigns.alerts import admin as alerts_admin  # noqa: F401
from campaigns.broadcasts import admin as broadcasts_admin  # noqa: F401
from campaigns.channels import admin as channels_admin  # noqa: F401
from campaigns.keywords import admin as keywords_admin  # noqa: F401
from campaigns.models import (
    Group,
    GroupMembership,
    Script,
    SopTask,
    SopTemplate,
)


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name", "text"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "owner", "wecom_chat_id", "created_at"]
    list_filter = ["owner__team"]
    list_select_related = ["owner__user"]
    search_fields = ["code", "name", "wecom_chat_id"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["group", "customer_id", "joined_at", "left_at"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["group__code", "customer__name"]
    raw_id_fields = ["customer"]
    show_full_result_count = False


@admin.register(SopTemplate)
class SopTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name", "description"]


@admin.register(SopTask)
class SopTaskAdmin(admin.ModelAdmin):
    list_display = ["action", "staff", "template", "customer_id", "group", "due_at", "done_at"]
    list_filter = ["template", "staff__team", ("done_at", admin.EmptyFieldListFilter)]
    list_select_related = ["staff__user", "template", "group"]
    search_fields = ["content", "staff__user__username"]
    raw_id_fields = ["customer", "staff", "group"]
    date_hierarchy = "due_at"
    show_full_result_count = False

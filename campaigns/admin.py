from django.contrib import admin

from .models import (
    Broadcast,
    ChannelCode,
    Group,
    GroupMembership,
    KeywordReply,
    Script,
    SensitiveWordAlert,
    SopTask,
    SopTemplate,
)


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name", "text"]


@admin.register(ChannelCode)
class ChannelCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "source", "script", "active"]
    list_filter = ["active", "source", "script"]
    list_select_related = ["source", "script"]
    search_fields = ["code", "name"]
    filter_horizontal = ["staff"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "owner", "created_at"]
    list_filter = ["owner__team"]
    list_select_related = ["owner__user"]
    search_fields = ["code", "name"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["group", "customer_id", "joined_at", "left_at"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["group__code", "customer__name", "customer__phone"]
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


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["title", "scheduled_at", "sent_at", "created_by"]
    list_select_related = ["created_by__user"]
    search_fields = ["title", "text"]
    filter_horizontal = ["groups"]


@admin.register(KeywordReply)
class KeywordReplyAdmin(admin.ModelAdmin):
    list_display = ["keyword", "reply", "active"]
    list_filter = ["active"]
    search_fields = ["keyword", "reply"]


@admin.register(SensitiveWordAlert)
class SensitiveWordAlertAdmin(admin.ModelAdmin):
    list_display = ["word", "event", "created_at", "resolved"]
    list_filter = ["resolved", "word"]
    list_select_related = ["event"]
    search_fields = ["word", "event__client_id"]
    raw_id_fields = ["event"]

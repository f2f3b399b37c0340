from django.contrib import admin

from .models import KeywordReply
from .services import keyword_rules_changed


@admin.register(KeywordReply)
class KeywordReplyAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "match", "priority", "active", "hits", "reply"]
    list_filter = ["active", "match"]
    search_fields = ["reply"]
    readonly_fields = ["hits", "updated_at"]

    # The match API reads an in-memory index of the rules: every change made here rebuilds it.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        keyword_rules_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        keyword_rules_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        keyword_rules_changed()

from django import forms
from django.contrib import admin
from rest_framework.exceptions import ValidationError as ApiValidationError

from campaigns.keywords.models import KeywordHitFold, KeywordReply
from campaigns.keywords.serializers import KeywordReplySerializer
from campaigns.keywords.services import keyword_rules_changed, keyword_rules_with_hits
from sitadmin.readonly_admin import ReadOnlyAdmin


class KeywordReplyForm(forms.ModelForm):
    class Meta:
        model = KeywordReply
        fields = ["keywords", "match", "reply", "priority", "active"]

    def clean_keywords(self):
        """The same rule as the API: a non-empty list of non-blank keywords."""
        field = KeywordReplySerializer().fields["keywords"]
        try:
            return field.run_validation(self.cleaned_data["keywords"])
        except ApiValidationError as exc:
            raise forms.ValidationError(str(exc.detail)) from exc


@admin.register(KeywordReply)
class KeywordReplyAdmin(admin.ModelAdmin):
    form = KeywordReplyForm
    list_display = ["id", "__str__", "match", "priority", "active", "hits", "reply"]
    list_filter = ["active", "match"]
    search_fields = ["reply"]
    readonly_fields = ["hits", "updated_at"]

    def get_queryset(self, request):
        return keyword_rules_with_hits()

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


@admin.register(KeywordHitFold)
class KeywordHitFoldAdmin(ReadOnlyAdmin):
    """The folds still remembered (their Redis hash not yet deleted): read-only, written by the fold alone."""

    list_display = ["token", "folded_at"]
    search_fields = ["token"]

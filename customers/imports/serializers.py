"""Shapes of the lead-import API: the upload form and a job's state."""

from django.urls import reverse
from rest_framework import serializers

from customers.imports.messages import message_text
from customers.models import ImportJob, LeadSource
from staff.models import Team


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="CSV (UTF-8 or GBK) or XLSX; headers in English or Chinese"
    )
    source = serializers.SlugRelatedField(slug_field="code", queryset=LeadSource.objects.all())
    team = serializers.SlugRelatedField(slug_field="code", queryset=Team.objects.all(), required=False, allow_null=True)
    allocation = serializers.ChoiceField(choices=ImportJob.Allocation.choices, default=ImportJob.Allocation.NONE)


class ImportJobSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    team = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    errors_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "progress",
            "error",
            "file_name",
            "file_size",
            "source",
            "team",
            "allocation",
            "total_rows",
            "created",
            "updated",
            "duplicates",
            "invalid",
            "unassigned",
            "orders_created",
            "held_elsewhere",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "errors_url",
        ]
        read_only_fields = fields

    def to_representation(self, job):
        data = super().to_representation(job)
        data["error"] = message_text(data["error"])  # stored in Chinese, answered in the request's language
        return data

    def get_errors_url(self, job) -> str:
        return reverse("import-errors", kwargs={"pk": job.pk})

from rest_framework import serializers


class ArchiveUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JSON lines: one decrypted chat-archive message per line")


class ArchiveResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="lines that are not a text message sent to or by a customer")
    errors = serializers.ListField(
        child=serializers.DictField(), help_text='[{"index", "line", "id", "error"}], `line` counted from 1'
    )

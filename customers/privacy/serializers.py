from rest_framework import serializers


class PhoneRevealSerializer(serializers.Serializer):
    phone = serializers.CharField(allow_null=True, help_text="the full number; null for a customer without one")

from rest_framework import serializers

from campaigns.keywords.models import KeywordReply


class KeywordReplySerializer(serializers.ModelSerializer):
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=64),
        allow_empty=False,
        min_length=1,
        help_text="非空列表 a non-empty list",
    )

    class Meta:
        model = KeywordReply
        fields = ["id", "keywords", "match", "reply", "priority", "active", "hits"]
        read_only_fields = ["hits"]

    def validate_keywords(self, keywords: list[str]) -> list[str]:
        """Without repeats (ignoring case), in the order given; each one is trimmed and non-blank."""
        kept: dict[str, str] = {}
        for keyword in keywords:
            kept.setdefault(keyword.casefold(), keyword)
        return list(kept.values())


class KeywordMatchSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=10_000)


class KeywordMatchAnswerSerializer(serializers.Serializer):
    rule = serializers.IntegerField(allow_null=True)
    reply = serializers.CharField(allow_null=True)

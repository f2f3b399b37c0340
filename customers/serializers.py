from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.models import Customer, LeadSource, OwnershipPeriod, Stage, StageTransition, Tag
from customers.selectors import customer_phone_for
from staff.fields import StaffUsernameField
from staff.models import Staff

CUSTOMER_WRITABLE_FIELDS = ("stage", "tags", "owner", "remark")


class LeadSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeadSource
        fields = ["code", "name", "kind"]


@extend_schema_field(OpenApiTypes.STR)
class TagGroupNameField(serializers.Field):
    """A tag's group given by its name (病症, 场景…); a new name creates the group."""

    def to_representation(self, value):
        return value.name

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext("需要标签组名称"))
        name = data.strip()
        if len(name) > 64:
            raise serializers.ValidationError(gettext("标签组名称最多 64 字"))
        return name or None


class TagSerializer(serializers.ModelSerializer):
    group = TagGroupNameField(required=False, allow_null=True)

    class Meta:
        model = Tag
        fields = ["code", "name", "group"]


class CustomerFilterSerializer(serializers.Serializer):
    """Query parameters of the customer list; an unknown code is a 400 naming the parameter."""

    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    source = serializers.SlugRelatedField(slug_field="code", queryset=LeadSource.objects.all(), required=False)
    owner = StaffUsernameField(required=False)
    tag = serializers.SlugRelatedField(slug_field="code", queryset=Tag.objects.all(), required=False)
    search = serializers.CharField(required=False, max_length=100)


class CustomerOutputSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.SerializerMethodField()
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "phone",
            "external_id",
            "name",
            "remark",
            "source",
            "owner",
            "stage",
            "stage_display",
            "tags",
            "created_at",
        ]

    def get_phone(self, obj: Customer) -> str | None:
        """The full number for a manager or the owner, masked (138****8000) for everyone else."""
        return customer_phone_for(customer=obj, viewer=self.context["phone_viewer"])

    def get_owner(self, obj: Customer) -> str | None:
        return obj.owner.user.username if obj.owner_id else None

    def get_tags(self, obj: Customer) -> list[str]:
        return [tag.code for tag in obj.tags.all()]


class StageTransitionSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="client_id", read_only=True, allow_null=True)
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StageTransition
        fields = ["from_stage", "to_stage", "at", "cause", "event", "changed_by"]


class OwnershipPeriodSerializer(serializers.ModelSerializer):
    staff = StaffUsernameField(read_only=True)
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = OwnershipPeriod
        fields = ["staff", "started_at", "ended_at", "cause", "changed_by"]


class CustomerDetailSerializer(CustomerOutputSerializer):
    stage_history = StageTransitionSerializer(source="stage_transitions", many=True, read_only=True)
    ownership_history = OwnershipPeriodSerializer(source="ownership_periods", many=True, read_only=True)

    class Meta(CustomerOutputSerializer.Meta):
        fields = [*CustomerOutputSerializer.Meta.fields, "stage_history", "ownership_history"]


class CustomerUpdateSerializer(serializers.Serializer):
    """PATCH of a customer: stage, tags (codes), owner (username or null), remark."""

    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=200)
    owner = StaffUsernameField(required=False, allow_null=True)
    remark = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(CUSTOMER_WRITABLE_FIELDS))
            if unknown:
                raise serializers.ValidationError(
                    {
                        field: gettext("不能修改；可修改：%(fields)s") % {"fields": ", ".join(CUSTOMER_WRITABLE_FIELDS)}
                        for field in unknown
                    }
                )
        return super().to_internal_value(data)

    def validate_tags(self, codes: list[str]) -> list[Tag]:
        codes = list(dict.fromkeys(codes))
        tags = list(Tag.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {tag.code for tag in tags})
        if missing:
            raise serializers.ValidationError(gettext("没有这些标签：%(codes)s") % {"codes": ", ".join(missing)})
        return tags

    def validate_owner(self, owner: Staff | None) -> Staff | None:
        if owner is not None and owner.status != Staff.Status.ACTIVE:
            raise serializers.ValidationError(gettext("员工 %(username)s 不在职") % {"username": owner.user.username})
        return owner

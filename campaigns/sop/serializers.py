"""Validation and shape of SOP templates, tasks and the on-time report."""

import re

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from campaigns.models import Group
from campaigns.sop.engine import STAGE_RANK
from campaigns.sop.models import SopTask, SopTaskStatus, SopTemplate
from campaigns.sop.selectors import task_content_rendered
from customers.models import Tag
from sitadmin.drf import WholeItemMixin

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
STEP_ACTIONS = ["private_message", "group_message", "call", "tag"]


@extend_schema_field({"type": "string", "pattern": _TIME.pattern})
class ClockTimeField(serializers.CharField):
    """HH:MM, 00:00 to 23:59."""


class StepSerializer(WholeItemMixin, serializers.Serializer):
    day = serializers.IntegerField(min_value=0, max_value=365)
    time = ClockTimeField()
    action = serializers.ChoiceField(choices=STEP_ACTIONS)
    content = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)

    def validate_time(self, value: str) -> str:
        if not _TIME.match(value):
            raise serializers.ValidationError(gettext("需要 HH:MM 格式的时间"))
        return value


def _trigger(kind: str, properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": [kind]}, **properties},
        "required": ["kind", *required],
    }


TRIGGER_SCHEMA = {
    "oneOf": [
        _trigger("stage", {"stage": {"type": "string", "enum": [stage.value for stage in STAGE_RANK]}}, ("stage",)),
        _trigger("group_joined", {"group": {"type": "string", "nullable": True, "description": "group code, or any"}}),
        _trigger("tag", {"tag": {"type": "string", "description": "tag code"}}, ("tag",)),
        _trigger("channel", {}),
    ]
}


STEP_SCHEMA = {
    "type": "object",
    "properties": {
        "day": {"type": "integer", "minimum": 0, "maximum": 365},
        "time": {"type": "string", "pattern": _TIME.pattern},
        "action": {"type": "string", "enum": STEP_ACTIONS},
        "content": {"type": "string", "maxLength": 2000, "description": "{name}, {owner}, {stage} are filled in"},
    },
    "required": ["day", "time", "action"],
}


@extend_schema_field({"type": "array", "items": STEP_SCHEMA, "minItems": 1})
class StepsField(serializers.ListSerializer):
    """A non-empty list of steps."""


@extend_schema_serializer(component_name="Trigger")
@extend_schema_field(TRIGGER_SCHEMA)
class TriggerSerializer(WholeItemMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=SopTemplate.TriggerKind.choices)
    stage = serializers.CharField(required=False)
    group = serializers.CharField(required=False, allow_null=True)
    tag = serializers.CharField(required=False)

    def to_representation(self, instance):
        # As stored, less the ids; a template saved without a trigger (the admin allows it) shows `{}`.
        return {k: v for k, v in (instance or {}).items() if not k.endswith("_id")}

    def validate(self, attrs: dict) -> dict:
        kind = attrs["kind"]
        if kind == SopTemplate.TriggerKind.STAGE:
            stage = attrs.get("stage")
            if stage not in STAGE_RANK:
                raise serializers.ValidationError(
                    {"stage": gettext("未知或不可作触发的阶段（可选：%(stages)s）") % {"stages": ", ".join(STAGE_RANK)}}
                )
            return {"kind": kind, "stage": stage}
        if kind == SopTemplate.TriggerKind.GROUP_JOINED:
            code = attrs.get("group")
            if code is None:
                return {"kind": kind, "group": None, "group_id": None}
            group = Group.objects.filter(code=code).first()
            if group is None:
                raise serializers.ValidationError({"group": gettext("没有这个社群：%(code)s") % {"code": code}})
            return {"kind": kind, "group": code, "group_id": group.pk}
        if kind == SopTemplate.TriggerKind.TAG:
            code = attrs.get("tag")
            tag = Tag.objects.filter(code=code).first() if code else None
            if tag is None:
                raise serializers.ValidationError({"tag": gettext("没有这个标签：%(code)s") % {"code": code}})
            return {"kind": kind, "tag": code, "tag_id": tag.pk}
        return {"kind": kind}


class SopTemplateSerializer(serializers.ModelSerializer):
    trigger = TriggerSerializer()
    steps = StepsField(child=StepSerializer(), allow_empty=False)

    class Meta:
        model = SopTemplate
        fields = ["code", "name", "description", "active", "active_from", "trigger", "steps", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"active_from": {"required": False, "allow_null": True}}


class SopTaskSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    staff = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    done_by = serializers.CharField(read_only=True, allow_null=True)
    status = serializers.CharField(source="status_code", read_only=True)

    class Meta:
        model = SopTask
        fields = [
            "id",
            "template",
            "step",
            "customer",
            "group",
            "staff",
            "action",
            "content",
            "trigger_at",
            "due_at",
            "done_at",
            "done_by",
            "status",
        ]

    def get_staff(self, task) -> str | None:
        return task.staff.user.username if task.staff_id else None

    def get_content(self, task) -> str:
        return task_content_rendered(task=task)


class SopTaskFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SopTaskStatus.choices, required=False)
    staff = serializers.CharField(required=False)
    customer = serializers.IntegerField(required=False)
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)


class SopReportFilterSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": gettext("date_from 不能晚于 date_to")})
        return attrs


class SopReportRowSerializer(serializers.Serializer):
    staff = serializers.CharField()
    name = serializers.CharField()
    due = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    open = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from sitadmin.drf import RoundedDecimalField
from staff.models import HANDOVER_RULES, Staff, Team
from staff.teams.selectors import team_history_for
from staff.teams.validation import staff_team_change_problem


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["code", "name"]


class TeamPeriodSerializer(serializers.Serializer):
    team = serializers.CharField(allow_null=True)
    since = serializers.DateField(allow_null=True)


class StaffOutputSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    team = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    team_history = serializers.SerializerMethodField()

    class Meta:
        model = Staff
        fields = [
            "username",
            "name",
            "team",
            "role",
            "status",
            "hire_type",
            "joined_on",
            "left_on",
            "capacity",
            "weight",
            "team_history",
            "wecom_userid",
        ]

    @extend_schema_field(TeamPeriodSerializer(many=True))
    def get_team_history(self, staff) -> list[dict]:
        return TeamPeriodSerializer(team_history_for(staff=staff), many=True).data


class StaffInputSerializer(serializers.Serializer):
    """Create (username and password required) or update (password refused) a staff member."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    team = serializers.SlugRelatedField(slug_field="code", queryset=Team.objects.all(), required=False, allow_null=True)
    team_since = serializers.DateField(
        required=False,
        write_only=True,
        help_text="调组生效日期 the day a change of team takes effect (default today; after the last change)",
    )
    role = serializers.ChoiceField(choices=Staff.Role.choices, required=False)
    status = serializers.ChoiceField(choices=Staff.Status.choices, required=False)
    hire_type = serializers.ChoiceField(choices=Staff.HireType.choices, required=False)
    joined_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    weight = RoundedDecimalField(max_digits=6, decimal_places=2, min_value=0, required=False)
    wecom_userid = serializers.RegexField(
        r"^[\w.@-]*\Z", max_length=64, required=False, allow_blank=True, help_text="企业微信 UserID"
    )
    handover_allocation = serializers.ChoiceField(
        choices=HANDOVER_RULES,
        required=False,
        write_only=True,
        help_text="客户交接规则 hand-over rule when the status becomes exited or transferred (default capacity)",
    )

    for_update = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None or self.for_update:
            # The password is chosen once, on create; later changes go through the user's own password flow.
            self.fields["password"].required = False
        else:
            # A hand-over only follows a change of status.
            self.fields.pop("handover_allocation")

    def validate_username(self, value: str) -> str:
        if self.instance is not None and value != self.instance.user.username:
            # The username names the staff member in URLs, events and KPI keys.
            raise serializers.ValidationError(gettext("用户名不能修改"))
        users = get_user_model().objects.filter(username=value)
        if self.instance is not None:
            users = users.exclude(pk=self.instance.user_id)
        if users.exists():
            raise serializers.ValidationError(gettext("用户名 %(username)s 已存在") % {"username": repr(value)})
        return value

    def validate_wecom_userid(self, value: str) -> str:
        others = Staff.objects.filter(wecom_userid=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if value and others.exists():
            raise serializers.ValidationError(
                gettext("企业微信 UserID %(userid)s 已属于其他员工") % {"userid": repr(value)}
            )
        return value

    def validate_password(self, value: str) -> str:
        if self.instance is not None:
            raise serializers.ValidationError(gettext("密码只能在创建时设置"))
        try:
            # The user as it will be: a password too like the username is refused.
            validate_password(value, user=get_user_model()(username=str(self.initial_data.get("username", ""))))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value

    def validate(self, attrs):
        joined_on = attrs.get("joined_on", getattr(self.instance, "joined_on", None))
        left_on = attrs.get("left_on", getattr(self.instance, "left_on", None))
        if joined_on and left_on and left_on < joined_on:
            raise serializers.ValidationError({"left_on": gettext("离职日期早于入职日期")})
        if self.instance is None:
            attrs.pop("team_since", None)
        else:
            problem = staff_team_change_problem(staff=self.instance, attrs=attrs)
            if problem is not None:
                raise serializers.ValidationError({problem.field: problem.message})
        return attrs


@extend_schema_serializer(exclude_fields=["username", "password"])
class StaffUpdateSerializer(StaffInputSerializer):
    """PUT and PATCH: the username is in the URL (repeating it is allowed, changing it is a 400) and the
    password was chosen on create (sending one is a 400), so neither is in the documented body."""

    for_update = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].required = False

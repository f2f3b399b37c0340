"""Small DRF pieces shared by the apps' APIs."""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.db.models import ProtectedError
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


def references_to(instance: models.Model, owned: tuple[str, ...] = ()) -> list[str]:
    """The kinds of rows that still point at `instance` (members of a team, customers carrying a tag,
    a staff member's evaluations, owned customers and events…), whatever their delete rule.
    `owned` names relations (by accessor) that are part of the record itself and go with it."""
    found = set()
    for relation in instance._meta.related_objects:
        if relation.one_to_one and relation.parent_link:
            continue
        if relation.get_accessor_name() in owned:
            continue
        related = relation.related_model
        if related._default_manager.filter(**{relation.field.name: instance}).exists():
            found.add(str(related._meta.verbose_name))
    return sorted(found)


class ProtectedDestroyMixin:
    """Deleting a record that other rows still point at is a 409 saying which, never a silent cascade
    (a team's members left team-less, a tag stripped from customers, a staff member's evaluations gone).
    `owned_relations` (accessor names) are the record's own rows, deleted with it."""

    owned_relations: tuple[str, ...] = ()

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        used_by = references_to(instance, self.owned_relations)
        if not used_by:
            try:
                self.perform_destroy(instance)
            except ProtectedError as exc:
                used_by = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        if used_by:
            return Response(
                {"detail": _("%(record)s 仍被使用：%(used_by)s") % {"record": instance, "used_by": ", ".join(used_by)}},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class FixedCodeMixin:
    """A record's `code` (a staff member's `username`) names it in URLs and KPI keys: PUT and PATCH may
    repeat it but not change it (400 naming the field); a PUT without it keeps the one in the URL."""

    @classmethod
    def fixed_field(cls) -> str:
        """The body field that holds the code named in the URL (also read by `sitadmin.schema`)."""
        field = cls.lookup_url_kwarg or cls.lookup_field
        return "username" if field == "user__username" else field

    def _code_in_url(self) -> str:
        return self.kwargs[self.lookup_url_kwarg or self.lookup_field]

    def update(self, request, *args, **kwargs):
        field = self.fixed_field()
        if isinstance(request.data, dict) and field in request.data:
            if request.data[field] != self._code_in_url():
                message = _("不能修改 %(field)s，请新建一条记录。") % {"field": field}
                raise ValidationError({field: [message]})
        return super().update(request, *args, **kwargs)

    def get_serializer(self, *args, **kwargs):
        data = kwargs.get("data")
        field = self.fixed_field()
        if self.action == "update" and isinstance(data, dict) and field not in data:
            data = data.copy()
            data[field] = self._code_in_url()
            kwargs["data"] = data
        return super().get_serializer(*args, **kwargs)


class WholeItemMixin:
    """A nested value that replaces the stored one whole (a cycle's tiers, a template's steps and
    trigger). DRF passes a PATCH's `partial` down to nested serializers, which would then take it
    without its required fields and without its defaults; it is read as in a create, whatever the root."""

    def run_validation(self, data=serializers.empty):
        if data is serializers.empty:
            return super().run_validation(data)  # left out of a PATCH: kept as stored
        root = self.root
        partial, root.partial = root.partial, False
        try:
            return super().run_validation(data)
        finally:
            root.partial = partial


class RoundedDecimalField(serializers.DecimalField):
    """A DecimalField that rounds a number with more decimal places than it keeps (a JSON number such as
    0.1 + 0.2 = 0.30000000000000004) to its places, half up, instead of refusing it. Its largest value
    is the largest it can hold (9999.99 for 6 digits and 2 places), so the schema says so; a number
    that still has too many whole digits is a 400."""

    def __init__(self, *, max_digits, decimal_places, **kwargs):
        largest = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
        kwargs.setdefault("max_value", largest)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def validate_precision(self, value):
        # The bounds hold for the number as sent: 9999.990000000002 is above 9999.99 and -1e-27 below
        # 0, though each rounds to a value inside them.
        if self.max_value is not None and value > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        if self.min_value is not None and value < self.min_value:
            self.fail("min_value", min_value=self.min_value)
        try:
            value = value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            pass  # too many digits to round: refused below
        return super().validate_precision(value)


def text_as_the_schema_says():
    """DRF's CharField takes a JSON number as its text (`"name": 12` → "12"), and measures a text after
    trimming its spaces. The schema says these fields are strings of at most `maxLength` characters:
    a number, or a text longer than that as sent, is a 400 naming the field."""
    to_internal_value = serializers.CharField.to_internal_value

    def strict(self, data):
        if isinstance(data, int | float):
            self.fail("invalid")
        if self.max_length is not None and isinstance(data, str) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return to_internal_value(self, data)

    serializers.CharField.to_internal_value = strict


def refuse_blank_references():
    """DRF's related fields take "" as null, for HTML forms whose empty select sends "". A JSON body
    has null for that, and the schema says a reference is at least one character long: "" there is a
    400 naming the field. A form or a query string (a QueryDict) keeps DRF's reading."""
    run_validation = serializers.RelatedField.run_validation

    def strict(self, data=serializers.empty):
        if data == "" and not isinstance(getattr(self.root, "initial_data", None), QueryDict):
            raise serializers.ValidationError(serializers.CharField.default_error_messages["blank"], code="blank")
        return run_validation(self, data)

    serializers.RelatedField.run_validation = strict


_SECONDS_OFFSET = re.compile(r"[+-]\d\d:\d\d:\d\d(\.\d+)?$")


def datetimes_in_rfc3339():
    """A time before 1901 is local mean time in Asia/Shanghai (+08:05:43), an offset in seconds that
    RFC 3339 and most ISO 8601 readers refuse: such a time is written in UTC instead."""
    to_representation = serializers.DateTimeField.to_representation

    def rfc3339(self, value):
        text = to_representation(self, value)
        if isinstance(text, str) and _SECONDS_OFFSET.search(text):
            return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return text

    serializers.DateTimeField.to_representation = rfc3339

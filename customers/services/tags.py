"""Writing tags; a tag's group is named, and a new name creates the group."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from customers.models import Tag, TagGroup


def _group_named(name: str | None) -> TagGroup | None:
    return TagGroup.objects.get_or_create(name=name)[0] if name else None


@transaction.atomic
def tag_create(*, code: str, name: str, group: str | None = None) -> Tag:
    return Tag.objects.create(code=code, name=name, group=_group_named(group))


@transaction.atomic
def tag_update(*, tag: Tag, data: Mapping[str, Any]) -> Tag:
    for field in ("code", "name"):
        if field in data:
            setattr(tag, field, data[field])
    if "group" in data:
        tag.group = _group_named(data["group"])
    tag.save()
    return tag

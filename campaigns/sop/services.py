"""Writing SOP templates: `active_from` defaults to the moment a template is made active."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from campaigns.sop.models import SopTemplate


@transaction.atomic
def sop_template_create(*, data: Mapping[str, Any]) -> SopTemplate:
    template = SopTemplate(**data)
    if template.active and template.active_from is None:
        template.active_from = timezone.now()
    template.save()
    return template


@transaction.atomic
def sop_template_update(*, template: SopTemplate, data: Mapping[str, Any]) -> SopTemplate:
    was_active = template.active
    for name, value in data.items():
        setattr(template, name, value)
    if template.active and (template.active_from is None or (not was_active and "active_from" not in data)):
        template.active_from = timezone.now()
    template.save()
    return template

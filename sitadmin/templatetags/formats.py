"""Template filters every template has without `{% load %}` (registered as a builtin in settings)."""

from django import template

from sitadmin.formats import money_text

register = template.Library()


@register.filter
def money(value) -> str:
    """`{{ amount|money }}` → ¥35,327.60 (see `sitadmin.formats.money_text`)."""
    return money_text(value)

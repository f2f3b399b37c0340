"""The admin's labels speak one language at a time: model and app names, field labels and help,
choices, list columns and actions are Chinese in Chinese and English in English, never
"中文 english" side by side."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.staff.factories import UserFactory

APPS = ("customers", "staff", "campaigns", "metrics")
CJK = re.compile(r"[\u3400-\u9fff]")
BILINGUAL = re.compile(r"[\u3400-\u9fff][）)]?[ ]+[a-z]{3,}\b")


def _labels() -> dict[str, str]:
    """Every label sitadmin gives the admin, by where it comes from."""
    labels = {}
    for app in APPS:
        config = apps.get_app_config(app)
        labels[app] = str(config.verbose_name)
        for model in config.get_models():
            opts = model._meta
            where = f"{app}.{opts.model_name}"
            labels[where] = str(opts.verbose_name)
            labels[f"{where} (plural)"] = str(opts.verbose_name_plural)
            for field in opts.get_fields():
                if not field.concrete:
                    continue
                labels[f"{where}.{field.name}"] = str(field.verbose_name)
                labels[f"{where}.{field.name} help"] = str(field.help_text)
                for value, label in field.flatchoices or ():
                    labels[f"{where}.{field.name}={value}"] = str(label)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        for name in model_admin.list_display:
            column = getattr(model_admin, name, None) if isinstance(name, str) else name
            if hasattr(column, "short_description"):
                labels[f"{model._meta.model_name} column {name}"] = str(column.short_description)
        for action in model_admin.actions or ():
            if callable(action) and hasattr(action, "short_description"):
                labels[f"{model._meta.model_name} action {action.__name__}"] = str(action.short_description)
    return labels


def test_labels_in_chinese_are_chinese_only():
    with translation.override("zh-hans"):
        bilingual = {where: text for where, text in _labels().items() if BILINGUAL.search(text)}
    assert bilingual == {}


def test_labels_in_english_are_english_only():
    with translation.override("en"):
        untranslated = {where: text for where, text in _labels().items() if CJK.search(text)}
    assert untranslated == {}


@pytest.mark.django_db
def test_the_admin_index_answers_in_the_chosen_language():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:index")).content.decode()
    assert "Customers" in page and "Audit log" in page and "Scripts" in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("admin:index")).content.decode()
    assert "审计日志" in page and "Audit log" not in page

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = pgettext_lazy("app", "客户")

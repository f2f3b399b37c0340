from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = pgettext_lazy("app", "指标")

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = pgettext_lazy("app", "员工")

    def ready(self):
        from staff.audit import receivers  # noqa: F401  (audits sign-ins on the console and admin forms)

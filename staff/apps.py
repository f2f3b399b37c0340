from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "员工 Staff"

    def ready(self):
        from staff.audit import receivers  # noqa: F401  (audits sign-ins on the console and admin forms)

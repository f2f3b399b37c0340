from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "员工 Staff"

from django.apps import AppConfig
from django.db.models import Field


class SitadminConfig(AppConfig):
    name = "sitadmin"

    def ready(self):
        from sitadmin.lookups import AnyOf

        Field.register_lookup(AnyOf)

from django.apps import AppConfig
from django.db.models import Field


class SitadminConfig(AppConfig):
    name = "sitadmin"

    def ready(self):
        from sitadmin.drf import datetimes_in_rfc3339, refuse_blank_references, text_as_the_schema_says
        from sitadmin.lookups import AnyOf

        Field.register_lookup(AnyOf)
        text_as_the_schema_says()
        refuse_blank_references()
        datetimes_in_rfc3339()

from django.db import migrations

TRIGRAM_INDEX = "event_message_text_trgm"


def trigram_index_create(apps, schema_editor):
    """The message archive's text search (ILIKE '%…%') reads this trigram index on PostgreSQL;
    pg_trgm takes Chinese characters as word characters, so Chinese phrases of 3+ characters use it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customers_event USING gin (text gin_trgm_ops) "
        "WHERE type = 'message'"
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_keywords_alerts"),
        ("customers", "0004_ownership_period_fewer_indexes"),
    ]

    operations = [migrations.RunPython(trigram_index_create, trigram_index_drop)]

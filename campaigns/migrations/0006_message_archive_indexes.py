from django.db import migrations

TRIGRAM_INDEX = "event_message_text_trgm"
# The archive's staff and group filters read a staff member's or a group's messages newest first.
MESSAGE_INDEXES = {
    "event_message_staff_at": "(staff_id, at) WHERE type = 'message' AND staff_id IS NOT NULL",
    "event_message_group_at": "(group_id, at) WHERE type = 'message' AND group_id IS NOT NULL",
}


def message_indexes_create(apps, schema_editor):
    """The message archive's text search (ILIKE '%…%') reads this trigram index on PostgreSQL;
    pg_trgm takes Chinese characters as word characters, so Chinese phrases of 3+ characters use it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customers_event USING gin (text gin_trgm_ops) "
        "WHERE type = 'message'"
    )
    for name, definition in MESSAGE_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON customers_event {definition}")


def message_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in [TRIGRAM_INDEX, *MESSAGE_INDEXES]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_keywords_alerts"),
        ("customers", "0004_ownership_period_fewer_indexes"),
    ]

    operations = [migrations.RunPython(message_indexes_create, message_indexes_drop)]

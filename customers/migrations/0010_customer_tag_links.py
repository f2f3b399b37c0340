"""Customer tag links move from Django's implicit many-to-many table (surrogate id, a unique pair,
two single-column indexes, two foreign keys) to `CustomerTag`: the pair is the primary key, one
index by tag. The links are copied over, then the old table is dropped; backwards, the reverse."""

import django.db.models.deletion
from django.db import migrations, models


def _old_links(apps):
    return apps.get_model("customers", "Customer")._meta.get_field("tags").remote_field.through


def _copy(schema_editor, *, source: str, target: str) -> None:
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(target)} (customer_id, tag_id)"  # noqa: S608 (table names from the models)
        f" SELECT DISTINCT customer_id, tag_id FROM {quote(source)} ORDER BY customer_id, tag_id"
    )


def links_copy_forward(apps, schema_editor):
    _copy(
        schema_editor,
        source=_old_links(apps)._meta.db_table,
        target=apps.get_model("customers", "CustomerTag")._meta.db_table,
    )


def links_copy_backward(apps, schema_editor):
    _copy(
        schema_editor,
        source=apps.get_model("customers", "CustomerTag")._meta.db_table,
        target=_old_links(apps)._meta.db_table,
    )


def old_table_drop(apps, schema_editor):
    schema_editor.delete_model(_old_links(apps))


def old_table_create(apps, schema_editor):
    schema_editor.create_model(_old_links(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_phone_plain_removed"),
    ]

    operations = [
        migrations.CreateModel(
            name="CustomerTag",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "customer", "tag", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.tag",
                    ),
                ),
            ],
            options={
                "verbose_name": "客户标签 customer tag",
            },
        ),
        migrations.RunPython(links_copy_forward, links_copy_backward),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="customer",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True, related_name="customers", through="customers.CustomerTag", to="customers.tag"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(old_table_drop, old_table_create)],
        ),
    ]

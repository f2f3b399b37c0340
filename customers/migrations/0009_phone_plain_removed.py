from django.db import migrations, models


class Migration(migrations.Migration):
    """The plain phone column goes; uniqueness and the phone-or-external-id rule move to the blind index."""

    dependencies = [
        ("customers", "0008_phone_encrypt_existing"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="customer",
            name="customer_has_phone_or_external_id",
        ),
        migrations.RemoveConstraint(
            model_name="customer",
            name="customer_phone_unique",
        ),
        migrations.RemoveField(
            model_name="customer",
            name="phone",
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["phone_last4"], name="customer_phone_last4_idx"),
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.CheckConstraint(
                condition=models.Q(("phone_index__isnull", False), ("external_id__isnull", False), _connector="OR"),
                name="customer_has_phone_or_external_id",
            ),
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(fields=("phone_index",), name="customer_phone_index_unique"),
        ),
    ]

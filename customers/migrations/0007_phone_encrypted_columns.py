from django.db import migrations, models


class Migration(migrations.Migration):
    """The encrypted phone's columns, beside the plain one until 0006 has filled them."""

    dependencies = [
        ("customers", "0006_wecom_callback"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="phone_encrypted",
            field=models.CharField(blank=True, editable=False, max_length=96, null=True),
        ),
        migrations.AddField(
            model_name="customer",
            name="phone_index",
            field=models.CharField(blank=True, editable=False, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name="customer",
            name="phone_last4",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="held_elsewhere",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importrowerror",
            name="phone_encrypted",
            field=models.TextField(blank=True, default=""),
        ),
    ]

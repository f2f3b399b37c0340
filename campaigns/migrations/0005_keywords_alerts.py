import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def keywords_from_keyword(apps, schema_editor):
    """A rule of one keyword becomes a rule with a one-keyword list."""
    KeywordReply = apps.get_model("campaigns", "KeywordReply")
    for rule in KeywordReply.objects.all():
        rule.keywords = [rule.keyword]
        rule.save(update_fields=["keywords"])


def alerts_from_events(apps, schema_editor):
    """Alerts kept before kinds existed are sensitive-word alerts at their message's time."""
    Alert = apps.get_model("campaigns", "Alert")
    for alert in Alert.objects.select_related("event"):
        alert.at = alert.event.at
        alert.staff_id = alert.event.staff_id
        alert.customer_id = alert.event.customer_id
        alert.text = alert.event.text
        alert.save(update_fields=["at", "staff", "customer", "text"])


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0004_group_wecom_chat_id'),
        ('customers', '0004_ownership_period_fewer_indexes'),
        ('staff', '0003_cycle_revenue_tiers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The sensitive-word alert becomes the alert of every kind; the tables keep their names.
        migrations.AlterModelTable(name="sensitivewordalert", table="campaigns_sensitivewordalert"),
        migrations.RenameModel(old_name="SensitiveWordAlert", new_name="Alert"),
        migrations.AlterModelTable(name="keywordreply", table="campaigns_keywordreply"),
        migrations.CreateModel(
            name='SensitiveWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=64, unique=True)),
                ('active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': '敏感词 sensitive word',
                'ordering': ['word'],
            },
        ),
        migrations.AlterModelOptions(
            name='alert',
            options={'ordering': ['-at', '-id'], 'verbose_name': '告警 alert'},
        ),
        migrations.AlterModelOptions(
            name='keywordreply',
            options={'ordering': ['-priority', 'id'], 'verbose_name': '关键词回复 keyword reply'},
        ),
        migrations.RemoveField(
            model_name='alert',
            name='resolved',
        ),
        migrations.AddField(
            model_name='alert',
            name='acknowledged_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='alert',
            name='acknowledged_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='alert',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, help_text="the message's time; for a loss alert, the day's latest deletion"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='alert',
            name='count',
            field=models.PositiveIntegerField(blank=True, help_text='deletions on that day (loss)', null=True),
        ),
        migrations.AddField(
            model_name='alert',
            name='customer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='customers.customer'),
        ),
        migrations.AddField(
            model_name='alert',
            name='date',
            field=models.DateField(blank=True, help_text='the local day of a loss alert', null=True),
        ),
        migrations.AddField(
            model_name='alert',
            name='kind',
            field=models.CharField(choices=[('sensitive_word', '敏感词 sensitive word'), ('loss', '流失 loss')], default='sensitive_word', max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='alert',
            name='staff',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='staff.staff'),
        ),
        migrations.AddField(
            model_name='alert',
            name='text',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='keywordreply',
            name='hits',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='keywordreply',
            name='keywords',
            field=models.JSONField(default=list, help_text='["价格", "多少钱"]'),
        ),
        migrations.AddField(
            model_name='keywordreply',
            name='match',
            field=models.CharField(choices=[('contains', '包含 contains'), ('exact', '完全匹配 exact')], default='contains', max_length=16),
        ),
        migrations.AddField(
            model_name='keywordreply',
            name='priority',
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name='keywordreply',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(keywords_from_keyword, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='keywordreply',
            name='keyword',
        ),
        migrations.RunPython(alerts_from_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='alert',
            name='event',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customers.event'),
        ),
        migrations.AlterField(
            model_name='alert',
            name='word',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['staff', 'at'], name='alert_staff_at_idx'),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['at'], name='alert_at_idx'),
        ),
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'sensitive_word')), fields=('event', 'word'), name='alert_one_per_event_word'),
        ),
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'loss')), fields=('staff', 'date'), name='alert_one_loss_per_staff_day'),
        ),
    ]

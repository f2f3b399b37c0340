from django.db import migrations

DIMENSIONS = [
    ("user_ops", "用户运营能力", "User operations", 1),
    ("learning", "自身学习能力", "Self-learning", 2),
    ("execution", "工作执行能力", "Execution", 3),
    ("analysis", "业务分析能力", "Business analysis", 4),
    ("product_selection", "私域选品能力", "Private-domain product selection", 5),
]


def create_dimensions(apps, schema_editor):
    CompetencyDimension = apps.get_model("staff", "CompetencyDimension")
    for code, name_zh, name_en, position in DIMENSIONS:
        CompetencyDimension.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]
    operations = [migrations.RunPython(create_dimensions, migrations.RunPython.noop)]

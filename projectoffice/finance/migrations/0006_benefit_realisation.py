"""The benefits register: benefits become register items (BEN-0001, …) with a type,
baseline, target and realisation dates, and carry measurements over time.  The rows of the
old plain list are moved over (see finance/benefit_migration.py for the mapping)."""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def move_benefits(apps, schema_editor):
    from projectoffice.finance.benefit_migration import register_fields

    Old = apps.get_model("finance", "Benefit")
    New = apps.get_model("finance", "BenefitItem")
    Counter = apps.get_model("registers", "ReferenceCounter")
    today = timezone.localdate()
    numbers: dict[int, int] = {}
    for old in Old.objects.order_by("project_id", "name", "pk").values():
        project = old["project_id"]
        numbers[project] = numbers.get(project, 0) + 1
        New.objects.create(**register_fields(old, number=numbers[project], today=today))
    for project, last in numbers.items():
        Counter.objects.update_or_create(project_id=project, register="benefits",
                                         defaults={"last_number": last})
    if schema_editor.connection.vendor == "postgresql":
        # Check the new rows' deferred foreign keys now: PostgreSQL refuses to rename a table
        # with checks still pending, and the new table is renamed below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0005_payments_forecasts'),
        ('portfolio', '0001_initial'),
        ('registers', '0003_notification_preferences'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BenefitItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('number', models.PositiveIntegerField(editable=False)),
                ('reference', models.CharField(editable=False, max_length=20)),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True, max_length=20000)),
                ('status', models.CharField(editable=False, max_length=30)),
                ('priority', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], default='medium', max_length=10)),
                ('raised_on', models.DateField(editable=False)),
                ('due_date', models.DateField(blank=True, null=True)),
                ('closed_on', models.DateField(blank=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('benefit_type', models.CharField(choices=[('cash_releasing', 'Financial, cash-releasing'), ('non_cash_releasing', 'Financial, non-cash-releasing'), ('quantitative', 'Quantitative, non-financial'), ('qualitative', 'Qualitative')], default='cash_releasing', max_length=20, verbose_name='type')),
                ('measure', models.CharField(blank=True, help_text='What is measured, e.g. cost per transaction', max_length=200)),
                ('unit', models.CharField(blank=True, help_text='e.g. GBP, days, %', max_length=30)),
                ('baseline_value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True)),
                ('baseline_date', models.DateField(blank=True, null=True)),
                ('target_value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True)),
                ('realisation_start', models.DateField(blank=True, null=True, verbose_name='realisation starts')),
                ('full_realisation', models.DateField(blank=True, null=True, verbose_name='fully realised by')),
                ('annual_value', models.DecimalField(decimal_places=2, default=Decimal('0'), help_text="A year's worth once realised, in the project's currency (financial benefits)", max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))])),
                ('milestone_uid', models.PositiveIntegerField(blank=True, help_text='The plan task (UID) whose finish the benefit waits for', null=True, verbose_name='depends on milestone')),
                ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portfolio.project')),
            ],
            options={
                'ordering': ['-number'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='BenefitMeasurement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measured_on', models.DateField()),
                ('value', models.DecimalField(decimal_places=4, max_digits=16)),
                ('note', models.CharField(blank=True, max_length=500)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('benefit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measurements', to='finance.benefititem')),
            ],
            options={
                'ordering': ['benefit', 'measured_on', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='benefititem',
            constraint=models.UniqueConstraint(fields=('project', 'number'), name='unique_benefit_number'),
        ),
        migrations.RunPython(move_benefits, migrations.RunPython.noop),
        migrations.DeleteModel(name='Benefit'),
        migrations.RenameModel(old_name='BenefitItem', new_name='Benefit'),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0002_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='state',
            field=models.CharField(choices=[('kept', 'Kept'), ('failed', 'Not sent yet'), ('sent', 'Sent on retry')], db_index=True, default='kept', max_length=10),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='error',
            field=models.TextField(blank=True, help_text='why the mail server did not take it'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='attempts',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='files',
            field=models.JSONField(blank=True, default=list, help_text='attachments (base64) of a message still to send'),
        ),
    ]

"""Bulk ingest batches from the browser (a manifest waiting for its files), and uploads that may belong to one instead of a recording."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0017_catalogue_versions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='upload',
            name='recording',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='uploads', to='archive.recording'),
        ),
        migrations.CreateModel(
            name='IngestBatch',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('filename', models.CharField(help_text="the manifest's name on the steward's computer", max_length=255)),
                ('manifest', models.TextField(help_text="the manifest's text (UTF-8 CSV)")),
                ('files', models.JSONField(default=list, help_text='the file names its good rows name, each to be uploaded once')),
                ('job_id', models.UUIDField(blank=True, help_text='the ingest job, once started', null=True)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ingest_batches', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created'],
            },
        ),
        migrations.AddField(
            model_name='upload',
            name='batch',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='uploads', to='archive.ingestbatch'),
        ),
        migrations.AddConstraint(
            model_name='upload',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('batch__isnull', True), ('recording__isnull', False)), models.Q(('batch__isnull', False), ('recording__isnull', True)), _connector='OR'), name='upload_for_a_recording_or_a_batch'),
        ),
    ]

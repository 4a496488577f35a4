"""Copies of stored files in the replica locations (settings.STORAGE_REPLICAS), and repair events."""

import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0018_ingest_batches'),
    ]

    operations = [
        migrations.AlterField(
            model_name='preservationevent',
            name='type',
            field=models.CharField(choices=[('ingestion', 'Ingestion'), ('message digest calculation', 'Message Digest'), ('format identification', 'Format Identification'), ('derivation', 'Derivation'), ('fixity check', 'Fixity Check'), ('replication', 'Replication'), ('repair', 'Repair'), ('export', 'Export'), ('publication', 'Publication'), ('withdrawal', 'Withdrawal'), ('erasure', 'Erasure'), ('access decision', 'Access Decision')], max_length=40),
        ),
        migrations.CreateModel(
            name='FileCopy',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('location', models.CharField(help_text="the replica's name in STORAGE_REPLICAS", max_length=64)),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.BigIntegerField()),
                ('stored_at', models.DateTimeField()),
                ('checked_at', models.DateTimeField()),
                ('ok', models.BooleanField(help_text='its sha256 and size matched those taken at ingest when last checked')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='copies', to='archive.recordingfile')),
            ],
            options={
                'ordering': ['file', 'location'],
                'constraints': [models.UniqueConstraint(fields=('file', 'location'), name='one_copy_per_location')],
            },
        ),
    ]

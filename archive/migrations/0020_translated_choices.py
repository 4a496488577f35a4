"""Choices with labels in the reader's language (labels only: no change to the database)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0019_file_copies'),
    ]

    operations = [
        migrations.AlterField(
            model_name='annotation',
            name='protocol',
            field=models.CharField(choices=[('public', 'Everyone'), ('registered', 'Anyone signed in'), ('community', 'Members of the community'), ('custom', "The people the community's own protocol names"), ('stewards', "The community's stewards only")], default='public', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalrecording',
            name='media_protocol',
            field=models.CharField(choices=[('public', 'Everyone'), ('registered', 'Anyone signed in'), ('community', 'Members of the community'), ('custom', "The people the community's own protocol names"), ('stewards', "The community's stewards only")], default='community', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalrecording',
            name='record_protocol',
            field=models.CharField(choices=[('public', 'Everyone'), ('registered', 'Anyone signed in'), ('community', 'Members of the community'), ('custom', "The people the community's own protocol names"), ('stewards', "The community's stewards only")], default='community', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalrecording',
            name='status',
            field=models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('withdrawn', 'withdrawn')], db_index=True, default='draft', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalrecording',
            name='training_consent',
            field=models.CharField(choices=[('allowed', 'allowed'), ('not_allowed', 'not allowed')], default='not_allowed', max_length=16),
        ),
        migrations.AlterField(
            model_name='recording',
            name='media_protocol',
            field=models.CharField(choices=[('public', 'Everyone'), ('registered', 'Anyone signed in'), ('community', 'Members of the community'), ('custom', "The people the community's own protocol names"), ('stewards', "The community's stewards only")], default='community', max_length=16),
        ),
        migrations.AlterField(
            model_name='recording',
            name='record_protocol',
            field=models.CharField(choices=[('public', 'Everyone'), ('registered', 'Anyone signed in'), ('community', 'Members of the community'), ('custom', "The people the community's own protocol names"), ('stewards', "The community's stewards only")], default='community', max_length=16),
        ),
        migrations.AlterField(
            model_name='recording',
            name='status',
            field=models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('withdrawn', 'withdrawn')], db_index=True, default='draft', max_length=16),
        ),
        migrations.AlterField(
            model_name='recording',
            name='training_consent',
            field=models.CharField(choices=[('allowed', 'allowed'), ('not_allowed', 'not allowed')], default='not_allowed', max_length=16),
        ),
    ]

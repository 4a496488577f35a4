"""The Celery application. Configuration comes from Django settings (CELERY_*)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("songkeeper")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_routes = {"worker.tasks.run_job": {"queue": "default"}}
app.autodiscover_tasks()  # each installed app's tasks.py; the periodic ones: CELERY_BEAT_SCHEDULE in the settings

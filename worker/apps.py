from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = "Jobs and workers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The web process routes each job to its kind's queue (analysis, training): it must
        # know the kinds, not only the worker.
        from . import handlers  # noqa: F401

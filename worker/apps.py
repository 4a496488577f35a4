from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """A plain job engine: jobs, their queue and their progress. It imports no app; each app
    registers its job kinds (worker.registry) and health checks (worker.health) when it is ready."""
    name = "worker"
    verbose_name = "Jobs and workers"
    default_auto_field = "django.db.models.BigAutoField"

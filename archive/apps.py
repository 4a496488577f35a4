from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The archive's job kinds and its part of the health report, registered with the worker
        # (which imports no app): the web process routes each job to its kind's queue, the worker runs it.
        from worker.health import health_check

        from . import jobs  # noqa: F401
        from .search import rebuild_on_commit
        from .services.fixity import fixity_summary

        health_check("fixity", fixity_summary)
        rebuild_on_commit.connect()  # search documents follow every ORM write

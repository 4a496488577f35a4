from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .page_cache import watch_catalogue_writes

        connection_created.connect(watch_catalogue_writes, dispatch_uid="archive.page_cache")

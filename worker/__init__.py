"""The Celery app, the durable Job record, and the sweep that keeps the queue honest."""
from .celery import app as celery_app

__all__ = ["celery_app"]

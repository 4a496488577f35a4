"""Reads of Job rows, limited to what the caller may see."""
from django.db.models import QuerySet

from .models import Job


def jobs_visible(*, user) -> QuerySet[Job]:
    """Staff see every job; others see the jobs they started. Staff means what it means everywhere
    (archive/access.py's is_staff_user; the worker imports no app): active, staff or superuser."""
    if user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser):
        return Job.objects.all()
    if user.is_authenticated:
        return Job.objects.filter(created_by=user)
    return Job.objects.none()

"""Core Celery tasks (the core is not an app, so socialgov/celery.py names this module)."""

from celery import shared_task

from socialgov.people.models import School


@shared_task
def ping() -> int:
    """Round trip through broker, worker and database: the number of schools the worker sees."""
    return School.objects.count()

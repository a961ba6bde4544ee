"""Celery tasks of official accounts: thin, each also a management command."""

from celery import shared_task


@shared_task(name="accounts_registry.tasks.takedowns_sweep", time_limit=600)
def takedowns_sweep() -> int:
    """The daily sweep (manage.py sweep_takedowns)."""
    from accounts_registry import services

    return services.takedowns_sweep().created

"""The daily expiry of unblocks (beat: 'Expired unblocks'; also `manage.py expire_unblocks`)."""

from celery import shared_task

from incidents.filtering.services import unblock_requests_expire


@shared_task(time_limit=600, soft_time_limit=540, acks_late=True)
def unblocks_expire_task() -> int:
    """Unblocks past their end date expire (each once) and wait for the re-block; how many."""
    return unblock_requests_expire()

"""Celery finds the incidents app's tasks here (autodiscovery reads <app>.tasks)."""

from incidents.filtering.tasks import unblocks_expire_task  # noqa: F401

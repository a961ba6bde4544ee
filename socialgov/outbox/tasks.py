from celery import shared_task

from socialgov.outbox import services


@shared_task(time_limit=600, soft_time_limit=540)
def outbox_tasks_hand_over() -> int:
    """The sweep (also `manage.py hand_over_tasks`)."""
    return services.outbox_tasks_hand_over()

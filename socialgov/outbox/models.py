"""Tasks that are waiting: they could not be handed to the broker when they were queued.

A row is written only when queueing failed (Redis down or unreachable) or, in the embedded
default, for a task that must not run inside a web request (an e-mail over SMTP). The sweep
(`outbox_tasks_hand_over`: a beat job every five minutes and `manage.py hand_over_tasks`) queues
it again, or runs it when there is no broker, and deletes the row: nothing is lost.

Arguments are ids and plain values, never a secret: a link's token is made when the e-mail is
sent (see socialgov.people.services.invitations), so it never waits here.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The error's type only ("OperationalError"): messages can carry addresses.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="outbox_task_age")]

    def __str__(self) -> str:
        return f"{self.task_name} (waiting since {self.created_at:%d/%m/%Y %H:%M})"

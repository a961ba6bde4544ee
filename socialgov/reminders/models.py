"""The reminder log: one row per reminder due, written before it is sent (DESIGN §5: Reminders).

The row is the sweep's memory. Its uniqueness (kind, recipient, subject, date) makes a second run
for the same day send nothing new, and a row left `failed` (or `pending`, when a run died while
sending) is retried by the next run.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ReminderLog(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        # An earlier day's unsent reminder that a later one replaced, or that is no longer due.
        SKIPPED = "skipped", "Not sent: replaced or no longer due"

    kind = models.CharField(max_length=64, help_text="The registered reminder kind's name.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminder_logs"
    )
    school = models.ForeignKey(
        "people.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminder_logs",
    )
    subject_key = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The error's type only (e.g. "SMTPException"): messages can carry addresses or pupils' names.
    last_error = models.CharField(max_length=100, blank=True)
    notification = models.ForeignKey(
        "notifications.Notification",
        null=True,
        blank=True,
        # Notifications can be withdrawn; the log keeps the fact that the reminder went.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_key", "due_on"],
                name="reminder_once_per_day",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed", "skipped"]),
                name="reminder_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            # The sweep's look-ups: a kind's rows of one day, and its unsent rows of the last week.
            models.Index(fields=["kind", "due_on"], name="reminder_kind_day"),
            models.Index(fields=["school", "-due_on"], name="reminder_school"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient} on {self.due_on:%d/%m/%Y} ({self.status})"

"""The access log: who read which sensitive record, and when (DESIGN §5: reading a safeguarding
incident is itself logged). Append-only; it names the record, never what is in it."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPORTED = "exported", "Exported"
    PRINTED = "printed", "Printed"


class AccessLogEntry(models.Model):
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="access_log_entries"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log_entries"
    )
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name="record type"
    )
    object_id = models.PositiveBigIntegerField("record number")
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="A neutral label such as “Incident report” or “Evidence file”: no names, "
        "no details.",
    )
    at = models.DateTimeField(default=timezone.now)
    # The visitor's address (socialgov.client_address.client_ip): who read a safeguarding record
    # from where. Empty for reads made without a request (none today).
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["school", "-at"], name="accesslog_school_at"),
            models.Index(fields=["content_type", "object_id"], name="accesslog_record"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_action_display().lower()} {self.record_label}"

    @property
    def record_label(self) -> str:
        """E.g. "incident #12" (content types are cached, so this costs no query per row)."""
        model = self.content_type.model_class()
        name = model._meta.verbose_name if model else self.content_type.model
        return f"{name} #{self.object_id}"

"""In-app notifications, each also sent once by e-mail (DESIGN §5: Notifications).

The title is rendered when the notification is made and must be neutral: it names no pupil, no
member of staff and no safeguarding detail, because it shows in lists and is e-mailed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


def validate_local_url(value: str) -> None:
    """A path on this site ("/policies/4/"): never another host, so opening one cannot redirect
    anyone away from SocialGov."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        raise ValidationError("A notification links to a page of this site, like /policies/4/.")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    school = models.ForeignKey(
        "people.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.SlugField(max_length=64)
    title = models.CharField(max_length=200)
    url = models.CharField("link", max_length=500, validators=[validate_local_url])
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # What the e-mail templates need; emptied once the e-mail has gone, so nothing lingers.
    email_context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # The record the notification is about, when its app registered a gateway for it
    # (socialgov.notifications.registry): the person sees the notification only while they may
    # see the record.
    about_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox and the unread count: one person's rows, unread first, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            # The sweep that retries e-mails the mail server refused.
            models.Index(fields=["emailed_at", "created_at"], name="notification_unsent"),
            # Withdrawing the notifications about one record.
            models.Index(fields=["about_type", "about_id"], name="notification_about"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(about_type__isnull=True, about_id__isnull=True)
                | models.Q(about_type__isnull=False, about_id__isnull=False),
                name="notification_about_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

"""Two-factor sign-in records. The authenticator and backup-code devices themselves are
django-otp's (`TOTPDevice`, `StaticDevice`); this app adds the record of each lost-phone reset."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class TwoFactorReset(models.Model):
    """A person's two-factor devices were removed (lost phone), so they enrol again."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="two_factor_resets"
    )
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="two_factor_resets"
    )
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(
        max_length=500, help_text="Why, in a few words (for example: phone lost on 12/03/2026)."
    )
    at = models.DateTimeField("reset at", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["school", "-at"], name="twofactor_reset_school"),
            models.Index(fields=["person", "-at"], name="twofactor_reset_person"),
        ]

    def __str__(self) -> str:
        return f"Two-factor reset of {self.person} by {self.reset_by}"

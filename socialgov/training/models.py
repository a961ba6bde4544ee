"""The online-safety training log (DESIGN §4; issue 15): sessions and who attended.

Staff are trained at induction and every year after (governors too); some are trained for
their part in filtering and monitoring. A person is **due** for induction when they started more
than the school's set number of days ago and have attended no induction, and for a refresher
when their last induction or refresher was more than a year ago.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

INDUCTION_WITHIN_DAYS = 30  # the default of a school's setting
REFRESHER_EVERY_DAYS = 365


class TrainingKind(models.TextChoices):
    INDUCTION = "induction", "Induction"
    REFRESHER = "refresher", "Annual refresher"
    FILTERING = "filtering", "Filtering and monitoring role"
    OTHER = "other", "Other"


# The kinds that keep a person up to date (an induction counts as that year's training).
COUNTS_AS_REFRESHER = (TrainingKind.INDUCTION, TrainingKind.REFRESHER)


class TrainingSession(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    submission_key = models.UUIDField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=TrainingKind.choices)
    held_on = models.DateField("date")
    provider = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(5), MaxValueValidator(2400)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "submission_key"], name="training_session_created_once"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="training_session_has_title"),
            models.CheckConstraint(
                condition=Q(minutes__gte=5) & Q(minutes__lte=2400),
                name="training_session_length",
            ),
        ]
        indexes = [models.Index(fields=["school", "held_on"], name="training_school_held")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class AttendanceSource(models.TextChoices):
    FORM = "form", "Recorded on the session page"
    IMPORT = "import", "Imported from a CSV file"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendances"
    )
    # Copied from the session, so coverage reads one table.
    kind = models.CharField(max_length=12, choices=TrainingKind.choices)
    held_on = models.DateField()
    source = models.CharField(max_length=10, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attended_once"),
        ]
        indexes = [
            models.Index(
                fields=["school", "person", "kind", "held_on"], name="training_person_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"


class TrainingSettings(models.Model):
    """A school's training rules (a school without a row uses the defaults)."""

    school = models.OneToOneField("people.School", on_delete=models.PROTECT, related_name="+")
    induction_within_days = models.PositiveSmallIntegerField(
        default=INDUCTION_WITHIN_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="New starters are due for induction this many days after they start.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Training settings of {self.school}"

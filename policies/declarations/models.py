"""Recorded departures from the school's policies (DESIGN §4; issue 15).

- A **declaration**: a member of staff's pre-existing relationship or situation that means they
  cannot keep a rule (e.g. not to be friends online with pupils or their families). The
  headteacher and the DSL team discuss it and record each decision with the advice given and a
  review date (`DeclarationDecision`, append-only: the latest is the one in force).
- A **declaration confirmation**: once every academic year each member of staff confirms their
  declarations are still accurate, or that they have nothing to declare.
- A **policy exception**: an arrangement the school agreed for a pupil, a visitor or a member of
  staff (a phone for medical monitoring, a visitor's device, a personal device for remote
  learning) with its risk assessment, conditions, written agreement and dates. It is in force
  from its start date and expires at the start of its end date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Concerns(models.TextChoices):
    PUPIL = "pupil", "A pupil of the school"
    FAMILY = "family", "A pupil's family"
    FORMER_PUPIL = "former_pupil", "A former pupil"
    OTHER = "other", "Someone else connected with the school"


class DeclarationStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for a decision"
    DECIDED = "decided", "Decision recorded"
    ENDED = "ended", "No longer applies"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed with conditions"
    MUST_END = "must_end", "The contact must end"
    OTHER = "other", "Other decision"


class Declaration(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    declarer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations"
    )
    submission_key = models.UUIDField()
    concerns = models.CharField("who it concerns", max_length=20, choices=Concerns.choices)
    concerns_name = models.CharField(
        "their name or a description",
        max_length=200,
        help_text="For example “my sister's son, Year 3” or “the Patel family”.",
    )
    pupil = models.ForeignKey(
        "consent.Pupil",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The pupil record, when the declaration is about a pupil on the roll.",
    )
    nature = models.TextField("the nature of the contact")
    platforms = models.CharField("on which platforms", max_length=300, blank=True)
    since = models.DateField("since when")
    declared_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=DeclarationStatus.choices, default=DeclarationStatus.AWAITING
    )
    # Copied from the latest decision, so lists and reminders read one row.
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    review_on = models.DateField(null=True, blank=True)
    decisions_made = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["declarer", "submission_key"], name="declaration_submitted_once"
            ),
            models.CheckConstraint(
                condition=~Q(concerns_name=""), name="declaration_names_who_it_concerns"
            ),
            models.CheckConstraint(condition=~Q(nature=""), name="declaration_says_nature"),
            models.CheckConstraint(
                condition=Q(status="awaiting") | Q(decisions_made__gt=0) | Q(status="ended"),
                name="declaration_decided_has_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="declaration_school_status"),
            models.Index(fields=["school", "declarer"], name="declaration_school_declarer"),
        ]

    def __str__(self) -> str:
        return f"Declaration {self.pk} by {self.declarer}"

    @property
    def reference(self) -> str:
        return f"D{self.pk:05d}"

    def review_due(self, on: dt.date) -> bool:
        return self.status == DeclarationStatus.DECIDED and bool(
            self.review_on and self.review_on <= on
        )


class DeclarationDecision(models.Model):
    """What the headteacher and DSL decided, and the advice they gave (never edited: a review is
    a new decision)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="decisions")
    sequence = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    advice = models.TextField("the advice given")
    conditions = models.TextField(blank=True)
    discussed_with = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who took part in the discussion (e.g. the headteacher and the DSL).",
    )
    review_on = models.DateField("review date")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["declaration", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "sequence"], name="declaration_decision_sequence_once"
            ),
            models.CheckConstraint(condition=~Q(advice=""), name="declaration_decision_advice"),
        ]

    def __str__(self) -> str:
        return f"Decision {self.sequence} on {self.declaration}"


class ConfirmationKind(models.TextChoices):
    STILL_ACCURATE = "still_accurate", "My declarations are still accurate"
    NOTHING = "nothing", "I have nothing to declare"


class DeclarationConfirmation(models.Model):
    """The yearly answer of a member of staff: still accurate, or nothing to declare."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ConfirmationKind.choices)
    confirmed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "person", "academic_year"], name="declaration_confirmed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} ({self.academic_year})"


class ExceptionFor(models.TextChoices):
    PUPIL = "pupil", "A pupil"
    VISITOR = "visitor", "A visitor"
    STAFF = "staff", "A member of staff"


class ExceptionStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class PolicyException(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    submission_key = models.UUIDField()
    for_kind = models.CharField("who it is for", max_length=10, choices=ExceptionFor.choices)
    for_name = models.CharField(
        "their name",
        max_length=200,
        help_text="The pupil's, visitor's or colleague's name as the school knows them.",
    )
    pupil = models.ForeignKey(
        "consent.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    policy = models.ForeignKey(
        "policies.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.TextField("the rule it departs from")
    reason = models.TextField()
    risk_assessment = models.TextField()
    conditions = models.TextField()
    agreement = models.ForeignKey(
        "uploads.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The written agreement, signed.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The exception expires at the start of this day.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    # Set when the exception ended before its planned end date (its member of staff left the
    # school): `ends_on` is then the day it ended, and the history keeps the planned date.
    ended_early_because = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "submission_key"], name="exception_submitted_once"
            ),
            models.CheckConstraint(
                # An exception ended early may end on (or before) the day it was to start.
                condition=Q(ends_on__gt=F("starts_on")) | ~Q(ended_early_because=""),
                name="exception_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="requested")
                | (Q(decided_by__isnull=False) & ~Q(decided_by=F("requested_by"))),
                name="exception_not_decided_by_requester",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="exception_declined_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "ends_on"], name="exception_school_status"),
        ]

    def __str__(self) -> str:
        return f"Exception {self.reference} for {self.for_name}"

    @property
    def reference(self) -> str:
        return f"E{self.pk:05d}"

    def in_force(self, on: dt.date) -> bool:
        return self.status == ExceptionStatus.APPROVED and self.starts_on <= on < self.ends_on

    def expired(self, on: dt.date) -> bool:
        return self.status == ExceptionStatus.APPROVED and self.ends_on <= on

    @property
    def ended_early(self) -> bool:
        return bool(self.ended_early_because)

    def state_label(self, on: dt.date) -> str:
        if self.ended_early and self.ends_on <= on:
            return "Ended"
        if self.status != ExceptionStatus.APPROVED:
            return self.get_status_display()
        if self.ends_on <= on:
            return "Expired"
        if self.starts_on > on:
            return "Approved, not started yet"
        return "In force"

"""The pupil image consent register (DESIGN §4 consent).

- `Pupil`: from the MIS (names, date of birth, year group, class, admission and leaving dates,
  UPN and admission number). Never deleted: leavers get a leaving date.
- `Purpose`: what images are used for in a school, with the media it covers, its audience and its
  lawful basis (consent, or public task with a right to object).
- `ParentCarer`: a named person with parental responsibility for a pupil, so that "the latest
  decision of each person" is well defined.
- `ConsentDecision`: append-only. A correction is a new decision that names the one it corrects.
- `CompetenceAssessment`: a pupil's own decisions count only when one says they are competent
  (or, where the school presumes competence from its competence age, unless one says they are not).
- `PhotoRestriction`: a pupil who must never be identifiable; overrides every consent.
- `ConsentState`: the state per pupil and purpose as a timeline of dates, recomputed inside the
  transaction of every change it depends on (see `consent.rules`), so checks read one row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

UPN_VALIDATOR = RegexValidator(
    r"^[A-Z][0-9]{11}[0-9A-Z]$",
    "A UPN is a capital letter, 11 digits and a last digit or letter, like A123456789012.",
)


class YearGroup(models.IntegerChoices):
    """National curriculum year groups, ordered: nursery, reception, then years 1 to 13."""

    NURSERY_1 = -2, "Nursery 1"
    NURSERY_2 = -1, "Nursery 2"
    RECEPTION = 0, "Reception"
    YEAR_1 = 1, "Year 1"
    YEAR_2 = 2, "Year 2"
    YEAR_3 = 3, "Year 3"
    YEAR_4 = 4, "Year 4"
    YEAR_5 = 5, "Year 5"
    YEAR_6 = 6, "Year 6"
    YEAR_7 = 7, "Year 7"
    YEAR_8 = 8, "Year 8"
    YEAR_9 = 9, "Year 9"
    YEAR_10 = 10, "Year 10"
    YEAR_11 = 11, "Year 11"
    YEAR_12 = 12, "Year 12"
    YEAR_13 = 13, "Year 13"


class Pupil(models.Model):
    """A pupil on (or once on) the school's roll. On the roll until `leaving_date`: from that
    day the pupil has left the school, and no image of them may be used any more."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="pupils")
    legal_forename = models.CharField(max_length=100)
    legal_surname = models.CharField(max_length=100)
    preferred_forename = models.CharField(max_length=100, blank=True)
    preferred_surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    year_group = models.SmallIntegerField(choices=YearGroup.choices)
    registration_group = models.CharField(
        "class",
        max_length=30,
        blank=True,
        help_text="The registration group (form, tutor group) as the MIS names it, like 3B.",
    )
    admission_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(
        null=True, blank=True, help_text="From this day the pupil has left the school."
    )
    upn = models.CharField("UPN", max_length=13, blank=True, validators=[UPN_VALIDATOR])
    admission_number = models.CharField(
        max_length=20, blank=True, help_text="As the MIS writes it, leading zeros included."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["legal_surname", "legal_forename", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "upn"],
                condition=~Q(upn=""),
                name="pupil_upn_once_per_school",
                violation_error_message="Another pupil of the school has this UPN.",
            ),
            models.UniqueConstraint(
                fields=["school", "admission_number"],
                condition=~Q(admission_number=""),
                name="pupil_admission_number_once_per_school",
                violation_error_message="Another pupil of the school has this admission number.",
            ),
            models.CheckConstraint(
                condition=~Q(upn="") | ~Q(admission_number=""),
                name="pupil_has_an_identifier",
                violation_error_message="Enter the UPN or the admission number (or both).",
            ),
            models.CheckConstraint(
                condition=Q(leaving_date__isnull=True)
                | Q(admission_date__isnull=True)
                | Q(leaving_date__gte=F("admission_date")),
                name="pupil_leaves_after_admission",
                violation_error_message="The leaving date cannot be before the admission date.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "registration_group", "legal_surname"], name="pupil_school_class"
            ),
            models.Index(fields=["school", "leaving_date"], name="pupil_school_leaving"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def forename(self) -> str:
        return self.preferred_forename or self.legal_forename

    @property
    def surname(self) -> str:
        return self.preferred_surname or self.legal_surname

    @property
    def display_name(self) -> str:
        """The name the school uses for the pupil (preferred names first)."""
        return f"{self.forename} {self.surname}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_forename} {self.legal_surname}"

    def has_left(self, on: dt.date) -> bool:
        return self.leaving_date is not None and on >= self.leaving_date

    def age_on(self, on: dt.date) -> int:
        before_birthday = (on.month, on.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return on.year - self.date_of_birth.year - before_birthday


class Media(models.TextChoices):
    PHOTO = "photo", "Photos"
    VIDEO = "video", "Video"
    BOTH = "both", "Photos and video"


class Audience(models.TextChoices):
    IN_SCHOOL = "in_school", "In school"
    PARENTS = "parents", "Parents only"
    PUBLIC = "public", "The public"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent: nothing may be used without a recorded yes"
    PUBLIC_TASK = "public_task", "Public task: allowed unless an objection is recorded"


class PurposeKind(models.TextChoices):
    """The default purposes every school starts with; a school's own are `custom`."""

    DISPLAYS = "displays", "In-school displays"
    WEBSITE = "website", "School website"
    SOCIAL_MEDIA = "social_media", "Official social media"
    PRESS = "press", "Press and local media"
    VIDEO = "video", "Video"
    PROSPECTUS = "prospectus", "Printed prospectus"
    PARENT_PORTAL = "parent_portal", "Parents-only portal"
    CUSTOM = "custom", "The school's own purpose"


class Purpose(models.Model):
    """One use of pupils' images, e.g. "School website". The check follows its lawful basis."""

    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="consent_purposes"
    )
    kind = models.CharField(max_length=20, choices=PurposeKind.choices, default=PurposeKind.CUSTOM)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="What parents are told it covers.")
    media = models.CharField(max_length=10, choices=Media.choices, default=Media.BOTH)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    lawful_basis = models.CharField(max_length=12, choices=LawfulBasis.choices)
    valid_for_years = models.PositiveSmallIntegerField(
        "valid for (academic years)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="Empty: a yes stands until the pupil leaves. A number: it needs re-confirming "
        "at the start of the academic year after that many years.",
    )
    is_active = models.BooleanField(
        "in use", default=True, help_text="Purposes no longer used are kept with their records."
    )
    order = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "school",
                name="purpose_name_once_per_school",
                violation_error_message="The school already has a purpose with this name.",
            ),
            models.UniqueConstraint(
                fields=["school", "kind"],
                condition=~Q(kind="custom"),
                name="purpose_default_kind_once_per_school",
                violation_error_message="The school already has this default purpose.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_consent(self) -> bool:
        return self.lawful_basis == LawfulBasis.CONSENT


class SchoolConsentSettings(models.Model):
    """The consent register's settings for a school (the competence age is the school's own
    `pupil_competence_age`)."""

    school = models.OneToOneField(
        "people.School", on_delete=models.PROTECT, related_name="consent_settings"
    )
    presume_competence = models.BooleanField(
        "presume competence from the competence age",
        default=False,
        help_text="For schools in Scotland: from the school's competence age a pupil's own "
        "decision counts unless an assessment says they are not competent. Elsewhere leave this "
        "off: a pupil's own decision counts only once a competence assessment is recorded.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "school consent settings"

    def __str__(self) -> str:
        return f"Consent settings of {self.school}"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Guardian"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
    LOCAL_AUTHORITY = "local_authority", "Local authority (corporate parent)"
    OTHER = "other", "Other person with parental responsibility"


class ParentCarer(models.Model):
    """A person with parental responsibility for one pupil, named as on the forms they return."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="carers")
    full_name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "full_name"]
        verbose_name = "parent or carer"
        verbose_name_plural = "parents and carers"
        constraints = [
            models.UniqueConstraint(
                Lower("full_name"),
                "pupil",
                name="carer_name_once_per_pupil",
                violation_error_message="This pupil already has a parent or carer of this name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display().lower()})"


class Outcome(models.TextChoices):
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # For a public-task purpose: an objection, and taking it back.
    OBJECTED = "objected", "Objection"
    OBJECTION_WITHDRAWN = "objection_withdrawn", "Objection withdrawn"
    # Only as a correction: the corrected decision was recorded by mistake and no longer counts.
    VOID = "void", "Recorded in error"


CONSENT_OUTCOMES = (Outcome.GRANTED, Outcome.REFUSED, Outcome.WITHDRAWN)
PUBLIC_TASK_OUTCOMES = (Outcome.OBJECTED, Outcome.OBJECTION_WITHDRAWN)


class GivenBy(models.TextChoices):
    PARENT_CARER = "parent_carer", "A person with parental responsibility"
    PUPIL = "pupil", "The pupil"


class Method(models.TextChoices):
    ENTRANT_FORM = "entrant_form", "Entrant form"
    LETTER = "letter", "Letter"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone call"
    ONLINE_FORM = "online_form", "Online form"


WRITTEN_METHODS = (Method.ENTRANT_FORM, Method.LETTER, Method.EMAIL, Method.ONLINE_FORM)


class ConsentDecision(models.Model):
    """One decision about one pupil and one purpose, appended and never edited.

    A correction is a new decision naming the one it corrects (`corrects`): the corrected one no
    longer counts. `recorded_by` is the member of staff who entered it (empty is kept for a later
    parent self-service link, where the parent records it themselves).
    """

    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="consent_decisions"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="decisions")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    given_by = models.CharField(max_length=20, choices=GivenBy.choices)
    carer = models.ForeignKey(
        ParentCarer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="parent or carer",
    )
    method = models.CharField("how it arrived", max_length=20, choices=Method.choices)
    received_on = models.DateField()
    effective_on = models.DateField(help_text="The decision counts from this day.")
    expires_on = models.DateField(
        null=True, blank=True, help_text="A yes no longer counts after this day."
    )
    evidence = models.ForeignKey(
        "uploads.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="evidence scan",
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_decisions_recorded",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # A random key from the form that recorded it: the same form sent twice records it once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "purpose", "received_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="pupil", carer__isnull=True)
                | Q(given_by="parent_carer", carer__isnull=False),
                name="decision_given_by_matches_carer",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__gte=F("received_on")),
                name="decision_effective_after_received",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(outcome="granted", expires_on__gt=F("effective_on")),
                name="decision_only_a_yes_expires_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="void") | Q(corrects__isnull=False),
                name="decision_void_only_as_correction",
            ),
            models.UniqueConstraint(
                fields=["school", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="decision_submitted_once",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "purpose", "pupil"], name="decision_school_purpose"),
            models.Index(fields=["pupil", "purpose", "received_on"], name="decision_pupil"),
            # The few decisions pupils gave themselves (the competence panel asks for them).
            models.Index(
                fields=["pupil"], condition=models.Q(given_by="pupil"), name="decision_by_pupil"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.purpose} ({self.received_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # Append-only: a decision is corrected by a new one, never edited (the register's
        # history must show what was said, when and by whom).
        if not self._state.adding:
            raise ValueError("A consent decision is never edited: record a correction instead.")
        super().save(*args, **kwargs)

    @property
    def given_by_label(self) -> str:
        if self.given_by == GivenBy.PUPIL:
            return "The pupil"
        return str(self.carer) if self.carer_id else ""


class CompetenceAssessment(models.Model):
    """Whether a pupil understands enough to decide about their own images (England, Wales and
    Northern Ireland presume nothing by age; it is assessed). The latest on or before a date
    counts for that date."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="competence")
    competent = models.BooleanField(
        default=True, help_text="Untick to record that the pupil is not yet competent."
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField()
    note = models.TextField(help_text="How the pupil showed they understand (or do not).")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "assessed_on", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="competence_submitted_once",
            ),
        ]

    def __str__(self) -> str:
        verdict = "competent" if self.competent else "not yet competent"
        return f"Assessed {verdict} on {self.assessed_on:%d/%m/%Y}"


class PhotoRestriction(models.Model):
    """A pupil who must never be identifiable (a court order, an adoption): overrides every
    consent from `starts_on` until it is lifted. Its reason is for the DSL team and the
    headteacher only; everyone else sees "may not appear — speak to the DSL"."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="restrictions")
    reason = models.TextField()
    starts_on = models.DateField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    lifted_on = models.DateField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(lifted_on__isnull=True),
                name="restriction_one_open_per_pupil",
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gt=F("starts_on")),
                name="restriction_lifted_after_start",
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_by__isnull=False),
                name="restriction_lifted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Photo restriction from {self.starts_on:%d/%m/%Y}"

    def is_active(self, on: dt.date) -> bool:
        return self.starts_on <= on and (self.lifted_on is None or on < self.lifted_on)


class ConsentState(models.Model):
    """The stored state of one pupil for one purpose, as a timeline (see `consent.rules`).

    `timeline` counts the pupil's own decisions where an assessment says they are competent;
    `timeline_presumed` (empty when the same) counts them unless an assessment says they are
    not, for schools that presume competence from their competence age. Derived: recomputed in
    the transaction of each decision, assessment and purpose change.
    """

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="consent_states")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="states")
    timeline = models.JSONField()
    timeline_presumed = models.JSONField(null=True, blank=True)
    # The timeline's last entry, as columns: from `settled_on` (empty: always) the status is
    # `settled_status` for good, so school-wide pages read most rows without their timelines.
    settled_on = models.DateField(null=True, blank=True)
    settled_status = models.CharField(max_length=20)
    computed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "purpose"], name="state_once_per_purpose"),
        ]
        indexes = [
            models.Index(
                fields=["school", "purpose", "settled_on"], name="state_school_purpose_settled"
            ),
            # School-wide counts (missing consent, gaps) read each pupil's settled columns of
            # the purposes in use from the index alone, without the rows' timelines.
            models.Index(
                fields=["school", "purpose", "pupil", "settled_on", "settled_status"],
                name="state_school_settled_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent state of pupil {self.pupil_id} for purpose {self.purpose_id}"

    def set_timelines(self, timeline: list, presumed: list | None) -> None:
        """Store the timelines and their settled columns together."""
        self.timeline, self.timeline_presumed = timeline, presumed
        start, status = timeline[-1]
        self.settled_on = dt.date.fromisoformat(start) if start else None
        self.settled_status = status

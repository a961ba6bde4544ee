"""Blocked-content requests and the filtering and monitoring record (DESIGN §4 incidents; issue 14;
the DfE filtering and monitoring standards).

- `UnblockRequest`: a member of staff asks for a blocked site to be opened. The network manager
  reviews it (technical notes; a site on the IWF child-abuse list or the police terrorism list is
  refused outright: nobody can override those lists), the headteacher or the deputy headteacher
  decides with reasons (never on their own request), the network manager confirms the unblock is
  in place, and after its end date it expires and the network manager confirms the re-block.
  Every step keeps who, when and why on the request (and its history).
- `FilteringRoles`: the named SLT lead, governor and IT provider (a member of staff or a named
  contractor) for filtering and monitoring.
- `FilteringCheck`: one check of the filtering (when, who, device, place, user group, result and the
  actions that followed).
- `FilteringReview` with its `ReviewAction`s: the yearly review (academic year) or an out-of-cycle
  one with its trigger, its four participants, the points the standard asks to consider, findings
  and actions with owners and dates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Scope(models.TextChoices):
    REQUESTER = "requester", "Only me"
    CLASS = "class", "A class or group"
    ALL_STAFF = "all_staff", "All staff"
    WHOLE_SCHOOL = "whole_school", "The whole school (staff and pupils)"


class RequestStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", "Waiting for the network manager's review"
    AWAITING_DECISION = "awaiting_decision", "Waiting for the headteacher's decision"
    APPROVED = "approved", "Approved: waiting to be unblocked"
    ACTIVE = "active", "Unblocked"
    EXPIRED = "expired", "Ended: waiting to be blocked again"
    REBLOCKED = "reblocked", "Blocked again"
    REFUSED = "refused", "Refused"
    REFUSED_OUTRIGHT = "refused_outright", "Refused: on a list nobody can override"


# What waits for someone, and what is finished.
OPEN_REQUEST_STATUSES = frozenset(
    {
        RequestStatus.AWAITING_REVIEW,
        RequestStatus.AWAITING_DECISION,
        RequestStatus.APPROVED,
        RequestStatus.ACTIVE,
        RequestStatus.EXPIRED,
    }
)


class NeverUnblock(models.TextChoices):
    """Lists no school, headteacher or network manager can override."""

    NONE = "", "No: it is in none of these lists"
    IWF = "iwf", "Child sexual abuse material (the IWF list)"
    TERRORISM = "terrorism", "Terrorist content (the police list)"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class UnblockRequest(models.Model):
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="unblock_requests"
    )
    reference = models.CharField(max_length=20, help_text="For example UNB-2026-0007.")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    # A random key in the form: the same form sent twice makes one request.
    submission_key = models.UUIDField()
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="unblock_requests"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    # The request (every field of the school's form).
    url = models.URLField("full web address", max_length=2000)
    site_contents = models.TextField("what the site contains")
    reasons = models.TextField("reasons for access")
    risks = models.TextField("risks")
    control_measures = models.TextField("control measures")
    scope = models.CharField("who needs access", max_length=16, choices=Scope.choices)
    scope_detail = models.CharField(
        "which class or group", max_length=200, blank=True, help_text="For a class or group."
    )
    end_date = models.DateField("access needed until")

    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.AWAITING_REVIEW
    )

    # The network manager's review.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unblock_requests_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    technical_notes = models.TextField(blank=True)
    never_unblock = models.CharField(
        "on a list that can never be unblocked",
        max_length=10,
        choices=NeverUnblock.choices,
        blank=True,
    )

    # The headteacher's (or deputy's) decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unblock_requests_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decision_reasons = models.TextField("reasons for the decision", blank=True)
    approved_until = models.DateField("unblocked until", null=True, blank=True)

    # The network manager confirms the unblock, then the re-block.
    unblocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unblocks_done",
    )
    unblocked_at = models.DateTimeField(null=True, blank=True)
    unblock_notes = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    reblocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reblocks_done",
    )
    reblocked_at = models.DateTimeField(null=True, blank=True)
    reblock_notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "submission_key"], name="unblock_submitted_once"
            ),
            models.UniqueConstraint(fields=["school", "reference"], name="unblock_reference_once"),
            models.UniqueConstraint(
                fields=["school", "year", "number"], name="unblock_number_once"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requester")),
                name="unblock_not_decided_by_requester",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | ~Q(decision_reasons=""),
                name="unblock_decision_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="approved") | Q(never_unblock=""),
                name="unblock_never_unblock_not_approved",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="approved") | Q(approved_until__isnull=False),
                name="unblock_approved_has_end",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="unblock_school_status"),
            models.Index(fields=["school", "-requested_at"], name="unblock_school_requested"),
            models.Index(fields=["requester", "-requested_at"], name="unblock_requester"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class FilteringRoles(models.Model):
    """Who is responsible for filtering and monitoring in a school (one row per school)."""

    school = models.OneToOneField(
        "people.School", on_delete=models.PROTECT, related_name="filtering_roles"
    )
    slt_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="SLT lead for filtering and monitoring",
    )
    governor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="governor responsible for filtering and monitoring",
    )
    it_provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="IT provider (a member of staff)",
    )
    it_contractor = models.CharField(
        "IT provider (a contractor)",
        max_length=200,
        blank=True,
        help_text="The company or person, when the IT provider is not on the staff.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Filtering roles of {self.school}"

    @property
    def it_provider_name(self) -> str:
        if self.it_provider_id:
            return self.it_provider.full_name
        return self.it_contractor

    def unassigned(self) -> list[str]:
        """The roles nobody holds yet, in plain words."""
        missing = []
        if self.slt_lead_id is None:
            missing.append("the SLT lead")
        if self.governor_id is None:
            missing.append("the responsible governor")
        if self.it_provider_id is None and not self.it_contractor:
            missing.append("the IT provider")
        return missing


class Device(models.TextChoices):
    LAPTOP = "laptop", "School laptop or desktop"
    TABLET = "tablet", "School tablet"
    PERSONAL = "personal", "Personal device (staff, pupil or visitor)"


class Place(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    SHARED = "shared", "Library or shared area"
    STAFF = "staff", "Staff room or office"
    GUEST_WIFI = "guest_wifi", "Guest Wi-Fi"
    REMOTE = "remote", "Off site (remote or home)"


class UserGroup(models.TextChoices):
    PUPIL = "pupil", "Pupil"
    STAFF = "staff", "Staff"
    GUEST = "guest", "Guest"


class CheckResult(models.TextChoices):
    BLOCKED = "blocked", "Blocked as expected"
    NOT_BLOCKED = "not_blocked", "Not blocked"
    NOT_TESTED = "not_tested", "Not tested"


class FilteringCheck(models.Model):
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="filtering_checks"
    )
    submission_key = models.UUIDField()
    checked_on = models.DateField("date of the check")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filtering_checks"
    )
    device = models.CharField("device type", max_length=12, choices=Device.choices)
    place = models.CharField("where on site", max_length=12, choices=Place.choices)
    user_group = models.CharField(max_length=8, choices=UserGroup.choices)
    tested = models.TextField("what was tested", help_text="For example the test sites used.")
    result = models.CharField(max_length=12, choices=CheckResult.choices)
    actions = models.TextField("actions that followed", blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checked_by", "submission_key"], name="filtering_check_once"
            ),
            models.CheckConstraint(
                condition=~Q(result="not_blocked") | ~Q(actions=""),
                name="filtering_check_failure_has_actions",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-checked_on"], name="filtering_check_school_date"),
        ]

    def __str__(self) -> str:
        return f"Check of {self.checked_on:%d/%m/%Y}"


class ReviewKind(models.TextChoices):
    YEARLY = "yearly", "Yearly review"
    OUT_OF_CYCLE = "out_of_cycle", "Out-of-cycle review"


class ReviewTrigger(models.TextChoices):
    NONE = "", "None (the yearly review)"
    RISK = "risk", "A new safeguarding risk"
    PRACTICE = "practice", "A change in working practice"
    TECHNOLOGY = "technology", "New technology"
    GENERATIVE_AI = "generative_ai", "A new generative-AI tool"


# The points the standard asks a review to consider: (field, label).
REVIEW_POINTS = [
    ("risk_profile", "The pupils' risk profile, including SEND and EAL"),
    ("blocked_allowed", "What is blocked or allowed, and why"),
    ("safeguarding_reports", "Relevant safeguarding reports"),
    ("teaching_needs", "Teaching and learning needs"),
    ("device_use", "How devices are used, including personal devices"),
    ("related_policies", "Related policies"),
    ("checks", "The checks made and the actions that followed"),
]


class FilteringReview(models.Model):
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="filtering_reviews"
    )
    submission_key = models.UUIDField()
    kind = models.CharField(max_length=14, choices=ReviewKind.choices)
    trigger = models.CharField(max_length=14, choices=ReviewTrigger.choices, blank=True)
    trigger_detail = models.TextField("what prompted it", blank=True)
    academic_year = models.PositiveSmallIntegerField(
        help_text="The year the academic year starts in: 2026 means 2026/27."
    )
    held_on = models.DateField("date of the review")
    slt_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="SLT lead",
    )
    dsl = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="DSL"
    )
    it_provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="IT provider (a member of staff)",
    )
    it_contractor = models.CharField("IT provider (a contractor)", max_length=200, blank=True)
    governor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    risk_profile = models.TextField(blank=True)
    blocked_allowed = models.TextField(blank=True)
    safeguarding_reports = models.TextField(blank=True)
    teaching_needs = models.TextField(blank=True)
    device_use = models.TextField(blank=True)
    related_policies = models.TextField(blank=True)
    checks = models.TextField(blank=True)
    findings = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "submission_key"], name="filtering_review_once"
            ),
            models.UniqueConstraint(
                fields=["school", "academic_year"],
                condition=Q(kind="yearly"),
                name="filtering_review_yearly_once",
            ),
            models.CheckConstraint(
                condition=(Q(kind="yearly") & Q(trigger=""))
                | (Q(kind="out_of_cycle") & ~Q(trigger="")),
                name="filtering_review_trigger_for_out_of_cycle",
            ),
            models.CheckConstraint(
                condition=Q(it_provider__isnull=False) | ~Q(it_contractor=""),
                name="filtering_review_has_it_provider",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "academic_year"], name="filtering_review_school_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.held_on:%d/%m/%Y}"

    @property
    def it_provider_name(self) -> str:
        if self.it_provider_id:
            return self.it_provider.full_name
        return self.it_contractor


class ReviewAction(models.Model):
    review = models.ForeignKey(FilteringReview, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("by")
    # Marked done by its owner or someone who records reviews: who and when.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_by__isnull=True, done_at__isnull=True)
                | Q(done_by__isnull=False, done_at__isnull=False),
                name="review_action_done_by_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "done_at"], name="review_action_owner_open"),
        ]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

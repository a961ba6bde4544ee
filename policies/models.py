"""Policies, their versions, ratification, reviews and staff signatures (DESIGN §4 policies).

A version moves draft → awaiting approval → approved → published → superseded. Approval freezes
the text: its sanitised HTML and that HTML's SHA-256 never change afterwards (a change is a new
version, minor or major). A signature is valid for the published version when it was made on that
version or on an earlier one with no major version in between.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from socialgov.people.roles import Role, StaffGroup


class PolicyKind(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Social media policy"
    STAFF_AUP = "staff_aup", "Staff acceptable use policy"
    OFFICIAL_ACCOUNTS_AUP = "official_accounts_aup", "Official accounts acceptable use policy"
    PUPIL_AUP = "pupil_aup", "Pupil acceptable use policy"
    MOBILE_TECHNOLOGY = "mobile_technology", "Mobile and smart technology policy"
    ONLINE_SAFETY = "online_safety", "Online safety policy"
    IMAGE_USE = "image_use", "Image use policy"
    OTHER = "other", "Other policy"


class ReviewCycle(models.IntegerChoices):
    ANNUAL = 12, "Every year"
    THREE_YEARS = 36, "Every three years"


class Policy(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="policies")
    kind = models.CharField(max_length=32, choices=PolicyKind.choices)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_policies"
    )
    review_cycle_months = models.PositiveSmallIntegerField(
        "review cycle", choices=ReviewCycle.choices, default=ReviewCycle.ANNUAL
    )
    statutory = models.BooleanField("statutory policy", default=False)
    # Lists of codes; history pages show their labels (policies.views.manage.SIGNER_LABELS).
    signer_groups = models.JSONField(
        "signed by (staff groups)",
        default=list,
        blank=True,
        help_text="Staff groups who must sign this policy.",
    )
    signer_roles = models.JSONField(
        "signed by (roles)",
        default=list,
        blank=True,
        help_text="Roles whose holders must sign this policy.",
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    adopted_from = models.ForeignKey(
        "PolicyTemplate", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions"
    )
    next_review_on = models.DateField("next review date", null=True, blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_request_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "title"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "title"], name="policy_title_once_per_school"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "kind"]),
            models.Index(fields=["school", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_signable(self) -> bool:
        return bool(self.signer_groups or self.signer_roles)

    def requires(self, membership) -> bool:
        """Must this member sign the policy? (the rule: policies.rules.is_required)"""
        from policies.rules import is_required

        return is_required(self, membership)


# The one message for a template title the trust already has (the form and the service).
DUPLICATE_TEMPLATE = "The trust already has a template with this title."


class PolicyTemplate(models.Model):
    """A model policy published by a trust (or, with no trust, by a local authority for anyone),
    with placeholders a school's adoption fills in: {{ school_name }}, {{ headteacher }},
    {{ dsl }}, {{ deputy_dsls }}, {{ official_channels }}, {{ review_date }}."""

    trust = models.ForeignKey(
        "people.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_templates",
        help_text="Empty for a local-authority template offered to every school.",
    )
    issuer = models.CharField(max_length=200, help_text="Who publishes it, as shown to schools.")
    kind = models.CharField(max_length=32, choices=PolicyKind.choices)
    title = models.CharField(max_length=200)
    body_markdown = models.TextField()
    review_cycle_months = models.PositiveSmallIntegerField(
        choices=ReviewCycle.choices, default=ReviewCycle.ANNUAL
    )
    statutory = models.BooleanField(default=False)
    signer_groups = models.JSONField(default=list, blank=True)
    signer_roles = models.JSONField(default=list, blank=True)
    is_published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            # The form checks this too, before template_save takes the trust's lock: a submit
            # that lost a race to one just committed must read the same message as the service's.
            models.UniqueConstraint(
                fields=["trust", "title"],
                name="template_title_once_per_trust",
                violation_error_message=DUPLICATE_TEMPLATE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.issuer})"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


FROZEN_STATUSES = (VersionStatus.APPROVED, VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.AWAITING_APPROVAL)


class ChangeSize(models.TextChoices):
    MINOR = "minor", "Minor: no need to sign again"
    MAJOR = "major", "Major: everyone signs again"


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("version")
    change = models.CharField(
        "size of the change", max_length=8, choices=ChangeSize.choices, default=ChangeSize.MAJOR
    )
    change_summary = models.TextField("what changed", blank=True)
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    body_markdown = models.TextField("text", blank=True)
    body_html = models.TextField(blank=True, help_text="Sanitised HTML, as shown to readers.")
    source_document = models.ForeignKey(
        "uploads.StoredFile",
        verbose_name="imported from",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The Word document the text was imported from, kept for download.",
    )
    text_sha256 = models.CharField("fingerprint of the text (SHA-256)", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The last time the version was sent back to its author, by whom and why (history keeps the
    # earlier ones); cleared when it is sent for approval again.
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField("why it was sent back", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="version_number_once"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status="published"),
                name="one_published_version_per_policy",
            ),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status__in=["draft", "awaiting_approval"]),
                name="one_open_version_per_policy",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_approval"]) | ~Q(text_sha256=""),
                name="frozen_version_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.title}, version {self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def current_ratification(self) -> "Ratification | None":
        """The ratification in force (a corrected one is superseded); from the selectors'
        prefetch (`current_ratifications`) when they loaded it, else one query."""
        loaded = getattr(self, "current_ratifications", None)
        if loaded is None:
            loaded = list(
                self.ratifications.filter(superseded_at__isnull=True).select_related("recorded_by")
            )
        return loaded[0] if loaded else None


class Ratification(models.Model):
    """The governing board's ratification of one version (recorded by the clerk, the chair or the
    headteacher). A mistake is corrected by a new record that supersedes the old one: both stay,
    and a version has at most one current ratification."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="ratifications"
    )
    meeting_date = models.DateField()
    minute_reference = models.CharField(max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        help_text="The earlier record this one corrects.",
    )
    correction_reason = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_ratification_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Ratified {self.meeting_date:%d/%m/%Y} ({self.minute_reference})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    MINOR_UPDATE = "minor_update", "Minor update"
    MAJOR_REWRITE = "major_rewrite", "Major rewrite"


class PolicyReview(models.Model):
    """A review of a policy. A review recorded in error is withdrawn with a reason (never
    deleted); the policy's next review date then goes back to what it was before."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    next_review_on = models.DateField()
    previous_next_review_on = models.DateField(
        null=True, blank=True, help_text="The policy's next review date before this review."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "-reviewed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=models.F("reviewed_on")),
                name="review_next_after_reviewed",
            ),
            # Two identical posts (a double click, two tabs) record one review.
            models.UniqueConstraint(
                fields=["policy", "reviewed_on"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_review_per_policy_per_day",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="withdrawn_review_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} reviewed {self.reviewed_on:%d/%m/%Y}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def new_verification_code() -> str:
    # 16 characters from an unambiguous alphabet, shown in groups of four (e.g. K7QX-…).
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class Signature(models.Model):
    """A person's signature of one version. Never edited: history shows its creation only."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    text_sha256 = models.CharField("fingerprint of the text signed (SHA-256)", max_length=64)
    statement = models.TextField()
    typed_name = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField("browser", max_length=500, blank=True)
    verification_code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    pdf = models.ForeignKey(
        "uploads.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The archival PDF/A record of this signature, rendered once after signing.",
    )
    pdf_sha256 = models.CharField("fingerprint of the PDF (SHA-256)", max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signer"], name="one_signature_per_version"),
        ]
        indexes = [models.Index(fields=["school", "signer"])]

    def __str__(self) -> str:
        return f"{self.signer} signed {self.version}"

    @property
    def display_code(self) -> str:
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


SIGNER_GROUP_CHOICES = StaffGroup.choices
SIGNER_ROLE_CHOICES = Role.choices


# Recorded departures from the policies' rules live in their own sub-package; Django finds them
# through here.
from policies.declarations.models import (  # noqa: E402, F401
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    PolicyException,
)

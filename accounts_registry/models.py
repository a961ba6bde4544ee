"""The school's official social media accounts (DESIGN §4 accounts_registry; issue 12).

- `AccountRequest`: the "social media site creation approval form". Submitted by any member of
  staff, approved for the brand by the marketing officer (when the school has one), then decided
  by the headteacher (the deputy headteacher when the headteacher asked). Approval creates the
  registry entry.
- `OfficialAccount`: the registry entry (platform, handle, URL, purpose, status, the school
  e-mail it is registered with, two-factor, where the credentials are kept — never the
  credentials themselves) with its people (`AccountMember`: administrators and authorised
  posters) and its annual reviews (`AccountReview`).
- `Post`: a draft on an account with the pupils it shows; every move between statuses goes
  through `accounts_registry.services.posts.post_transition` (one transition table), and each
  move is kept as a `PostEvent` (who, when, why).
- `TakedownTask`: a published post shows a pupil who may no longer appear for the account's
  purpose; worked by the account's administrators until closed with what was done. One per post
  and pupil, ever (a database constraint), whoever or whatever found it.
- `CommentLogEntry` (the SLT's log of abusive comments) and `FollowerVetting` (requests to follow
  or befriend an account, approved or refused, and why).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    LINKEDIN = "linkedin", "LinkedIn"
    BLOG = "blog", "Blog"
    WHATSAPP = "whatsapp", "WhatsApp channel"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    """Who the account is for and who contributes (the approval form's tick boxes)."""

    PUPILS = "pupils", "Pupils"
    STAFF = "staff", "Staff"
    FAMILIES = "families", "Families"
    ORGANISATIONS = "organisations", "Other organisations"
    OTHER_SCHOOLS = "other_schools", "Pupils of other schools"
    PUBLIC = "public", "The public"
    OTHER = "other", "Other"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the marketing officer"
    BRAND_APPROVED = "brand_approved", "Waiting for the headteacher"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AccountRequest(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_requests"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # A token from the form: the same form posted twice makes one request.
    submission_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    # The form
    platform = models.CharField(max_length=20, choices=Platform.choices)
    proposed_name = models.CharField("proposed name or handle", max_length=200)
    team = models.CharField("team and department", max_length=200)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField("purpose")
    consent_purpose = models.ForeignKey(
        "consent.Purpose",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="image consent purpose",
        help_text="The consent purpose the account's posts are checked against.",
    )
    aims = models.TextField()
    proposed_content = models.TextField()
    audience = models.JSONField("audience and contributors", default=list)
    pupil_ages = models.CharField(
        "ages of pupils involved", max_length=200, blank=True, help_text="When pupils take part."
    )
    audience_other = models.CharField("other audience", max_length=200, blank=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="administrators"
    )
    external_vetting = models.TextField("who vets external contributors", blank=True)
    host = models.CharField("host", max_length=200)
    go_live_on = models.DateField("proposed go-live date")
    contributor_recruitment = models.TextField("how contributors are recruited", blank=True)
    parental_consent = models.TextField(
        "how parental consent is obtained when pupils contribute", blank=True
    )
    security_measures = models.TextField()
    risk_assessment = models.TextField()
    # Decisions
    brand_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    brand_decided_at = models.DateTimeField(null=True, blank=True)
    brand_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[administrators])

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"], name="accountrequest_school_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="accountrequest_submitted_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="accountrequest_rejection_has_reason",
                violation_error_message="A rejection needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.proposed_name}"

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.SUBMITTED, RequestStatus.BRAND_APPROVED)

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels.get(code, code) for code in self.audience]


class AccountStatus(models.TextChoices):
    APPROVED = "approved", "Approved (not live yet)"
    LIVE = "live", "Live"
    SUSPENDED = "suspended", "Suspended"
    CLOSED = "closed", "Closed"


class OfficialAccount(models.Model):
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="official_accounts"
    )
    request = models.OneToOneField(
        AccountRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    name = models.CharField("name or handle", max_length=200)
    url = models.URLField("URL", max_length=500, blank=True)
    purpose = models.TextField()
    consent_purpose = models.ForeignKey(
        "consent.Purpose",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="image consent purpose",
    )
    status = models.CharField(
        max_length=20, choices=AccountStatus.choices, default=AccountStatus.APPROVED
    )
    registered_email = models.EmailField("registered with (e-mail)", blank=True)
    linked_from_website = models.BooleanField("linked from the school website", default=False)
    two_factor_on = models.BooleanField("two-factor sign-in on", default=False)
    credentials_kept = models.TextField(
        "where the sign-in details are kept",
        blank=True,
        help_text="A description, such as “the school's password manager, vault Marketing”. "
        "Never the password itself.",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_due_on = models.DateField("next review")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["school", "status"], name="account_school_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    @property
    def takes_posts(self) -> bool:
        return self.status in (AccountStatus.APPROVED, AccountStatus.LIVE)


class MemberRole(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    POSTER = "poster", "Authorised poster"


class AccountMember(models.Model):
    """A person's role on an account. Removing them ends the row (kept for the record)."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_roles"
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the person left the school or lost their roles there: shown on the registry
    # until the headteacher removes them or confirms them.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user", "role"],
                condition=Q(ended_at__isnull=True),
                name="accountmember_once",
                violation_error_message="This person already has that role on the account.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class AccountReview(models.Model):
    """The annual review: administrators re-attested, two-factor, moderation, still needed."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField()
    administrators_confirmed = models.BooleanField("the administrators are still right")
    two_factor_confirmed = models.BooleanField("two-factor sign-in is on")
    moderation_confirmed = models.BooleanField("comments are moderated")
    still_needed = models.BooleanField("the account is still needed")
    notes = models.TextField(blank=True)
    next_review_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.account} on {self.reviewed_on:%d/%m/%Y}"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for a colleague to agree"
    AGREED = "agreed", "Waiting for approval"
    CHANGES_NEEDED = "changes_needed", "Changes needed"
    APPROVED = "approved", "Approved, not published yet"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    TAKEN_DOWN = "taken_down", "Taken down"


EDITABLE_POST_STATUSES = frozenset({PostStatus.DRAFT, PostStatus.CHANGES_NEEDED})


class Post(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="official_posts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, blank=True)
    text = models.TextField()
    planned_on = models.DateField("planned date")
    pupils = models.ManyToManyField(
        "consent.Pupil", through="PostPupil", related_name="+", verbose_name="pupils shown"
    )
    status = models.CharField(max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT)
    names_acknowledged = models.BooleanField(
        "I have checked: no pupil's full name appears beside their image", default=False
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_url = models.URLField("published at (URL)", max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["school", "status"], name="post_school_status"),
            models.Index(fields=["account", "status"], name="post_account_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="post_drafted_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (~Q(published_url="") & Q(published_on__isnull=False)),
                name="post_published_has_url_and_date",
                violation_error_message="A published post has its URL and date.",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("author")),
                name="post_not_approved_by_author",
                violation_error_message="The author cannot approve their own post.",
            ),
        ]

    def __str__(self) -> str:
        return f"Post on {self.account.name} for {self.planned_on:%d/%m/%Y}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_POST_STATUSES

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:77] + "…"


class PostPupil(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="shown")
    pupil = models.ForeignKey("consent.Pupil", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "pupil"], name="postpupil_once"),
        ]
        indexes = [models.Index(fields=["pupil", "post"], name="postpupil_pupil")]

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Pupil {self.pupil_id} in post {self.post_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    stored_file = models.ForeignKey(
        "uploads.StoredFile", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(
        "what the image shows", max_length=200, blank=True, help_text="A general label only."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or f"Image {self.pk}"


class PostAction(models.TextChoices):
    SUBMIT = "submit", "Submitted"
    AGREE = "agree", "Agreed"
    APPROVE = "approve", "Approved"
    REQUEST_CHANGES = "request_changes", "Changes asked for"
    REJECT = "reject", "Rejected"
    PUBLISH = "publish", "Published"
    TAKE_DOWN = "take_down", "Taken down"


class PostEvent(models.Model):
    """One move of a post (append-only): who, when, from and to, and why when a reason is due."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=PostAction.choices)
    from_status = models.CharField(max_length=20, choices=PostStatus.choices)
    to_status = models.CharField(max_length=20, choices=PostStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"


class TakedownCause(models.TextChoices):
    DECISION = "decision", "Consent withdrawn or refused"
    RESTRICTION = "restriction", "A photo restriction was set"
    LEFT = "left", "The pupil left the school"
    SWEEP = "sweep", "The daily check found the pupil may no longer appear"


class TakedownOutcome(models.TextChoices):
    REMOVED = "removed", "Removed the post"
    EDITED = "edited", "Edited the post (the pupil no longer appears)"
    COULD_NOT_REMOVE = "could_not_remove", "Could not remove it"


class TakedownTask(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="takedowns")
    pupil = models.ForeignKey("consent.Pupil", on_delete=models.PROTECT, related_name="+")
    cause = models.CharField(max_length=20, choices=TakedownCause.choices)
    reason = models.CharField(max_length=40, blank=True)  # the check's status, e.g. "withdrawn"
    due_on = models.DateField("remove by")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=TakedownOutcome.choices, blank=True)
    outcome_note = models.TextField("what was done", blank=True)
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["closed_at", "due_on", "pk"]
        indexes = [models.Index(fields=["school", "closed_at"], name="takedown_school_open")]
        constraints = [
            models.UniqueConstraint(fields=["post", "pupil"], name="takedown_once_per_post_pupil"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | (~Q(outcome="") & Q(done_on__isnull=False)),
                name="takedown_closed_with_outcome",
                violation_error_message="Say what was done and when.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="could_not_remove") | ~Q(outcome_note=""),
                name="takedown_could_not_remove_says_why",
                violation_error_message="Say why it could not be removed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Take down post {self.post_id} (pupil {self.pupil_id})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CommentLogEntry(models.Model):
    """An inappropriate comment or abuse on an official account, or about the school."""

    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        OfficialAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comment_log",
        help_text="Leave empty for a comment about the school elsewhere.",
    )
    seen_at = models.DateTimeField("when")
    where = models.CharField("where (e.g. the post or page)", max_length=300, blank=True)
    what = models.TextField("what was said (a summary)")
    action_taken = models.TextField()
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The incident report it was reported as, if any.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-seen_at", "-pk"]
        indexes = [models.Index(fields=["school", "seen_at"], name="commentlog_school_time")]

    def __str__(self) -> str:
        return f"Comment seen {self.seen_at:%d/%m/%Y}"


class VettingDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class FollowerVetting(models.Model):
    account = models.ForeignKey(
        OfficialAccount, on_delete=models.PROTECT, related_name="follower_vetting"
    )
    requester = models.CharField("who asked to follow", max_length=200)
    requested_on = models.DateField()
    decision = models.CharField(max_length=10, choices=VettingDecision.choices)
    reason = models.TextField("why")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.requester}: {self.get_decision_display()}"

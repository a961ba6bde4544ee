"""Trusts, schools, people and their memberships (DESIGN §1).

A person has one login (`User`) and a `Membership` per school they work in; the membership
carries their staff group, start and leaving dates and their roles there. Trust executives hold a
`TrustMembership`. A person with no current membership cannot sign in.
"""

import datetime as dt
import re

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialgov import dates
from socialgov.people.roles import PRIVILEGED_ROLES, Role, StaffGroup, TrustRole

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def validate_email_domains(value: str) -> None:
    bad = [d for d in split_domains(value) if not _DOMAIN_RE.match(d)]
    if bad:
        raise ValidationError(
            "These are not e-mail domains: %(bad)s. Write one domain per line, like "
            "example-school.org.uk",
            params={"bad": ", ".join(bad)},
        )


def split_domains(value: str) -> list[str]:
    return [part.strip().lower().lstrip("@") for part in re.split(r"[\s,;]+", value or "") if part]


class School(models.Model):
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "A URN is six digits, like 100123.")],
        help_text="The school's unique reference number (six digits).",
    )
    address = models.TextField(help_text="Postal address, one line per line.")
    logo = models.ImageField(upload_to="school-logos/", blank=True)
    email_domains = models.TextField(
        "E-mail domains",
        blank=True,
        validators=[validate_email_domains],
        help_text="The school's own e-mail domains, one per line (e.g. example-school.org.uk).",
    )
    pupil_competence_age = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(8), MaxValueValidator(18)],
        help_text="Age from which a pupil may be assessed competent to give their own consent.",
    )
    require_two_factor_for_all = models.BooleanField(
        default=False,
        help_text="Require two-factor sign-in for everyone, not only privileged roles.",
    )
    policy_author_cannot_approve = models.BooleanField(
        "Policy authors do not approve their own versions",
        default=True,
        help_text=(
            "When someone else can approve (another headteacher, or the deputy headteacher or "
            "chair of governors for the headteacher's own version), the author of a policy "
            "version cannot approve it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.email_domains = "\n".join(split_domains(self.email_domains))

    @property
    def domains(self) -> list[str]:
        return split_domains(self.email_domains)

    def is_outside_domains(self, email: str) -> bool:
        """True when the school records its domains and `email` is on none of them."""
        domains = self.domains
        domain = (email or "").rpartition("@")[2].strip().lower()
        return bool(domains) and domain not in domains


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username.strip())


class User(AbstractBaseUser, PermissionsMixin):
    """One login per person. Signs in with an e-mail address; no password is assumed (SSO later)."""

    email = models.EmailField("E-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Deployment administrator",
        default=False,
        help_text="Only the people who run the deployment use the Django admin.",
    )
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        # Stored lower-case, so the unique constraint is case-insensitive in effect.
        self.email = (self.email or "").strip().lower()
        self.full_name = " ".join((self.full_name or "").split())

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class CurrentQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or dates.today()
        return self.filter(
            Q(start_date__lte=on), Q(leaving_date__isnull=True) | Q(leaving_date__gt=on)
        )


class Membership(models.Model):
    """A person's place in one school: staff group, dates and roles.

    The membership ends at the start of `leaving_date`: from that day the person no longer has
    access to the school.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    staff_group = models.CharField(max_length=20, choices=StaffGroup.choices)
    job_title = models.CharField(max_length=120, blank=True)
    start_date = models.DateField(default=dates.today)
    leaving_date = models.DateField(
        null=True, blank=True, help_text="Access to the school ends at the start of this day."
    )
    leaving_reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["school", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="membership_one_per_school"),
            models.CheckConstraint(
                condition=Q(leaving_date__isnull=True)
                | Q(leaving_date__gte=models.F("start_date")),
                name="membership_leaves_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.school}"

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dates.today()
        return self.start_date <= on and (self.leaving_date is None or self.leaving_date > on)

    @property
    def role_names(self) -> frozenset[str]:
        """The roles held, read from prefetched `roles` when present."""
        return frozenset(r.role for r in self.roles.all())

    @property
    def is_privileged(self) -> bool:
        return bool(self.role_names & PRIVILEGED_ROLES)


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="membership_role_once"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class TrustMembership(models.Model):
    """A trust executive's place in a trust: aggregate views of every school of the trust."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="trust_memberships")
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=TrustRole.choices)
    start_date = models.DateField(default=dates.today)
    leaving_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["trust", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "user"], name="trust_membership_once"),
            models.CheckConstraint(
                condition=Q(leaving_date__isnull=True)
                | Q(leaving_date__gte=models.F("start_date")),
                name="trust_membership_leaves_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.trust})"


INVITATION_VALID_DAYS = 7


class Invitation(models.Model):
    """A link e-mailed to a new person to choose their password (DESIGN §6: no password assumed).

    Only a SHA-256 of the random token is stored, so the database alone cannot open an account.
    Resending withdraws the open invitation and creates a new one: at most one is open at a time.
    """

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_one_open_per_membership",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.membership}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.is_open and (now or timezone.now()) < self.expires_at


class StaffImport(models.Model):
    """A large staff CSV file applied in the background, with its progress (the page polls it).

    The file's content is kept only until the import ends: it holds people's names and
    addresses, and the people list itself is then the record."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        STOPPED = "stopped", "Stopped: the people list changed"
        FAILED = "failed", "Failed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff_imports")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=100, blank=True)
    content = models.TextField(blank=True, help_text="The file (base64) until the import ends.")
    mapping = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64, help_text="Of the preview the person confirmed.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Rows that change something.")
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="import_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"Staff import {self.file_name or self.pk} at {self.school}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class PasswordResetRequest(models.Model):
    """One "Forgotten your password?" request, kept a day for its rate limits (per address and
    per visitor's address). The address typed is kept only as a digest."""

    email_digest = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "created_at"], name="reset_by_email"),
            models.Index(fields=["ip_address", "created_at"], name="reset_by_ip"),
        ]

    def __str__(self) -> str:
        return f"Password reset request at {self.created_at:%d/%m/%Y %H:%M}"


class JoinInvitation(models.Model):
    """An invitation to a person who already has a SocialGov login to join another school.

    Nothing changes for them until they accept, signed in as themselves: only then is the
    membership made, with the roles and details the school chose. So no school can take over an
    existing login (and, say, reset its two-factor) without its owner agreeing.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="join_invitations")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="join_invitations")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    staff_group = models.CharField(max_length=20, choices=StaffGroup.choices)
    job_title = models.CharField(max_length=120, blank=True)
    start_date = models.DateField()
    roles = models.JSONField(default=list)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                condition=Q(accepted_at__isnull=True, declined_at__isnull=True)
                & Q(withdrawn_at__isnull=True),
                name="join_invitation_one_open",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="join_invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.user} to join {self.school}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.declined_at is None and self.withdrawn_at is None

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.is_open and (now or timezone.now()) < self.expires_at

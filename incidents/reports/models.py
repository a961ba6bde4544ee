"""Online-safety incident reports (DESIGN §4 incidents; issue 13).

An `Incident` is what a member of staff reported: its original report (category, when, what, where,
how serious) is frozen once saved. Everything that happens afterwards is appended: the
`IncidentEntry` chronology (status changes with their reasons, actions, notes, corrections and
additions), further `IncidentPerson`s and `IncidentEvidence`, the network manager's `IctAction`,
the case manager's `HarmThresholdDecision`s, the DSL's `ImageryDecision`s and, at closing, the
`Debrief`. None of those can be changed or deleted once saved: the models refuse it
(`RecordIsFinal`), and no view, form or service offers it.

Where an incident goes is decided in one place (incidents.reports.routing): `route` names the group
and `fallback_role` the role it fell back to when that group was empty.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialgov.people.roles import Role


class RecordIsFinal(Exception):
    """A saved report, chronology entry or decision was about to be changed or deleted."""


class Category(models.TextChoices):
    INAPPROPRIATE_CONTENT = (
        "inappropriate_content",
        "Inappropriate content accessed on a school device",
    )
    FILTER_BYPASS = "filter_bypass", "Attempt to bypass filtering"
    CYBERBULLYING = "cyberbullying", "Cyberbullying"
    ABUSIVE_POST = "abusive_post", "Abusive or defamatory post about the school or staff"
    ACCOUNT_COMMENT = "account_comment", "Inappropriate comment on an official account"
    PUPIL_BEHAVIOUR = "pupil_behaviour", "Concern about a pupil's online behaviour"
    SAFEGUARDING = "safeguarding", "Safeguarding disclosure"
    STAFF_CONDUCT = (
        "staff_conduct",
        "Concern about a staff member's online conduct (including low-level concerns)",
    )
    PERSONAL_CONTACT = (
        "personal_contact",
        "Contact from a pupil or parent to a staff member's personal account",
    )
    PARENT_CONDUCT = "parent_conduct", "Parent's online conduct"
    MISINFORMATION = "misinformation", "Harmful misinformation"
    IMAGE_WITHOUT_CONSENT = "image_without_consent", "Image published without consent"
    OTHER = "other", "Other"


TECHNICAL_CATEGORIES = frozenset({Category.INAPPROPRIATE_CONTENT, Category.FILTER_BYPASS})


class SafeguardingKind(models.TextChoices):
    ONLINE_ABUSE = "online_abuse", "Online abuse"
    GROOMING = "grooming", "Grooming"
    EXPLOITATION = "exploitation", "Exploitation"
    NUDE_IMAGES = "nude_images", "Sharing of nude or semi-nude images"
    DEEPFAKE = "deepfake", "AI-generated or deepfake images"


# UKCIS: nude or semi-nude images of a child (AI-generated ones included) are never viewed,
# copied or stored by staff; the system takes no upload for these.
NO_IMAGERY_KINDS = frozenset({SafeguardingKind.NUDE_IMAGES, SafeguardingKind.DEEPFAKE})


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    TRIAGED = "triaged", "Triaged"
    INVESTIGATING = "investigating", "Investigating"
    ACTION_TAKEN = "action_taken", "Action taken"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(set(Status) - {Status.CLOSED})


class Route(models.TextChoices):
    """Who an incident goes to (DESIGN §4's routing table; decided in routing.py)."""

    ICT = "ict", "Network manager"
    ICT_AND_DSL = "ict_dsl", "Network manager and DSL team"
    DSL = "dsl", "DSL team"
    DSL_AND_HEAD = "dsl_head", "DSL team and headteacher"
    HEAD_AND_SLT = "head_slt", "Headteacher and senior leadership team"
    HEAD_AND_DPO = "head_dpo", "Headteacher and data protection officer"
    CASE_MANAGER_HEAD = "case_head", "Headteacher as case manager"
    CASE_MANAGER_CHAIR = "case_chair", "Chair of governors as case manager"


ROUTE_ROLES: dict[str, frozenset[str]] = {
    Route.ICT: frozenset({Role.NETWORK_MANAGER}),
    Route.ICT_AND_DSL: frozenset({Role.NETWORK_MANAGER, Role.DSL, Role.DEPUTY_DSL}),
    Route.DSL: frozenset({Role.DSL, Role.DEPUTY_DSL}),
    Route.DSL_AND_HEAD: frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER}),
    Route.HEAD_AND_SLT: frozenset({Role.HEADTEACHER, Role.SLT}),
    Route.HEAD_AND_DPO: frozenset({Role.HEADTEACHER, Role.DPO}),
    Route.CASE_MANAGER_HEAD: frozenset({Role.HEADTEACHER}),
    Route.CASE_MANAGER_CHAIR: frozenset({Role.CHAIR_OF_GOVERNORS}),
}
CASE_MANAGER_ROUTES = frozenset({Route.CASE_MANAGER_HEAD, Route.CASE_MANAGER_CHAIR})


class HarmThreshold(models.TextChoices):
    UNDECIDED = "undecided", "Not yet decided"
    MET = "met", "Harm threshold met: LADO consulted"
    NOT_MET = "not_met", "Threshold not met: a low-level concern"


class _FinalQuerySet(models.QuerySet):
    """Rows that are final once saved: no bulk update or delete of them."""

    frozen_fields: frozenset[str] | None = None  # None: every field

    def update(self, **kwargs):
        frozen = self.frozen_fields
        if frozen is None or set(kwargs) & frozen:
            raise RecordIsFinal(f"{self.model.__name__}: saved records are not changed")
        return super().update(**kwargs)

    def delete(self):
        raise RecordIsFinal(f"{self.model.__name__}: saved records are not deleted")


class AppendOnly(models.Model):
    """A record that is added once and never changed or deleted (a chronology entry, a decision).
    A mistake is put right by a further entry (a correction), never by editing."""

    objects = _FinalQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RecordIsFinal(f"{type(self).__name__}: saved records are not changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsFinal(f"{type(self).__name__}: saved records are not deleted")


# The original report: frozen once saved (corrections and additions are chronology entries).
REPORT_FIELDS = frozenset(
    {
        "school",
        "school_id",
        "year",
        "number",
        "reference",
        "submission_key",
        "reporter",
        "reporter_id",
        "reported_at",
        "category_reported",
        "safeguarding_kind_reported",
        "severity_reported",
        "occurred_on",
        "occurred_time",
        "description",
        "urls",
        "platform",
    }
)


class _IncidentQuerySet(_FinalQuerySet):
    frozen_fields = REPORT_FIELDS


class Incident(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="incidents")
    year = models.PositiveSmallIntegerField(help_text="The year it was reported in.")
    number = models.PositiveIntegerField(help_text="Its number among the school's that year.")
    reference = models.CharField(max_length=20, help_text="For example INC-2026-0042.")
    # A random key in the report form: submitting the same form twice makes one report.
    submission_key = models.UUIDField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_reported"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    # The report as made (frozen).
    category_reported = models.CharField(
        "category as reported", max_length=32, choices=Category.choices
    )
    safeguarding_kind_reported = models.CharField(
        "kind of disclosure as reported",
        max_length=20,
        choices=SafeguardingKind.choices,
        blank=True,
    )
    severity_reported = models.CharField(
        "severity as reported", max_length=10, choices=Severity.choices
    )
    occurred_on = models.DateField("date it happened")
    occurred_time = models.TimeField("time it happened", null=True, blank=True)
    description = models.TextField("what happened")
    urls = models.TextField("web addresses", blank=True, help_text="One per line.")
    platform = models.CharField(max_length=100, blank=True)

    # Handling (changed only by the services, each change recorded in the chronology).
    category = models.CharField(max_length=32, choices=Category.choices)
    safeguarding_kind = models.CharField(
        "kind of disclosure", max_length=20, choices=SafeguardingKind.choices, blank=True
    )
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REPORTED)
    external_reference = models.CharField(
        max_length=50, blank=True, help_text="A CPOMS or MyConcern number, if it is logged there."
    )
    route = models.CharField("routed to", max_length=16, choices=Route.choices)
    fallback_role = models.CharField(
        "fell back to",
        max_length=32,
        choices=Role.choices,
        blank=True,
        help_text="Set when nobody could receive it in its routing group.",
    )
    routed_at = models.DateTimeField(default=timezone.now)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents_handled",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    # When the chronology last gained an action (or the incident was triaged): reminders key on it.
    last_action_at = models.DateTimeField(null=True, blank=True)
    harm_threshold = models.CharField(
        max_length=10, choices=HarmThreshold.choices, default=HarmThreshold.UNDECIDED
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = _IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "number"], name="incident_number_once"
            ),
            models.UniqueConstraint(fields=["school", "reference"], name="incident_reference_once"),
            models.UniqueConstraint(
                fields=["reporter", "submission_key"], name="incident_submitted_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="incident_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="reported") | Q(triaged_at__isnull=False),
                name="incident_triaged_has_time",
            ),
            models.CheckConstraint(
                condition=Q(category="safeguarding") | Q(safeguarding_kind=""),
                name="incident_kind_only_for_safeguarding",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-reported_at"], name="incident_school_reported"),
            models.Index(fields=["school", "status"], name="incident_school_status"),
            models.Index(fields=["reporter", "-reported_at"], name="incident_reporter"),
            models.Index(fields=["handler", "status"], name="incident_handler"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        if not self._state.adding:
            loaded = getattr(self, "_report_as_loaded", None)
            if loaded is None:
                raise RecordIsFinal(
                    "Incident: a report is changed only as loaded from the database"
                )
            changed = [n for n, v in loaded.items() if getattr(self, _attname(self, n)) != v]
            if changed:
                raise RecordIsFinal(
                    f"Incident: the original report is final ({', '.join(changed)})"
                )
        super().save(*args, **kwargs)
        self._report_as_loaded = {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.attname in REPORT_FIELDS or f.name in REPORT_FIELDS
        }

    def delete(self, *args, **kwargs):
        raise RecordIsFinal("Incident: reports are never deleted")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._report_as_loaded = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if name in REPORT_FIELDS
        }
        return instance

    def clean(self) -> None:
        if self.safeguarding_kind and self.category != Category.SAFEGUARDING:
            raise ValidationError(
                {"safeguarding_kind": "Only a safeguarding disclosure has a kind of disclosure."}
            )

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def is_staff_conduct(self) -> bool:
        return self.route in CASE_MANAGER_ROUTES

    @property
    def takes_no_imagery(self) -> bool:
        """Nude or semi-nude images of a child (as reported or as triaged): no evidence upload."""
        return bool({self.safeguarding_kind, self.safeguarding_kind_reported} & NO_IMAGERY_KINDS)

    @property
    def routed_roles(self) -> frozenset[str]:
        """The roles whose holders handle it (besides an assigned handler)."""
        if self.fallback_role:
            return frozenset({self.fallback_role})
        return ROUTE_ROLES[self.route]


def _attname(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    return field.attname


class PersonRole(models.TextChoices):
    AFFECTED = "affected", "Affected"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    WITNESS = "witness", "Witness"
    SUBJECT_OF_CONCERN = "subject_of_concern", "Subject of concern"


# A member of staff in one of these roles is a *subject*: never shown the incident.
SUBJECT_ROLES = frozenset({PersonRole.ALLEGED_PERPETRATOR, PersonRole.SUBJECT_OF_CONCERN})


class PersonKind(models.TextChoices):
    PUPIL = "pupil", "Pupil"
    STAFF = "staff", "Member of staff"
    OUTSIDER = "outsider", "Someone outside the school"


class OutsiderRelationship(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    FORMER_PUPIL = "former_pupil", "Former pupil"
    PUBLIC = "public", "Member of the public"
    OTHER = "other", "Other"


class IncidentPerson(AppendOnly):
    """Someone involved, with their part in it. Named in the report or added later (then an
    entry records who added them); never removed: naming a subject is final."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=24, choices=PersonRole.choices)
    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_involvements",
    )
    pupil = models.ForeignKey(
        "consent.Pupil",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_involvements",
        help_text="The pupil, when chosen from the school's roll.",
    )
    name = models.CharField(
        max_length=150, blank=True, help_text="An outsider's name, or a pupil's not on the roll."
    )
    year_group = models.CharField(max_length=20, blank=True, help_text="A pupil's year group.")
    relationship = models.CharField(max_length=16, choices=OutsiderRelationship.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="staff", staff_member__isnull=False, pupil__isnull=True))
                | (
                    Q(kind="pupil", staff_member__isnull=True)
                    & (Q(pupil__isnull=False) | ~Q(name=""))
                )
                | (Q(kind="outsider", staff_member__isnull=True, pupil__isnull=True) & ~Q(name="")),
                name="incident_person_is_named",
            ),
            models.CheckConstraint(
                condition=Q(kind="outsider") | Q(relationship=""),
                name="incident_person_relationship_for_outsiders",
            ),
        ]
        indexes = [
            # The gateway's subject check and the earlier low-level concerns about a person.
            models.Index(fields=["staff_member", "role"], name="incident_person_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display().lower()})"

    @property
    def display_name(self) -> str:
        if self.kind == PersonKind.STAFF and self.staff_member is not None:
            return self.staff_member.full_name
        if self.pupil_id is not None:
            return self.pupil.display_name
        return self.name

    @property
    def is_subject(self) -> bool:
        return self.kind == PersonKind.STAFF and self.role in SUBJECT_ROLES


class EntryKind(models.TextChoices):
    REPORTED = "reported", "Report made"
    ROUTED = "routed", "Routed"
    TRIAGED = "triaged", "Triaged"
    HANDLER = "handler", "Handler assigned"
    STATUS = "status", "Status changed"
    ACTION = "action", "Action"
    NOTE = "note", "Note"
    CORRECTION = "correction", "Correction"
    ADDITION = "addition", "Addition"
    PERSON_ADDED = "person_added", "Person added"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    ICT = "ict", "ICT action"
    THRESHOLD = "threshold", "Harm threshold decision"
    IMAGERY = "imagery", "Imagery viewing decision"
    CLOSED = "closed", "Closed with a debrief"


class ActionType(models.TextChoices):
    SITE_BLOCKED = "site_blocked", "Site blocked"
    CONTENT_REMOVED = "content_removed", "Content removed"
    PLATFORM_REPORTED = "platform_reported", "Platform or host reported"
    PARENT_SPOKEN_TO = "parent_spoken_to", "Parent spoken to"
    WRITTEN_REQUEST = "written_request", "Written request to remove"
    LEGAL_ADVICE = "legal_advice", "Legal advice"
    POLICE = "police", "Police"
    LADO = "lado", "LADO consulted"
    RESTRICT_ACCESS = "restrict_access", "Access to school channels restricted"
    SANCTION = "sanction", "Sanction"
    SUPPORT_OFFERED = "support_offered", "Support offered"
    OTHER = "other", "Other"


# The policies' escalation ladder for a parent's repeated postings, in order.
PARENT_POSTINGS_LADDER: tuple[tuple[str, str], ...] = (
    (ActionType.PARENT_SPOKEN_TO, "Discuss with the parent"),
    (ActionType.WRITTEN_REQUEST, "Written request to remove"),
    (ActionType.LEGAL_ADVICE, "Legal advice"),
    (ActionType.POLICE, "Police, where criminal"),
    (ActionType.RESTRICT_ACCESS, "Restrict access to school channels"),
    (ActionType.PLATFORM_REPORTED, "Report to the host"),
)


class IncidentEntry(AppendOnly):
    """One line of the chronology: who, when, what. Never changed; corrections are entries."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    action_type = models.CharField(max_length=20, choices=ActionType.choices, blank=True)
    happened_at = models.DateTimeField("when", default=timezone.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="who",
    )
    notes = models.TextField(blank=True)
    status_from = models.CharField(max_length=16, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=Status.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["happened_at", "pk"]
        verbose_name_plural = "incident entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="action", action_type__gt="")
                | (~Q(kind="action") & Q(action_type="")),
                name="incident_entry_action_has_type",
            ),
        ]
        indexes = [
            models.Index(fields=["incident", "happened_at"], name="incident_entry_time"),
            models.Index(fields=["incident", "kind"], name="incident_entry_kind"),
        ]

    def __str__(self) -> str:
        label = self.get_action_type_display() if self.action_type else self.get_kind_display()
        return f"{label} ({self.happened_at:%d/%m/%Y})"


class IncidentEvidence(AppendOnly):
    """An evidence file (screenshot, PDF) kept privately, served only through the gateway."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    stored_file = models.OneToOneField(
        "uploads.StoredFile", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "incident evidence"

    def __str__(self) -> str:
        return self.description or "Evidence file"


class IctAction(AppendOnly):
    """The network manager's section of the inappropriate content report form."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="ict_action")
    action_taken = models.TextField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="by whom"
    )
    done_on = models.DateField("when")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ICT action"

    def __str__(self) -> str:
        return f"ICT action on {self.done_on:%d/%m/%Y}"


class HarmThresholdDecision(AppendOnly):
    """The case manager's decision on a staff-conduct concern (KCSIE Part 4). Met: when the LADO
    was consulted. Not met: a low-level concern, recorded with its context and the action taken."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="threshold_decisions"
    )
    threshold_met = models.BooleanField()
    reasons = models.TextField()
    lado_consulted_at = models.DateTimeField("LADO consulted", null=True, blank=True)
    lado_advice = models.TextField("LADO's advice", blank=True)
    context = models.TextField(blank=True, help_text="A low-level concern's context.")
    action_taken = models.TextField(blank=True, help_text="What was done about it.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_met=False) | Q(lado_consulted_at__isnull=False),
                name="threshold_met_has_lado_time",
            ),
            models.CheckConstraint(
                condition=Q(threshold_met=True) | (~Q(context="") & ~Q(action_taken="")),
                name="low_level_concern_has_context_and_action",
            ),
        ]

    def __str__(self) -> str:
        return "Harm threshold met" if self.threshold_met else "Low-level concern"


class ImageryDecision(AppendOnly):
    """For nude or semi-nude images of a child: the DSL's decision whether anyone viewed the
    imagery (UKCIS: only exceptionally, and only on the DSL's decision). No image is ever kept."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="imagery_decisions"
    )
    anyone_viewed = models.BooleanField()
    viewed_by = models.CharField("who viewed it", max_length=150, blank=True)
    viewed_at = models.DateTimeField("when", null=True, blank=True)
    reason = models.TextField("why")
    headteacher_informed = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anyone_viewed=False) | (~Q(viewed_by="") & Q(viewed_at__isnull=False)),
                name="imagery_viewed_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return "Imagery viewed" if self.anyone_viewed else "Imagery not viewed"


class Debrief(AppendOnly):
    """Closing an incident: lessons learnt, a governor-safe summary (no names), and the policies
    needing review (flagged in the policies app through its services)."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="debrief")
    lessons_learnt = models.TextField()
    governor_summary = models.TextField(
        "summary for governors", help_text="No names: governors see this in their reports."
    )
    policy_changes = models.TextField("what should change in the policies", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Debrief of {self.incident}"


class DebriefPolicy(AppendOnly):
    """A policy the debrief found needs review."""

    debrief = models.ForeignKey(Debrief, on_delete=models.PROTECT, related_name="policies")
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "debrief policy"
        verbose_name_plural = "debrief policies"
        constraints = [
            models.UniqueConstraint(fields=["debrief", "policy"], name="debrief_policy_once"),
        ]

    def __str__(self) -> str:
        return str(self.policy)

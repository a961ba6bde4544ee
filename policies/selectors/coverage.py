"""Reads for signing: who must sign a policy, who has a valid signature, "policies for me to sign".

Query counts stay the same whatever the number of staff and signatures: members and signatures
are each loaded in one query (roles prefetched) and joined in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from policies.models import ChangeSize, Policy, PolicyVersion, Signature, VersionStatus
from policies.selectors.versions import versions_whose_signatures_count_for
from socialgov import access
from socialgov.people.models import Membership, MembershipRole
from socialgov.people.roles import Role, StaffGroup

GROUP_LABELS = dict(StaffGroup.choices)
ROLE_LABELS = dict(Role.choices)


def required_members(policy: Policy, *, on: dt.date | None = None) -> QuerySet[Membership]:
    """Current members of the policy's school who must sign it (by staff group or by a role)."""
    wanted = Q(pk__in=[])
    if policy.signer_groups:
        wanted |= Q(staff_group__in=policy.signer_groups)
    if policy.signer_roles:
        wanted |= Q(
            pk__in=Membership.objects.filter(
                school_id=policy.school_id, roles__role__in=policy.signer_roles
            ).values("pk")
        )
    return (
        Membership.objects.current(on)
        .filter(wanted, school_id=policy.school_id)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__full_name", "pk")
    )


def _last_major_number():
    """Per version row: the number of the last published major version up to it (or its own)."""
    return Coalesce(
        Subquery(
            PolicyVersion.objects.filter(
                policy_id=OuterRef("policy_id"),
                number__lte=OuterRef("number"),
                change=ChangeSize.MAJOR,
                published_at__isnull=False,
            )
            .order_by("-number")
            .values("number")[:1]
        ),
        "number",
    )


def published_versions_with_validity_for(user, school) -> QuerySet[PolicyVersion]:
    """Published versions of the school's policies, each annotated `signed_validly` for `user`."""
    valid = Signature.objects.filter(
        signer=user,
        version__policy_id=OuterRef("policy_id"),
        version__number__gte=OuterRef("last_major"),
        version__number__lte=OuterRef("number"),
    )
    return (
        PolicyVersion.objects.filter(
            policy__school_id=getattr(school, "pk", school), status=VersionStatus.PUBLISHED
        )
        .select_related("policy")
        .annotate(last_major=_last_major_number())
        .annotate(signed_validly=Exists(valid))
        .order_by("policy__title")
    )


def to_sign_for(user, school) -> list[PolicyVersion]:
    """Published versions the person must sign in `school` and has no valid signature for
    (one query, whatever the number of policies and signatures)."""
    membership = access.membership_in(user, school)
    if membership is None:
        return []
    return [
        version
        for version in published_versions_with_validity_for(user, school)
        if not version.signed_validly and version.policy.requires(membership)
    ]


def last_signature_on_policy(user, policy_id: int) -> Signature | None:
    """The person's most recent signature of any version of a policy."""
    return (
        Signature.objects.filter(signer=user, version__policy_id=policy_id)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


@dataclass
class CoverageRow:
    membership: Membership
    person: object  # socialgov.people.models.User
    staff_group: str
    roles: list[str]
    signed_at: dt.datetime | None
    signature_id: int | None

    @property
    def has_signed(self) -> bool:
        return self.signed_at is not None


@dataclass
class CoverageTotal:
    label: str
    signed: int = 0
    required: int = 0

    @property
    def unsigned(self) -> int:
        return self.required - self.signed

    @property
    def percent(self) -> int:
        return round(100 * self.signed / self.required) if self.required else 0


@dataclass
class Coverage:
    version: PolicyVersion
    rows: list[CoverageRow]
    overall: CoverageTotal
    by_group: list[CoverageTotal] = field(default_factory=list)
    by_role: list[CoverageTotal] = field(default_factory=list)

    @property
    def unsigned_rows(self) -> list[CoverageRow]:
        return [row for row in self.rows if not row.has_signed]


def valid_signers_of(version: PolicyVersion) -> dict[int, tuple[dt.datetime, int]]:
    """signer id → (signed at, signature id) of their latest valid signature (two queries)."""
    signed: dict[int, tuple[dt.datetime, int]] = {}
    for signer_id, signed_at, pk in Signature.objects.filter(
        version__in=versions_whose_signatures_count_for(version)
    ).values_list("signer_id", "signed_at", "pk"):
        if signer_id not in signed or signed[signer_id][0] < signed_at:
            signed[signer_id] = (signed_at, pk)
    return signed


def _role_names_of(memberships: QuerySet[Membership]) -> dict[int, list[str]]:
    """membership id → its role names, sorted (one query; lighter than prefetching objects)."""
    roles: dict[int, list[str]] = defaultdict(list)
    for membership_id, role in MembershipRole.objects.filter(
        membership__in=memberships.values("pk")
    ).values_list("membership_id", "role"):
        roles[membership_id].append(role)
    return {membership_id: sorted(names) for membership_id, names in roles.items()}


def coverage_for(version: PolicyVersion) -> Coverage:
    """Who must sign `version` and who has a valid signature, with totals by staff group and
    by role (four queries: required members, their roles, the last major version, signatures)."""
    signed = valid_signers_of(version)
    members = (
        required_members(version.policy)
        .prefetch_related(None)
        .only("id", "staff_group", "school_id", "user__id", "user__full_name")
    )
    role_names_of = _role_names_of(members)
    rows: list[CoverageRow] = []
    overall = CoverageTotal("Everyone required")
    by_group: dict[str, CoverageTotal] = {}
    by_role: dict[str, CoverageTotal] = {}
    for membership in members:
        signature = signed.get(membership.user_id)
        role_names = role_names_of.get(membership.pk, [])
        row = CoverageRow(
            membership=membership,
            person=membership.user,
            staff_group=GROUP_LABELS.get(membership.staff_group, membership.staff_group),
            roles=[ROLE_LABELS.get(r, r) for r in role_names],
            signed_at=signature[0] if signature else None,
            signature_id=signature[1] if signature else None,
        )
        rows.append(row)
        totals = [overall]
        totals.append(by_group.setdefault(row.staff_group, CoverageTotal(row.staff_group)))
        for role in role_names:
            totals.append(by_role.setdefault(role, CoverageTotal(ROLE_LABELS.get(role, role))))
        for total in totals:
            total.required += 1
            total.signed += row.has_signed
    return Coverage(
        version=version,
        rows=rows,
        overall=overall,
        by_group=sorted(by_group.values(), key=lambda t: t.label),
        by_role=sorted(by_role.values(), key=lambda t: t.label),
    )


def signable_published_versions(school=None) -> list[PolicyVersion]:
    """Published versions of policies that someone must sign (of one school, or of all)."""
    versions = (
        PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("policy", "policy__school")
        .order_by("policy__school_id", "policy__title")
    )
    if school is not None:
        versions = versions.filter(policy__school_id=getattr(school, "pk", school))
    # Who signs is a JSON list: asked in Python, the same on SQLite and PostgreSQL.
    return [version for version in versions if version.policy.is_signable]

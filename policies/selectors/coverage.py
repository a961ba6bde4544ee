"""Reads for signing: who must sign a policy, who has a valid signature, "policies for me to sign",
coverage of one version (totals and people) and coverage totals for a whole school.

The rules themselves (who must sign, which signatures count) are in policies/rules.py. Query
counts stay the same whatever the numbers of staff, signatures and policies: members, roles and
signatures are each loaded in one query as plain values and joined in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Exists, QuerySet

from policies.models import Policy, PolicyVersion, Signature, VersionStatus
from policies.rules import (
    Member,
    counts_for_outer_version_q,
    counts_for_version_q,
    is_required,
    named_besides,
    required_q,
    signature_counts_q,
    with_counting_from,
)
from socialgov import access
from socialgov.needs_me import shared
from socialgov.people.models import Membership, MembershipRole, User
from socialgov.people.roles import Role, StaffGroup

__all__ = [
    "FEWER_THAN",
    "NOT_SHOWN",
    "VERSION_TEXTS",
    "Coverage",
    "CoverageRow",
    "CoverageTotal",
    "CoverageTotals",
    "ValidSignature",
    "coverage_for",
    "coverage_totals_for_school",
    "last_signature_on_policy",
    "published_versions_with_validity_for",
    "required_members",
    "secondary_suppressed",
    "signable_published_versions",
    "signatures_counting_for",
    "to_sign_for",
    "valid_signers_of",
]

GROUP_LABELS = dict(StaffGroup.choices)
ROLE_LABELS = dict(Role.choices)
# Totals of fewer people than this are shown to governors as "fewer than 3" (DOMAIN: Governors).
FEWER_THAN = 3
# A version's text, not loaded where versions are only named (lists, dashboard panels).
VERSION_TEXTS = ("body_markdown", "body_html")
# What a group hidden by secondary suppression reads instead of its figures.
NOT_SHOWN = "not shown"


def required_members(policy: Policy, *, on: dt.date | None = None) -> QuerySet[Membership]:
    """Current members of the policy's school who must sign it (by staff group or by a role)."""
    return (
        Membership.objects.current(on)
        .filter(required_q(policy))
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__full_name", "pk")
    )


def published_versions_with_validity_for(user, school) -> QuerySet[PolicyVersion]:
    """Published versions of the school's policies, each annotated `signed_validly` for `user`."""
    valid = Signature.objects.filter(counts_for_outer_version_q(), signer=user)
    versions = PolicyVersion.objects.filter(
        policy__school_id=getattr(school, "pk", school), status=VersionStatus.PUBLISHED
    )
    return (
        with_counting_from(versions)
        .select_related("policy")
        .defer(*VERSION_TEXTS)  # lists and panels name versions; only reading shows their text
        .annotate(signed_validly=Exists(valid))
        .order_by("policy__title")
    )


def to_sign_for(user, school) -> list[PolicyVersion]:
    """Published versions the person must sign in `school` and has no valid signature for
    (one query, whatever the number of policies and signatures). Asked once per drawing of the
    dashboard (socialgov.needs_me.shared), where two panels ask: policies' "to sign" and
    official accounts' AUP for the people running an account."""
    membership = access.membership_in(user, school)
    if membership is None:
        return []

    def compute() -> list[PolicyVersion]:
        return [
            version
            for version in published_versions_with_validity_for(user, school)
            # signed_validly is annotated by the selector (invisible to the type checker)
            if not version.signed_validly  # type: ignore[attr-defined]
            and is_required(version.policy, membership)
        ]

    return list(shared(("policies.to_sign_for", user.pk, membership.school_id), compute))


def last_signature_on_policy(user, policy_id: int) -> Signature | None:
    """The person's most recent signature of any version of a policy."""
    return (
        Signature.objects.filter(signer=user, version__policy_id=policy_id)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


@dataclass(frozen=True)
class ValidSignature:
    """A person's latest signature that counts for a version."""

    signature_id: int
    signed_at: dt.datetime
    version_number: int  # the version they signed (an earlier minor one, or this one)


def valid_signers_of(version: PolicyVersion) -> dict[int, ValidSignature]:
    """signer id → their latest valid signature of `version` (one query)."""
    signed: dict[int, ValidSignature] = {}
    for signer_id, signed_at, pk, number in Signature.objects.filter(
        counts_for_version_q(version)
    ).values_list("signer_id", "signed_at", "pk", "version__number"):
        if signer_id not in signed or signed[signer_id].signed_at < signed_at:
            signed[signer_id] = ValidSignature(pk, signed_at, number)
    return signed


@dataclass
class CoverageRow:
    membership_id: int
    user_id: int
    full_name: str
    staff_group: str
    roles: list[str]
    signed: ValidSignature | None

    @property
    def person(self) -> User:
        """The person with only their id and full name (rows are built from plain values: a
        school's coverage is hundreds of rows). Load the users themselves to send them anything."""
        return User(id=self.user_id, full_name=self.full_name)

    @property
    def has_signed(self) -> bool:
        return self.signed is not None

    @property
    def signed_at(self) -> dt.datetime | None:
        return self.signed.signed_at if self.signed else None

    @property
    def signature_id(self) -> int | None:
        return self.signed.signature_id if self.signed else None

    @property
    def signed_version_number(self) -> int | None:
        return self.signed.version_number if self.signed else None


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

    @property
    def is_small(self) -> bool:
        """Too few people to show without names: one person's status could be read off."""
        return 0 < self.required < FEWER_THAN


def secondary_suppressed(groups: Sequence[CoverageTotal]) -> set[str]:
    """The labels of the groups (staff groups, or roles) hidden so that no small group (fewer than
    3 who must sign) can be worked out as the total minus the groups shown: while the hidden groups
    together count fewer than 3 people, the smallest shown group is hidden too (secondary
    suppression). What the total then gives away is only the hidden groups together, at least 3
    people, like a shown group. Wherever totals are shown without names (the governors' report,
    the coverage page and its CSV)."""
    hidden = sum(group.required for group in groups if group.is_small)
    if not hidden:
        return set()
    shown = sorted(
        (group for group in groups if not group.is_small and group.required),
        key=lambda group: (group.required, group.label),
    )
    secondary: set[str] = set()
    while hidden < FEWER_THAN and shown:
        group = shown.pop(0)
        secondary.add(group.label)
        hidden += group.required
    return secondary


@dataclass
class CoverageTotals:
    version: PolicyVersion
    overall: CoverageTotal
    by_group: list[CoverageTotal] = field(default_factory=list)
    by_role: list[CoverageTotal] = field(default_factory=list)


@dataclass
class Coverage(CoverageTotals):
    rows: list[CoverageRow] = field(default_factory=list)  # by name

    @property
    def unsigned_rows(self) -> list[CoverageRow]:
        return [row for row in self.rows if not row.has_signed]

    def rows_to_show(self, show: str = "") -> list[CoverageRow]:
        """The people table: "not signed" first, then by name; `show` "signed" or "unsigned"
        keeps only those."""
        rows = self.rows
        if show == "signed":
            rows = [row for row in rows if row.has_signed]
        elif show == "unsigned":
            rows = self.unsigned_rows
        return sorted(rows, key=lambda row: row.has_signed)  # stable: by name within each


class _Tally:
    """Totals overall, by staff group and by role, counted one person at a time."""

    def __init__(self) -> None:
        self.overall = CoverageTotal("Everyone required")
        self.by_group: dict[str, CoverageTotal] = {}
        self.by_role: dict[str, CoverageTotal] = {}

    def add(self, staff_group: str, role_names, has_signed: bool) -> None:
        self.add_people(staff_group, role_names, required=1, signed=int(has_signed))

    def add_people(self, staff_group: str, role_names, *, required: int, signed: int) -> None:
        """`required` people of one staff group holding the same roles, `signed` of whom have."""
        if not required:
            return
        group = GROUP_LABELS.get(staff_group, staff_group)
        totals = [self.overall, self.by_group.setdefault(group, CoverageTotal(group))]
        for role in role_names:
            totals.append(self.by_role.setdefault(role, CoverageTotal(ROLE_LABELS.get(role, role))))
        for total in totals:
            total.required += required
            total.signed += signed

    def totals(self, version: PolicyVersion) -> CoverageTotals:
        return CoverageTotals(
            version=version,
            overall=self.overall,
            by_group=sorted(self.by_group.values(), key=lambda t: t.label),
            by_role=sorted(self.by_role.values(), key=lambda t: t.label),
        )


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
    by role (three queries: valid signatures, required members, their roles)."""
    signed = valid_signers_of(version)
    members = required_members(version.policy).prefetch_related(None)
    role_names_of = _role_names_of(members)
    rows: list[CoverageRow] = []
    tally = _Tally()
    # Plain values, not model instances: a large school's page reads hundreds of members.
    for membership_id, staff_group, user_id, full_name in members.values_list(
        "id", "staff_group", "user_id", "user__full_name"
    ):
        signature = signed.get(user_id)
        role_names = role_names_of.get(membership_id, [])
        rows.append(
            CoverageRow(
                membership_id=membership_id,
                user_id=user_id,
                full_name=full_name,
                staff_group=GROUP_LABELS.get(staff_group, staff_group),
                roles=[ROLE_LABELS.get(r, r) for r in role_names],
                signed=signature,
            )
        )
        tally.add(staff_group, role_names, signature is not None)
    totals = tally.totals(version)
    return Coverage(**vars(totals), rows=rows)


def signatures_counting_for(coverage: Coverage) -> list[Signature]:
    """The signatures that make up a version's coverage figure: each required current member's
    latest valid signature (made on it or carried over from an earlier minor version), by
    signer's name, with the signer, version and stored PDF loaded (one query)."""
    ids = [row.signature_id for row in coverage.rows if row.has_signed]
    return list(
        Signature.objects.filter(pk__in=ids)
        .select_related("signer", "version", "pdf")
        .order_by("signer__full_name", "pk")
    )


def coverage_totals_for_school(school, *, on: dt.date | None = None) -> list[CoverageTotals]:
    """Coverage totals of every signable published policy of the school, by title: overall,
    by staff group and by role, of the members current on `on` (default today), without
    people's rows (four queries, whatever the numbers of policies, staff and signatures)."""
    versions = signable_published_versions(school, with_counting=True)
    if not versions:
        return []
    school_id = getattr(school, "pk", school)
    members = Membership.objects.current(on).filter(school_id=school_id).order_by()
    role_names_of = _role_names_of(members)
    # People of one staff group holding the same roles are asked about together: the rule
    # asks only those, besides the people another app names (policies.rules.is_required).
    kinds: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    for pk, user_id, group in members.values_list("pk", "user_id", "staff_group"):
        kinds[(group, frozenset(role_names_of.get(pk, ())))].append(user_id)
    windows = reduce(
        or_,
        (
            signature_counts_q(v.policy_id, v.number, v.counting_from)  # type: ignore[attr-defined]
            for v in versions
        ),
    )
    signed: dict[int, set[int]] = defaultdict(set)
    for policy_id, signer_id in (
        Signature.objects.filter(windows)
        .order_by()  # no default ordering: DISTINCT over the two columns only
        .values_list("version__policy_id", "signer_id")
        .distinct()
    ):
        signed[policy_id].add(signer_id)
    coverages = []
    for version in versions:
        tally = _Tally()
        signers = signed[version.policy_id]
        named = named_besides(version.policy)
        for (group, role_names), user_ids in kinds.items():
            # user id 0 is nobody: is the kind itself required, whoever is named besides?
            if is_required(version.policy, Member(0, school_id, group, role_names)):
                required = user_ids
            else:
                required = [user_id for user_id in user_ids if user_id in named]
            tally.add_people(
                group,
                sorted(role_names),
                required=len(required),
                signed=sum(user_id in signers for user_id in required),
            )
        coverages.append(tally.totals(version))
    return coverages


def signable_published_versions(
    school=None, *, with_counting: bool = False, school_ids=None, kinds=None
) -> list[PolicyVersion]:
    """Published versions of policies that someone must sign (of one school, of the schools
    `school_ids` names, or of all; of the policy kinds `kinds` names, or of every kind), by
    school and title; `with_counting` annotates each with `counting_from` (policies.rules)."""
    versions = (
        PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .defer("body_markdown", "body_html")  # who signs what, not what it says
        .select_related("policy", "policy__school")
        .order_by("policy__school_id", "policy__title")
    )
    if school is not None:
        versions = versions.filter(policy__school_id=getattr(school, "pk", school))
    if school_ids is not None:
        versions = versions.filter(policy__school_id__in=sorted(school_ids))
    if kinds is not None:
        versions = versions.filter(policy__kind__in=sorted(kinds))
    if with_counting:
        versions = with_counting_from(versions)
    # Who signs is a JSON list: asked in Python, the same on SQLite and PostgreSQL.
    return [version for version in versions if version.policy.is_signable]

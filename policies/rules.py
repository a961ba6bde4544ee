"""The two signing rules, each written once; the Python and the SQL forms are built from here.

Who must sign (DESIGN §4): a current member of the policy's school whose staff group is one of
the policy's `signer_groups`, or who holds one of its `signer_roles`, or whom another app names
for policies of that kind (`SIGNERS_BESIDES`: the people running an official account must sign
the official-accounts AUP whatever their staff group).
- `is_required(policy, membership)`: in Python, for one person (signing, the to-sign list).
- `required_q(policy)`: as a filter on `Membership` (coverage, reminders, the zip).

Which signatures count: a signature is valid for a version when it was made on that version or
on an earlier one of the same policy with no *published* major version in between (an approved
major version that was never published resets nothing).
- `counting_from(...)`: the number of the first version whose signatures count, one expression
  used in both forms: `counts_for_version_q(version)` (one version's values in the query) and
  `with_counting_from(versions)` + `counts_for_outer_version_q()` (a queryset of versions, in a
  subquery), both through `signature_counts_q`.

tests/policies/test_rules_agreement.py checks that every page built on these agrees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from policies.models import ChangeSize, PolicyVersion
from socialgov.people.models import Membership, MembershipRole
from socialgov.registry import Registry


@dataclass(frozen=True)
class SignersBesides:
    """Members who must sign every policy of `kind` besides its signer groups and roles, named
    by the app whose work needs the signature. `members(school_id)` is a filter on `Membership`;
    `members_of_own_school()` the same people as a filter on memberships of any school, each
    judged by its own school (correlated: pages about many schools ask in one simple query)."""

    name: str
    kind: str
    members: Callable[[int], Q]
    members_of_own_school: Callable[[], Q]


SIGNERS_BESIDES: Registry[SignersBesides] = Registry("signers besides the groups")


def _besides_q_for(kind: str, school_id: int) -> Q | None:
    found = [entry for entry in SIGNERS_BESIDES.entries() if entry.kind == kind]
    if not found:
        return None
    condition = Q(pk__in=[])
    for entry in found:
        condition |= entry.members(school_id)
    return condition


def _besides_q(policy) -> Q | None:
    return _besides_q_for(policy.kind, policy.school_id)


def _named_besides_for_kind(kind: str) -> bool:
    """Does any app name signers of policies of `kind` besides the groups (without building
    the filter, which costs a subquery each)?"""
    return any(entry.kind == kind for entry in SIGNERS_BESIDES.entries())


def prime_signers_besides(policies) -> None:
    """Load the `SIGNERS_BESIDES` people of many policies at once (one query per kind named,
    whatever the number of schools), for pages that ask about several schools' policies."""
    by_kind: dict[str, list] = {}
    for policy in policies:
        if getattr(policy, "_signers_besides", None) is None and _named_besides_for_kind(
            policy.kind
        ):
            by_kind.setdefault(policy.kind, []).append(policy)
    for kind, found in by_kind.items():
        condition = Q(pk__in=[])
        for entry in SIGNERS_BESIDES.entries():
            if entry.kind == kind:
                condition |= entry.members_of_own_school()
        schools = sorted({policy.school_id for policy in found})
        ids: dict[int, set[int]] = {}
        for school_id, user_id in (
            Membership.objects.filter(school_id__in=schools)
            .filter(condition)
            .values_list("school_id", "user_id")
        ):
            ids.setdefault(school_id, set()).add(user_id)
        for policy in found:
            policy._signers_besides = frozenset(ids.get(policy.school_id, ()))


def _besides_user_ids(policy) -> frozenset[int]:
    """Users named by `SIGNERS_BESIDES` for this policy (one query, kept on the policy object
    so that a page asking about many members of one policy asks once)."""
    cached = getattr(policy, "_signers_besides", None)
    if cached is None:
        condition = _besides_q(policy)
        cached = (
            frozenset()
            if condition is None
            else frozenset(
                Membership.objects.filter(school_id=policy.school_id)
                .filter(condition)
                .values_list("user_id", flat=True)
            )
        )
        policy._signers_besides = cached
    return cached


def named_besides(policy) -> frozenset[int]:
    """The users another app names as signers of this policy (`SIGNERS_BESIDES`), whatever
    their staff group and roles: `is_required`'s last test, for pages that ask about many
    people of the same group and roles at once."""
    return _besides_user_ids(policy)


def signer_groups(policy) -> frozenset[str]:
    return frozenset(policy.signer_groups or ())


def signer_roles(policy) -> frozenset[str]:
    return frozenset(policy.signer_roles or ())


@dataclass(frozen=True)
class Member:
    """Just what `is_required` asks of a membership: for pages that ask about many people by
    plain values (user id 0: any member of that staff group with those roles)."""

    user_id: int
    school_id: int
    staff_group: str
    role_names: frozenset[str]


def is_required(policy, membership) -> bool:
    """Must this (current) member sign the policy? By staff group, by a role they hold, or
    because another app names them for policies of its kind (`SIGNERS_BESIDES`)."""
    if membership.school_id != policy.school_id:
        return False
    if membership.staff_group in signer_groups(policy) or bool(
        membership.role_names & signer_roles(policy)
    ):
        return True
    return membership.user_id in _besides_user_ids(policy)


def required_q(policy) -> Q:
    """`is_required` as a filter on the policy school's `Membership` rows (current ones: add
    `.current()`); an empty rule matches nobody."""
    wanted = Q(pk__in=[])
    if signer_groups(policy):
        wanted |= Q(staff_group__in=sorted(signer_groups(policy)))
    if signer_roles(policy):
        wanted |= Q(
            Exists(
                MembershipRole.objects.filter(
                    membership_id=OuterRef("pk"), role__in=sorted(signer_roles(policy))
                )
            )
        )
    besides = _besides_q(policy)
    if besides is not None:
        wanted |= besides
    return Q(school_id=policy.school_id) & wanted


def counting_from(policy_id, number, *, own):
    """The number of the last published major version of the policy up to `number`, or `own`
    (the version's own number) when there is none: signatures on versions from there up to the
    version count for it. `policy_id` and `number` are as seen from inside a subquery (values, or
    `OuterRef`s to the version being asked about); `own` as seen from the version's query."""
    return Coalesce(
        Subquery(
            PolicyVersion.objects.filter(
                policy_id=policy_id,
                number__lte=number,
                change=ChangeSize.MAJOR,
                published_at__isnull=False,
            )
            .order_by("-number")
            .values("number")[:1]
        ),
        own,
    )


def with_counting_from(versions):
    """A queryset of versions, each annotated `counting_from` (the SQL form, for many)."""
    return versions.annotate(
        counting_from=counting_from(OuterRef("policy_id"), OuterRef("number"), own=F("number"))
    )


def signature_counts_q(policy_id, number, first, *, prefix: str = "version__") -> Q:
    """Signatures (or, with prefix="", versions) that count for version `number` of the policy,
    whose signatures count from version `first`."""
    return Q(
        **{
            f"{prefix}policy_id": policy_id,
            f"{prefix}number__gte": first,
            f"{prefix}number__lte": number,
        }
    )


def signature_counts(signed_number: int, number: int, first: int) -> bool:
    """`signature_counts_q` for a signature already read: made on version `signed_number`, does
    it count for version `number` of its policy, whose signatures count from version `first`?"""
    return first <= signed_number <= number


def counts_for_version_q(version, *, prefix: str = "version__") -> Q:
    """`signature_counts_q` for one version (its values in the query, one statement)."""
    first = counting_from(version.policy_id, version.number, own=Value(version.number))
    return signature_counts_q(version.policy_id, version.number, first, prefix=prefix)


def counts_for_outer_version_q(*, prefix: str = "version__") -> Q:
    """`signature_counts_q` inside a subquery of a `with_counting_from` queryset of versions."""
    return signature_counts_q(
        OuterRef("policy_id"), OuterRef("number"), OuterRef("counting_from"), prefix=prefix
    )

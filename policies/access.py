"""Access gateway for policies (DESIGN §3): one place for who sees and does what.

- Everyone in the school reads published (and superseded) versions and signs what applies to them.
- Editors (headteacher, DSL, SLT) see and edit drafts; the headteacher approves and publishes;
  the clerk, the chair of governors or the headteacher records ratification.
- Governors see published versions and coverage percentages only (no names).
- Coverage with names, and all signatures of a school: headteacher, deputy head, DSL team, SLT.
- A person always sees their own signatures.
Outside the person's schools everything is a 404.
"""

from django.db.models import Q, QuerySet

from policies.models import Policy, PolicyTemplate, PolicyVersion, Signature, VersionStatus
from socialgov import access
from socialgov.people.roles import Role

EDITORS = frozenset({Role.HEADTEACHER, Role.DSL, Role.SLT})
APPROVERS = frozenset({Role.HEADTEACHER})
RATIFIERS = frozenset({Role.HEADTEACHER, Role.CLERK, Role.CHAIR_OF_GOVERNORS})
COVERAGE_WITH_NAMES = frozenset(
    {Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.DSL, Role.DEPUTY_DSL, Role.SLT}
)
COVERAGE_PERCENTAGES = COVERAGE_WITH_NAMES | {
    Role.GOVERNOR,
    Role.CHAIR_OF_GOVERNORS,
    Role.SAFEGUARDING_GOVERNOR,
    Role.CLERK,
}
READABLE_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


def _schools_where(user, roles) -> list[int]:
    return [m.school_id for m in access.current_memberships(user) if m.role_names & roles]


def can_edit(user, school) -> bool:
    return access.has_role(user, school, *EDITORS)


def can_approve(user, school) -> bool:
    return access.has_role(user, school, *APPROVERS)


def can_ratify(user, school) -> bool:
    return access.has_role(user, school, *RATIFIERS)


def can_see_coverage_names(user, school) -> bool:
    return access.has_role(user, school, *COVERAGE_WITH_NAMES)


def can_see_coverage(user, school) -> bool:
    return access.has_role(user, school, *COVERAGE_PERCENTAGES)


def policy_visible_to(user) -> QuerySet[Policy]:
    """Policies of the person's schools."""
    return Policy.objects.filter(school_id__in=access.member_school_ids(user))


def policy_get_for_user(user, pk, *, write: bool = False) -> Policy:
    policy = access.get_visible_or_404(policy_visible_to(user).select_related("school"), pk)
    if write:
        access.require_write(can_edit(user, policy.school))
    return policy


def version_visible_to(user) -> QuerySet[PolicyVersion]:
    """Published and superseded versions for every member; every version for editors."""
    member = access.member_school_ids(user)
    editing = _schools_where(user, EDITORS)
    return PolicyVersion.objects.filter(
        Q(policy__school_id__in=editing)
        | Q(policy__school_id__in=member, status__in=READABLE_STATUSES)
    )


def version_get_for_user(user, pk, *, write: bool = False) -> PolicyVersion:
    version = access.get_visible_or_404(
        version_visible_to(user).select_related("policy", "policy__school"), pk
    )
    if write:
        access.require_write(can_edit(user, version.policy.school))
    return version


def signature_visible_to(user) -> QuerySet[Signature]:
    """A person's own signatures, and every signature of the schools where they see coverage
    with names."""
    return Signature.objects.filter(
        Q(signer=user) | Q(school_id__in=_schools_where(user, COVERAGE_WITH_NAMES))
    ).filter(school_id__in=access.member_school_ids(user))


def signature_get_for_user(user, pk) -> Signature:
    return access.get_visible_or_404(
        signature_visible_to(user).select_related("version", "version__policy", "signer", "school"),
        pk,
    )


# --- Templates (content: engineer C) ---------------------------------------------------------
# A school sees the published templates of its trust and of the local authority (no trust).
# Trust executives see every template of their trust, and are the only ones who write them.

TEMPLATE_WRITERS = frozenset({"trust_executive"})


def _trusts_writing(user) -> set[int]:
    memberships = access.current_trust_memberships(user)
    return {m.trust_id for m in memberships if m.role in TEMPLATE_WRITERS}


def template_visible_to(user) -> QuerySet[PolicyTemplate]:
    """Published templates of the person's schools' trusts and the local authority, and every
    template of a trust where the person is a trust executive."""
    if not getattr(user, "is_authenticated", False):
        return PolicyTemplate.objects.none()
    school_trusts = {m.school.trust_id for m in access.current_memberships(user)} - {None}
    published = Q(is_published=True) & (Q(trust__isnull=True) | Q(trust_id__in=school_trusts))
    return PolicyTemplate.objects.filter(published | Q(trust_id__in=_trusts_writing(user)))


def can_write_template(user, template: PolicyTemplate) -> bool:
    return template.trust_id is not None and template.trust_id in _trusts_writing(user)


def template_get_for_user(user, pk, *, write: bool = False) -> PolicyTemplate:
    template = access.get_visible_or_404(template_visible_to(user).select_related("trust"), pk)
    if write:
        access.require_write(can_write_template(user, template))
    return template


def signature_verifiable_by(user) -> QuerySet[Signature]:
    """Signatures whose verification code the person may check: any of their schools'."""
    return Signature.objects.filter(school_id__in=access.member_school_ids(user))


def can_sign(user, version: PolicyVersion) -> bool:
    """The published version of a policy the person is asked to sign, in one of their schools."""
    membership = access.membership_in(user, version.policy.school_id)
    return (
        membership is not None
        and version.status == VersionStatus.PUBLISHED
        and version.policy.requires(membership)
    )

"""Access gateway for policies (DESIGN §3): one place for who sees and does what.

- Everyone in the school reads published (and superseded) versions and signs what applies to them.
- Editors (headteacher, DSL, SLT) see and edit drafts, and see a policy's and a version's history;
  the headteacher approves and publishes; the clerk, the chair of governors or the headteacher
  records ratification.
- The author of a version does not approve it when someone else can (the school's setting
  `policy_author_cannot_approve`, on by default): another headteacher, or else the deputy
  headteacher or the chair of governors, approves the headteacher's own version.
- Governors see published versions and coverage totals only (no names; groups of fewer than
  3 people are shown as "fewer than 3").
- Coverage with names, chasing, the signed-PDF zip, and all signatures of a school: headteacher,
  deputy head, DSL team, SLT and the office (schools' offices do the chasing).
- A person always sees their own signatures.
- Trust templates: the published ones of the person's schools' trusts and the local authority's;
  trust executives see and write every template of their trust.
Outside the person's schools everything is a 404.
"""

from django.db.models import Q, QuerySet

from policies.models import Policy, PolicyTemplate, PolicyVersion, Signature, VersionStatus
from socialgov import access
from socialgov.people.roles import Role, TrustRole

EDITORS = frozenset({Role.HEADTEACHER, Role.DSL, Role.SLT})
APPROVERS = frozenset({Role.HEADTEACHER})
# Approve a version whose author is the school's (only) headteacher.
STAND_IN_APPROVERS = frozenset({Role.DEPUTY_HEADTEACHER, Role.CHAIR_OF_GOVERNORS})
RATIFIERS = frozenset({Role.HEADTEACHER, Role.CLERK, Role.CHAIR_OF_GOVERNORS})
COVERAGE_WITH_NAMES = frozenset(
    {Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.DSL, Role.DEPUTY_DSL, Role.SLT, Role.OFFICE}
)
COVERAGE_PERCENTAGES = COVERAGE_WITH_NAMES | {
    Role.GOVERNOR,
    Role.CHAIR_OF_GOVERNORS,
    Role.SAFEGUARDING_GOVERNOR,
    Role.CLERK,
}
READABLE_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
APPROVAL_STATUSES = (VersionStatus.AWAITING_APPROVAL, VersionStatus.APPROVED)


def _schools_where(user, roles) -> list[int]:
    return [m.school_id for m in access.current_memberships(user) if m.role_names & roles]


def can_edit(user, school) -> bool:
    return access.has_role(user, school, *EDITORS)


def can_see_history(user, school) -> bool:
    """A policy's and a version's history (who changed what): the editors."""
    return can_edit(user, school)


def can_approve(user, school) -> bool:
    """May approve some versions in `school` (a headteacher, or a stand-in approver when the
    school's setting is on); for one version ask `can_approve_version`."""
    roles = APPROVERS
    if getattr(school, "policy_author_cannot_approve", False):
        roles = APPROVERS | STAND_IN_APPROVERS
    return access.has_role(user, school, *roles)


def version_approvers(version: PolicyVersion) -> list:
    """The people who may approve (or send back) `version`, by name (two queries).

    Headteachers approve. With the school's setting `policy_author_cannot_approve` on, the
    version's author is left out whenever someone else can approve: another headteacher, or
    else the deputy headteachers and the chair of governors. An author who is the school's only
    possible approver still approves (a school must be able to publish its policies)."""
    school = version.policy.school
    return approvers_among(approval_candidates(school), school, version.created_by_id)


def approval_candidates(school) -> list:
    """The school's current, active holders of an approving role, by name (two queries): what
    `approvers_among` chooses from, loaded once for any number of versions."""
    from socialgov.people.selectors import role_holders

    holders = [
        membership
        for membership in role_holders(school, *APPROVERS, *STAND_IN_APPROVERS).prefetch_related(
            "roles"
        )
        if membership.user.is_active
    ]
    return sorted(holders, key=lambda m: (m.user.full_name, m.user_id))


def approvers_among(by_name: list, school, author_id: int | None) -> list:
    """Who of `approval_candidates(school)` may approve a version written by `author_id` (the
    rule of `version_approvers`, without queries)."""
    heads = [m.user for m in by_name if m.role_names & APPROVERS]
    if not school.policy_author_cannot_approve:
        return heads
    other_heads = [user for user in heads if user.pk != author_id]
    if other_heads or not any(user.pk == author_id for user in heads):
        return other_heads
    stand_ins = [
        m.user for m in by_name if m.role_names & STAND_IN_APPROVERS and m.user_id != author_id
    ]
    return stand_ins or heads


def can_approve_version(user, version: PolicyVersion) -> bool:
    """May `user` approve or send back this version? (see `version_approvers`)"""
    if not can_approve(user, version.policy.school):
        return False  # no query for the people who could never approve
    return any(approver.pk == user.pk for approver in version_approvers(version))


def can_ratify(user, school) -> bool:
    return access.has_role(user, school, *RATIFIERS)


def can_see_coverage_names(user, school) -> bool:
    return access.has_role(user, school, *COVERAGE_WITH_NAMES)


def can_see_coverage(user, school) -> bool:
    return access.has_role(user, school, *COVERAGE_PERCENTAGES)


def can_chase(user, version: PolicyVersion) -> bool:
    """Remind the people who have not signed: those who see names, for the published version."""
    return (
        can_see_coverage_names(user, version.policy.school)
        and version.status == VersionStatus.PUBLISHED
    )


def can_export_signatures(user, version: PolicyVersion) -> bool:
    """The signed PDFs of a version as a zip: those who see coverage with names."""
    return can_see_coverage_names(user, version.policy.school)


def policy_visible_to(user) -> QuerySet[Policy]:
    """Policies of the person's schools."""
    return Policy.objects.filter(school_id__in=access.member_school_ids(user))


def policy_get_for_user(user, pk, *, write: bool = False) -> Policy:
    policy = access.get_visible_or_404(policy_visible_to(user).select_related("school"), pk)
    if write:
        access.require_write(can_edit(user, policy.school))
    return policy


def _schools_standing_in(user) -> list[int]:
    """Schools where the person may approve the headteacher's own versions (the setting on)."""
    return [
        m.school_id
        for m in access.current_memberships(user)
        if m.role_names & STAND_IN_APPROVERS and m.school.policy_author_cannot_approve
    ]


def version_visible_to(user) -> QuerySet[PolicyVersion]:
    """Published and superseded versions for every member; every version for editors; versions
    awaiting approval or approved for the stand-in approvers (deputy head, chair)."""
    member = access.member_school_ids(user)
    editing = _schools_where(user, EDITORS)
    return PolicyVersion.objects.filter(
        Q(policy__school_id__in=editing)
        | Q(policy__school_id__in=member, status__in=READABLE_STATUSES)
        | Q(policy__school_id__in=_schools_standing_in(user), status__in=APPROVAL_STATUSES)
    )


def version_get_for_user(user, pk, *, write: bool = False) -> PolicyVersion:
    version = access.get_visible_or_404(
        version_visible_to(user).select_related("policy", "policy__school"), pk
    )
    if write:
        access.require_write(can_edit(user, version.policy.school))
    return version


def coverage_version_get_for_user(user, pk) -> PolicyVersion:
    """A version whose coverage the person may see: 404 outside what they may read, 403 for a
    member whose role sees no coverage. Ask `can_see_coverage_names` whether names are shown."""
    version = version_get_for_user(user, pk)
    access.require_write(can_see_coverage(user, version.policy.school))
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


def signature_verifiable_by(user) -> QuerySet[Signature]:
    """Signatures whose verification code the person may check: any of their schools'."""
    return Signature.objects.filter(school_id__in=access.member_school_ids(user))


def can_sign(user, version: PolicyVersion) -> bool:
    """The published version of a policy the person is asked to sign, in one of their schools."""
    from policies.rules import is_required

    membership = access.membership_in(user, version.policy.school_id)
    return (
        membership is not None
        and version.status == VersionStatus.PUBLISHED
        and is_required(version.policy, membership)
    )


# --- Templates -------------------------------------------------------------------------------
# A school sees the published templates of its trust and of the local authority (no trust).
# Trust executives (every trust role) see every template of their trust, and are the only ones
# who write them.

TEMPLATE_WRITERS = frozenset(TrustRole.values)


def template_writing_trust_ids(user) -> set[int]:
    """The trusts whose templates the person writes: where they hold a current trust role."""
    memberships = access.current_trust_memberships(user)
    return {m.trust_id for m in memberships if m.role in TEMPLATE_WRITERS}


def template_writing_trusts(user) -> QuerySet:
    from socialgov.people.models import Trust

    return Trust.objects.filter(pk__in=template_writing_trust_ids(user)).order_by("name")


def can_write_templates(user) -> bool:
    """May write some trust's templates (the templates menu entry, 'new template')."""
    return bool(template_writing_trust_ids(user))


def can_write_template_for(user, trust) -> bool:
    return trust is not None and getattr(trust, "pk", trust) in template_writing_trust_ids(user)


def template_visible_to(user) -> QuerySet[PolicyTemplate]:
    """Published templates of the person's schools' trusts and the local authority, and every
    template of a trust where the person is a trust executive."""
    if not getattr(user, "is_authenticated", False):
        return PolicyTemplate.objects.none()
    school_trusts = {m.school.trust_id for m in access.current_memberships(user)} - {None}
    published = Q(is_published=True) & (Q(trust__isnull=True) | Q(trust_id__in=school_trusts))
    return PolicyTemplate.objects.filter(
        published | Q(trust_id__in=template_writing_trust_ids(user))
    )


def can_write_template(user, template: PolicyTemplate) -> bool:
    return template.trust_id is not None and can_write_template_for(user, template.trust_id)


def template_get_for_user(user, pk, *, write: bool = False) -> PolicyTemplate:
    template = access.get_visible_or_404(template_visible_to(user).select_related("trust"), pk)
    if write:
        access.require_write(can_write_template(user, template))
    return template


def can_adopt_template(user, template: PolicyTemplate, school) -> bool:
    """An editor of `school` adopts a published template offered to it (its trust's or the
    local authority's)."""
    return (
        school is not None
        and can_edit(user, school)
        and template.is_published
        and template.trust_id in (None, school.trust_id)
    )

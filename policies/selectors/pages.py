"""Reads for the policy management pages: a fixed number of queries whatever the numbers of
policies, versions, staff and signatures."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from policies import access as policy_access
from policies.models import OPEN_STATUSES, Policy, PolicyVersion, Ratification, VersionStatus


def policies_for_list(user, school) -> QuerySet[Policy]:
    """The school's policies with their published version and open draft (one query)."""
    published = PolicyVersion.objects.filter(policy=OuterRef("pk"), status=VersionStatus.PUBLISHED)
    open_version = PolicyVersion.objects.filter(policy=OuterRef("pk"), status__in=OPEN_STATUSES)
    return (
        policy_access.policy_visible_to(user)
        .filter(school=school)
        .select_related("owner")
        .annotate(
            published_pk=Subquery(published.values("pk")[:1]),
            published_number=Subquery(published.values("number")[:1]),
            published_on=Subquery(published.values("published_at")[:1]),
            open_pk=Subquery(open_version.values("pk")[:1]),
            open_number=Subquery(open_version.values("number")[:1]),
            open_status=Subquery(open_version.values("status")[:1]),
        )
        .order_by("title")
    )


def versions_for_page(user, policy: Policy) -> QuerySet[PolicyVersion]:
    """The versions of `policy` the person may read, newest first, with approver and
    current ratification loaded (`version.current_ratification`)."""
    current = Ratification.objects.filter(superseded_at__isnull=True).select_related("recorded_by")
    return (
        policy_access.version_visible_to(user)
        .filter(policy=policy)
        .select_related("approved_by", "created_by")
        .prefetch_related(Prefetch("ratifications", current, to_attr="current_ratifications"))
        .order_by("-number")
    )

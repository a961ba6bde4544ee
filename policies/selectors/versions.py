"""Reads of policies: the published version and which signatures are valid for it."""

from django.db.models import Max, QuerySet

from policies.models import ChangeSize, PolicyVersion, Signature, VersionStatus


def published_version(policy) -> PolicyVersion | None:
    return policy.versions.filter(status=VersionStatus.PUBLISHED).first()


def versions_whose_signatures_count_for(version: PolicyVersion) -> QuerySet[PolicyVersion]:
    """The versions of the policy whose signatures are valid for `version`: it and the ones
    before it back to (and including) the last published major version."""
    last_major = (
        PolicyVersion.objects.filter(
            policy_id=version.policy_id,
            number__lte=version.number,
            change=ChangeSize.MAJOR,
            published_at__isnull=False,
        ).aggregate(n=Max("number"))["n"]
        or version.number
    )
    return PolicyVersion.objects.filter(
        policy_id=version.policy_id, number__gte=last_major, number__lte=version.number
    )


def valid_signatures_for(version: PolicyVersion) -> QuerySet[Signature]:
    return Signature.objects.filter(version__in=versions_whose_signatures_count_for(version))


def has_valid_signature(user, version: PolicyVersion) -> bool:
    return valid_signatures_for(version).filter(signer=user).exists()

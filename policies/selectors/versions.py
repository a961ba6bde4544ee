"""Reads of policies: the published version and which signatures are valid for it
(the rule itself is in policies/rules.py)."""

from django.db.models import QuerySet

from policies.models import PolicyVersion, Signature, VersionStatus
from policies.rules import counts_for_version_q


def published_version(policy) -> PolicyVersion | None:
    return policy.versions.filter(status=VersionStatus.PUBLISHED).first()


def versions_whose_signatures_count_for(version: PolicyVersion) -> QuerySet[PolicyVersion]:
    """The versions of the policy whose signatures are valid for `version`: it and the ones
    before it back to (and including) the last published major version."""
    return PolicyVersion.objects.filter(counts_for_version_q(version, prefix=""))


def valid_signatures_for(version: PolicyVersion) -> QuerySet[Signature]:
    return Signature.objects.filter(counts_for_version_q(version))


def has_valid_signature(user, version: PolicyVersion) -> bool:
    return valid_signatures_for(version).filter(signer=user).exists()

"""Reads of policies, split by sub-domain; import from here (`from policies import selectors`).

- versions.py: the published version and which signatures are valid for it
- coverage.py: who must sign, who has, "policies for me to sign"
- reviews.py: reviews due and overdue
- pages.py: the policy list and a policy's versions (managing policies)
"""

from policies.selectors.coverage import (
    FEWER_THAN,
    NOT_SHOWN,
    VERSION_TEXTS,
    Coverage,
    CoverageRow,
    CoverageTotal,
    CoverageTotals,
    ValidSignature,
    coverage_for,
    coverage_totals_for_school,
    last_signature_on_policy,
    published_versions_with_validity_for,
    required_members,
    secondary_suppressed,
    signable_published_versions,
    signatures_counting_for,
    to_sign_for,
    valid_signers_of,
)
from policies.selectors.pages import (
    policies_for_list,
    versions_for_page,
)
from policies.selectors.reviews import (
    current_member_ids,
    policies_overdue_on,
    policies_review_attention,
    policies_with_review_on,
    reviews_of,
    role_holders_by_school,
)
from policies.selectors.versions import (
    has_valid_signature,
    published_version,
    valid_signatures_for,
    versions_whose_signatures_count_for,
)

__all__ = [
    "VERSION_TEXTS",
    "Coverage",
    "coverage_for",
    "coverage_totals_for_school",
    "CoverageRow",
    "CoverageTotal",
    "CoverageTotals",
    "current_member_ids",
    "FEWER_THAN",
    "NOT_SHOWN",
    "has_valid_signature",
    "last_signature_on_policy",
    "policies_for_list",
    "policies_overdue_on",
    "policies_review_attention",
    "policies_with_review_on",
    "published_version",
    "published_versions_with_validity_for",
    "required_members",
    "reviews_of",
    "role_holders_by_school",
    "secondary_suppressed",
    "signable_published_versions",
    "signatures_counting_for",
    "to_sign_for",
    "valid_signatures_for",
    "valid_signers_of",
    "ValidSignature",
    "versions_for_page",
    "versions_whose_signatures_count_for",
]

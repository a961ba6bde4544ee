"""Writes to policies, split by sub-domain; import from here (`from policies import services`).

- versions.py: policy_create, the version life cycle, ratification, signature_create
- signing.py: signature PDFs, chasers, bulk export (signing and coverage)
- content.py: Word import, templates and adoption
- reviews.py: review records and review requests
"""

from policies.services.content import (
    official_channels_text,
    template_adopt,
    template_fill,
    template_save,
    version_import_docx,
)
from policies.services.reviews import (
    default_next_review_on,
    policy_review_record,
    policy_review_request,
    policy_review_withdraw,
)
from policies.services.signing import (
    sign_url,
    signature_chase,
    signature_pdf_bytes,
    signature_pdf_filename,
    signature_pdf_render,
    signature_pdfs_missing,
    signature_pdfs_render_missing,
    unsigned_context,
    unsigned_reminder,
)
from policies.services.versions import (
    AGREEMENT_STATEMENT,
    policy_create,
    policy_related_set,
    policy_update,
    ratification_correct,
    signature_create,
    version_approve,
    version_create_draft,
    version_publish,
    version_ratify,
    version_return_to_draft,
    version_submit,
    version_update_draft,
)

__all__ = [
    "AGREEMENT_STATEMENT",
    "default_next_review_on",
    "official_channels_text",
    "policy_create",
    "policy_related_set",
    "policy_review_record",
    "policy_review_request",
    "policy_review_withdraw",
    "policy_update",
    "ratification_correct",
    "sign_url",
    "signature_chase",
    "signature_create",
    "signature_pdf_bytes",
    "signature_pdf_filename",
    "signature_pdf_render",
    "signature_pdfs_missing",
    "signature_pdfs_render_missing",
    "template_adopt",
    "template_fill",
    "template_save",
    "unsigned_context",
    "unsigned_reminder",
    "version_approve",
    "version_create_draft",
    "version_import_docx",
    "version_publish",
    "version_ratify",
    "version_return_to_draft",
    "version_submit",
    "version_update_draft",
]

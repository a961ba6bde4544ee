"""Writes for signing: the archival PDF of each signature, and chasing people who have not signed.

The PDF is slow I/O: it is rendered outside any transaction, then stored and attached to the
signature under a row lock, so it is stored once even when the task and a download race.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from policies import access as policy_access
from policies.models import PolicyVersion, Signature, VersionStatus
from policies.selectors.coverage import coverage_for
from socialgov.notifications.models import Notification
from socialgov.notifications.services import notification_send
from socialgov.pdf import render_pdf
from socialgov.uploads.models import StoredFile
from socialgov.uploads.services import stored_file_create_from_bytes

logger = logging.getLogger(__name__)

UNSIGNED_KIND = "policy_unsigned"
PDF_TEMPLATE = "pdf/signature.html"


def signature_pdf_filename(signature: Signature) -> str:
    version = signature.version
    return (
        f"{version.policy.title} v{version.number} signed by {signature.signer.full_name} "
        f"{signature.display_code}.pdf"
    )


def signature_pdf_bytes(*, signature: Signature) -> bytes:
    """The archival PDF/A record of a signature (slow: call outside transactions)."""
    version = signature.version
    return render_pdf(
        template=PDF_TEMPLATE,
        context={
            "title": f"{version.policy.title}: signed record",
            "signature": signature,
            "version": version,
            "policy": version.policy,
            "signed_at": timezone.localtime(signature.signed_at),
            "signed_html": version.body_html,
        },
        school=signature.school,
        archival=True,
    )


def signature_pdf_render(*, signature: Signature) -> StoredFile:
    """The signature's stored PDF, rendering and storing it first if it has none yet.

    Rendered once: a second call (or a race with the background task) returns the stored file.
    """
    signature = Signature.objects.select_related(
        "version", "version__policy", "signer", "school", "pdf"
    ).get(pk=signature.pk)
    if signature.pdf is not None:
        return signature.pdf
    content = signature_pdf_bytes(signature=signature)  # outside the transaction: slow I/O
    return _signature_pdf_store(signature=signature, content=content)


@transaction.atomic
def _signature_pdf_store(*, signature: Signature, content: bytes) -> StoredFile:
    locked = Signature.objects.select_for_update().get(pk=signature.pk)
    if locked.pdf_id is not None:
        return StoredFile.objects.get(pk=locked.pdf_id)  # another render won the race
    stored = stored_file_create_from_bytes(
        school=signature.school,
        created_by=signature.signer,
        content=content,
        name=signature_pdf_filename(signature),
        content_type="application/pdf",
    )
    # A signature is never edited (its history shows its creation only): the PDF is attached
    # with an update that bypasses history and leaves every signed field untouched.
    Signature.objects.filter(pk=locked.pk, pdf__isnull=True).update(
        pdf=stored, pdf_sha256=hashlib.sha256(content).hexdigest()
    )
    logger.info("Stored the signed PDF of signature %s", signature.pk)
    return stored


def signature_pdfs_ensure(*, version: PolicyVersion, actor) -> int:
    """Render the PDFs missing from a version's signatures (before a bulk export); how many."""
    if not policy_access.can_see_coverage_names(actor, version.policy.school):
        raise PermissionDenied("Your role does not allow you to export signatures.")
    missing = Signature.objects.filter(version=version, pdf__isnull=True)
    rendered = 0
    for signature in missing:
        signature_pdf_render(signature=signature)
        rendered += 1
    return rendered


def sign_url(version: PolicyVersion) -> str:
    return reverse("version_sign", kwargs={"pk": version.pk})


def unsigned_context(version: PolicyVersion) -> dict:
    """Plain values for the "please sign" notification (no names of anyone else)."""
    return {
        "policy_title": version.policy.title,
        "version_number": str(version.number),
        "school_name": version.policy.school.name,
    }


@transaction.atomic
def signature_chase(*, version: PolicyVersion, actor) -> tuple[int, int]:
    """Ask everyone required who has not signed the published version to sign it now.

    A person is chased at most once a day per version. Returns (chased, already chased today).
    """
    version = PolicyVersion.objects.select_related("policy", "policy__school").get(pk=version.pk)
    school = version.policy.school
    if not policy_access.can_see_coverage_names(actor, school):
        raise PermissionDenied("Your role does not allow you to chase signatures.")
    if version.status != VersionStatus.PUBLISHED:
        raise PermissionDenied("Only the published version can be chased.")
    url = sign_url(version)
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    already = set(
        Notification.objects.filter(
            kind=UNSIGNED_KIND, url=url, created_at__gte=today_start
        ).values_list("recipient_id", flat=True)
    )
    chased = skipped = 0
    context = unsigned_context(version)
    for row in coverage_for(version).unsigned_rows:
        if row.person.pk in already:
            skipped += 1
            continue
        notification_send(
            recipient=row.person, kind=UNSIGNED_KIND, url=url, school=school, context=context
        )
        chased += 1
    return chased, skipped

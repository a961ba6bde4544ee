"""Writes for signing: the archival PDF of each signature, and chasing people who have not signed.

The PDF is slow I/O: it is rendered and its file written outside any transaction, then attached
to the signature under a row lock, so it is attached once even when the task, the sweep and a
download race. Bulk exports never render: they wait for the sweep (signature_pdfs_render_missing).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from policies import access as policy_access
from policies.models import PolicyVersion, Signature
from policies.selectors.coverage import coverage_for
from socialgov.pdf import render_pdf
from socialgov.people.models import User
from socialgov.reminders.registry import DueReminder
from socialgov.reminders.services import SENT, reminder_log_claim, reminder_log_send
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
    # The file is written before the row lock is taken; a render that loses the race leaves an
    # unreferenced file that the orphaned-uploads job deletes.
    stored = stored_file_create_from_bytes(
        school=signature.school,
        created_by=signature.signer,
        content=content,
        name=signature_pdf_filename(signature),
        content_type="application/pdf",
    )
    return _signature_pdf_attach(signature=signature, stored=stored)


@transaction.atomic
def _signature_pdf_attach(*, signature: Signature, stored: StoredFile) -> StoredFile:
    locked = Signature.objects.select_for_update().get(pk=signature.pk)
    if locked.pdf_id is not None:
        return StoredFile.objects.get(pk=locked.pdf_id)  # another render won the race
    # A signature is never edited (its history shows its creation only): the PDF is attached
    # with an update that bypasses history and leaves every signed field untouched.
    Signature.objects.filter(pk=locked.pk, pdf__isnull=True).update(
        pdf=stored, pdf_sha256=stored.sha256
    )
    logger.info("Stored the signed PDF of signature %s", signature.pk)
    return stored


def signature_pdfs_missing(version: PolicyVersion | None = None):
    """Signatures whose archival PDF is not stored yet (oldest first)."""
    missing = Signature.objects.filter(pdf__isnull=True).order_by("signed_at", "pk")
    if version is not None:
        missing = missing.filter(version=version)
    return missing


def signature_pdfs_render_missing(*, limit: int = 200) -> int:
    """The sweep (beat job and `manage.py render_signature_pdfs`): render and store the PDFs
    that the task after signing did not (a worker or the storage was down); how many.

    Each PDF is rendered outside any transaction; one that fails is logged and left for the
    next run, so one bad signature cannot stop the others."""
    rendered = 0
    for signature_id in signature_pdfs_missing().values_list("pk", flat=True)[:limit]:
        try:
            signature_pdf_render(signature=Signature(pk=signature_id))
        except Exception:
            logger.exception(
                "Signed PDF of signature %s not rendered; next run retries", signature_id
            )
        else:
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


def unsigned_reminder(version: PolicyVersion, recipient) -> DueReminder:
    """The "please sign" reminder to one person: the daily reminder and a chaser are the same
    reminder (kind, recipient, subject), so the reminder log sends it at most once a day."""
    return DueReminder(
        recipient=recipient,
        school=version.policy.school,
        subject_key=f"version:{version.pk}",
        url=sign_url(version),
        context=unsigned_context(version),
    )


@transaction.atomic
def signature_chase(*, version: PolicyVersion, actor) -> tuple[int, int]:
    """Ask everyone required who has not signed the published version to sign it now.

    A person is reminded at most once a day per version, by a chaser or by the daily reminder
    (the reminder log decides). Returns (chased, already reminded today).
    """
    from policies.signing_reminders import POLICY_UNSIGNED

    version = PolicyVersion.objects.select_related("policy", "policy__school").get(pk=version.pk)
    if not policy_access.can_see_coverage_names(actor, version.policy.school):
        raise PermissionDenied("Your role does not allow you to chase signatures.")
    if not policy_access.can_chase(actor, version):
        raise PermissionDenied("Only the published version can be chased.")
    today = timezone.localdate()
    chased = skipped = 0
    unsigned = [row.user_id for row in coverage_for(version).unsigned_rows]
    people = User.objects.in_bulk(unsigned)
    for user_id in unsigned:
        reminder = unsigned_reminder(version, people[user_id])
        log_id = reminder_log_claim(
            kind=POLICY_UNSIGNED.name, reminder=reminder, due_on=today, actor=actor
        )
        outcome = reminder_log_send(
            kind=POLICY_UNSIGNED, log_id=log_id, reminder=reminder, actor=actor
        )
        if outcome == SENT:
            chased += 1
        else:
            skipped += 1
    return chased, skipped

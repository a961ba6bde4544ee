"""Policies' Celery tasks: thin, take ids, call a service, own retries and time limits."""

import logging

from celery import shared_task

from policies.models import Signature
from policies.services.signing import signature_pdf_render, signature_pdfs_render_missing

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    time_limit=300,
)
def signature_pdf_render_task(self, signature_id: int) -> int | None:
    """Render and store a new signature's archival PDF; the stored file's id."""
    signature = Signature.objects.filter(pk=signature_id).first()
    if signature is None:
        return None  # nothing to do: the signature's transaction was rolled back
    try:
        return signature_pdf_render(signature=signature).pk
    except OSError:
        if not self.request.is_eager:
            raise  # retried with backoff
        # Embedded mode runs this inside the signing request: a storage hiccup must not break
        # the page. The PDF is rendered on demand when it is first downloaded.
        logger.exception(
            "Signed PDF for signature %s not rendered; rendered on demand", signature_id
        )
        return None


@shared_task(time_limit=900, soft_time_limit=840, acks_late=True)
def signature_pdfs_sweep_task(limit: int = 200) -> int:
    """The sweep (beat, every 10 minutes): render the signed PDFs still missing; how many."""
    return signature_pdfs_render_missing(limit=limit)

"""Large staff files as background jobs (`StaffImport`), with progress the import page shows.

A confirmed file that changes more rows than one chunk (`apply.CHUNK_ROWS`) is stored with the
digest the person confirmed and queued (`tasks.staff_import_run`); the worker applies it chunk by
chunk, recording progress with each chunk. In the embedded default (no Redis) the task runs at
once, inside the request. With the broker down it waits in the outbox (socialgov.outbox) and its
sweep queues it once the broker is back: the page never waits for the outage.
"""

from __future__ import annotations

import base64
import logging

from django.db import transaction
from django.utils import timezone

from socialgov.csv_import import ImportPreview, PreviewStale
from socialgov.people.models import StaffImport
from socialgov.people.services.rules import manager_roles
from socialgov.people.staff_import.apply import (
    CHUNK_ROWS,
    ImportResult,
    ImportStopped,
    planned_rows,
    staff_import_apply,
)
from socialgov.people.staff_import.preview import staff_import_preview

logger = logging.getLogger(__name__)


def runs_in_background(preview: ImportPreview, actor) -> bool:
    """Files changing more than one chunk of rows are applied by a background job."""
    return len(planned_rows(preview, actor)) > CHUNK_ROWS


@transaction.atomic
def staff_import_job_create(
    *, school, actor, preview: ImportPreview, file_name: str
) -> StaffImport:
    """Record a confirmed preview as a job and queue it after commit."""
    manager_roles(actor, school)
    job = StaffImport(
        school=school,
        created_by=actor,
        file_name=file_name[:100],
        content=base64.b64encode(preview.data).decode("ascii"),
        mapping=preview.mapping,
        digest=preview.digest,
        total=len(planned_rows(preview, actor)),
    )
    job._history_user = actor
    job.full_clean()
    job.save()
    from socialgov.outbox.services import task_queue
    from socialgov.people.tasks import staff_import_run

    # With the broker down the job waits in the outbox (its page says it is queued).
    task_queue(staff_import_run, job.pk)
    return job


def staff_import_confirm(
    *, school, actor, preview: ImportPreview, file_name: str = ""
) -> ImportResult | StaffImport:
    """What confirming a preview does: apply it now, or, for a file that changes more than one
    chunk, start a background job (returned, for its page)."""
    if runs_in_background(preview, actor):
        return staff_import_job_create(
            school=school, actor=actor, preview=preview, file_name=file_name
        )
    return staff_import_apply(school=school, actor=actor, preview=preview)


def _finish(job: StaffImport, status: str, *, message: str = "", counts: dict | None = None):
    job.status = status
    job.message = message
    job.counts = counts or job.counts
    job.finished_at = timezone.now()
    job.content = ""  # names and addresses are not kept once the import has ended
    job._history_user = job.created_by
    job.save()


def staff_import_job_run(*, staff_import_id: int) -> str:
    """Apply a queued job's file (the worker's task); returns its status. Runs once: a job that
    is no longer waiting is left alone."""
    with transaction.atomic():
        job = (
            StaffImport.objects.select_for_update()
            .select_related("school", "created_by")
            .get(pk=staff_import_id)
        )
        if job.status != StaffImport.Status.QUEUED:
            return job.status
        job.status = StaffImport.Status.RUNNING
        job._history_user = job.created_by
        job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        # Inside the chunk's transaction: the progress commits with the rows it counts.
        StaffImport.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        preview = staff_import_preview(
            school=job.school,
            actor=job.created_by,
            csv_bytes=base64.b64decode(job.content),
            mapping=job.mapping,
        )
        preview.digest = job.digest  # what the person confirmed: the first chunk checks it
        result = staff_import_apply(
            school=job.school, actor=job.created_by, preview=preview, progress=progress
        )
    except ImportStopped as stopped:
        job.refresh_from_db()
        _finish(
            job,
            StaffImport.Status.STOPPED,
            message=(
                f"{stopped.done:,} of {job.total:,} rows were imported before the people list "
                "changed. Import the same file again to finish: the rows already imported show "
                "as unchanged."
            ),
        )
    except PreviewStale:
        job.refresh_from_db()
        _finish(
            job,
            StaffImport.Status.STOPPED,
            message="The people list changed before the import started: nothing was imported. "
            "Import the file again and check the new preview.",
        )
    except Exception:
        logger.exception("Staff import %s failed", job.pk)
        job.refresh_from_db()
        _finish(
            job,
            StaffImport.Status.FAILED,
            message="The import failed; nothing more was "
            "imported. The error is in the server's log.",
        )
        raise
    else:
        job.refresh_from_db()
        _finish(job, StaffImport.Status.DONE, counts=_counts(result))
    return job.status


def _counts(result: ImportResult) -> dict[str, int]:
    return {
        "new": result.new,
        "joined": result.joined,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "not_imported": result.not_imported,
    }

from celery import shared_task

from socialgov.uploads.services import stored_file_orphans_delete


@shared_task(time_limit=600, soft_time_limit=540)
def delete_orphan_uploads() -> int:
    """Nightly: delete upload files that no stored-file record refers to."""
    return len(stored_file_orphans_delete())

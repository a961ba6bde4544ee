"""Writes of stored files. Keyword-only, acting person explicit, validated, atomic."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialgov.uploads.inspection import DEFAULT_ALLOWED, upload_inspect
from socialgov.uploads.models import StoredFile

logger = logging.getLogger(__name__)

UPLOADS_DIR = "uploads"


@transaction.atomic
def stored_file_create(
    *, school, uploaded_by, upload: UploadedFile, allowed=DEFAULT_ALLOWED
) -> StoredFile:
    """Check an upload (size, type by content, image metadata removed) and keep it privately.

    Raises ValidationError with a message for the person when the file is refused. Nothing is left
    behind on failure: the file written to storage is deleted again if the row cannot be saved.
    """
    checked = upload_inspect(upload, allowed=allowed)
    stored = StoredFile(
        school=school,
        original_name=checked.original_name,
        content_type=checked.kind.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
    )
    stored._history_user = uploaded_by
    stored.full_clean(exclude=["file"])  # before anything is written

    name = default_storage.save(
        f"{UPLOADS_DIR}/{school.pk}/{checked.name}", ContentFile(checked.content)
    )
    try:
        stored.file = name
        stored.full_clean()
        stored.save()
    except BaseException:
        default_storage.delete(name)
        raise
    return stored


@transaction.atomic
def stored_file_create_from_bytes(
    *, school, created_by, content: bytes, name: str, content_type: str
) -> StoredFile:
    """Keep a file the system made itself (e.g. a signed-policy PDF) privately, like an upload:
    a random path, the bytes' SHA-256, and no file left behind if the row cannot be saved."""
    stored = StoredFile(
        school=school,
        original_name=name[:200],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=created_by,
        uploaded_at=timezone.now(),
    )
    stored._history_user = created_by
    stored.full_clean(exclude=["file"])
    extension = PurePath(name).suffix.lower() or ".bin"
    path = default_storage.save(
        f"{UPLOADS_DIR}/{school.pk}/{uuid.uuid4().hex}{extension}", ContentFile(content)
    )
    try:
        stored.file = path
        stored.full_clean()
        stored.save()
    except BaseException:
        default_storage.delete(path)
        raise
    return stored


def stored_file_orphans_delete(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> list[str]:
    """Delete upload files that no row refers to (left by a caller's rolled-back transaction).

    Only files older than `older_than` are touched, so an upload whose transaction is still open
    is never removed.
    """
    cutoff = timezone.now() - older_than
    deleted: list[str] = []
    try:
        school_dirs, _ = default_storage.listdir(UPLOADS_DIR)
    except FileNotFoundError:
        return deleted
    for school_dir in school_dirs:
        folder = f"{UPLOADS_DIR}/{school_dir}"
        _, files = default_storage.listdir(folder)
        names = [f"{folder}/{file}" for file in files]
        known: set[str] = set()
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            known.update(StoredFile.objects.filter(file__in=chunk).values_list("file", flat=True))
        for name in names:
            if name in known or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            deleted.append(name)
    if deleted:
        logger.info("Deleted %d upload files with no record", len(deleted))
    return deleted

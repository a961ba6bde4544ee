"""Writes to the audit trail: recording that someone read a sensitive record."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from socialgov.audit.models import AccessAction, AccessLogEntry
from socialgov.client_address import client_ip


@transaction.atomic
def access_record(
    *,
    actor,
    school,
    obj: Model,
    action: str = AccessAction.VIEWED,
    description: str = "",
    ip_address: str | None = None,
) -> AccessLogEntry:
    """Log that `actor` read `obj` (of `school`). `description` is a neutral label, no detail;
    `ip_address` is the visitor's (`access_record_request` fills it in from the request)."""
    object_school_id = getattr(obj, "school_id", None)
    if object_school_id is not None and object_school_id != school.pk:
        raise ValueError("An access is logged under the school the record belongs to")
    entry = AccessLogEntry(
        school=school,
        person=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        description=description,
        ip_address=ip_address,
    )
    entry.full_clean()
    entry.save()
    return entry


def access_record_request(
    request, *, obj: Model, school, action: str = AccessAction.VIEWED, description: str = ""
) -> AccessLogEntry:
    """`access_record` for the person making `request`, with their address."""
    return access_record(
        actor=request.user,
        school=school,
        obj=obj,
        action=action,
        description=description,
        ip_address=client_ip(request),
    )


def access_record_request_many(
    request,
    *,
    model: type[Model],
    pks: list[int],
    school,
    action: str = AccessAction.EXPORTED,
    description: str = "",
) -> int:
    """One access-log entry per record of `model` (all of `school`) read at once by the person
    making `request`, e.g. the rows of a CSV export: each entry is then shown only to those who
    may see its record (the app's registered gateway), so the log of an export reveals nothing
    about records a viewer may not see. The number written (batched inserts)."""
    content_type = ContentType.objects.get_for_model(model)
    ip_address = client_ip(request)
    entries = [
        AccessLogEntry(
            school=school,
            person=request.user,
            action=action,
            content_type=content_type,
            object_id=pk,
            description=description,
            ip_address=ip_address,
        )
        for pk in pks
    ]
    AccessLogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)

"""Reads of the access log, with people and record types loaded (no N+1)."""

import datetime as dt

from django.db.models import QuerySet

from socialgov.audit.models import AccessLogEntry


def access_log_filtered(
    entries: QuerySet[AccessLogEntry],
    *,
    person=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessLogEntry]:
    """Narrow a visible access log by person and by dates (inclusive, in Europe/London)."""
    if person is not None:
        entries = entries.filter(person=person)
    if date_from is not None:
        entries = entries.filter(at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(at__date__lte=date_to)
    return entries.select_related("person", "content_type").order_by("-at", "-pk")

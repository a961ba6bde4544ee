"""Reads of the access log, with people and record types loaded (no N+1)."""

import datetime as dt

from django.db.models import Q, QuerySet

from socialgov.audit.models import AccessLogEntry


def access_log_filtered(
    entries: QuerySet[AccessLogEntry],
    *,
    person: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessLogEntry]:
    """Narrow a visible access log by person (part of their name or e-mail address) and by dates
    (inclusive, in Europe/London)."""
    if person:
        entries = entries.filter(
            Q(person__full_name__icontains=person) | Q(person__email__icontains=person)
        )
    if date_from is not None:
        entries = entries.filter(at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(at__date__lte=date_to)
    return entries.select_related("person", "content_type").order_by("-at", "-pk")

"""Writes of the reports app: keeping a generated governors' report (its PDF and SHA-256)."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from socialgov.reports.models import GeneratedReport
from socialgov.reports.pdf import report_pdf
from socialgov.reports.registry import Period
from socialgov.reports.selectors import report_for
from socialgov.uploads.services import stored_file_create_from_bytes


def generated_report_create(
    *, school, period: Period, actor, submission_key: uuid.UUID
) -> tuple[GeneratedReport, bool]:
    """Render the report for `period` and keep it; the same submission twice keeps one report
    (returned with created=False). The PDF is rendered before the transaction (slow I/O)."""
    existing = GeneratedReport.objects.filter(
        generated_by=actor, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    content = report_pdf(report_for(school, period))
    try:
        with transaction.atomic():
            stored = stored_file_create_from_bytes(
                school=school,
                created_by=actor,
                content=content,
                name=f"governors-report-{period.starts_on:%Y-%m-%d}-{period.ends_on:%Y-%m-%d}.pdf",
                content_type="application/pdf",
            )
            kept = GeneratedReport(
                school=school,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                period_label=period.label[:120],
                generated_by=actor,
                pdf=stored,
                sha256=stored.sha256,
                submission_key=submission_key,
            )
            kept.full_clean(validate_constraints=False)
            kept.save()
    except IntegrityError:
        # A concurrent identical submission won; its record is the one kept (the file this
        # attempt wrote has no row and is removed by the orphaned-uploads job).
        return GeneratedReport.objects.get(generated_by=actor, submission_key=submission_key), False
    return kept, True

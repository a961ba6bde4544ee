"""Governors' reports kept as generated: the period, who generated it and when, and the PDF with
its SHA-256 (DESIGN §5 "Reports": governors download past reports). Never edited or deleted."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class GeneratedReport(models.Model):
    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="generated_reports"
    )
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    period_label = models.CharField("period", max_length=120)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    pdf = models.ForeignKey("uploads.StoredFile", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="Of the PDF as generated.")
    # A random key in the form: pressing "Generate" twice keeps one report.
    submission_key = models.UUIDField()

    class Meta:
        ordering = ["-generated_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "-generated_at"], name="generatedreport_school_time")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["generated_by", "submission_key"], name="generatedreport_submitted_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="generatedreport_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Governors' report, {self.period_label}"

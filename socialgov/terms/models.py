"""Term dates per school (DESIGN §5: the governors' report covers a term or a year).

An academic year is named by the calendar year it starts in: 2026 is 2026/27, from 1 September
2026 to 31 August 2027. Each year has an autumn, a spring and a summer term.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn term"
    SPRING = "spring", "Spring term"
    SUMMER = "summer", "Summer term"


def academic_year_label(academic_year: int) -> str:
    """2026 → "2026/27"."""
    return f"{academic_year}/{(academic_year + 1) % 100:02d}"


class TermDate(models.Model):
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="term_dates")
    academic_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the academic year starts in: 2026 means 2026/27.",
    )
    term = models.CharField(max_length=10, choices=Term.choices)
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "term"], name="term_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="term_ends_after_it_starts"
            ),
        ]
        indexes = [
            # term_for(school, on): the school's terms by date.
            models.Index(fields=["school", "starts_on", "ends_on"], name="term_school_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_term_display()} {academic_year_label(self.academic_year)}"

    @property
    def year_label(self) -> str:
        return academic_year_label(self.academic_year)

"""The benchmark's report pages and PDFs (socialgov.benchmark.registry): a school's governors'
report for the current school year, and the trust roll-up, as pages and as PDFs."""

from django.urls import reverse
from django.utils import timezone

from socialgov.benchmark.registry import PAGES, PDFS, TRUST_EXECUTIVE, Page, PageKind, PdfCase
from socialgov.people.roles import Role
from socialgov.terms.selectors import academic_year_of


def _year_query() -> str:
    return f"?period=year-{academic_year_of(timezone.localdate())}"


PAGES.register(
    Page(
        name="governors' report (governor)",
        path=lambda bench, school: reverse("governors_report", args=[school.pk]) + _year_query(),
        as_role=Role.GOVERNOR,
        kind=PageKind.DASHBOARD,
        order=900,
    )
)
PAGES.register(
    Page(
        name="trust roll-up (trust executive)",
        path=lambda bench, school: reverse("trust_rollup", args=[bench.trust.pk]),
        as_role=TRUST_EXECUTIVE,
        kind=PageKind.DASHBOARD,
        order=910,
    )
)


def _report_pdf(bench) -> bytes:
    from socialgov.reports.pdf import report_pdf
    from socialgov.reports.period import year_period
    from socialgov.reports.selectors import report_for

    period = year_period(academic_year_of(timezone.localdate()))
    return report_pdf(report_for(bench.large, period))


def _rollup_pdf(bench) -> bytes:
    from socialgov.reports.pdf import rollup_pdf
    from socialgov.reports.period import year_period
    from socialgov.reports.selectors import rollup_for

    period = year_period(academic_year_of(timezone.localdate()))
    return rollup_pdf(rollup_for(bench.trust, period))


PDFS.register(PdfCase(name="governors' report PDF", render=_report_pdf, order=900))
PDFS.register(PdfCase(name="trust roll-up PDF", render=_rollup_pdf, order=910))

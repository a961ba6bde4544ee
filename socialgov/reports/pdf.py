"""The governors' report and the trust roll-up as PDFs (socialgov.pdf, WeasyPrint): the same
sections and server-drawn SVG charts as the pages, nothing fetched."""

from __future__ import annotations

from socialgov.pdf import render_pdf
from socialgov.reports.selectors import Report, Rollup


def report_pdf(report: Report) -> bytes:
    return render_pdf(
        template="reports/governors_report_pdf.html",
        context={
            "title": "Governors' review of online safety",
            "report": report,
        },
        school=report.school,
    )


def rollup_pdf(rollup: Rollup) -> bytes:
    return render_pdf(
        template="reports/trust_rollup_pdf.html",
        context={"title": f"Trust roll-up: {rollup.trust.name}", "rollup": rollup},
    )

"""The governors' report and the trust roll-up as PDFs (socialgov.pdf, WeasyPrint): the same
sections and server-drawn SVG charts as the pages, nothing fetched."""

from __future__ import annotations

from socialgov.pdf import render_pdf
from socialgov.reports.registry import Table
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


# A cell's text longer than this wraps (its column is not widened for it).
_WRAP_AT = 28


def column_widths(table: Table) -> list[float]:
    """Each column's share of a PDF table's width, in per cent, from the length of its text.

    The PDF's tables use the fixed table layout (static/pdf/report.css): WeasyPrint takes the
    widths from the header row instead of measuring every cell's text twice, which was about a
    fifth of a report's render time. A column is as wide as its longest cell (up to `_WRAP_AT`
    characters; longer text wraps) or its header's longest word, whichever is wider."""
    weights = []
    for index, header in enumerate(table.columns):
        header_text = str(header)
        longest_word = max((len(word) for word in header_text.split()), default=0)
        longest_cell = max((len(str(row[index])) for row in table.rows), default=0)
        weights.append(max(longest_word, len(header_text) / 2, min(longest_cell, _WRAP_AT), 4) + 2)
    total = sum(weights)
    return [round(100 * weight / total, 1) for weight in weights]

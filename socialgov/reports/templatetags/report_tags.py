from django import template

from socialgov.reports.charts import bar_chart_image, bar_chart_svg, text_equivalent
from socialgov.reports.pdf import column_widths

register = template.Library()


@register.simple_tag
def bar_chart(chart, prefix, index):
    """The chart as inline SVG (socialgov.reports.charts), its ids unique in the page."""
    return bar_chart_svg(chart, chart_id=f"{prefix}-chart-{index}")


@register.simple_tag
def bar_chart_pdf(chart, prefix, index):
    """The same drawing as an image, for PDFs (socialgov.reports.charts.bar_chart_image)."""
    return bar_chart_image(chart, chart_id=f"{prefix}-chart-{index}")


@register.filter
def chart_text(chart) -> str:
    return text_equivalent(chart)


@register.filter
def is_numeric(table, index) -> bool:
    return index in table.numeric


@register.filter
def header_cells(table, pdf=False) -> list[tuple[str, float | None, bool]]:
    """(heading, width in per cent for the PDF's fixed layout or None on a page, numeric) for
    each column: `table|header_cells:pdf`."""
    widths = column_widths(table) if pdf else [None] * len(table.columns)
    return [
        (column, widths[index], index in table.numeric)
        for index, column in enumerate(table.columns)
    ]

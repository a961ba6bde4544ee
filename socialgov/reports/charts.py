"""Bar charts drawn on the server as inline SVG: the same markup shows in the page and in the PDF
(WeasyPrint draws inline SVG), with no script and nothing fetched.

Each chart is an `<svg role="img">` titled by its `<title>` and described by a `<desc>` that
reads every bar ("Cyberbullying: fewer than 3"), so a screen reader hears the numbers; the
templates print the same text equivalent as a table too. A suppressed count is drawn at the
threshold's height, hatched, and labelled "fewer than 3": the picture gives away no more than
the words.

PDFs take the same drawing as an image (`bar_chart_image`, an SVG `data:` URL), which WeasyPrint
draws exactly as the inline SVG but without computing a CSS style (and six pseudo-element
styles) for each of its elements as part of the HTML; the text equivalent is printed under it.
"""

from __future__ import annotations

import base64
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from socialgov.reports.registry import Chart

WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 90
BAR_HEIGHT = 16
GAP = 8
TOP = 6
COLOUR = "#1f4e79"
HIDDEN_COLOUR = "#9fb3c8"
LABEL_CHARS = 42

_ids = count(1)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def text_equivalent(chart: Chart) -> str:
    parts = []
    for bar in chart.bars:
        if chart.unit == "%":
            unit = "" if bar.suppressed else "%"
        else:
            unit = f" {chart.unit}" if chart.unit else ""
        parts.append(f"{bar.label}: {bar.shown}{unit}")
    return f"{chart.title}. " + ("; ".join(parts) if parts else "nothing to show") + "."


def bar_chart_svg(chart: Chart, *, chart_id: str | None = None) -> SafeString:
    """One horizontal bar per entry, labels on the left and values on the right."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    bars = list(chart.bars)
    width, label_width = (360, 130) if chart.compact else (WIDTH, LABEL_WIDTH)
    scale_max = chart.maximum or max((bar.height for bar in bars), default=0) or 1
    plot = width - label_width - VALUE_WIDTH
    height = TOP * 2 + max(len(bars), 1) * (BAR_HEIGHT + GAP)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{title_id} {desc_id}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(text_equivalent(chart))}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{HIDDEN_COLOUR}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>',
        f'<line x1="{label_width}" y1="{TOP - 2}" x2="{label_width}" y2="{height - TOP + 2}" '
        'stroke="#6c757d" stroke-width="1"/>',
    ]
    font = 'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" font-size="12"'
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        bar_width = round(plot * min(bar.height, scale_max) / scale_max) if bar.height else 0
        fill = f"url(#{chart_id}-hatch)" if bar.suppressed else COLOUR
        middle = y + BAR_HEIGHT / 2 + 4
        out.append(
            f'<text x="{label_width - 6}" y="{middle}" text-anchor="end" fill="#1b1f23" {font}>'
            f"{escape(_short(bar.label))}</text>"
        )
        if bar_width:
            out.append(
                f'<rect x="{label_width + 1}" y="{y}" width="{bar_width}" height="{BAR_HEIGHT}" '
                f'fill="{fill}"/>'
            )
        unit = "%" if chart.unit == "%" and not bar.suppressed else ""
        out.append(
            f'<text x="{label_width + bar_width + 6}" y="{middle}" fill="#1b1f23" {font}>'
            f"{escape(bar.shown)}{unit}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def bar_chart_image(chart: Chart, *, chart_id: str | None = None) -> SafeString:
    """The same drawing as an `<img>` of an SVG `data:` URL, for PDFs (see the module's notes):
    its alternative text is empty as the text equivalent is printed next to it."""
    svg = bar_chart_svg(chart, chart_id=chart_id)
    data = base64.b64encode(svg.encode()).decode("ascii")
    return mark_safe(  # noqa: S308 (base64 only, in a fixed attribute)
        f'<img class="report-chart" alt="" src="data:image/svg+xml;base64,{data}">'
    )

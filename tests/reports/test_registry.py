"""Small numbers and totals (socialgov/reports/registry.py), and the SVG charts."""

import base64

from socialgov.reports.charts import bar_chart_image, bar_chart_svg, text_equivalent
from socialgov.reports.registry import Bar, Chart, Count, Total, total_of


def test_a_sensitive_count_under_3_reads_fewer_than_3():
    assert [str(Count(n, sensitive=True)) for n in (0, 1, 2, 3)] == [
        "0",
        "fewer than 3",
        "fewer than 3",
        "3",
    ]
    assert str(Count(1)) == "1"


def test_a_total_including_a_hidden_count_does_not_give_it_away():
    total = total_of([Count(5), Count(2, sensitive=True), Count(0, sensitive=True)])
    assert total.value == 7
    assert str(total) == "at least 6"  # 5, plus at least 1 for the hidden count
    # Whether the hidden count is 1 or 2, the total reads the same.
    assert str(total_of([Count(5), Count(1, sensitive=True)])) == str(total)


def test_a_total_of_one_hidden_count_alone_reads_fewer_than_3():
    assert str(total_of([Count(1, sensitive=True), Count(0)])) == "fewer than 3"
    assert str(total_of([Count(2, True), Count(1, True)])) == "at least 2"


def test_a_total_of_totals_keeps_the_hidden_parts_hidden():
    inner = total_of([Count(4), Count(1, sensitive=True)])
    outer = total_of([inner, Count(3)])
    assert str(outer) == "at least 8"
    assert str(total_of([Count(4), Count(3, sensitive=True)])) == "7"
    assert isinstance(outer, Total)


def test_a_chart_draws_a_hidden_count_at_the_threshold_and_says_so():
    chart = Chart("Incidents <by> area", [Bar("Contact", Count(1, True)), Bar("Content", Count(8))])
    svg = str(bar_chart_svg(chart, chart_id="c1"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "&lt;by&gt;" in svg and "<by>" not in svg  # text is escaped
    assert "fewer than 3" in svg and ">1<" not in svg
    assert 'fill="url(#c1-hatch)"' in svg
    assert text_equivalent(chart) == "Incidents <by> area. Contact: fewer than 3; Content: 8."


def test_a_pdf_chart_is_the_same_drawing_as_an_image():
    chart = Chart("Incidents <by> area", [Bar("Contact", Count(1, True)), Bar("Content", Count(8))])
    image = str(bar_chart_image(chart, chart_id="c1"))
    prefix = '<img class="report-chart" alt="" src="data:image/svg+xml;base64,'
    assert image.startswith(prefix) and image.endswith('">')
    drawn = base64.b64decode(image.removeprefix(prefix).removesuffix('">')).decode()
    assert drawn == str(bar_chart_svg(chart, chart_id="c1"))


def test_a_chart_with_nothing_to_show_still_draws():
    svg = str(bar_chart_svg(Chart("Empty", []), chart_id="c2"))
    assert "nothing to show" in svg

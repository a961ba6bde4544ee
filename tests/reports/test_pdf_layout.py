"""The report PDF's tables: fixed layout with column widths from each column's text
(socialgov.reports.pdf.column_widths), and every table inside the page's margins."""

import re
import subprocess

import pytest

from consent.models import Outcome
from socialgov.reports.pdf import column_widths
from socialgov.reports.registry import Table
from tests.consent.factories import pupil_for, record, social_media
from tests.policies.factories import policy_for, published_version_for
from tests.reports.helpers import recent_range, report_url

# A4 is 595.3 pt wide; document.css's side margins are 18 mm (51.0 pt).
RIGHT_EDGE_PT = 595.3 - 51.0


def _table(columns, rows, numeric=()):
    return Table(
        slug="t", caption="A table", columns=columns, rows=rows, numeric=frozenset(numeric)
    )


def test_the_widths_share_the_whole_table_and_follow_the_text():
    widths = column_widths(
        _table(
            ["Policy", "Signed"],
            [["Official accounts acceptable use policy", 12], ["Online safety policy", 3]],
            numeric=[1],
        )
    )
    assert sum(widths) == pytest.approx(100, abs=0.2)
    policy, signed = widths
    assert policy > 3 * signed


def test_a_long_cell_wraps_instead_of_taking_the_table():
    widths = column_widths(
        _table(["Reasons", "Web address"], [["x" * 400, "https://example.org/" + "p" * 20]])
    )
    assert widths[0] == pytest.approx(widths[1], abs=0.2)


def test_a_header_is_never_narrower_than_its_longest_word():
    name, long_header = column_widths(_table(["Name", "Acknowledgements"], [["Ann", ""]]))
    assert long_header > 2.5 * name


def test_an_empty_table_still_has_a_width_for_each_column():
    widths = column_widths(_table(["Kind", "Sessions"], []))
    assert len(widths) == 2 and all(width > 0 for width in widths)


@pytest.mark.django_db
def test_every_word_of_the_report_pdf_is_inside_the_page_margins(
    client_for, governor, school, headteacher, office, tmp_path
):
    """The widest tables (consent by year group and purpose: eight columns) fit the page: with
    the fixed layout, widths that left out the cells' padding pushed the last column off it."""
    published_version_for(
        policy_for(school, headteacher, title="Official accounts acceptable use policy"),
        headteacher,
    )
    purpose = social_media(school)
    for n, outcome in enumerate([Outcome.GRANTED, Outcome.REFUSED, Outcome.GRANTED]):
        record(pupil_for(school, office, legal_forename=f"Pupil{n}"), purpose, office, outcome)
    response = client_for(governor).get(report_url(school, "governors_report_pdf"), recent_range())
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" [^>]*>([^<]*)<', boxes)
    assert len(words) > 300
    outside = [(word, float(x_max)) for x_max, word in words if float(x_max) > RIGHT_EDGE_PT + 1]
    assert outside == []

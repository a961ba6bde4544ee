"""The period form's dates are browsers' date pickers (`<input type="date">`): their value is
yyyy-mm-dd, or the browser shows the box blank, while the form reads both the ISO date a picker
submits and dd/mm/yyyy typed where there is no picker; dates on the page stay dd/mm/yyyy."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from socialgov.reports.period import year_period
from socialgov.terms.models import TermDate
from socialgov.terms.selectors import academic_year_of
from tests.reports.helpers import report_url

pytestmark = pytest.mark.django_db


def _date_input(html: str, name: str) -> dict[str, str]:
    """The attributes of the period form's input for `name` (not the keep form's hidden one)."""
    tags = re.findall(rf'<input[^>]*\bid="id_{name}"[^>]*>', html)
    assert len(tags) == 1, tags
    return dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tags[0]))


def _rollup_url(trust, name="trust_rollup"):
    return reverse(name, args=[trust.pk])


def test_the_reports_default_period_fills_the_date_pickers_in_iso(client_for, governor, school):
    response = client_for(governor).get(report_url(school))
    assert response.status_code == 200
    html = response.content.decode()
    period = year_period(academic_year_of(timezone.localdate()))
    starts_on, ends_on = _date_input(html, "starts_on"), _date_input(html, "ends_on")
    assert starts_on["type"] == "date" and ends_on["type"] == "date"
    assert starts_on["value"] == period.starts_on.isoformat()  # e.g. 2026-09-01
    assert ends_on["value"] == period.ends_on.isoformat()
    # The page itself still shows the period the UK way.
    assert f"{period.starts_on:%d/%m/%Y} to {period.ends_on:%d/%m/%Y}" in html


def test_a_default_term_fills_the_date_pickers_with_its_dates(client_for, governor, school):
    today = timezone.localdate()
    TermDate.objects.create(
        school=school,
        academic_year=academic_year_of(today),
        term="autumn",
        starts_on=today.replace(day=1),
        ends_on=today,
    )
    html = client_for(governor).get(report_url(school)).content.decode()
    assert _date_input(html, "starts_on")["value"] == today.replace(day=1).isoformat()
    assert _date_input(html, "ends_on")["value"] == today.isoformat()


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [("2026-03-01", "2026-03-31"), ("01/03/2026", "31/03/2026"), ("1/3/2026", "31/3/2026")],
)
def test_a_range_in_iso_or_uk_dates_is_read_and_shown_back_in_iso(
    client_for, governor, school, starts_on, ends_on
):
    response = client_for(governor).get(
        report_url(school), {"period": "range", "starts_on": starts_on, "ends_on": ends_on}
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "01/03/2026 to 31/03/2026" in html
    assert _date_input(html, "starts_on")["value"] == "2026-03-01"
    assert _date_input(html, "ends_on")["value"] == "2026-03-31"


@pytest.mark.parametrize("starts_on", ["2026-03-01", "01/03/2026"])
def test_keeping_a_report_reads_iso_or_uk_dates(client_for, headteacher, school, starts_on):
    from socialgov.reports.models import GeneratedReport

    response = client_for(headteacher).post(
        reverse("governors_report_keep", args=[school.pk]),
        {"period": "range", "starts_on": starts_on, "ends_on": "31/03/2026"},
    )
    assert response.status_code == 302
    kept = GeneratedReport.objects.get(school=school)
    assert (kept.starts_on.isoformat(), kept.ends_on.isoformat()) == ("2026-03-01", "2026-03-31")


def test_a_date_that_cannot_be_read_goes_back_as_typed_with_the_message(
    client_for, governor, school
):
    response = client_for(governor).get(
        report_url(school), {"period": "range", "starts_on": "31/02/2026", "ends_on": "01/03/2026"}
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert _date_input(html, "starts_on")["value"] == "31/02/2026"
    assert _date_input(html, "ends_on")["value"] == "2026-03-01"
    assert "Enter a date like 01/09/2026." in html


def test_the_roll_ups_default_year_fills_the_date_pickers_in_iso(
    client_for, trust, school, trust_executive
):
    response = client_for(trust_executive).get(_rollup_url(trust))
    assert response.status_code == 200
    html = response.content.decode()
    period = year_period(academic_year_of(timezone.localdate()))
    starts_on, ends_on = _date_input(html, "starts_on"), _date_input(html, "ends_on")
    assert starts_on["type"] == "date" and ends_on["type"] == "date"
    assert starts_on["value"] == period.starts_on.isoformat()
    assert ends_on["value"] == period.ends_on.isoformat()


@pytest.mark.parametrize(
    ("starts_on", "ends_on"), [("2026-03-01", "2026-03-31"), ("01/03/2026", "31/03/2026")]
)
def test_the_roll_up_reads_iso_or_uk_dates_and_shows_them_back_in_iso(
    client_for, trust, school, trust_executive, starts_on, ends_on
):
    response = client_for(trust_executive).get(
        _rollup_url(trust), {"period": "range", "starts_on": starts_on, "ends_on": ends_on}
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "01/03/2026 to 31/03/2026" in html
    assert _date_input(html, "starts_on")["value"] == "2026-03-01"
    assert _date_input(html, "ends_on")["value"] == "2026-03-31"

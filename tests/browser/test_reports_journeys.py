"""Governors' reports in a real browser: a governor signs in, generates the termly report and
downloads its PDF; a trust executive opens the roll-up and drills into a school. axe-core on the
dashboards, the report, past reports and the roll-up, and at phone width."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from incidents.reports.models import Category
from socialgov.reports.models import GeneratedReport
from socialgov.terms.models import TermDate
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.browser.test_incident_journeys import checked
from tests.incidents.helpers import report

pytestmark = pytest.mark.browser
PHONE_WIDTH = 375


@pytest.fixture
def termly(transactional_db, school, staff, dsl, governor, headteacher):
    today = dt.date.today()
    term = TermDate.objects.create(
        school=school,
        academic_year=today.year if today.month >= 9 else today.year - 1,
        term="autumn" if today.month >= 9 else "spring",
        starts_on=today - dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=20),
    )
    for category in (Category.SAFEGUARDING, Category.PARENT_CONDUCT, Category.PARENT_CONDUCT):
        report(school, staff, category)
    return term


def test_a_governor_generates_the_termly_report_and_downloads_the_pdf(
    live_server, page, console, termly, school, governor
):
    sign_in(page, live_server, governor.email)
    assert_accessible(page, what="the governor's dashboard")
    page.get_by_role("link", name="Governors' report").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governors' review of online safety")
    expect(page.get_by_text(str(termly)).first).to_be_visible()
    incidents = re.compile(r"^\d+\. Incidents and lessons learnt$")
    expect(page.get_by_role("heading", name=incidents)).to_be_visible()
    assert_accessible(page, what="the governors' report")
    console.assert_clean()

    page.get_by_role("button", name="Generate and keep this report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Past governors' reports")
    kept = GeneratedReport.objects.get()
    expect(page.get_by_role("table")).to_contain_text(kept.sha256)
    assert_accessible(page, what="past reports")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(f"{live_server.url}/reports/schools/{school.pk}/")
    assert_accessible(page, what="the report at phone width")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)


def test_a_trust_executive_opens_the_roll_up_and_drills_into_a_school(
    live_server, as_person, termly, school, sister_school, trust_executive
):
    page = as_person(trust_executive)
    page.goto(f"{live_server.url}/")
    checked(page, "the trust executive's dashboard")
    page.get_by_role("link", name="Trust roll-up").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trust roll-up")
    table = page.get_by_role("table")
    expect(table).to_contain_text(school.name)
    expect(table).to_contain_text(sister_school.name)
    checked(page, "the trust roll-up")
    page.get_by_role("link", name=school.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governors' review of online safety")
    expect(page.get_by_text(school.name).first).to_be_visible()
    checked(page, "a school's report from the roll-up")


def test_the_dsl_and_headteacher_dashboards_are_accessible(
    live_server, as_person, termly, dsl, headteacher
):
    for person in (dsl, headteacher):
        page = as_person(person)
        page.goto(f"{live_server.url}/")
        checked(page, f"the dashboard of {person.full_name}")


def test_the_period_date_pickers_show_the_term_and_take_dates_of_ones_choice(
    live_server, page, console, termly, school, governor
):
    # Chromium shows a date input whose value is not yyyy-mm-dd as an empty box.
    sign_in(page, live_server, governor.email)
    page.goto(f"{live_server.url}/reports/schools/{school.pk}/")
    expect(page.locator("#id_starts_on")).to_have_value(termly.starts_on.isoformat())
    expect(page.locator("#id_ends_on")).to_have_value(termly.ends_on.isoformat())

    page.get_by_label("Period").select_option(label="Dates of your choice")
    page.locator("#id_starts_on").fill("2026-03-01")
    page.locator("#id_ends_on").fill("2026-03-31")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_text("01/03/2026 to 31/03/2026").first).to_be_visible()
    expect(page.locator("#id_starts_on")).to_have_value("2026-03-01")
    expect(page.locator("#id_ends_on")).to_have_value("2026-03-31")
    console.assert_clean()

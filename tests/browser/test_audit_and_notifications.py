"""History, access log and notifications pages in Chromium: axe-core clean and CSP-clean."""

import pytest
from playwright.sync_api import expect

from socialgov.audit.services import access_record
from socialgov.notifications.services import notification_send
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in_page(transactional_db, live_server, page, client_for):
    """signed_in_page(user): the browser carries the session of `client_for(user)` (two-factor
    verified for privileged people, as the test client is)."""

    def sign_in(user):
        client = client_for(user)
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return sign_in


def test_school_history_page_is_accessible(
    live_server, signed_in_page, console, headteacher, school
):
    school.name = "Willow Bank Primary Academy"
    school._history_user = headteacher
    school.save()
    page = signed_in_page(headteacher)
    page.goto(f"{live_server.url}/schools/{school.pk}/")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "History of Willow Bank Primary Academy"
    )
    expect(page.get_by_role("table")).to_contain_text("Willow Bank Primary School")
    expect(page.get_by_role("table")).to_contain_text("Hannah Head")
    assert_accessible(page, what="the school history page")
    console.assert_clean()


def test_access_log_page_is_accessible_with_entries_and_with_an_error(
    live_server, signed_in_page, console, headteacher, dsl, staff, school
):
    access_record(actor=dsl, school=school, obj=staff.memberships.get(), description="Record")
    page = signed_in_page(headteacher)
    page.goto(f"{live_server.url}/audit/access-log/")
    expect(page.get_by_role("table")).to_contain_text("Dev Singh")
    assert_accessible(page, what="the access log")

    page.get_by_label("From").fill("31/02/2025")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Enter a date like 01/09/2026.")).to_be_visible()
    assert_accessible(page, what="the access log with a filter error")
    console.assert_clean()


def test_notifications_page_opens_and_marks_read(
    live_server, signed_in_page, console, staff, school
):
    notification_send(recipient=staff, school=school, kind="notice", url=f"/schools/{school.pk}/")
    page = signed_in_page(staff)
    page.goto(f"{live_server.url}/notifications/")
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    assert_accessible(page, what="the notifications page")
    page.get_by_role("link", name="You have something new in SocialGov").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Willow Bank Primary School")
    expect(page.get_by_role("link", name="Notifications, 0 unread")).to_be_visible()
    console.assert_clean()

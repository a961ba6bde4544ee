"""A member of staff reads a policy and what changed between two published versions, in a real
browser: axe-core finds no violations, no CSP reports, and nothing scrolls sideways on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    open_signed_in_as,
    sign_in,
)
from tests.policies.factories import POLICY_TEXT, policy_for, published_version_for

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


@pytest.fixture
def two_published_versions(transactional_db, school, headteacher, dsl):
    policy = policy_for(school, headteacher, owner=dsl)
    first = published_version_for(policy, headteacher)
    second = published_version_for(
        policy,
        headteacher,
        text=POLICY_TEXT.replace("Keep passwords private", "Keep passwords secret")
        + "3. Never befriend pupils on personal accounts.\n",
    )
    return first, second


def test_staff_read_the_policy_page_and_its_redline_accessibly(
    live_server, page, console, staff, two_published_versions
):
    first, second = two_published_versions
    sign_in(page, live_server, staff.email)
    page.get_by_role("link", name="Policies").click()
    page.get_by_role("link", name="Staff acceptable use policy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff acceptable use policy")
    expect(page.get_by_role("link", name="Read version 2")).to_be_visible()
    assert_accessible(page, what="the policy page")

    page.get_by_label("Compare version").select_option(str(first.pk))
    page.get_by_label("with version").select_option(str(second.pk))
    page.get_by_role("button", name="Show the changes").click()
    expect(page.get_by_role("heading", name="From version 1 to version 2")).to_be_visible()
    expect(page.locator(".redline ins").filter(has_text="Never befriend")).to_be_visible()
    expect(page.locator(".redline del").filter(has_text="private.")).to_be_visible()
    assert_accessible(page, what="the redline page")

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    console.assert_clean()


def test_the_reading_page_of_a_published_version_is_accessible(
    live_server, page, console, staff, two_published_versions
):
    _first, second = two_published_versions
    sign_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/policies/versions/{second.pk}/")
    expect(page.get_by_role("heading", level=1).first).to_contain_text("version 2")
    assert_accessible(page, what="the reading page")
    console.assert_clean()


def test_the_headteacher_adds_writes_approves_and_publishes_a_policy(
    transactional_db, live_server, page, console, client_for, headteacher
):
    page.on("dialog", lambda dialog: dialog.accept())  # the "Approve this version?" confirmations
    open_signed_in_as(page, live_server, client_for, headteacher)
    page.goto(f"{live_server.url}/policies/")
    page.get_by_role("link", name="Add a policy").click()
    page.get_by_role("button", name="Add the policy").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert_accessible(page, what="the policy form showing errors")

    page.get_by_label("Kind").select_option("social_media")
    page.get_by_label("Title").fill("Social media policy")
    page.get_by_label("Owner").select_option(label="Hannah Head")
    page.get_by_label("Next review date").fill("31/08/2027")
    page.get_by_label("Teacher", exact=True).check()
    page.get_by_role("button", name="Add the policy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social media policy")
    assert_accessible(page, what="a policy page with no version yet")

    page.get_by_role("link", name="Start a new version").click()
    page.get_by_role("button", name="Start the draft").click()
    # Live preview: htmx posts the Markdown and shows the sanitised HTML as one types.
    page.get_by_label("Policy text").fill("# Our rules\n\nBe **kind** online.")
    page.get_by_label("Policy text").press("End")
    expect(page.locator("#policy-preview strong")).to_have_text("kind")
    assert_accessible(page, what="the draft editor")
    page.get_by_role("button", name="Save the draft").click()

    page.get_by_role("button", name="Send for approval").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Fingerprint of the text")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. This is now the version everyone reads")).to_be_visible()
    today = timezone.localdate().strftime("%d/%m/%Y")  # not before the approval, just now
    page.get_by_label("Date of the governing board meeting").fill(today)
    page.get_by_label("Minute reference").fill("FGB 7.2")
    page.get_by_role("button", name="Record ratification").click()
    expect(page.get_by_text("minute FGB 7.2")).to_be_visible()
    assert_accessible(page, what="a published version's reading page")
    console.assert_clean()

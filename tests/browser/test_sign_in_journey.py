"""Signing in, switching school and signing out in a real browser; accessible, CSP-clean, narrow.

The person is "staff" only in both schools, so two-factor sign-in for privileged roles never
stands in the way of the password form.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from socialgov.people.roles import Role
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.factories import MembershipFactory, person_in

pytestmark = pytest.mark.browser

EMAIL = "pat.both@example.org.uk"
PHONE_WIDTH = 375


@pytest.fixture
def two_school_person(transactional_db, school, other_school):
    """Pat works in both schools ("Hilltop Academy" sorts first, so it is the starting school)."""
    person = person_in(school, Role.STAFF, full_name="Pat Both", email=EMAIL)
    MembershipFactory(user=person, school=other_school, roles=[Role.STAFF])
    return person


def screenshot(page, name: str):
    """SOCIALGOV_SCREENSHOTS=/some/dir keeps full-page screenshots for a human to look at."""
    folder = os.environ.get("SOCIALGOV_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_login_page_is_accessible_with_and_without_an_error(
    transactional_db, live_server, page, console, two_school_person
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to SocialGov")
    # The stylesheets are served by the live server: the brand colour is applied.
    expect(page.locator("nav.navbar")).to_have_css("background-color", "rgb(31, 78, 121)")
    assert_accessible(page, what="the login page")
    screenshot(page, "login-1280")

    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("#id_password")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert_accessible(page, what="the login page showing empty-field errors")

    sign_in(page, live_server, EMAIL, password="not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    expect(page.get_by_label("E-mail address")).to_have_value(EMAIL)
    assert_accessible(page, what="the login page showing a wrong-password error")
    screenshot(page, "login-error-1280")
    console.assert_clean()


def test_sign_in_switch_school_and_sign_out(
    transactional_db, live_server, page, console, two_school_person
):
    sign_in(page, live_server, EMAIL)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Hilltop Academy")
    switcher = page.get_by_label("School", exact=True)
    expect(switcher.locator("option:checked")).to_have_text("Hilltop Academy")
    assert_accessible(page, what="the dashboard")
    screenshot(page, "dashboard-1280")

    switcher.select_option(label="Willow Bank Primary School")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("status")).to_contain_text(
        "You are now working in Willow Bank Primary School."
    )
    expect(main).to_contain_text("Willow Bank Primary School")
    expect(switcher.locator("option:checked")).to_have_text("Willow Bank Primary School")
    assert_accessible(page, what="the dashboard after switching school")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to SocialGov")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    console.assert_clean()


def test_phone_width_has_no_sideways_scroll_and_a_working_menu(
    transactional_db, live_server, page, console, two_school_person
):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    screenshot(page, "login-375")

    sign_in(page, live_server, EMAIL)
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    switcher = page.get_by_label("School", exact=True)
    expect(switcher).to_be_hidden()

    toggler = page.get_by_role("button", name="Show or hide the menu")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-menu")).to_have_class(re.compile(r"\bshow\b"))
    expect(switcher).to_be_visible()
    expect(page.get_by_role("button", name="Switch")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    assert_accessible(page, what="the dashboard at phone width with the menu open")
    screenshot(page, "dashboard-375-menu")

    switcher.select_option(label="Willow Bank Primary School")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("main")).to_contain_text("Willow Bank Primary School")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    screenshot(page, "dashboard-375")
    console.assert_clean()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    transactional_db, live_server, page, console, two_school_person
):
    sign_in(page, live_server, EMAIL)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))
    console.assert_clean()

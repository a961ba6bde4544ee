"""Two-factor sign-in in a real browser: password then a code from the authenticator (computed
here from the device's key), and first-time enrolment; every page checked with axe-core."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from socialgov.people.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import person_in
from tests.twofactor.helpers import code_for, wrong_code_for

pytestmark = pytest.mark.browser

EMAIL = "helen.head@example.org.uk"


@pytest.fixture
def head(transactional_db, school):
    return person_in(school, Role.HEADTEACHER, full_name="Helen Head", email=EMAIL)


def test_sign_in_with_password_then_authenticator_code(live_server, page, console, head):
    device = TOTPDevice.objects.create(user=head, name="Phone", confirmed=True)
    sign_in(page, live_server, EMAIL)
    expect(page).to_have_url(re.compile(r"/two-factor/verify/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    assert_accessible(page, what="the verify-a-code page")

    page.get_by_label("Code").fill(wrong_code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    assert_accessible(page, what="the verify-a-code page showing a wrong-code error")

    # A wrong code makes the next try wait a second (throttling); then the right code works.
    page.wait_for_timeout(1100)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    console.assert_clean()


def test_first_sign_in_enrols_an_authenticator(live_server, page, console, head):
    sign_in(page, live_server, EMAIL)
    expect(page).to_have_url(re.compile(r"/two-factor/set-up/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page, what="the enrolment page")

    device = TOTPDevice.objects.get(user=head, confirmed=False)
    page.get_by_label("6-digit code").fill(code_for(device))
    page.get_by_role("button", name="Check the code and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator("ul[aria-label='Backup codes'] li")).to_have_count(10)
    assert_accessible(page, what="the backup codes page")

    page.get_by_role("button", name="I have saved these codes — continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    console.assert_clean()

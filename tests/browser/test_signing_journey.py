"""Signing the staff AUP in a real browser with the keyboard only, downloading the signed PDF,
and the coverage page that then counts the signature; axe-core on every page, 375 px wide too."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from socialgov.people.roles import Role, StaffGroup
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.factories import person_in
from tests.policies.factories import policy_for, published_version_for
from tests.twofactor.helpers import code_for

pytestmark = pytest.mark.browser

STAFF_EMAIL = "sam.signer@example.org.uk"
HEAD_EMAIL = "helen.head@example.org.uk"
PHONE_WIDTH = 375


@pytest.fixture
def aup(transactional_db, school):
    head = person_in(school, Role.HEADTEACHER, full_name="Helen Head", email=HEAD_EMAIL)
    person_in(school, Role.STAFF, full_name="Sam Signer", email=STAFF_EMAIL)
    person_in(school, Role.STAFF, full_name="Tara Teacher", group=StaffGroup.TEACHER)
    return published_version_for(policy_for(school, head), head)


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the keyboard focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"could not reach {locator} with the Tab key")


def test_staff_signs_the_aup_with_the_keyboard_and_downloads_the_pdf(
    live_server, page, console, aup
):
    sign_in(page, live_server, STAFF_EMAIL)
    page.goto(f"{live_server.url}/policies/to-sign/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Policies for me to sign")
    assert_accessible(page, what="policies for me to sign")

    # The dashboard's item for the one policy to sign opens its signing page.
    page.goto(f"{live_server.url}/")
    tab_to(page, page.get_by_role("link", name="Read and sign Staff acceptable use policy"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1).first).to_have_text("Staff acceptable use policy")
    expect(page.locator("#policy-text")).to_contain_text("Keep passwords private.")
    assert_accessible(page, what="the signing page")

    # A wrong name first: a clear error, nothing signed.
    tab_to(page, page.get_by_role("checkbox"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Type your full name"))
    page.keyboard.type("Sam Someone")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Type your full name exactly as it is recorded")).to_be_visible()
    assert_accessible(page, what="the signing page showing an error")

    tab_to(page, page.get_by_label("Type your full name"))
    page.keyboard.press("Control+A")
    page.keyboard.type("  sam   signer ")
    if not page.get_by_role("checkbox").is_checked():
        tab_to(page, page.get_by_role("checkbox"))
        page.keyboard.press("Space")
        tab_to(page, page.get_by_role("button", name="Sign the policy"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("You have signed this policy")
    code = page.locator("#verification-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    assert_accessible(page, what="the signature page")

    tab_to(page, page.get_by_role("link", name="Download the PDF"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    console.assert_clean()


def test_signing_page_fits_a_phone(live_server, page, console, aup):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    sign_in(page, live_server, STAFF_EMAIL)
    page.goto(f"{live_server.url}/policies/versions/{aup.pk}/sign/")
    expect(page.get_by_role("heading", level=1).first).to_have_text("Staff acceptable use policy")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    assert_accessible(page, what="the signing page at 375 px")
    console.assert_clean()


def test_coverage_page_counts_the_new_signature(live_server, page, console, aup):
    from policies import services
    from socialgov.people.models import User

    head = User.objects.get(email=HEAD_EMAIL)
    device = TOTPDevice.objects.create(user=head, name="Phone", confirmed=True)
    sign_in(page, live_server, HEAD_EMAIL)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")

    url = f"{live_server.url}/policies/versions/{aup.pk}/coverage/"
    page.goto(url)
    expect(page.locator("#coverage-overall")).to_contain_text("0 of 3")
    assert_accessible(page, what="the coverage page")

    signer = User.objects.get(email=STAFF_EMAIL)
    services.signature_create(version=aup, signer=signer, typed_name="Sam Signer", agreed=True)
    page.goto(url)
    expect(page.locator("#coverage-overall")).to_contain_text("1 of 3")
    expect(page.get_by_role("row", name=re.compile("Sam Signer"))).to_contain_text("/")
    assert_accessible(page, what="the coverage page with a signature")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    console.assert_clean()

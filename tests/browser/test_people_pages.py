"""The headteacher's people pages in a real browser: accessible (axe-core) and CSP-clean.

The headteacher needs two-factor, so the browser is given a session already signed in and
verified by the test client (`client_for`) instead of going through the sign-in form.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, open_signed_in_as

pytestmark = pytest.mark.browser


def screenshot(page, name: str):
    """SOCIALGOV_SCREENSHOTS=/some/dir keeps full-page screenshots for a human to look at."""
    folder = os.environ.get("SOCIALGOV_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_people_list_invite_form_and_person_page_are_accessible(
    transactional_db, live_server, page, console, client_for, headteacher, staff, office
):
    open_signed_in_as(page, live_server, client_for, headteacher)
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "People at Willow Bank Primary School"
    )
    expect(page.get_by_role("link", name="Sam Staff")).to_be_visible()
    assert_accessible(page, what="the people list")
    screenshot(page, "people-list")

    page.get_by_role("link", name="Invite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Invite someone to Willow Bank Primary School"
    )
    assert_accessible(page, what="the invite form")

    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Choose at least one role.")).to_be_visible()
    assert_accessible(page, what="the invite form showing errors")
    screenshot(page, "people-invite-errors")

    page.get_by_label("Full name").fill("Nina Newcomer")
    page.get_by_label("E-mail address").fill("nina@example.org.uk")
    page.get_by_label("Staff group").select_option(label="Teacher")
    page.get_by_label("Staff", exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nina Newcomer")
    expect(
        page.get_by_text("An invitation will be e-mailed to nina@example.org.uk shortly.")
    ).to_be_visible()
    assert_accessible(page, what="a person's page")
    screenshot(page, "person-detail")

    page.get_by_role("link", name="Change roles and details").click()
    expect(page.get_by_label("Staff", exact=True)).to_be_checked()
    assert_accessible(page, what="the change roles form")
    page.go_back()

    page.get_by_role("link", name="Record as a leaver").click()
    assert_accessible(page, what="the leaver form")
    console.assert_clean()


def test_import_pages_are_accessible(
    transactional_db, live_server, page, console, client_for, headteacher, staff, tmp_path
):
    open_signed_in_as(page, live_server, client_for, headteacher)
    page.goto(f"{live_server.url}/people/import/")
    assert_accessible(page, what="the import form")

    upload = tmp_path / "staff.csv"
    upload.write_text(
        "name,email,staff group,roles\n"
        "Nina Newcomer,nina@example.org.uk,Teacher,Staff\n"
        f"Sam Staff,{staff.email},Teacher,Staff\n"
        "Bad Row,not-an-address,Teacher,Wizard\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of staff.csv")
    assert_accessible(page, what="the import preview")
    screenshot(page, "people-import-preview")

    page.get_by_role("button", name="Import 1 change and skip the rows with errors").click()
    expect(page.get_by_text("Import done: 1 joined the school")).to_be_visible()
    expect(page.get_by_role("link", name="Nina Newcomer")).to_be_visible()
    console.assert_clean()

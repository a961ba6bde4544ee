"""Official accounts in a real browser: a member of staff drafts a post showing three pupils, one
of whom has withdrawn → blocked with the reason; removes that pupil → a colleague agrees → the
headteacher approves → published with its URL; then the office records another pupil's
withdrawal → a takedown task appears for the account's administrators, who close it. axe-core on
each page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts_registry.models import Post, TakedownTask
from consent.models import Outcome
from socialgov.people.roles import Role, StaffGroup
from tests.accounts_registry.factories import account_for, accounts_aup, sign_aup
from tests.browser.conftest import assert_accessible, open_signed_in_as
from tests.consent.factories import pupil_for, record, social_media
from tests.factories import person_in

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db, school):
    head = person_in(school, Role.HEADTEACHER, full_name="Hannah Head", email="hh@example.org.uk")
    office = person_in(
        school, Role.OFFICE, full_name="Olive Office", email="oo@example.org.uk",
        group=StaffGroup.SUPPORT,
    )  # fmt: skip
    author = person_in(school, Role.STAFF, full_name="Sam Staff", email="ss@example.org.uk")
    second = person_in(school, Role.STAFF, full_name="Colin Colleague", email="cc@example.org.uk")
    account = account_for(school, head, [author, second], name="Willow Bank Sport")
    sign_aup(accounts_aup(school, head), author, second)
    purpose = social_media(school)
    pupils = {}
    for forename, surname in (("Amy", "Archer"), ("Ben", "Baker"), ("Cara", "Cole")):
        pupil = pupil_for(school, office, legal_forename=forename, legal_surname=surname)
        record(pupil, purpose, office, carer_name=f"Jo {surname}", received_on=dt.date(2025, 9, 1))
        pupils[forename] = pupil
    record(pupils["Ben"], purpose, office, Outcome.WITHDRAWN, carer_name="Jo Baker",
           received_on=dt.date.today())  # fmt: skip
    return {"head": head, "office": office, "author": author, "second": second,
            "account": account, "pupils": pupils}  # fmt: skip


def _as(page, live_server, client_for, user):
    page.context.clear_cookies()
    open_signed_in_as(page, live_server, client_for, user)


def test_a_post_is_blocked_then_approved_published_and_taken_down(
    live_server, page, console, client_for, cast
):
    account = cast["account"]
    _as(page, live_server, client_for, cast["author"])
    page.goto(f"{live_server.url}/official-accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The school's official accounts")
    assert_accessible(page, what="the registry")
    page.get_by_role("link", name="Willow Bank Sport").click()
    assert_accessible(page, what="the account page")
    page.get_by_role("link", name="Draft a post").click()
    page.get_by_label("Text").fill("Our netball team won the county cup!")
    page.get_by_label("Planned date").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Pupils shown").select_option(
        label=["Amy Archer (3B)", "Ben Baker (3B)", "Cara Cole (3B)"]
    )
    assert_accessible(page, what="the post form")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    page.get_by_role("button", name="Submit for approval").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ben Baker may not appear for Official social media: withdrawn.")
    expect(page.get_by_test_id("post-status")).to_have_text("Draft")
    assert_accessible(page, what="the refused post")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Pupils shown").select_option(label=["Amy Archer (3B)", "Cara Cole (3B)"])
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Waiting for a colleague to agree")
    post = Post.objects.get()

    _as(page, live_server, client_for, cast["second"])
    page.goto(f"{live_server.url}/official-accounts/approvals/")
    assert_accessible(page, what="the approval queue")
    page.get_by_role("link", name="Our netball team won the county cup!").click()
    page.get_by_role("button", name="I have read it and agree").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Waiting for approval")

    _as(page, live_server, client_for, cast["head"])
    page.goto(f"{live_server.url}/official-accounts/posts/{post.pk}/")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Approved, not published yet")

    _as(page, live_server, client_for, cast["author"])
    page.goto(f"{live_server.url}/official-accounts/posts/{post.pk}/")
    page.get_by_label("Published at (URL)").fill("https://instagram.example/p/netball")
    page.get_by_role("button", name="Mark published").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    assert_accessible(page, what="the published post")

    # The office records a withdrawal for Amy, shown in the published post.
    _as(page, live_server, client_for, cast["office"])
    page.goto(f"{live_server.url}/consent/pupils/{cast['pupils']['Amy'].pk}/")
    page.get_by_role("link", name="Withdrawal for Official social media").click()
    page.get_by_label("Decision").select_option("withdrawn")
    page.get_by_label("Parent or carer already recorded").select_option(label="Jo Archer (mother)")
    page.get_by_label("How it arrived").select_option("letter")
    page.get_by_label("Date received").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("withdrawn for Official social media")
    task = TakedownTask.objects.get()
    assert task.post_id == post.pk

    _as(page, live_server, client_for, cast["second"])
    page.goto(f"{live_server.url}/")
    expect(page.locator("main")).to_contain_text("may no longer appear: take down")
    page.goto(f"{live_server.url}/official-accounts/takedowns/")
    assert_accessible(page, what="the takedown list")
    page.get_by_role("link", name="Amy Archer").click()
    expect(page.get_by_label("Removed the post")).to_be_visible()
    assert_accessible(page, what="the takedown page")
    page.get_by_label("Removed the post").check()
    page.get_by_role("button", name="Close the takedown").click()
    expect(page.get_by_test_id("takedown-status")).to_contain_text("Closed: Removed the post")
    task.refresh_from_db()
    assert not task.is_open
    assert account.pk == post.account_id
    console.assert_clean()

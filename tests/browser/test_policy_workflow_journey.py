"""A policy's journey through the people who must act on it, in a real browser (issue 9): the DSL
sends a draft for approval → the headteacher sees it on the dashboard and in notifications →
approves and publishes it → a member of staff sees the notification and signs, typing the
curly apostrophe of her name as her phone does. axe-core on each page."""

import pytest
from playwright.sync_api import expect

from policies.models import Signature
from socialgov.people.roles import Role, StaffGroup
from tests.browser.conftest import assert_accessible, open_signed_in_as, sign_in
from tests.factories import person_in
from tests.policies.factories import draft_version_for, policy_for

pytestmark = pytest.mark.browser

STAFF_EMAIL = "siobhan@example.org.uk"
STAFF_NAME = "Siobhán O'Neill"  # recorded with a straight apostrophe and an accent


@pytest.fixture
def people(transactional_db, school):
    head = person_in(school, Role.HEADTEACHER, full_name="Helen Head", email="head@example.org")
    dsl = person_in(school, Role.DSL, full_name="Dev Singh", email="dsl@example.org")
    staff = person_in(
        school, Role.STAFF, full_name=STAFF_NAME, email=STAFF_EMAIL, group=StaffGroup.TEACHER
    )
    policy = policy_for(school, head, title="Staff acceptable use policy", owner=dsl)
    draft = draft_version_for(policy, dsl)
    return {"head": head, "dsl": dsl, "staff": staff, "draft": draft}


def test_a_draft_goes_from_the_dsl_to_the_headteacher_to_staff_who_sign_it(
    live_server, browser, console, client_for, people
):
    draft = people["draft"]
    version_url = f"{live_server.url}/policies/versions/{draft.pk}/"

    # The DSL sends the draft for approval.
    dsl_page = browser.new_context().new_page()
    open_signed_in_as(dsl_page, live_server, client_for, people["dsl"])
    dsl_page.goto(version_url)
    dsl_page.get_by_role("button", name="Send for approval").click()
    expect(dsl_page.get_by_text("Sent to the headteacher for approval.")).to_be_visible()
    assert_accessible(dsl_page, what="a version awaiting approval, as its author")
    dsl_page.context.close()

    # The headteacher sees it on the dashboard and in the notifications.
    head_page = browser.new_context().new_page()
    open_signed_in_as(head_page, live_server, client_for, people["head"])
    head_page.goto(f"{live_server.url}/")
    waiting = head_page.get_by_role(
        "link", name="Staff acceptable use policy, version 1, is waiting for your approval"
    )
    expect(waiting).to_be_visible()
    assert_accessible(head_page, what="the headteacher's dashboard")
    head_page.goto(f"{live_server.url}/notifications/")
    notification = head_page.get_by_role(
        "link", name="Waiting for your approval: Staff acceptable use policy, version 1"
    )
    expect(notification).to_be_visible()
    assert_accessible(head_page, what="the headteacher's notifications")
    notification.click()
    expect(head_page.get_by_role("heading", level=1).first).to_have_text(
        "Staff acceptable use policy, version 1"
    )

    # ...approves and publishes it.
    head_page.on("dialog", lambda dialog: dialog.accept())
    head_page.get_by_role("button", name="Approve").click()
    expect(head_page.get_by_text("Approved. The text is now frozen")).to_be_visible()
    head_page.get_by_role("button", name="Publish").click()
    expect(head_page.get_by_text("Everyone who must sign it has been asked to")).to_be_visible()
    expect(head_page.get_by_text("the previous one is superseded")).to_have_count(0)
    assert_accessible(head_page, what="a published version, as the headteacher")
    head_page.context.close()

    # A member of staff sees the notification and signs with a curly apostrophe.
    page = browser.new_context().new_page()
    sign_in(page, live_server, STAFF_EMAIL)
    page.goto(f"{live_server.url}/notifications/")
    asked = page.get_by_role(
        "link", name="Please read and sign: Staff acceptable use policy, version 1"
    )
    expect(asked).to_be_visible()
    assert_accessible(page, what="staff notifications")
    asked.click()
    expect(page.get_by_role("heading", level=1).first).to_have_text("Staff acceptable use policy")
    expect(page.locator("strong", has_text=STAFF_NAME)).to_be_visible()  # the name it expects
    assert_accessible(page, what="the signing page")
    page.get_by_role("checkbox").check()
    page.get_by_label("Type your full name").fill("Siobhan O’Neill")  # noqa: RUF001
    page.get_by_role("button", name="Sign the policy").click()
    expect(page.get_by_role("status")).to_contain_text("You have signed this policy")
    assert_accessible(page, what="the signature page")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Read and sign")).to_have_count(0)
    page.context.close()
    console.assert_clean()

    signature = Signature.objects.get(signer=people["staff"])
    assert signature.typed_name == "Siobhan O’Neill"  # noqa: RUF001 (as she typed it)

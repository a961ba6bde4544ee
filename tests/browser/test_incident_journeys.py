"""Incident journeys in a real browser, with axe-core on every page (issue 13):
- a member of staff reports inappropriate content seen on a laptop, and the network manager
  triages it and completes the ICT section;
- a DSL handles a cyberbullying report to closure with a debrief that flags the social media
  policy for review;
- the chair of governors handles a concern about the headteacher, which the headteacher's own
  pages never show."""

import re

import pytest
from playwright.sync_api import expect

from incidents.reports.models import Category, Incident, Status
from policies.models import Policy, PolicyKind
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.incidents.helpers import concern_about, pupil, report
from tests.policies.factories import policy_for

pytestmark = pytest.mark.browser
PHONE_WIDTH = 375


def checked(page, what):
    assert_accessible(page, what=what)
    assert not page.console_errors, page.console_errors


@pytest.fixture
def people(transactional_db, school, headteacher, dsl, staff, network_manager, chair, deputy_head):
    return school


def test_staff_report_inappropriate_content_and_the_network_manager_completes_the_ict_section(
    as_person, live_server, people, staff, network_manager
):
    page = as_person(staff)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Report a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern")
    expect(page.get_by_role("alert").first).to_contain_text("call 999 and tell the DSL now")
    checked(page, "the report form")
    page.get_by_label("What kind of incident is it?").select_option(
        label="Inappropriate content accessed on a school device"
    )
    page.get_by_label("Date it happened").fill("01/11/2026")
    page.get_by_label("Time it happened (if known)").fill("13:40")
    page.get_by_label("What happened").fill(
        "During wet play a pupil on class laptop 14 opened a site with violent images."
    )
    page.get_by_label("Web addresses (if any)").fill("https://games.example.net/fight")
    page.get_by_label("Platform or device (if any)").fill("Class laptop 14")
    page.get_by_label("Medium").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("has been passed on")
    expect(page.locator("#report-status")).to_have_text("Reported")
    checked(page, "the reporter's status page")
    incident = Incident.objects.get()

    manager = as_person(network_manager)
    manager.goto(f"{live_server.url}/")
    manager.get_by_role("link", name="1 new incident report to triage").click()
    checked(manager, "the network manager's list")
    manager.get_by_role("link", name=incident.reference).click()
    expect(manager.locator("#incident-description")).to_contain_text("violent images")
    checked(manager, "the incident page")
    manager.get_by_role("link", name="Triage").click()
    checked(manager, "the triage form")
    manager.get_by_label("Who will handle it").select_option(label="Nia Network")
    manager.get_by_label("Reason").fill("A mirror of a blocked games site.")
    manager.get_by_role("button", name="Triage it").click()
    expect(manager.locator("#incident-status")).to_have_text("Triaged")
    manager.get_by_role("link", name="Complete the ICT section").click()
    checked(manager, "the ICT section form")
    manager.get_by_label("Action taken").fill("Blocked the domain and its mirrors.")
    manager.get_by_label("When").fill("02/11/2026")
    manager.get_by_role("button", name="Complete the ICT section").click()
    expect(manager.locator("#ict-section")).to_contain_text("Blocked the domain and its mirrors.")
    expect(manager.locator("#ict-section")).to_contain_text("Nia Network")
    checked(manager, "the incident page with the ICT section")


def test_a_dsl_handles_cyberbullying_to_closure_flagging_the_social_media_policy(
    as_person, live_server, people, headteacher, dsl, staff
):
    social_media = policy_for(
        people,
        headteacher,
        kind=PolicyKind.SOCIAL_MEDIA,
        title="Social media policy",
        signer_groups=[],
    )
    incident = report(
        people,
        staff,
        Category.CYBERBULLYING,
        description="Unkind messages in a Year 6 group chat.",
        people=[pupil("M.T.")],
    )
    page = as_person(dsl)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="1 new incident report to triage").click()
    page.get_by_role("link", name=incident.reference).click()
    page.get_by_role("link", name="Triage").click()
    page.get_by_label("High").check()
    page.get_by_label("Who will handle it").select_option(label="Dev Singh")
    page.get_by_label("Reason").fill("Sustained, and affecting attendance.")
    page.get_by_role("button", name="Triage it").click()
    expect(page.locator("#incident-status")).to_have_text("Triaged")

    page.get_by_role("link", name="Record an action").click()
    checked(page, "the action form")
    page.get_by_label("What was done").select_option(label="Parent spoken to")
    page.get_by_label("Date it was done").fill("02/11/2026")
    page.get_by_label("Notes").fill("Both families spoken to; the chat was closed.")
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("#chronology")).to_contain_text("Both families spoken to")

    page.get_by_role("link", name="Change the status").click()
    checked(page, "the status form")
    page.get_by_label("Action taken").check()
    page.get_by_label("Reason").fill("Families spoken to.")
    page.get_by_role("button", name="Change the status").click()
    expect(page.locator("#incident-status")).to_have_text("Action taken")

    page.get_by_role("link", name="Close with a debrief").click()
    checked(page, "the debrief form")
    page.get_by_label("Why it can be closed").fill("No messages for two weeks.")
    page.get_by_label("Lessons learnt").fill("Pupils did not know how to report a group chat.")
    page.get_by_label("Summary for governors").fill("Cyberbullying in a pupils' chat, resolved.")
    page.get_by_label("Social media policy").check()
    page.get_by_label("What should change in those policies").fill(
        "Say how pupils report bullying in group chats."
    )
    page.get_by_role("button", name="Close it").click()
    expect(page.get_by_role("status")).to_contain_text("1 policy flagged for review")
    expect(page.locator("#incident-status")).to_have_text("Closed")
    expect(page.locator("#debrief")).to_contain_text("Social media policy")
    checked(page, "the closed incident page")
    social_media.refresh_from_db()
    assert social_media.review_requested_by == dsl
    assert Incident.objects.get().status == Status.CLOSED

    page.get_by_role("link", name="Social media policy").click()
    expect(page.get_by_text("Review requested").first).to_be_visible()


def test_the_chair_handles_a_concern_about_the_headteacher(
    as_person, live_server, people, headteacher, deputy_head, chair
):
    concern = concern_about(
        people,
        deputy_head,
        headteacher,
        description="The head's personal account follows current parents.",
    )
    page = as_person(chair)
    page.goto(f"{live_server.url}/")
    checked(page, "the chair's dashboard")
    page.get_by_role("link", name="1 new incident report to triage").click()
    page.get_by_role("link", name=concern.reference).click()
    expect(page.locator("#incident-route")).to_contain_text("Chair of governors as case manager")
    checked(page, "the concern's page")
    page.get_by_role("link", name="Triage").click()
    page.get_by_label("Who will handle it").select_option(label="Charles Chair")
    page.get_by_label("Reason").fill("The concern is about the headteacher: I am case manager.")
    page.get_by_role("button", name="Triage it").click()
    page.get_by_role("link", name="Harm threshold decision").click()
    checked(page, "the harm threshold form")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Reasons").fill("No child harmed or at risk; short of the code of conduct.")
    page.get_by_label("Context of the low-level concern (if not met)").fill(
        "Personal account contact with parents."
    )
    page.get_by_label("Action taken (if not met)").fill("Meeting arranged about the code.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#harm-threshold")).to_have_text("Threshold not met: a low-level concern")
    checked(page, "the concern after the decision")

    head = as_person(headteacher)
    head.goto(f"{live_server.url}/incidents/?show=all")
    expect(head.get_by_role("heading", level=1)).to_have_text("Incidents")
    expect(head.locator("main")).not_to_contain_text(concern.reference)
    response = head.goto(f"{live_server.url}/incidents/{concern.pk}/")
    assert response.status == 404
    head.goto(f"{live_server.url}/")
    # Her dashboard has other apps' items, but nothing of the concern: no item, no reference,
    # and it is not among the open incidents counted for her.
    main = head.locator("main")
    expect(main).to_contain_text("Needs your attention")
    expect(main).not_to_contain_text(concern.reference)
    expect(main).not_to_contain_text("concern")
    expect(main).not_to_contain_text("incident to")
    expect(main.locator('a[href="/incidents/?show=open"]')).to_have_text("0")


def test_the_report_form_fits_a_phone(as_person, live_server, people, staff):
    page = as_person(staff)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(f"{live_server.url}/incidents/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Report a concern"))
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    checked(page, "the report form at 375 px")
    assert Policy.objects.count() == 0

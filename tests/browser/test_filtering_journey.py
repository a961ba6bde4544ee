"""Blocked content in a real browser, with axe-core on every page (issue 14): a teacher asks for
a blocked video site for a lesson → the network manager reviews it → the headteacher approves it
for two weeks → the network manager confirms the unblock; the yearly review page then shows the
decision as evidence."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from incidents.filtering.models import RequestStatus, UnblockRequest
from socialgov.dates import today
from tests.browser.test_incident_journeys import checked

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db, school, headteacher, staff, network_manager, slt, dsl, governor):
    return school


def test_a_teacher_asks_for_a_video_site_and_the_review_shows_the_decision(
    as_person, live_server, people, staff, network_manager, headteacher, slt, dsl, governor
):
    teacher = as_person(staff)
    teacher.goto(f"{live_server.url}/")
    teacher.get_by_role("link", name="Blocked content").click()
    checked(teacher, "blocked content: my requests")
    teacher.get_by_role("link", name="Ask for a site to be unblocked").click()
    checked(teacher, "the request form")
    teacher.get_by_label("Full web address of the site").fill(
        "https://Video.Example.com/watch?v=volcano-eruption"
    )
    teacher.get_by_label("What the site contains").fill("Short science videos, with adverts.")
    teacher.get_by_label("Reasons for access").fill("A clip of an eruption for Year 5 geography.")
    teacher.get_by_label("Risks").fill("Adverts and suggested videos.")
    teacher.get_by_label("Control measures").fill("Played from my screen only.")
    teacher.get_by_label("Who needs access").select_option(label="Only me")
    teacher.get_by_label("Access needed until").fill(
        (today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    )
    teacher.get_by_role("button", name="Send the request").click()
    expect(teacher.get_by_role("status")).to_contain_text("has gone to the network manager")
    expect(teacher.locator("#request-url")).to_have_text(
        "https://video.example.com/watch?v=volcano-eruption"
    )
    checked(teacher, "the teacher's request page")
    unblock = UnblockRequest.objects.get()

    manager = as_person(network_manager)
    manager.goto(f"{live_server.url}/")
    manager.get_by_role("link", name="1 blocked-content request to review").click()
    checked(manager, "the decision log")
    manager.get_by_role("link", name=unblock.reference).click()
    manager.get_by_role("link", name="Review it").click()
    checked(manager, "the review form")
    manager.get_by_label("Technical notes").fill("Filtered as video streaming; open per user.")
    manager.get_by_role("button", name="Record the review").click()
    expect(manager.locator("#request-status")).to_contain_text("headteacher's decision")

    head = as_person(headteacher)
    head.goto(f"{live_server.url}/")
    head.get_by_role("link", name="1 blocked-content request to decide").click()
    head.get_by_role("link", name=unblock.reference).click()
    head.get_by_role("link", name="Decide").click()
    checked(head, "the decision form")
    head.get_by_label("Approved").check()
    head.get_by_label("Reasons for the decision").fill("A clear lesson need; risks controlled.")
    head.get_by_label("Unblocked until").fill(
        (today() + dt.timedelta(days=14)).strftime("%d/%m/%Y")
    )
    head.get_by_role("button", name="Record the decision").click()
    expect(head.locator("#request-outcome")).to_have_text("Approved")
    checked(head, "the decided request")

    manager.goto(f"{live_server.url}/")
    manager.get_by_role("link", name="1 approved site to unblock").click()
    manager.get_by_role("link", name=unblock.reference).click()
    manager.get_by_role("link", name="Confirm it is unblocked").click()
    manager.get_by_label("Notes").fill("Opened for Sam's account.")
    manager.get_by_role("button", name="Confirm it is unblocked").click()
    expect(manager.locator("#request-status")).to_contain_text("Unblocked")
    unblock.refresh_from_db()
    assert unblock.status == RequestStatus.ACTIVE
    assert unblock.approved_until == today() + dt.timedelta(days=14)

    head.goto(f"{live_server.url}/incidents/filtering/reviews/")
    checked(head, "the review list")
    head.get_by_role("link", name="Record the yearly review").click()
    checked(head, "the review form")
    head.get_by_label("SLT lead").select_option(label=slt.full_name)
    head.locator("#id_dsl").select_option(label=dsl.full_name)
    head.get_by_label("or IT provider: a contractor").fill("Fen IT Services")
    head.get_by_label("Governor responsible").select_option(label=governor.full_name)
    head.get_by_label("Teaching and learning needs").fill("Video sites for science lessons.")
    head.get_by_label("Findings").fill("Filtering works; unblocks are time-limited.")
    head.get_by_role("button", name="Record the review").click()
    expect(head.locator("#review-decisions")).to_contain_text(unblock.reference)
    expect(head.locator("#review-points")).to_contain_text("Evidenced")
    checked(head, "the review page")

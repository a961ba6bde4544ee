"""Declarations, exceptions and training in a real browser, with axe-core on every page
(issue 15): a member of staff declares a relationship, the DSL records the decision from the
dashboard, and the declarer reads it; the exceptions register and the training coverage page
for leaders, also at phone width."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from policies.declarations.models import Declaration
from socialgov.dates import today
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.policies.declarations.factories import exception_for
from tests.training.factories import attended, session_in

pytestmark = pytest.mark.browser
PHONE_WIDTH = 375


def checked(page, what):
    assert_accessible(page, what=what)
    assert not page.console_errors, page.console_errors


@pytest.fixture
def people(transactional_db, school, headteacher, dsl, staff):
    return school


def test_staff_declare_the_dsl_decides_and_the_declarer_sees_the_decision(
    as_person, live_server, people, staff, dsl
):
    page = as_person(staff)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Declarations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My declarations")
    checked(page, "my declarations")
    page.get_by_role("link", name="Make a declaration").click()
    checked(page, "the declaration form")
    page.get_by_label("Who does it concern?").select_option(label="A pupil's family")
    page.get_by_label("Their name, or a description").fill("My sister's son, in Year 3")
    page.get_by_label("The nature of the contact").fill(
        "He is my nephew; I am in the family WhatsApp group with his mum."
    )
    page.get_by_label("On which platforms").fill("WhatsApp")
    page.get_by_label("Since when").fill("01/05/2018")
    page.get_by_role("button", name="Send the declaration").click()
    expect(page.get_by_role("status").first).to_contain_text("gone to the headteacher and the DSL")
    checked(page, "the declaration page (declarer)")
    declaration = Declaration.objects.get()

    lead = as_person(dsl)
    lead.goto(f"{live_server.url}/")
    lead.get_by_role("link", name="1 staff declaration to discuss and decide").click()
    checked(lead, "the declarations waiting")
    lead.get_by_role("link", name=declaration.reference).click()
    lead.get_by_role("link", name="Record the decision").click()
    checked(lead, "the decision form")
    lead.get_by_label("Decision").select_option(label="Allowed with conditions")
    lead.get_by_label("Advice given").fill("Keep school out of the family group.")
    lead.get_by_label("Conditions").fill("No messages about school or other pupils.")
    lead.get_by_label("Discussed by").fill("Headteacher and DSL")
    review = (today() + dt.timedelta(days=365)).strftime("%d/%m/%Y")
    lead.get_by_label("Review date").fill(review)
    lead.get_by_role("button", name="Record the decision").click()
    expect(lead.get_by_role("status").first).to_contain_text("Decision recorded")
    checked(lead, "the declaration page (DSL)")

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="A decision on your declaration has been recorded").click()
    expect(page.get_by_text("Keep school out of the family group.")).to_be_visible()
    expect(page.get_by_text("Allowed with conditions (in force)")).to_be_visible()
    checked(page, "the decision, as the declarer sees it")


def test_leaders_read_the_exceptions_register_and_training_coverage_on_a_phone(
    as_person, live_server, people, headteacher, dsl, staff
):
    exception_for(dsl)
    session = session_in(people, title="September refresher")
    attended(session, staff)
    page = as_person(headteacher)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(f"{live_server.url}/")
    checked(page, "the headteacher's dashboard")
    page.goto(f"{live_server.url}/policies/exceptions/?show=requested")
    checked(page, "the exceptions register")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    page.get_by_role("link", name="E0").first.click()
    checked(page, "an exception")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status").first).to_contain_text("Exception approved")
    page.goto(f"{live_server.url}/training/coverage/")
    expect(page.get_by_role("table", name="Coverage by staff group")).to_be_visible()
    checked(page, "training coverage")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    page.goto(f"{live_server.url}/training/sessions/{session.pk}/")
    checked(page, "a training session")
    page.goto(f"{live_server.url}/training/")
    checked(page, "my training")

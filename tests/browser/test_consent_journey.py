"""The image consent register in a real browser: the office logs a withdrawal received by letter
with its scan, the grid shows it, a teacher's lookup then says "No — withdrawn", and the office
enters a class's returned forms in one screen. axe-core on the grid, pupil, bulk-entry and lookup
pages (and the class sheet), 375 px wide too."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from consent.models import ConsentDecision
from socialgov.people.roles import Role, StaffGroup
from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    open_signed_in_as,
    sign_in,
)
from tests.consent.factories import default_purposes, pupil_for, record
from tests.factories import person_in

pytestmark = pytest.mark.browser

TEACHER_EMAIL = "tom.teacher@example.org.uk"
PHONE_WIDTH = 375
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def register(transactional_db, school):
    office = person_in(
        school, Role.OFFICE, full_name="Olive Office", email="olive@example.org.uk",
        group=StaffGroup.SUPPORT,
    )  # fmt: skip
    person_in(school, Role.STAFF, full_name="Tom Teacher", email=TEACHER_EMAIL)
    purposes = default_purposes(school)
    amelia = pupil_for(school, office, legal_forename="Amelia", legal_surname="Hart",
                       registration_group="4C")  # fmt: skip
    pupil_for(school, office, legal_forename="Ben", legal_surname="Cole", registration_group="4C")
    record(amelia, purposes["social_media"], office, carer_name="Joanna Hart",
           received_on=dt.date(2025, 9, 1))  # fmt: skip
    return {"office": office, "amelia": amelia, "purposes": purposes}


def test_a_withdrawal_by_letter_reaches_the_grid_and_the_teachers_lookup(
    live_server, page, console, client_for, register, tmp_path
):
    office = register["office"]
    open_signed_in_as(page, live_server, client_for, office)
    page.goto(f"{live_server.url}/consent/register/?group=4C")
    expect(page.get_by_role("heading", level=1)).to_have_text("Image consent: class 4C")
    grid = page.get_by_role("table")
    expect(grid).to_contain_text("Official social media")
    assert_accessible(page, what="the register grid")

    page.get_by_role("link", name="Amelia Hart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amelia Hart")
    assert_accessible(page, what="the pupil page")
    page.get_by_role("link", name="Withdrawal for Official social media").click()

    expect(page.get_by_label("Purpose")).to_have_value(str(register["purposes"]["social_media"].pk))
    page.get_by_label("Decision").select_option("withdrawn")
    page.get_by_label("Parent or carer already recorded").select_option(
        label="Joanna Hart (mother)"
    )
    page.get_by_label("How it arrived").select_option("letter")
    page.get_by_label("Date received").fill(dt.date.today().strftime("%d/%m/%Y"))
    scan = tmp_path / "withdrawal-letter.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("Scan of the form, letter or e-mail").set_input_files(str(scan))
    assert_accessible(page, what="the decision form")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Recorded: withdrawn for Official social media"
    )
    expect(page.locator(".consent-chronology")).to_contain_text("Letter, received")
    expect(page.get_by_role("link", name="Evidence: withdrawal-letter.pdf")).to_be_visible()
    decision = ConsentDecision.objects.get(outcome="withdrawn")
    assert decision.evidence.original_name == "withdrawal-letter.pdf"

    page.get_by_role("link", name="Class 4C").click()
    row = page.get_by_role("row").filter(has_text="Amelia Hart")
    expect(row).to_contain_text("No — withdrawn")
    console.assert_clean()

    # The teacher, signing in through the form, looks the class up for social media.
    page.context.clear_cookies()
    sign_in(page, live_server, TEACHER_EMAIL)
    page.goto(f"{live_server.url}/consent/")
    expect(page.get_by_role("heading", level=1)).to_have_text("May they appear?")
    page.get_by_label("Class").select_option("4C")
    page.get_by_label("Used for").select_option(label="Official social media")
    page.get_by_role("button", name="Check").click()
    answer = page.locator("#lookup-answer")
    expect(answer.get_by_role("row").filter(has_text="Amelia Hart")).to_contain_text(
        "No — withdrawn"
    )
    expect(answer.get_by_role("row").filter(has_text="Ben Cole")).to_contain_text(
        "No — no decision"
    )
    expect(page.get_by_text("Joanna Hart")).to_have_count(0)
    assert_accessible(page, what="the lookup")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    assert_accessible(page, what="the lookup at 375 px")
    assert_no_horizontal_scroll(page, PHONE_WIDTH)
    console.assert_clean()


def test_the_office_enters_a_class_of_returned_forms_on_one_screen(
    live_server, page, console, client_for, register
):
    purposes = register["purposes"]
    open_signed_in_as(page, live_server, client_for, register["office"])
    page.goto(f"{live_server.url}/consent/bulk/?group=4C")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a stack of returned forms")
    assert_accessible(page, what="bulk entry")

    page.get_by_label("Date received").fill("02/09/2025")
    page.get_by_label("Signed by (for Amelia Hart)").fill("Joanna Hart")
    page.get_by_label("School website for Amelia Hart").select_option("granted")
    page.get_by_label("Press and local media for Amelia Hart").select_option("refused")
    page.get_by_label("School website for Ben Cole").select_option("granted")
    # Ben's row has no name yet: nothing is saved, and the row says why.
    page.get_by_role("button", name="Save every decision on this screen").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(page.get_by_role("row").filter(has_text="Ben Cole")).to_contain_text(
        "Enter who signed the form."
    )
    assert ConsentDecision.objects.count() == 1
    assert_accessible(page, what="bulk entry with errors")

    page.get_by_label("Signed by (for Ben Cole)").fill("Sunita Cole")
    page.get_by_label("Relationship to Ben Cole").select_option("mother")
    page.get_by_label("Relationship to Amelia Hart").select_option("mother")
    page.get_by_role("button", name="Save every decision on this screen").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded 3 decisions for class 4C")
    assert ConsentDecision.objects.count() == 4
    row = page.get_by_role("row").filter(has_text="Ben Cole")
    website = list(purposes).index("website")  # the pupil's name is the row header
    expect(row.get_by_role("cell").nth(website)).to_contain_text("Yes")

    page.goto(f"{live_server.url}/consent/sheet/?group=4C")
    expect(page.get_by_text("This sheet goes out of date")).to_be_visible()
    assert_accessible(page, what="the class sheet")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(f"{live_server.url}/consent/register/?group=4C")
    assert_accessible(page, what="the register grid at 375 px")
    console.assert_clean()

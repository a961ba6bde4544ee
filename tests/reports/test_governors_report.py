"""The governors' report from live data: each figure against the same figure computed here, the
PDF's text (headings and figures in, names and descriptions out), small numbers, bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from consent.models import Outcome
from incidents.reports.models import Category
from policies.models import Policy
from socialgov.reports.period import range_period
from socialgov.reports.selectors import report_for
from tests.consent.factories import pupil_for, record, social_media
from tests.incidents.helpers import close, pupil, report, triage
from tests.policies.factories import policy_for, published_version_for
from tests.reports.helpers import pdf_text, recent_range, report_url

pytestmark = pytest.mark.django_db

PLANTED_DESCRIPTION = "Zebrafinch disclosed something on the bus group chat."


@pytest.fixture
def known_numbers(school, headteacher, dsl, staff, office, chair, governor, network_manager):
    """2 safeguarding disclosures, 4 parent-conduct and 3 filter-bypass incidents, one closed
    with a governor summary; one overdue policy of two; three pupils and one consent yes."""
    for _ in range(2):
        report(school, staff, Category.SAFEGUARDING, description=PLANTED_DESCRIPTION,
               people=[pupil("Zara Example")])  # fmt: skip
    for _ in range(4):
        report(school, staff, Category.PARENT_CONDUCT)
    bypasses = [report(school, staff, Category.FILTER_BYPASS) for _ in range(3)]
    triage(bypasses[0], network_manager)
    close(bypasses[0], network_manager, governor_summary="A proxy site was found and blocked.")
    overdue = policy_for(school, headteacher, title="Online safety policy", kind="online_safety")
    published_version_for(overdue, headteacher)
    aup = policy_for(school, headteacher)
    published_version_for(aup, headteacher)
    Policy.objects.filter(pk=overdue.pk).update(
        next_review_on=timezone.localdate() - dt.timedelta(days=3)
    )
    Policy.objects.filter(pk=aup.pk).update(
        next_review_on=timezone.localdate() + dt.timedelta(days=300)
    )
    purpose = social_media(school)
    pupils = [pupil_for(school, office, legal_forename=f"Quentin{n}") for n in range(3)]
    record(pupils[0], purpose, office, Outcome.GRANTED, carer_name="Priscilla Parentname")
    record(pupils[1], purpose, office, Outcome.REFUSED, carer_name="Priscilla Parentname")
    return {"purpose": purpose, "pupils": pupils}


def _period():
    today = timezone.localdate()
    return range_period(today - dt.timedelta(days=30), today)


def _section(report_, name):
    return next(s.content for s in report_.sections if s.name == name)


def _table(content, slug):
    return next(t for t in content.tables if t.slug == slug)


def test_incident_figures_equal_the_counts_with_small_numbers_hidden(school, known_numbers):
    content = _section(report_for(school, _period()), "incidents")
    rows = {row[0]: str(row[2]) for row in _table(content, "categories").rows}
    assert rows["Safeguarding disclosure"] == "fewer than 3"
    assert rows["Parent's online conduct"] == "4"
    assert rows["Attempt to bypass filtering"] == "3"
    assert rows["All incidents"] == "at least 8"  # 9 in truth: 4 + 3 + at least 1
    areas = {row[0]: str(row[1]) for row in _table(content, "areas").rows}
    assert areas == {
        "Content": "3",
        "Contact": "fewer than 3",
        "Conduct": "4",
        "Commerce": "0",
        "Not classified": "0",
    }
    # The status table leaves the hidden category out entirely, so its total is 7, not 9.
    status = {row[0]: row[1] for row in _table(content, "status").rows}
    assert sum(status.values()) == 7 and status["Closed"] == 1
    figures = {f.label: str(f.value) for f in content.figures}
    assert figures["Reported in the period"] == "at least 8"
    assert figures["Still open"] == "at least 7"
    assert figures["Closed"] == "–"  # 9 - 8 would give the hidden count away
    assert content.paragraphs == ["A proxy site was found and blocked."]


def test_policy_figures_equal_the_schedule(school, known_numbers):
    content = _section(report_for(school, _period()), "policies")
    figures = {f.label: f.value for f in content.figures}
    on = timezone.localdate()
    assert figures["Policies"] == Policy.objects.filter(school=school).count() == 2
    assert figures["Overdue for review"] == (
        Policy.objects.filter(school=school, next_review_on__lt=on).count()
    )
    assert figures["Overdue for review"] == 1
    schedule = {row[0]: row for row in _table(content, "schedule").rows}
    assert schedule["Online safety policy"][4] == "Overdue for review"
    assert schedule["Staff acceptable use policy"][1] == "Published (version 1)"


def test_aup_coverage_is_signed_over_required_by_staff_group(school, known_numbers):
    content = _section(report_for(school, _period()), "policies")
    rows = _table(content, "aup-coverage").rows
    overall = next(row for row in rows if row[1] == "Everyone required")
    # Teachers and support staff must sign; nobody has signed yet.
    from socialgov.people.models import Membership

    required = (
        Membership.objects.current()
        .filter(school=school, staff_group__in=["teacher", "support"])
        .count()
    )
    assert overall[2:] == ["0", str(required), "0%"]


def test_consent_figures_equal_the_register(school, known_numbers):
    content = _section(report_for(school, _period()), "consent")
    purpose = known_numbers["purpose"]
    row = next(r for r in _table(content, "purposes").rows if r[0] == purpose.name)
    assert row[1:4] == [3, 1, "33%"]
    assert row[4] == 1  # refused
    figures = {f.label: f.value for f in content.figures}
    assert figures["Pupils on roll"] == 3


def test_the_pdf_has_the_headings_and_figures_and_names_nobody(
    client_for, governor, school, known_numbers, tmp_path, staff, dsl, office
):
    response = client_for(governor).get(report_url(school, "governors_report_pdf"), recent_range())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for heading in (
        "Governors' review of online safety",
        "Contents",
        "Policies, reviews and acceptable use",
        "Consent for photos and videos",
        "Incidents and lessons learnt",
        "Incidents by area of online risk",
        school.name,
    ):
        assert heading in text, heading
    assert "fewer than 3" in text
    assert "at least 8" in text
    assert "A proxy site was found and blocked." in text
    for planted in (
        "Zara",
        "Zebrafinch",
        "Quentin",
        "Priscilla",
        staff.full_name,
        dsl.full_name,
        office.full_name,
        "INC-",
    ):
        assert planted not in text, planted
    # No line of the incidents tables shows the true total of 9.
    assert "All incidents 9" not in " ".join(text.split())


def test_the_page_shows_the_report_with_a_contents_list(
    client_for, governor, school, known_numbers
):
    response = client_for(governor).get(report_url(school), recent_range())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contents" in html and 'href="#section-incidents"' in html
    assert "<svg" in html and 'role="img"' in html
    assert "Zara" not in html and "Zebrafinch" not in html


def test_a_period_that_ends_before_it_starts_is_a_clear_message(client_for, governor, school):
    response = client_for(governor).get(
        report_url(school), {"period": "range", "starts_on": "2026-10-01", "ends_on": "2026-09-01"}
    )
    assert response.status_code == 400
    assert "must end on or after the day it starts" in response.content.decode()


def test_a_term_that_is_not_the_schools_is_a_clear_message(client_for, governor, school):
    response = client_for(governor).get(report_url(school), {"period": "term-999999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    pdf = client_for(governor).get(report_url(school, "governors_report_pdf"), {"period": "x"})
    assert pdf.status_code == 400


def test_a_term_of_the_school_is_a_period(client_for, governor, school):
    from socialgov.terms.models import TermDate

    term = TermDate.objects.create(
        school=school,
        academic_year=2026,
        term="autumn",
        starts_on=dt.date(2026, 9, 3),
        ends_on=dt.date(2026, 12, 18),
    )
    response = client_for(governor).get(report_url(school), {"period": f"term-{term.pk}"})
    assert response.status_code == 200
    assert "Autumn term 2026/27" in response.content.decode()


def test_without_a_period_the_report_covers_the_current_term_or_year(client_for, governor, school):
    response = client_for(governor).get(report_url(school))
    assert response.status_code == 200
    assert "School year" in response.content.decode()


def test_each_table_downloads_as_csv_as_shown(client_for, governor, school, known_numbers):
    from django.urls import reverse

    url = reverse("governors_report_csv", args=[school.pk, "incidents", "categories"])
    response = client_for(governor).get(url, recent_range())
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Safeguarding disclosure" in body and "fewer than 3" in body
    assert "at least 8" in body
    missing = reverse("governors_report_csv", args=[school.pk, "incidents", "nope"])
    assert client_for(governor).get(missing, recent_range()).status_code == 404


def test_no_school_figures_appear_in_another_schools_report(
    school, sister_school, sister_head, known_numbers
):
    for _ in range(5):
        report(sister_school, sister_head, Category.MISINFORMATION)
    ours = _section(report_for(school, _period()), "incidents")
    theirs = _section(report_for(sister_school, _period()), "incidents")
    rows = {row[0]: str(row[2]) for row in _table(ours, "categories").rows}
    assert rows["Harmful misinformation"] == "0"
    their_rows = {row[0]: str(row[2]) for row in _table(theirs, "categories").rows}
    assert their_rows["Harmful misinformation"] == "5"
    assert their_rows["Parent's online conduct"] == "0"
    consent = _section(report_for(sister_school, _period()), "consent")
    assert {f.label: f.value for f in consent.figures}["Pupils on roll"] == 0
    policies = _section(report_for(sister_school, _period()), "policies")
    assert {f.label: f.value for f in policies.figures}["Policies"] == 0


def test_the_roll_ups_consent_gaps_equal_the_registers_gaps_per_school(
    trust, school, sister_school, office, sister_head, known_numbers
):
    from consent.selectors import gaps
    from socialgov.reports.selectors import rollup_for

    social_media(sister_school)
    pupil_for(sister_school)
    rollup = rollup_for(trust, _period())
    column = [c.label for c in rollup.columns].index("Consent gaps (pupils)")
    on = timezone.localdate()
    for row in rollup.rows:
        assert row.figures[column].value == len(gaps(row.school, on)), row.school
    assert {row.school: row.figures[column].value for row in rollup.rows}[school] == 3


def test_a_small_aup_group_cannot_be_worked_out_from_the_total_and_the_other_groups(
    school, headteacher
):
    """5 teachers (3 signed), 4 support staff (all signed), 1 volunteer (not signed): the
    volunteer reads "fewer than 3", and no sum of what is shown gives their figures."""
    from policies.models import Policy
    from socialgov.people.roles import Role, StaffGroup
    from tests.factories import person_in
    from tests.policies.signing_helpers import sign

    aup = policy_for(school, headteacher, title="Staff AUP")
    Policy.objects.filter(pk=aup.pk).update(signer_groups=["teacher", "support", "volunteer"])
    aup.refresh_from_db()
    version = published_version_for(aup, headteacher)
    from socialgov.people.models import Membership

    Membership.objects.filter(school=school).update(staff_group=StaffGroup.GOVERNOR)
    teachers = [person_in(school, Role.STAFF, group=StaffGroup.TEACHER) for _ in range(5)]
    support = [person_in(school, Role.STAFF, group=StaffGroup.SUPPORT) for _ in range(4)]
    volunteer = person_in(school, Role.STAFF, group=StaffGroup.VOLUNTEER)
    for person in [*teachers[:3], *support]:
        sign(version, person)
    content = _section(report_for(school, _period()), "policies")
    rows = {
        row[1]: row[2:] for row in _table(content, "aup-coverage").rows if row[0] == "Staff AUP"
    }
    assert rows["Everyone required"] == ["7", "10", "70%"]
    assert rows["Volunteer"] == ["–", "fewer than 3", "–"]
    # The next smallest group is hidden too: 10 − 5 teachers = 5 (support and volunteer
    # together), never the volunteer alone.
    assert rows["Support staff"] == ["–", "not shown", "–"]
    assert rows["Teacher"] == ["3", "5", "60%"]

    # Try to derive the volunteer's figures from every figure shown.
    def number(cell):
        return int(cell) if cell.isdigit() else None

    overall_signed, overall_required = 7, 10
    shown = [
        (number(v[0]), number(v[1]))
        for label, v in rows.items()
        if label != "Everyone required" and number(v[1]) is not None
    ]
    left_signed = overall_signed - sum(s for s, _r in shown)
    left_required = overall_required - sum(r for _s, r in shown)
    assert left_required >= 3  # what is left covers at least 3 people, not the one volunteer
    assert (left_signed, left_required) != (0, 1)  # the volunteer's own figures
    assert volunteer.pk  # the volunteer is a real member who must sign
    assert content.tables[1].note.startswith("Groups of fewer than 3 people")


def test_two_small_aup_groups_that_add_up_to_3_need_no_other_group_hidden(school, headteacher):
    from policies.models import Policy
    from socialgov.people.models import Membership
    from socialgov.people.roles import Role, StaffGroup
    from tests.factories import person_in

    aup = policy_for(school, headteacher, title="Staff AUP")
    Policy.objects.filter(pk=aup.pk).update(signer_groups=["teacher", "volunteer", "contractor"])
    published_version_for(aup, headteacher)
    Membership.objects.filter(school=school).update(staff_group=StaffGroup.GOVERNOR)
    for group, n in (
        (StaffGroup.TEACHER, 4),
        (StaffGroup.VOLUNTEER, 2),
        (StaffGroup.CONTRACTOR, 1),
    ):
        for _ in range(n):
            person_in(school, Role.STAFF, group=group)
    content = _section(report_for(school, _period()), "policies")
    rows = {row[1]: row[3] for row in _table(content, "aup-coverage").rows if row[0] == "Staff AUP"}
    assert rows == {
        "Everyone required": "7",
        "Contractor": "fewer than 3",
        "Teacher": "4",
        "Volunteer": "fewer than 3",
    }


def test_the_roll_ups_consent_gaps_follow_dates_restrictions_and_leavers(
    trust, school, sister_school, office, headteacher, sister_head, known_numbers
):
    """States that still change (a decision not yet effective, a consent that expires) are read
    at the date; restricted pupils and leavers are left out; both schools equal the register."""
    from consent.governors import consent_gaps_by_school
    from consent.selectors import gaps
    from consent.services.restrictions import photo_restriction_set
    from socialgov.people.roles import Role
    from socialgov.reports.selectors import rollup_for
    from tests.consent.factories import default_purposes
    from tests.factories import person_in

    clerk = person_in(sister_school, Role.OFFICE)
    today = timezone.localdate()
    purposes = [p for p in default_purposes(sister_school).values() if p.needs_consent]
    later = pupil_for(sister_school, legal_forename="Later")
    for n, purpose in enumerate(purposes):
        effective = today + dt.timedelta(days=9) if n == 0 else None
        record(later, purpose, clerk, received_on=today, effective_on=effective)
    expiring = pupil_for(sister_school, legal_forename="Expiring")
    for purpose in purposes:
        record(expiring, purpose, clerk, expires_on=today + dt.timedelta(days=20))
    done = pupil_for(sister_school, legal_forename="Done")
    for purpose in purposes:
        record(done, purpose, clerk, Outcome.REFUSED)
    pupil_for(sister_school, legal_forename="Nothing")
    pupil_for(sister_school, legal_forename="Gone", leaving_date=today - dt.timedelta(days=3))
    hidden = pupil_for(sister_school, legal_forename="Hidden")
    photo_restriction_set(pupil=hidden, actor=sister_head, reason="Court order", starts_on=today)
    for on in (today, today + dt.timedelta(days=10), today + dt.timedelta(days=40)):
        counted = consent_gaps_by_school([school, sister_school], on)
        for each in (school, sister_school):
            assert counted[each.pk] == len(gaps(each, on)), (each, on)
    rollup = rollup_for(trust, _period())
    column = [c.label for c in rollup.columns].index("Consent gaps (pupils)")
    figures = {row.school: row.figures[column].value for row in rollup.rows}
    # "Nothing" only: "Later" is not yet effective (not a gap), "Hidden" restricted, "Gone" left.
    assert figures[sister_school] == len(gaps(sister_school, today)) == 1
    assert consent_gaps_by_school([sister_school], today + dt.timedelta(days=40))[
        sister_school.pk
    ] == len(gaps(sister_school, today + dt.timedelta(days=40)))

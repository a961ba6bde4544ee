"""Coverage as schools use it (issues 9.5, 9.8, 8.5, 8.6, 10.4): the zip holds every signature that
counts, PDFs are prepared by a sweep and never in the request, the office chases, governors see
small groups as "fewer than 3", the people table is paginated with "not signed" first, chasers and
the daily reminder share the reminder log, and a member with nothing to sign is told so."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from policies import selectors, services
from policies.models import ChangeSize, Signature
from policies.signing_reminders import POLICY_UNSIGNED
from policies.tasks import signature_pdfs_sweep_task
from policies.views.signing import COVERAGE_PAGE_SIZE
from socialgov.notifications.models import Notification
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup
from socialgov.reminders import registry
from socialgov.reminders.models import ReminderLog
from socialgov.reminders.services import reminders_send_due
from tests.factories import person_in
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign
from tests.policies.test_coverage_queries import add_signed_staff

pytestmark = pytest.mark.django_db

V2 = "# Staff AUP\n\nStaff use school accounts for school work only.\n"


@pytest.fixture
def aup(school, headteacher):
    return policy_for(school, headteacher)


@pytest.fixture
def version(aup, headteacher):
    return published_version_for(aup, headteacher)


def zip_of(client, version):
    response = client.get(reverse("version_signatures_zip", kwargs={"pk": version.pk}))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    return archive, index


# --- The zip --------------------------------------------------------------------------------


def test_the_zip_of_a_minor_version_holds_the_carried_over_signatures(
    client_for, aup, headteacher, version, staff, office, dsl
):
    sign(version, staff)
    sign(version, office)
    minor = published_version_for(aup, headteacher, text=V2, change=ChangeSize.MINOR)
    sign(minor, dsl)
    services.signature_pdfs_render_missing()
    archive, index = zip_of(client_for(headteacher), minor)
    coverage = selectors.coverage_for(minor)
    assert len(index) == coverage.overall.signed == 3
    assert len(archive.namelist()) == 4
    by_name = {row["Name"]: row for row in index}
    assert by_name["Sam Staff"]["Version signed"] == "1"
    assert by_name["Olive Office"]["Version signed"] == "1"
    assert by_name["Dev Singh"]["Version signed"] == "2"


def test_the_zip_leaves_out_signatures_that_no_longer_count(
    client_for, aup, headteacher, version, staff, office
):
    sign(version, staff)
    major = published_version_for(aup, headteacher, text=V2, change=ChangeSize.MAJOR)
    sign(major, office)
    services.signature_pdfs_render_missing()
    _archive, index = zip_of(client_for(headteacher), major)
    assert [row["Name"] for row in index] == ["Olive Office"]


def test_the_zip_is_never_rendered_in_the_request_and_says_how_many_are_being_prepared(
    client_for, headteacher, version, staff, office, monkeypatch
):
    sign(version, staff)
    sign(version, office)
    Signature.objects.update(pdf=None)  # as if the task after signing had not run

    def no_rendering(**kwargs):
        raise AssertionError("a PDF was rendered inside the request")

    monkeypatch.setattr("policies.services.signing.signature_pdf_bytes", no_rendering)
    client = client_for(headteacher)
    page = client.get(reverse("version_signatures_zip", kwargs={"pk": version.pk}))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "2 of the 2" in page.content.decode()
    coverage = client.get(reverse("version_coverage", kwargs={"pk": version.pk}))
    assert "2 signed PDFs are being prepared" in coverage.content.decode()
    monkeypatch.undo()
    call_command("render_signature_pdfs", stdout=io.StringIO())
    archive, index = zip_of(client, version)
    assert len(index) == 2


def test_the_sweep_renders_missing_pdfs_as_a_task_and_is_scheduled(version, staff):
    sign(version, staff)
    Signature.objects.update(pdf=None)
    assert signature_pdfs_sweep_task.apply().get() == 1
    assert Signature.objects.filter(pdf__isnull=True).count() == 0
    assert signature_pdfs_sweep_task.apply().get() == 0
    entry = PeriodicTask.objects.get(name="Signed PDFs")
    assert entry.task == "policies.tasks.signature_pdfs_sweep_task" and entry.enabled


def test_the_sweep_command_reports_what_it_did(version, staff):
    sign(version, staff)
    Signature.objects.update(pdf=None)
    out = io.StringIO()
    call_command("render_signature_pdfs", stdout=out)
    assert out.getvalue().strip() == "Rendered 1 signed PDFs; 0 still missing."


# --- Who sees what ----------------------------------------------------------------------------


def test_the_office_sees_names_and_chases(client_for, office, version, staff):
    client = client_for(office)
    page = client.get(reverse("version_coverage", kwargs={"pk": version.pk})).content.decode()
    assert "Sam Staff" in page and reverse("version_chase", kwargs={"pk": version.pk}) in page
    response = client.post(reverse("version_chase", kwargs={"pk": version.pk}), follow=True)
    assert "Reminded" in response.content.decode()
    assert Notification.objects.filter(recipient=staff, kind="policy_unsigned").count() == 1


def test_governors_see_groups_of_fewer_than_three_as_fewer_than_three(
    client_for, school, governor, version, staff, office
):
    # Required: staff (teacher), office (support, alone in the group) and 3 more teachers.
    for n in range(3):
        person_in(school, Role.STAFF, full_name=f"Teacher {n}", group=StaffGroup.TEACHER)
    sign(version, office)
    page = client_for(governor).get(reverse("version_coverage", kwargs={"pk": version.pk}))
    html = page.content.decode()
    assert "Olive Office" not in html and "Sam Staff" not in html
    support = html.split('<th scope="row">Support staff</th>')[1].split("</tr>")[0]
    assert "fewer than 3" in support and "100%" not in support
    teachers = html.split('<th scope="row">Teacher</th>')[1].split("</tr>")[0]
    assert "not shown" in teachers and "0%" not in teachers
    csv_rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client_for(governor)
                    .get(reverse("version_coverage_csv", kwargs={"pk": version.pk}))
                    .streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    by_group = {row[1]: row for row in csv_rows[1:] if row[0] == "Staff group"}
    assert by_group["Support staff"][2:] == ["fewer than 3"] * 3
    # Everyone minus the teachers would be the office alone: the teachers are not shown either.
    assert by_group["Teacher"][2:] == ["not shown"] * 3


def coverage_cells(html, label):
    """The figures in the row headed `label` of the coverage page (its text, tags removed)."""
    row = html.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]
    return re.findall(r">([^<>]+)</td>", row)


def coverage_csv(client, version):
    response = client.get(reverse("version_coverage_csv", kwargs={"pk": version.pk}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {(row[0], row[1]): row[2:] for row in list(csv.reader(io.StringIO(text)))[1:]}


@pytest.fixture
def two_volunteers(school, headteacher):
    """A policy that 5 teachers (3 signed; 3 marketing officers), 4 support staff (all signed;
    2 network managers) and 2 volunteers (1 signed) must sign, everyone holding the staff role:
    Everyone 8 of 11. Everyone else of the school is a governor, not required."""
    aup = policy_for(
        school,
        headteacher,
        signer_groups=[StaffGroup.TEACHER, StaffGroup.SUPPORT, StaffGroup.VOLUNTEER],
    )
    version = published_version_for(aup, headteacher)
    Membership.objects.filter(school=school).update(staff_group=StaffGroup.GOVERNOR)
    teachers = [
        person_in(school, Role.STAFF, *([Role.MARKETING_OFFICER] if n < 3 else []))
        for n in range(5)
    ]
    support = [
        person_in(
            school,
            Role.STAFF,
            *([Role.NETWORK_MANAGER] if n < 2 else []),
            group=StaffGroup.SUPPORT,
        )
        for n in range(4)
    ]
    volunteers = [person_in(school, Role.STAFF, group=StaffGroup.VOLUNTEER) for _ in range(2)]
    for person in [teachers[0], teachers[3], teachers[4], *support, volunteers[0]]:
        sign(version, person)
    return version


def test_governors_cannot_work_out_a_small_group_from_everyone_minus_the_groups_shown(
    client_for, governor, two_volunteers
):
    client = client_for(governor)
    html = client.get(reverse("version_coverage", kwargs={"pk": two_volunteers.pk})).content
    html = html.decode()
    assert "<strong>8 of 11</strong>" in html
    # The volunteers (2) are fewer than 3; Everyone minus the teachers would give their figure
    # if the support staff were shown, so the support staff (the next smallest) are not shown.
    assert coverage_cells(html, "Volunteer") == ["fewer than 3"]
    assert coverage_cells(html, "Support staff") == ["not shown"]
    assert coverage_cells(html, "Teacher") == ["3", "5", "60%"]
    # Roles likewise: 2 network managers hidden, the 3 marketing officers not shown either.
    assert coverage_cells(html, "Network manager") == ["fewer than 3"]
    assert coverage_cells(html, "Marketing officer") == ["not shown"]
    assert coverage_cells(html, "Staff") == ["8", "11", "73%"]
    assert "next smallest is not shown either" in html

    rows = coverage_csv(client, two_volunteers)
    assert rows[("Everyone", "Everyone required")] == ["8", "11", "73"]
    assert rows[("Staff group", "Volunteer")] == ["fewer than 3"] * 3
    assert rows[("Staff group", "Support staff")] == ["not shown"] * 3
    assert rows[("Staff group", "Teacher")] == ["3", "5", "60"]
    assert rows[("Role", "Network manager")] == ["fewer than 3"] * 3
    assert rows[("Role", "Marketing officer")] == ["not shown"] * 3
    assert rows[("Role", "Staff")] == ["8", "11", "73"]
    # Everyone minus every group with figures leaves at least 3 people, never the volunteers.
    shown = [v for (by, _), v in rows.items() if by == "Staff group" and v[0].isdigit()]
    assert 11 - sum(int(required) for _, required, _ in shown) >= 3


def test_those_who_see_names_see_every_group_and_role_in_full(
    client_for, headteacher, two_volunteers
):
    client = client_for(headteacher)
    html = client.get(reverse("version_coverage", kwargs={"pk": two_volunteers.pk})).content
    html = html.decode()
    assert "not shown" not in html and "fewer than 3" not in html
    assert coverage_cells(html, "Volunteer") == ["1", "2", "50%"]
    assert coverage_cells(html, "Support staff") == ["4", "4", "100%"]
    assert coverage_cells(html, "Network manager") == ["2", "2", "100%"]
    assert coverage_cells(html, "Marketing officer") == ["1", "3", "33%"]
    response = client.get(reverse("version_coverage_csv", kwargs={"pk": two_volunteers.pk}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "not shown" not in text and "fewer than 3" not in text
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 11  # a row for each person


def test_leaders_see_small_groups_in_full(client_for, headteacher, version, office):
    sign(version, office)
    html = (
        client_for(headteacher)
        .get(reverse("version_coverage", kwargs={"pk": version.pk}))
        .content.decode()
    )
    support = html.split('<th scope="row">Support staff</th>')[1].split("</tr>")[0]
    assert "fewer than 3" not in support and "100%" in support


def test_the_overview_suppresses_a_policy_required_of_fewer_than_three(
    client_for, school, headteacher, governor
):
    policy = policy_for(
        school, headteacher, title="Governors' code", signer_groups=[], signer_roles=["clerk"]
    )
    person_in(school, Role.CLERK, group=StaffGroup.GOVERNOR)
    published_version_for(policy, headteacher)
    row = client_for(governor).get(reverse("coverage_overview")).content.decode()
    assert "Governors&#x27; code" in row or "Governors' code" in row
    assert "fewer than 3" in row


# --- The people table -----------------------------------------------------------------------


def test_the_people_table_is_paginated_with_not_signed_first_and_totals_kept(
    client_for, school, headteacher, version
):
    add_signed_staff(school, version, 2 * COVERAGE_PAGE_SIZE)  # every other one signs
    client = client_for(headteacher)
    url = reverse("version_coverage", kwargs={"pk": version.pk})
    first = client.get(url)
    rows = first.context["rows"]
    assert len(rows) == COVERAGE_PAGE_SIZE
    assert not any(row.has_signed for row in rows)
    coverage = first.context["coverage"]
    assert coverage.overall.required == 2 * COVERAGE_PAGE_SIZE + 1
    assert coverage.overall.signed == COVERAGE_PAGE_SIZE
    last = client.get(url, {"page": 3})
    assert all(row.has_signed for row in last.context["rows"])
    assert "Page 3 of 3" in last.content.decode()
    signed_only = client.get(url, {"show": "signed"})
    assert all(row.has_signed for row in signed_only.context["rows"])


# --- Chasers and the reminder log --------------------------------------------------------------


def test_a_chaser_and_the_daily_reminder_send_one_reminder_a_day_through_the_log(
    headteacher, version, staff, office
):
    # A reminder day for the daily job: seven days after publication.
    version.published_at = timezone.now() - dt.timedelta(days=7)
    version.save(update_fields=["published_at"])
    assert services.signature_chase(version=version, actor=headteacher)[0] >= 2
    logged = ReminderLog.objects.filter(kind="policy_unsigned", due_on=timezone.localdate())
    assert set(logged.values_list("recipient_id", flat=True)) >= {staff.pk, office.pk}
    assert set(logged.values_list("status", flat=True)) == {"sent"}
    sent = Notification.objects.filter(kind="policy_unsigned").count()
    with registry.only(POLICY_UNSIGNED):
        counts = reminders_send_due(on=timezone.localdate())["policy_unsigned"]
    assert counts.sent == 0 and counts.already_sent == sent
    assert Notification.objects.filter(kind="policy_unsigned").count() == sent
    assert services.signature_chase(version=version, actor=headteacher) == (0, sent)


# --- Nothing to sign ------------------------------------------------------------------------


def test_a_member_with_nothing_to_sign_sees_one_clear_sentence(client_for, governor, version):
    page = client_for(governor).get(reverse("to_sign_list")).content.decode()
    assert "there is nothing for you to sign" in page
    assert "You have signed every policy" not in page
    assert "You have not signed any policies" not in page


def test_a_member_with_something_to_sign_does_not_see_it(client_for, staff, version):
    page = client_for(staff).get(reverse("to_sign_list")).content.decode()
    assert "there is nothing for you to sign" not in page
    assert reverse("version_sign", args=[version.pk]) in page

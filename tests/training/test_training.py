"""The training log through its pages and services: sessions, attendance, the import, coverage,
the dashboard and the reminders (issue 15)."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from socialgov.notifications.models import Notification
from socialgov.people.roles import Role, StaffGroup
from socialgov.training import selectors, services
from socialgov.training.models import TrainingAttendance, TrainingSession
from tests.factories import person_in
from tests.training.factories import attended, session_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)  # a Monday


@pytest.fixture(autouse=True)
def _on_a_monday():
    """Every test here runs on TODAY (people made by the fixtures start on it)."""
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0), tick=False):
        yield


def _started(person, on):
    membership = person.memberships.get()
    membership.start_date = on
    membership.save()
    return person


def test_the_office_records_a_session_and_who_attended(client_for, school, office, staff):
    client = client_for(office)
    response = client.post(
        reverse("training_session_create"),
        {
            "submission_key": str(uuid.uuid4()),
            "title": "Induction: online safety",
            "kind": "induction",
            "held_on": "02/09/2026",
            "provider": "DSL",
            "minutes": "45",
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("training_session_detail", args=[session.pk]), {"people": [str(staff.pk)]}
    )
    assert response.status_code == 302
    assert TrainingAttendance.objects.get().person == staff
    # Recording the same person again changes nothing.
    client.post(reverse("training_session_detail", args=[session.pk]), {"people": [str(staff.pk)]})
    assert TrainingAttendance.objects.count() == 1


def test_bad_session_input_is_refused_per_field(client_for, school, office):
    response = client_for(office).post(
        reverse("training_session_create"),
        {"submission_key": str(uuid.uuid4()), "title": " ", "kind": "x", "held_on": "2026-13-45",
         "minutes": "-3"},
    )  # fmt: skip
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "kind", "held_on", "minutes"}
    assert not TrainingSession.objects.exists()


def test_staff_see_their_own_training_record(client_for, school, staff, colleague):
    session = session_in(school, title="Refresher 2026")
    attended(session, staff)
    response = client_for(staff).get(reverse("training_mine"))
    assert response.status_code == 200 and b"Refresher 2026" in response.content
    assert b"Refresher 2026" not in client_for(colleague).get(reverse("training_mine")).content
    assert client_for(staff).get(reverse("training_coverage")).status_code == 403


def test_coverage_figures_equal_figures_computed_here(school, headteacher, office):
    within = 30
    people = {
        "new_no_induction_late": _started(
            person_in(school, Role.STAFF, full_name="Late Starter"), TODAY - dt.timedelta(days=40)
        ),
        "new_no_induction_early": _started(
            person_in(school, Role.STAFF, full_name="Early Starter"), TODAY - dt.timedelta(days=5)
        ),
        "refresher_old": _started(
            person_in(school, Role.STAFF, full_name="Old Refresher"), dt.date(2024, 1, 1)
        ),
        "up_to_date": _started(
            person_in(school, Role.GOVERNOR, full_name="Fresh Governor", group=StaffGroup.GOVERNOR),
            dt.date(2024, 1, 1),
        ),
    }
    for person in (headteacher, office):
        _started(person, dt.date(2024, 1, 1))
    induction = session_in(school, kind="induction", held_on=dt.date(2024, 1, 10))
    attended(induction, people["refresher_old"], people["up_to_date"], headteacher, office)
    recent = session_in(school, kind="refresher", held_on=TODAY - dt.timedelta(days=100))
    attended(recent, people["up_to_date"], headteacher, office)
    coverage = selectors.coverage_for(school, TODAY)
    by_name = {row.person.full_name: row for row in coverage.rows}
    # Computed here, by hand, from the rules.
    assert by_name["Late Starter"].state == "due"  # started 40 days ago, induction within 30
    assert by_name["Late Starter"].due_on == TODAY - dt.timedelta(days=40 - within)
    assert by_name["Early Starter"].state == "due_soon"
    assert by_name["Old Refresher"].needs == "refresher"
    assert by_name["Old Refresher"].state == "overdue"  # last training 10/01/2024
    assert by_name["Fresh Governor"].state == "up_to_date"
    assert coverage.total.people == 6
    assert (coverage.total.up_to_date, coverage.total.due_soon) == (3, 1)
    assert (coverage.total.due, coverage.total.overdue) == (1, 1)
    assert coverage.total.inducted == 4  # the old refresher, the governor, head and office
    groups = {g.group: g for g in coverage.groups}
    assert groups["governor"].people == 1 and groups["governor"].percent == 100
    # Teachers: the late and early starters, the old refresher and the headteacher; covered
    # means up to date or due soon (2 of 4). The office is support staff.
    assert groups["teacher"].people == 4
    assert groups["teacher"].percent == 50
    assert (groups["support"].people, groups["support"].up_to_date) == (1, 1)
    # The coverage page counts the same from plain values and builds only a page of rows.
    figures = selectors.coverage_figures(school, TODAY)
    assert (figures.total, figures.groups, figures.within) == (
        coverage.total,
        coverage.groups,
        coverage.within,
    )

    def most_urgent_first(state=""):  # computed here from every row: by state, then name
        rows = [row for row in coverage.rows if not state or row.state == state]
        return sorted(rows, key=lambda row: selectors.STATE_ORDER.index(row.state))

    for state in ("", *selectors.STATE_ORDER):
        expected = [row.membership.pk for row in most_urgent_first(state)]
        assert figures.membership_ids(state) == expected, state
    some = figures.membership_ids()[1:4]
    rows = selectors.rows_of(school, TODAY, some, within=figures.within)
    assert [(row.membership.pk, row.state, row.due_on) for row in rows] == [
        (row.membership.pk, row.state, row.due_on) for row in most_urgent_first()[1:4]
    ]


def test_a_new_starter_without_induction_after_the_set_days_is_due(school, headteacher):
    newcomer = _started(person_in(school, Role.STAFF, full_name="New One"), TODAY)
    services.training_settings_save(school=school, actor=headteacher, induction_within_days=10)
    for days, state in ((9, "due_soon"), (10, "due"), (39, "due"), (40, "overdue")):
        on = TODAY + dt.timedelta(days=days)
        with time_machine.travel(on, tick=False):
            row = next(r for r in selectors.coverage_for(school, on).rows if r.person == newcomer)
            figures = selectors.coverage_figures(school, on)
        assert row.state == state, (days, row.state)
        assert dict(figures.states)[row.membership.pk] == state, days  # the page's count


def _csv(*lines):
    return ("\n".join(lines) + "\n").encode()


def test_the_import_previews_reports_bad_rows_with_their_line_and_is_idempotent(
    client_for, school, office, staff, colleague
):
    session = session_in(school)
    data = _csv(
        "Email,Name,Completed on",
        f"{staff.email},Sam,02/09/2026",
        "nobody@example.org,Nobody,02/09/2026",
        f"{colleague.email.upper()},Colin,not a date",
        f"{staff.email},Sam again,",
    )
    preview = services.attendance_import_preview(session=session, data=data)
    errors = {row.line: row.errors for row in preview.rejected}
    assert set(errors) == {3, 4, 5}
    assert "nobody@example.org" in errors[3][0]
    assert "not a date" in errors[4][0]
    assert "line 2" in errors[5][0]
    result = services.attendance_import_apply(
        session=session, actor=office, data=data, digest=preview.digest
    )
    assert (result.created, result.refused) == (1, 3)
    assert result.reasons[0].startswith("Line 3:")
    # The same confirm again, or the same file again: nothing new.
    from socialgov.csv_import import PreviewStale

    with pytest.raises(PreviewStale):
        services.attendance_import_apply(
            session=session, actor=office, data=data, digest=preview.digest
        )
    again = services.attendance_import_preview(session=session, data=data)
    assert again.counts["new"] == 0 and again.counts["unchanged"] == 1
    result = services.attendance_import_apply(
        session=session, actor=office, data=data, digest=again.digest
    )
    assert result.created == 0
    assert TrainingAttendance.objects.count() == 1


def test_the_import_through_the_pages(client_for, school, office, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = session_in(school)
    client = client_for(office)
    upload = SimpleUploadedFile("course.csv", _csv("Email", staff.email), "text/csv")
    response = client.post(
        reverse("training_import_upload", args=[session.pk]), {"csv_file": upload}
    )
    assert response.status_code == 302
    preview = client.get(reverse("training_import_preview", args=[session.pk]))
    assert preview.status_code == 200
    digest = preview.context["preview"].digest
    response = client.post(
        reverse("training_import_preview", args=[session.pk]), {"digest": digest}
    )
    assert response.status_code == 302
    assert TrainingAttendance.objects.get().source == "import"


def test_the_import_asks_which_column_is_which_and_offers_the_rejected_rows(
    client_for, school, office, staff, colleague
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = session_in(school)
    client = client_for(office)
    data = _csv(
        "Learner e-mail,Learner,Finished,Course title",
        f"{staff.email},Sam,02/09/2026,Online safety 2026",
        '=HYPERLINK("http://x.test"),Mallory,02/09/2026,@SUM(A1)',
        f"{colleague.email},Colin,yesterday,Online safety 2026",
    )
    upload = SimpleUploadedFile("export.csv", data, "text/csv")
    response = client.post(
        reverse("training_import_upload", args=[session.pk]), {"csv_file": upload}
    )
    assert response["Location"] == reverse("training_import_columns", args=[session.pk])
    page = client.get(response["Location"])
    form = page.context["form"]
    assert form.headings == ["Learner e-mail", "Finished", "Course title"]
    columns = reverse("training_import_columns", args=[session.pk])
    # Bad input: the required e-mail column not chosen → a clear message, nothing written.
    refused = client.post(columns, {"heading_0": "", "heading_1": "completed"})
    assert refused.status_code == 200
    assert "Choose a heading for: e-mail address." in refused.content.decode()
    twice = client.post(columns, {"heading_0": "email", "heading_1": "email"})
    assert "chosen more than once" in twice.content.decode()
    assert not TrainingAttendance.objects.exists()

    response = client.post(
        columns, {"heading_0": "email", "heading_1": "completed", "heading_2": "course"}
    )
    assert response["Location"] == reverse("training_import_preview", args=[session.pk])
    preview = client.get(response["Location"])
    assert preview.context["preview"].counts["new"] == 1
    assert {row.line for row in preview.context["preview"].rejected} == {3, 4}
    assert not TrainingAttendance.objects.exists()  # the preview writes nothing

    rejected = client.get(reverse("training_import_rejected", args=[session.pk]))
    assert rejected.status_code == 200 and rejected["Content-Type"].startswith("text/csv")
    body = b"".join(rejected.streaming_content).decode("utf-8-sig")
    import csv
    import io

    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == ["Line", "e-mail address", "name", "completed on", "course", "Problem"]
    assert len(lines) == 3
    # Formula-like cells are neutralised before a spreadsheet opens them.
    assert lines[1][:2] == ["3", '\'=HYPERLINK("http://x.test")'] and lines[1][4] == "'@SUM(A1)"
    assert "Nobody at the school has the e-mail address" in lines[1][5]
    assert lines[2][0] == "4" and "is not a date like 01/09/2026" in lines[2][5]
    digest = preview.context["preview"].digest
    response = client.post(
        reverse("training_import_preview", args=[session.pk]), {"digest": digest}
    )
    assert response.status_code == 302
    assert list(TrainingAttendance.objects.values_list("person", flat=True)) == [staff.pk]
    # Someone else in the school cannot download it.
    assert client_for(staff).get(
        reverse("training_import_rejected", args=[session.pk])
    ).status_code in (403, 404)


def test_a_file_that_is_not_csv_gets_a_clear_message(client_for, school, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = session_in(school)
    upload = SimpleUploadedFile("x.csv", b"Name\nSam\n", "text/csv")
    response = client_for(office).post(
        reverse("training_import_upload", args=[session.pk]), {"csv_file": upload}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["csv_file"]


def test_history_is_kept_for_sessions_and_attendance(client_for, school, office, staff):
    session = session_in(school)
    attended(session, staff)
    assert TrainingAttendance.history.filter(session_id=session.pk).count() == 1
    assert TrainingAttendance.history.get().history_user == office
    response = client_for(office).get(reverse("training_session_history", args=[session.pk]))
    assert response.status_code == 200


def test_attendance_of_another_school_is_refused(school, office, outsider):
    session = session_in(school)
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, actor=office, people=[outsider])
    assert not TrainingAttendance.objects.exists()


def test_due_training_is_on_the_dashboard_and_overdue_for_the_headteacher(
    client_for, school, headteacher, office
):
    late = _started(
        person_in(school, Role.STAFF, full_name="Late Starter"), TODAY - dt.timedelta(days=90)
    )
    own = client_for(late).get("/").content
    assert b"Your online-safety induction was due on" in own
    head = client_for(headteacher).get("/").content
    assert b"overdue for online-safety training" in head


def test_reminders_go_to_the_person_and_the_overdue_count_to_the_headteacher(
    school, headteacher, office
):
    from socialgov.reminders import registry
    from socialgov.reminders.services import reminders_send_due
    from socialgov.training.reminders import DUE, OVERDUE

    late = _started(
        person_in(school, Role.STAFF, full_name="Late Starter"), TODAY - dt.timedelta(days=90)
    )
    for person in (headteacher, office):
        _started(person, TODAY - dt.timedelta(days=5))
    session_in(school, held_on=TODAY - dt.timedelta(days=1), title="Refresher")
    with registry.only(DUE, OVERDUE):
        reminders_send_due(on=TODAY + dt.timedelta(days=1))  # a Tuesday: nothing
        assert not Notification.objects.exists()
        reminders_send_due(on=TODAY)
        reminders_send_due(on=TODAY)
    due = Notification.objects.filter(kind="training_due")
    assert set(due.values_list("recipient", flat=True)) == {late.pk, headteacher.pk, office.pk}
    overdue = Notification.objects.filter(kind="training_overdue")
    assert list(overdue.values_list("recipient", flat=True)) == [headteacher.pk]


def test_the_coverage_export_is_for_keepers(client_for, school, office, staff):
    response = client_for(office).get(reverse("training_coverage_export"))
    assert response.status_code == 200
    assert b"Staff group" in b"".join(response.streaming_content)
    assert client_for(staff).get(reverse("training_coverage_export")).status_code == 403


def test_settings_are_for_the_headteacher(client_for, school, headteacher, office):
    url = reverse("training_settings")
    assert client_for(office).get(url).status_code == 403
    response = client_for(headteacher).post(url, {"induction_within_days": "0"})
    assert response.status_code == 200 and response.context["form"].errors
    client_for(headteacher).post(url, {"induction_within_days": "14"})
    assert selectors.induction_within_days(school.pk) == 14


def test_the_coverage_page_lists_people_most_urgent_first_a_page_at_a_time(
    client_for, school, headteacher, office
):
    """Overdue, then due, due soon and up to date; `?state=` keeps one state; 50 a page with
    the totals by group still over everyone."""
    late = _started(
        person_in(school, Role.STAFF, full_name="Aaron Late"), TODAY - dt.timedelta(days=40)
    )
    soon = _started(
        person_in(school, Role.STAFF, full_name="Abby Soon"), TODAY - dt.timedelta(days=5)
    )
    old = _started(person_in(school, Role.STAFF, full_name="Zed Old"), dt.date(2024, 1, 1))
    attended(session_in(school, kind="induction", held_on=dt.date(2024, 1, 10)), old)
    for i in range(55):
        fresh = person_in(school, Role.STAFF, full_name=f"Fresh {i:02d}")
        attended(session_in(school, kind="induction", held_on=TODAY, title=f"S{i}"), fresh)
    client = client_for(office)
    url = reverse("training_coverage")
    html = client.get(url).content.decode()
    positions = [html.index(name) for name in ("Zed Old", "Aaron Late", "Abby Soon", "Fresh 00")]
    assert positions == sorted(positions)  # overdue, due, due soon, up to date
    assert "Fresh 54" not in html and "Page 1 of 2" in html
    coverage = selectors.coverage_for(school, TODAY)
    assert f">{coverage.total.people}<" in html  # the totals still count everyone
    second = client.get(url, {"page": 2}).content.decode()
    assert "Fresh 54" in second and "Zed Old" not in second
    overdue = client.get(url, {"state": "overdue"}).content.decode()
    assert "Zed Old" in overdue and "Aaron Late" not in overdue and "Fresh 00" not in overdue
    assert client.get(url, {"state": "nonsense"}).status_code == 200  # read as everyone
    assert late and soon


def test_the_panel_counts_agree_with_each_persons_state(school, other_school, headteacher, staff):
    """`state_counts` counts in the database what `training_states_of_schools` works out per
    person, on every day around the dates that matter (another school's training not counted)."""
    from collections import Counter

    inducted = _started(person_in(school, Role.STAFF), TODAY - dt.timedelta(days=400))
    refreshed = _started(person_in(school, Role.STAFF), TODAY - dt.timedelta(days=800))
    _started(person_in(school, Role.STAFF), TODAY - dt.timedelta(days=35))
    _started(staff, TODAY - dt.timedelta(days=10))
    attended(session_in(school, held_on=TODAY - dt.timedelta(days=380)), inducted)
    attended(session_in(school, held_on=TODAY - dt.timedelta(days=700)), refreshed)
    attended(
        session_in(school, kind="refresher", held_on=TODAY - dt.timedelta(days=340)), refreshed
    )
    elsewhere = session_in(other_school, held_on=TODAY - dt.timedelta(days=5))
    elsewhere_person = person_in(other_school, Role.STAFF)
    attended(elsewhere, elsewhere_person)
    for shift in range(-40, 80, 3):
        on = TODAY + dt.timedelta(days=shift)
        expected = Counter(
            state for _s, state in selectors.training_states_of_schools([school.pk], on)
        )
        counts = selectors.state_counts(school, on)
        assert +counts == expected, on

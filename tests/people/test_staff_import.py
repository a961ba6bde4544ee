"""Importing staff from a CSV file: preview (nothing written), confirm (one transaction), again
(nothing changes), and the files people really save from Excel."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialgov.people import services
from socialgov.people.models import Invitation, JoinInvitation, Membership, MembershipRole, User
from socialgov.people.roles import Role, StaffGroup
from socialgov.people.staff_import import (
    MAX_ROWS,
    Outcome,
    staff_import_apply,
    staff_import_preview,
)
from tests.factories import person_in

HEADER = "name,email,staff group,roles,job title,start date\n"


def csv_of(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(lines) + "\n").encode()


@pytest.fixture
def hilltop_teacher(other_school):
    return person_in(
        other_school, Role.STAFF, full_name="Holly Hilltop", email="holly@hilltop.test"
    )


@pytest.fixture
def mixed_file(staff, governor, hilltop_teacher):
    """One row of each outcome, and one of each kind of row error."""
    return csv_of(
        "Nina Newcomer,nina@willow.test,Teacher,Staff,Year 3 teacher,01/09/2026",
        f"Sam Staff,{staff.email},Teacher,Staff,,",
        f"Gwen Governor,{governor.email},Governor,Governor;Safeguarding governor,,",
        "Holly Hilltop,HOLLY@hilltop.test,support staff,staff,,",
        "Bad Email,not-an-address,Teacher,Staff,,",
        "Odd Group,odd@willow.test,Astronaut,Staff,,",
        "Odd Role,oddrole@willow.test,Teacher,Staff;Wizard,,",
        "Twin One,twin@willow.test,Teacher,Staff,,",
        "Twin Two,twin@willow.test,Teacher,Staff,,",
        "Late Date,late@willow.test,Teacher,Staff,,31/02/2026",
    )


def upload(client, content: bytes, name: str = "staff.csv"):
    return client.post(
        reverse("people_import"), {"csv_file": SimpleUploadedFile(name, content, "text/csv")}
    )


def confirm(client, django_capture_on_commit_callbacks, digest=None):
    if digest is None:
        digest = client.get(reverse("people_import_preview")).context["preview"].digest
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("people_import_preview"), {"digest": digest}, follow=True)


def db_state():
    return (
        User.objects.count(),
        Membership.objects.count(),
        sorted(MembershipRole.objects.values_list("membership_id", "role")),
        sorted(Membership.objects.values_list("pk", "staff_group", "job_title", "leaving_date")),
        Invitation.objects.count(),
    )


def test_preview_shows_each_rows_outcome_and_errors_and_writes_nothing(
    client_for, headteacher, mixed_file, mailoutbox
):
    client = client_for(headteacher)
    before = db_state()
    response = upload(client, mixed_file)
    assert response.status_code == 302 and response["Location"] == reverse("people_import_preview")
    page = client.get(response["Location"])
    assert page.status_code == 200
    preview = page.context["preview"]
    outcomes = {row.line: row.outcome for row in preview.rows}
    assert outcomes == {
        2: Outcome.NEW,
        3: Outcome.UNCHANGED,
        4: Outcome.UPDATE,
        5: Outcome.NEW,  # an account elsewhere is not revealed: joining here, like anyone new
        6: Outcome.ERROR,
        7: Outcome.ERROR,
        8: Outcome.ERROR,
        9: Outcome.ERROR,
        10: Outcome.ERROR,
        11: Outcome.ERROR,
    }
    assert preview.counts == {"new": 2, "joins": 0, "update": 1, "unchanged": 1, "error": 6}
    errors = {row.line: " ".join(row.errors) for row in preview.rows}
    assert "“not-an-address” is not an e-mail address" in errors[6]
    assert "Unknown staff group “Astronaut”" in errors[7]
    assert "Unknown role: “Wizard”" in errors[8]
    assert "also on row 10" in errors[9] and "also on row 9" in errors[10]
    assert "not a date like 01/09/2026" in errors[11]
    content = page.content.decode()
    assert "Nothing has been saved yet" in content
    assert "Roles: Governor → Governor, Safeguarding governor." in content
    assert "Import 3 changes and skip the rows with errors" in content
    assert db_state() == before
    assert mailoutbox == []


def test_confirm_applies_valid_rows_and_importing_the_same_file_again_changes_nothing(
    client_for,
    headteacher,
    school,
    governor,
    hilltop_teacher,
    mixed_file,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = client_for(headteacher)
    upload(client, mixed_file)
    response = confirm(client, django_capture_on_commit_callbacks)

    assert response.redirect_chain[-1][0] == reverse("people_list")
    assert (
        "Import done: 2 joined the school, 1 updated, 1 unchanged, 6 not imported. Everyone "
        "who joined is told by e-mail."
    ) in response.content.decode()
    nina = Membership.objects.get(user__email="nina@willow.test", school=school)
    assert nina.role_names == {Role.STAFF}
    assert nina.job_title == "Year 3 teacher"
    assert nina.start_date == dt.date(2026, 9, 1)
    assert Membership.objects.get(user=governor).role_names == {
        Role.GOVERNOR,
        Role.SAFEGUARDING_GOVERNOR,
    }
    # Holly has a login at another school: she is invited to join, and is a member only once
    # she accepts (no school can take over an existing login).
    assert not Membership.objects.filter(user=hilltop_teacher, school=school).exists()
    holly = JoinInvitation.objects.get(user=hilltop_teacher, school=school)
    assert holly.staff_group == StaffGroup.SUPPORT and holly.is_open
    assert User.objects.filter(email="holly@hilltop.test").count() == 1
    assert not User.objects.filter(email__in=["odd@willow.test", "twin@willow.test"]).exists()
    # An invitation for the new person; Holly already has a login and is asked to join.
    invitations = [m for m in mailoutbox if "/invitations/" in m.body]
    assert [m.to for m in invitations] == [["nina@willow.test"]]
    assert any(m.to == ["holly@hilltop.test"] for m in mailoutbox)
    assert client.session.get("socialgov_people_import") is None

    # The same file again changes nothing: not even Holly's invitation, which stands as it was.
    after_first = db_state()
    holly_first = JoinInvitation.objects.get(user=hilltop_teacher, school=school)
    mails_to_holly = sum(m.to == ["holly@hilltop.test"] for m in mailoutbox)
    upload(client, mixed_file)
    page = client.get(reverse("people_import_preview"))
    # Holly has not answered yet: she is still to be added (her open invitation stands).
    assert page.context["preview"].counts == {
        "new": 1,
        "joins": 0,
        "update": 0,
        "unchanged": 3,
        "error": 6,
    }
    confirm(client, django_capture_on_commit_callbacks)
    assert db_state() == after_first
    # Her one open invitation is the same, with the same expiry, and she is not told again.
    [invitation] = JoinInvitation.objects.filter(user=hilltop_teacher, school=school)
    assert invitation.pk == holly_first.pk and invitation.is_open
    assert invitation.expires_at == holly_first.expires_at
    assert sum(m.to == ["holly@hilltop.test"] for m in mailoutbox) == mails_to_holly


def test_a_second_confirm_of_the_same_upload_does_nothing(
    client_for, headteacher, mixed_file, django_capture_on_commit_callbacks
):
    client = client_for(headteacher)
    upload(client, mixed_file)
    digest = client.get(reverse("people_import_preview")).context["preview"].digest
    confirm(client, django_capture_on_commit_callbacks, digest)
    state = db_state()
    response = confirm(client, django_capture_on_commit_callbacks, digest)  # a double submit
    assert response.redirect_chain[-1][0] == reverse("people_import")
    assert db_state() == state


def test_a_preview_that_has_gone_stale_is_not_applied(
    client_for, headteacher, school, mixed_file, django_capture_on_commit_callbacks
):
    client = client_for(headteacher)
    upload(client, mixed_file)
    digest = client.get(reverse("people_import_preview")).context["preview"].digest
    # Meanwhile someone invites Nina by hand.
    services.membership_invite(
        school=school,
        actor=headteacher,
        full_name="Nina Newcomer",
        email="nina@willow.test",
        staff_group=StaffGroup.TEACHER,
        roles=[Role.STAFF, Role.GOVERNOR],
        start_date=timezone.localdate(),
    )
    state = db_state()
    response = confirm(client, django_capture_on_commit_callbacks, digest)
    assert b"The people list has changed since you saw this preview" in response.content
    assert db_state() == state
    # The fresh preview shows Nina as an update now.
    nina = next(r for r in response.context["preview"].rows if r.email == "nina@willow.test")
    assert nina.outcome == Outcome.UPDATE


def test_apply_refuses_a_preview_that_no_longer_holds(headteacher, school, staff):
    content = csv_of(f"Sam Staff,{staff.email},Teacher,Staff;Governor,,")
    preview = staff_import_preview(school=school, actor=headteacher, csv_bytes=content)
    services.membership_update(
        membership=Membership.objects.get(user=staff),
        actor=headteacher,
        roles=[Role.STAFF, Role.GOVERNOR],
        staff_group=StaffGroup.TEACHER,
    )
    with pytest.raises(ValidationError) as error:
        staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert error.value.code == "stale"


def test_office_import_refuses_privileged_roles_row_by_row(
    client_for, office, staff, dsl, django_capture_on_commit_callbacks
):
    client = client_for(office)
    content = csv_of(
        "Dee Safe,dee@willow.test,Teacher,Designated safeguarding lead,,",
        f"Sam Staff,{staff.email},Teacher,Staff;Deputy DSL,,",
        f"Dev Singh,{dsl.email},Teacher,Staff,,",
        "Val Volunteer,val@willow.test,Volunteer,Staff,,",
    )
    upload(client, content)
    preview = client.get(reverse("people_import_preview")).context["preview"]
    rows = {row.line: row for row in preview.rows}
    assert [rows[n].outcome for n in (2, 3, 4, 5)] == [
        Outcome.ERROR,
        Outcome.ERROR,
        Outcome.ERROR,
        Outcome.NEW,
    ]
    assert "Only the headteacher can give or take away these roles" in rows[2].errors[0]
    assert "Only the headteacher can give or take away these roles" in rows[3].errors[0]
    assert "Only the headteacher can change the details of someone" in rows[4].errors[0]
    confirm(client, django_capture_on_commit_callbacks)
    assert not User.objects.filter(email="dee@willow.test").exists()
    assert Membership.objects.get(user=staff).role_names == {Role.STAFF}
    assert Membership.objects.get(user=dsl).role_names == {Role.DSL}
    assert User.objects.filter(email="val@willow.test").exists()


def test_the_import_cannot_take_the_last_headteacher_away(headteacher, school):
    content = csv_of(f"Hannah Head,{headteacher.email},Teacher,Staff,,")
    preview = staff_import_preview(school=school, actor=headteacher, csv_bytes=content)
    assert preview.rows[0].outcome == Outcome.ERROR
    assert "would leave the school without a headteacher" in preview.rows[0].errors[0]


def test_the_import_can_hand_the_headteacher_role_over(headteacher, school, dsl):
    content = csv_of(
        f"Hannah Head,{headteacher.email},Teacher,Staff,,",
        f"Dev Singh,{dsl.email},Teacher,Headteacher;Designated safeguarding lead,,",
    )
    preview = staff_import_preview(school=school, actor=headteacher, csv_bytes=content)
    assert [r.outcome for r in preview.rows] == [Outcome.UPDATE, Outcome.UPDATE]
    staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert Membership.objects.get(user=headteacher).role_names == {Role.STAFF}
    assert Membership.objects.get(user=dsl).role_names == {Role.HEADTEACHER, Role.DSL}


def test_a_former_member_in_the_file_rejoins(
    headteacher, school, django_capture_on_commit_callbacks
):
    former = person_in(school, Role.STAFF, full_name="Fay Former", email="fay@willow.test")
    membership = Membership.objects.get(user=former)
    membership.start_date = dt.date(2020, 9, 1)
    membership.leaving_date = dt.date(2023, 7, 31)
    membership.save()
    content = csv_of("Fay Former,fay@willow.test,Teacher,Staff,,")
    preview = staff_import_preview(school=school, actor=headteacher, csv_bytes=content)
    assert preview.rows[0].outcome == Outcome.JOINS
    assert "Re-joins (left 31/07/2023)." in preview.rows[0].changes
    with django_capture_on_commit_callbacks(execute=True):
        staff_import_apply(school=school, actor=headteacher, preview=preview)
    # She still has a login: she is asked to re-join, and is a member again once she accepts.
    membership.refresh_from_db()
    assert not membership.is_current()
    invitation = JoinInvitation.objects.get(user=former, school=school)
    from socialgov.people.services import join_invitation_accept

    join_invitation_accept(invitation=invitation, actor=former)
    current = Membership.objects.get(user=former, school=school, leaving_date__isnull=True)
    assert current.is_current()


def test_a_bom_and_semicolon_separated_file_from_excel_is_read(headteacher, school):
    header = "Name;E-mail address;Staff group;Roles\r\n"
    content = (
        "\ufeff" + header + "Zoë Brontë;zoe@willow.test;Teacher;Staff, Governor\r\n"
    ).encode()
    preview = staff_import_preview(school=school, actor=headteacher, csv_bytes=content)
    row = preview.rows[0]
    assert (row.full_name, row.email, row.outcome) == ("Zoë Brontë", "zoe@willow.test", "new")
    assert row.roles == {Role.STAFF, Role.GOVERNOR}
    assert preview.encoding == "UTF-8"


def test_an_older_excel_windows_1252_file_is_read_and_flagged(client_for, headteacher):
    client = client_for(headteacher)
    content = csv_of("Zoë Brontë,zoe@willow.test,Teacher,Staff,,").decode().encode("cp1252")
    upload(client, content)
    page = client.get(reverse("people_import_preview"))
    assert page.context["preview"].rows[0].full_name == "Zoë Brontë"
    assert "read as Windows-1252" in page.content.decode()


@pytest.mark.parametrize(
    "content,message",
    [
        (
            csv_of("Zoë,zoe@willow.test,Teacher,Staff,,").decode().encode("utf-16"),
            "not saved as UTF-8 text",
        ),
        (b"PK\x03\x04" + b"\x00" * 50, "This is a spreadsheet workbook, not a CSV file"),
        (b"name,email\nA,a@willow.test\n", "Missing: staff group, roles"),
        (HEADER.encode(), "has a header row but no people in it"),
        (b"", "The submitted file is empty"),
        (b"name,email,staff group,roles\n\x81\x8d\x8f,x@willow.test,Teacher,Staff\n", "UTF-8"),
    ],
    ids=["utf-16", "xlsx", "missing-columns", "header-only", "empty", "undecodable"],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(client_for, headteacher, content, message):
    client = client_for(headteacher)
    response = upload(client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.session.get("socialgov_people_import") is None


def test_a_file_over_one_megabyte_is_refused(client_for, headteacher):
    padding = "x" * 200
    lines = [f"Person {n} {padding},p{n}@willow.test,Teacher,Staff,," for n in range(5000)]
    content = csv_of(*lines)
    assert len(content) > 1024 * 1024
    response = upload(client_for(headteacher), content)
    assert response.status_code == 200
    assert b"larger than 1 MB" in response.content


def test_a_file_with_too_many_rows_is_refused(headteacher, school):
    lines = [f"P{n},p{n}@willow.test,Teacher,Staff,," for n in range(MAX_ROWS + 1)]
    with pytest.raises(ValidationError) as error:
        staff_import_preview(school=school, actor=headteacher, csv_bytes=csv_of(*lines))
    assert "more than 2,000 people" in error.value.messages[0]


def test_the_preview_takes_the_same_number_of_queries_for_10_or_100_rows(
    headteacher, school, django_assert_num_queries
):
    def run(n):
        people = [person_in(school, Role.STAFF) for _ in range(n)]
        lines = [f"{p.full_name},{p.email},Teacher,Staff;Governor,," for p in people]
        lines += [f"New {k},new{n}-{k}@willow.test,Teacher,Staff,," for k in range(n)]
        with CaptureQueriesContext(connection) as queries:
            staff_import_preview(school=school, actor=headteacher, csv_bytes=csv_of(*lines))
        return len(queries.captured_queries)

    # actor's roles, users by e-mail, their memberships, their roles (the headteachers are read
    # only when a row takes the role away)
    assert run(10) == run(100) == 4


@pytest.mark.parametrize("who", ["staff", "dsl", "governor"])
def test_import_pages_are_refused_to_other_roles(request, client_for, who, mixed_file):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("people_import")).status_code == 403
    assert upload(client, mixed_file).status_code == 403
    assert client.get(reverse("people_import_preview")).status_code == 403
    assert client.post(reverse("people_import_preview"), {"digest": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_import_page_opens_for_headteacher_and_office(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(reverse("people_import"))
    assert response.status_code == 200
    assert b"Preview the import" in response.content


def test_a_preview_from_another_school_is_not_applied_here(
    client_for, headteacher, school, other_school, mixed_file
):
    """The stored upload names its school; switching school does not carry it over."""
    from tests.factories import MembershipFactory

    MembershipFactory(user=headteacher, school=other_school, roles=[Role.HEADTEACHER])
    client = client_for(headteacher)
    client.post(reverse("school_switch"), {"school": school.pk})
    upload(client, mixed_file)
    client.post(reverse("school_switch"), {"school": other_school.pk})
    response = client.get(reverse("people_import_preview"))
    assert response.status_code == 302 and response["Location"] == reverse("people_import")


def test_unknown_headings_lead_to_the_column_mapping_step_and_then_to_the_preview(
    client_for, headteacher
):
    client = client_for(headteacher)
    content = (
        b"Staff list printed 01/09/2026\n"
        b"Forename Surname,Work e-mail,Contract type,Access,Department\n"
        b"Nina Newcomer,nina@willow.test,Teacher,Staff,Maths\n"
        b"Total: 1\n"
    )
    response = upload(client, content)
    assert response["Location"] == reverse("people_import_columns")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "“Forename Surname”" in page.content.decode()
    assert [f.label for f in page.context["form"]] == [
        "“Forename Surname”",
        "“Contract type”",
        "“Access”",
        "“Department”",
    ]
    # A required column left unchosen is asked for again.
    again = client.post(reverse("people_import_columns"), {"heading_0": "name"})
    assert "Choose a heading for: staff group, roles." in again.content.decode()
    response = client.post(
        reverse("people_import_columns"),
        {"heading_0": "name", "heading_1": "staff_group", "heading_2": "roles", "heading_3": ""},
    )
    assert response["Location"] == reverse("people_import_preview")
    preview_page = client.get(response["Location"])
    row = preview_page.context["preview"].rows[0]
    assert (row.line, row.full_name, row.outcome) == (3, "Nina Newcomer", Outcome.NEW)
    text = preview_page.content.decode()
    assert "Lines 1, 4 are not read as people" in text


def test_the_rows_with_errors_can_be_downloaded_with_formulas_neutralised(client_for, headteacher):
    client = client_for(headteacher)
    upload(
        client,
        csv_of("=HYPERLINK(1),bad-address,Teacher,Staff,,", "Ok,ok@willow.test,Teacher,Staff,,"),
    )
    page = client.get(reverse("people_import_preview"))
    assert reverse("people_import_rejected").encode() in page.content
    response = client.get(reverse("people_import_rejected"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "Line,name,email,staff group,roles,job title,start date,Problem",
        "2,'=HYPERLINK(1),bad-address,Teacher,Staff,,,“bad-address” is not an e-mail address.",
    ]


def test_the_column_step_and_download_send_back_to_the_upload_without_a_file(
    client_for, headteacher
):
    client = client_for(headteacher)
    for name in ("people_import_columns", "people_import_rejected"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("people_import")

"""The staff import at size: bulk writes with history in short transactions, the leaver
listeners, invitations e-mailed after commit, large files as a background job with progress,
and a preview that tells nothing about other schools' accounts (issue 7.6)."""

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.people import services
from socialgov.people.leavers import LEAVER_LISTENERS, LeaverListener
from socialgov.people.models import (
    Invitation,
    Membership,
    MembershipRole,
    StaffImport,
    User,
)
from socialgov.people.roles import Role, StaffGroup
from socialgov.people.staff_import import (
    ImportStopped,
    Outcome,
    apply,
    jobs,
    staff_import_apply,
    staff_import_preview,
)
from tests.factories import UserFactory, person_in
from tests.people.test_staff_import import confirm, csv_of, upload


def new_people(count: int, start: int = 0) -> list[str]:
    return [f"Person {n},p{n}@willow.test,Teacher,Staff,,," for n in range(start, start + count)]


def preview_of(school, actor, *lines):
    return staff_import_preview(school=school, actor=actor, csv_bytes=csv_of(*lines))


# --- What the preview says about addresses it does not know ------------------------------------


def test_the_preview_says_the_same_of_an_account_elsewhere_as_of_a_new_address(
    client_for, office, other_school
):
    """Another school's member (switched off, under another name) and a new address read alike:
    the office learns nothing about who has a login elsewhere."""
    elsewhere = person_in(other_school, Role.STAFF, full_name="Private Name", email="pn@x.test")
    User.objects.filter(pk=elsewhere.pk).update(is_active=False)
    client = client_for(office)
    rows = ("Pat New,pn@x.test,Teacher,Staff,,", "Pat Other,po@x.test,Teacher,Staff,,")
    upload(client, csv_of(*rows))
    page = client.get(reverse("people_import_preview"))
    known, unknown = page.context["preview"].rows
    described = [(r.outcome, r.errors, r.warnings, r.changes) for r in (known, unknown)]
    assert described[0] == described[1]
    assert (known.outcome, known.errors, known.changes) == (
        Outcome.NEW,
        [],
        ["An invitation will be sent."],
    )
    content = page.content.decode()
    assert "Private Name" not in content and "switched off" not in content


def test_importing_an_account_from_elsewhere_invites_them_and_they_join_when_they_accept(
    headteacher, school, other_school, django_capture_on_commit_callbacks, mailoutbox
):
    """Issue 7.2: an existing login of another school is asked, never simply added."""
    from socialgov.people.models import JoinInvitation
    from socialgov.people.services import join_invitation_accept

    elsewhere = person_in(other_school, Role.STAFF, full_name="Private Name", email="pn@x.test")
    preview = preview_of(school, headteacher, "Pat New,pn@x.test,Teacher,Staff,,")
    with django_capture_on_commit_callbacks(execute=True):
        result = staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert result.new == 1
    assert not Membership.objects.filter(user=elsewhere, school=school).exists()
    invitation = JoinInvitation.objects.get(user=elsewhere, school=school)
    assert [m.to for m in mailoutbox] == [["pn@x.test"]]
    join_invitation_accept(invitation=invitation, actor=elsewhere)
    assert Membership.objects.get(user=elsewhere, school=school).role_names == {Role.STAFF}
    elsewhere.refresh_from_db()
    assert elsewhere.full_name == "Private Name"


# --- Bulk writes --------------------------------------------------------------------------------


def apply_counting(school, actor, lines) -> int:
    preview = preview_of(school, actor, *lines)
    with CaptureQueriesContext(connection) as queries:
        staff_import_apply(school=school, actor=actor, preview=preview)
    return len(queries.captured_queries)


def test_applying_500_new_people_takes_a_few_dozen_statements_not_one_per_row(headteacher, school):
    # Per chunk: the school lock, the preview's 4 reads, then bulk statements for users,
    # memberships, roles, invitations and the history rows of each, in batches (SQLite limits
    # the values of one statement). One row at a time took 37 statements a row.
    small = apply_counting(school, headteacher, new_people(5))
    large = apply_counting(school, headteacher, new_people(500, start=5))
    assert small <= 20 and large <= 60
    assert Membership.objects.filter(school=school).count() == 506


def test_updating_100_people_takes_a_few_statements_not_one_per_row(headteacher, school):
    people = [person_in(school, Role.STAFF) for _ in range(100)]
    lines = [f"{p.full_name},{p.email},Support staff,Staff;Governor,,," for p in people]
    assert apply_counting(school, headteacher, lines) <= 30
    assert all(
        m.role_names == {Role.STAFF, Role.GOVERNOR} and m.staff_group == StaffGroup.SUPPORT
        for m in Membership.objects.filter(user__in=people).prefetch_related("roles")
    )


def test_every_bulk_write_keeps_its_history_with_who_made_it(headteacher, school, staff):
    membership = staff.memberships.get()
    MembershipRole.objects.create(membership=membership, role=Role.GOVERNOR)
    preview = preview_of(
        school,
        headteacher,
        "Nina New,nina@willow.test,Teacher,Staff,Year 3,",
        f"Sam Staff,{staff.email},Support staff,Staff,,",
    )
    staff_import_apply(school=school, actor=headteacher, preview=preview)
    nina = User.objects.get(email="nina@willow.test")
    nina_membership = nina.memberships.get()
    created = [
        nina.history.get(),
        nina_membership.history.get(),
        MembershipRole.history.get(membership_id=nina_membership.pk),
        Invitation.history.get(membership=nina_membership),
    ]
    assert {(h.history_type, h.history_user) for h in created} == {("+", headteacher)}
    changed = membership.history.latest()
    assert (changed.history_type, changed.staff_group, changed.history_user) == (
        "~",
        StaffGroup.SUPPORT,
        headteacher,
    )
    removed = MembershipRole.history.get(membership_id=membership.pk, history_type="-")
    assert (removed.role, removed.history_user) == (Role.GOVERNOR, headteacher)
    assert membership.role_names == {Role.STAFF}


def test_roles_taken_away_by_the_import_are_told_to_the_leaver_listeners(
    headteacher, school, staff, dsl
):
    seen = []
    MembershipRole.objects.create(membership=staff.memberships.get(), role=Role.GOVERNOR)
    preview = preview_of(
        school,
        headteacher,
        f"Sam Staff,{staff.email},Teacher,Staff,,",
        f"Dev Singh,{dsl.email},Teacher,Staff;Designated safeguarding lead,,",
    )
    with LEAVER_LISTENERS.only(LeaverListener("test.record", seen.append)):
        staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert [(c.membership.user, c.roles_removed, c.leaving_date, c.actor) for c in seen] == [
        (staff, {Role.GOVERNOR}, None, headteacher)
    ]


def test_a_listener_that_fails_rolls_the_chunk_back(headteacher, school, staff):
    MembershipRole.objects.create(membership=staff.memberships.get(), role=Role.GOVERNOR)
    preview = preview_of(
        school, headteacher, f"Sam Staff,{staff.email},Teacher,Staff,,", *new_people(3)
    )

    def refuse(change):
        raise RuntimeError("listener failed")

    with LEAVER_LISTENERS.only(LeaverListener("test.refuse", refuse)), pytest.raises(RuntimeError):
        staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert staff.memberships.get().role_names == {Role.STAFF, Role.GOVERNOR}
    assert not User.objects.filter(email="p0@willow.test").exists()


def test_invitations_are_e_mailed_after_commit_with_links_that_work(
    client, headteacher, school, mailoutbox, django_capture_on_commit_callbacks
):
    preview = preview_of(school, headteacher, *new_people(3))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert mailoutbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "p0@willow.test",
        "p1@willow.test",
        "p2@willow.test",
    ]
    link = re.search(r"/invitations/[^/\s]+/", mailoutbox[0].body).group(0)
    response = client.get(link)
    assert response.status_code == 200 and b"password" in response.content.lower()


def test_an_earlier_open_invitation_stops_working_when_the_import_invites_again(
    headteacher, school, django_capture_on_commit_callbacks
):
    former = person_in(school, Role.STAFF, full_name="Fay Former", email="fay@willow.test")
    User.objects.filter(pk=former.pk).update(password="!")
    membership = former.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(
        start_date=dt.date(2020, 9, 1), leaving_date=dt.date(2023, 7, 31)
    )
    old, _ = services.invitations.invitation_create(membership=membership, actor=headteacher)
    preview = preview_of(school, headteacher, "Fay Former,fay@willow.test,Teacher,Staff,,")
    with django_capture_on_commit_callbacks(execute=True):
        staff_import_apply(school=school, actor=headteacher, preview=preview)
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    assert Invitation.objects.filter(membership=membership, withdrawn_at__isnull=True).count() == 1


def test_two_thousand_rows_import_well_within_the_old_time(headteacher, school):
    """A quick guard (the benchmark measures it, goal 5 s): one row at a time took 43 s."""
    started = time.perf_counter()
    preview = preview_of(school, headteacher, *new_people(2000))
    staff_import_apply(school=school, actor=headteacher, preview=preview)
    assert time.perf_counter() - started < 20
    assert Membership.objects.filter(school=school).count() == 2001


# --- Chunks and background jobs ------------------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(apply, "CHUNK_ROWS", 3)
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 3)


def test_a_change_between_chunks_stops_the_import_where_it_had_got_to(
    small_chunks, headteacher, school
):
    preview = preview_of(school, headteacher, *new_people(8))
    seen = []

    def meanwhile(done, total):
        seen.append((done, total))
        if done == 3:  # someone adds the person of row 6 (in the next chunk) by hand
            services.membership_invite(
                school=school,
                actor=headteacher,
                full_name="Person 4",
                email="p4@willow.test",
                staff_group=StaffGroup.SUPPORT,
                roles=[Role.STAFF],
                start_date=dt.date.today(),
            )

    with pytest.raises(ImportStopped) as stopped:
        staff_import_apply(school=school, actor=headteacher, preview=preview, progress=meanwhile)
    assert stopped.value.done == 3 and seen == [(3, 8)]
    imported = set(User.objects.filter(email__startswith="p").values_list("email", flat=True))
    assert imported == {"p0@willow.test", "p1@willow.test", "p2@willow.test", "p4@willow.test"}
    # Importing the file again finishes it: the rows done show as unchanged.
    again = preview_of(school, headteacher, *new_people(8))
    assert again.counts["unchanged"] == 3 and again.counts["update"] == 1


def test_a_large_file_runs_as_a_job_whose_page_shows_its_progress_and_result(
    small_chunks, client_for, headteacher, school, django_capture_on_commit_callbacks
):
    client = client_for(headteacher)
    upload(client, csv_of(*new_people(8)), name="autumn.csv")
    response = confirm(client, django_capture_on_commit_callbacks)
    job = StaffImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("people_import_job", args=[job.pk])
    assert (job.status, job.done, job.total, job.content) == (StaffImport.Status.DONE, 8, 8, "")
    assert Membership.objects.filter(school=school).count() == 9
    # (In a test the commit's callbacks, and so the job, run after the redirect was followed.)
    content = client.get(reverse("people_import_job", args=[job.pk])).content.decode()
    assert "Importing autumn.csv" in content and "8 of 8 rows" in content
    assert "Import done: 8 joined the school." in content
    assert "hx-trigger" not in content  # finished: the page stops asking
    assert client.session.get("socialgov_people_import") is None


def test_a_running_job_asks_again_and_htmx_gets_only_the_progress(client_for, headteacher, school):
    job = StaffImport.objects.create(
        school=school, created_by=headteacher, digest="0" * 64, total=10, done=4,
        status=StaffImport.Status.RUNNING,
    )  # fmt: skip
    client = client_for(headteacher)
    page = client.get(reverse("people_import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "4 of 10 rows" in page and 'value="40"' in page
    partial = client.get(reverse("people_import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="import-progress"')


def test_a_job_runs_once(small_chunks, headteacher, school, django_capture_on_commit_callbacks):
    preview = preview_of(school, headteacher, *new_people(5))
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.staff_import_job_create(
            school=school, actor=headteacher, preview=preview, file_name="x.csv"
        )
    assert jobs.staff_import_job_run(staff_import_id=job.pk) == StaffImport.Status.DONE
    assert jobs.staff_import_job_run(staff_import_id=job.pk) == StaffImport.Status.DONE
    assert Membership.objects.filter(school=school).count() == 6


def test_a_job_whose_file_went_stale_before_it_started_imports_nothing(
    small_chunks, headteacher, school, django_capture_on_commit_callbacks
):
    preview = preview_of(school, headteacher, *new_people(5))
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.staff_import_job_create(
            school=school, actor=headteacher, preview=preview, file_name="x.csv"
        )
    person_in(school, Role.STAFF, email="p4@willow.test")
    assert jobs.staff_import_job_run(staff_import_id=job.pk) == StaffImport.Status.STOPPED
    job.refresh_from_db()
    assert "nothing was imported" in job.message and job.done == 0 and job.content == ""
    assert not User.objects.filter(email="p0@willow.test").exists()


def test_a_job_stopped_part_way_says_how_far_it_got(small_chunks, monkeypatch, headteacher, school):
    preview = preview_of(school, headteacher, *new_people(5))
    job = jobs.staff_import_job_create(
        school=school, actor=headteacher, preview=preview, file_name="x.csv"
    )

    def stops(**kwargs):
        raise ImportStopped(3)

    monkeypatch.setattr(jobs, "staff_import_apply", stops)
    StaffImport.objects.filter(pk=job.pk).update(status=StaffImport.Status.QUEUED)
    assert jobs.staff_import_job_run(staff_import_id=job.pk) == StaffImport.Status.STOPPED
    job.refresh_from_db()
    assert job.message.startswith("3 of 5 rows were imported before the people list changed")


# --- Who sees a job ------------------------------------------------------------------------------


@pytest.fixture
def job(school, office):
    return StaffImport.objects.create(school=school, created_by=office, digest="0" * 64)


def test_the_job_gateway_lets_the_people_list_keepers_of_the_school_see_it(
    job, headteacher, office, colleague, outsider
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from socialgov.people.access import staff_import_get_for_user, staff_import_visible_to

    for keeper in (headteacher, office):
        assert list(staff_import_visible_to(keeper)) == [job]
        assert staff_import_get_for_user(keeper, job.pk) == job
    assert list(staff_import_visible_to(colleague)) == []
    with pytest.raises(PermissionDenied):
        staff_import_get_for_user(colleague, job.pk)
    assert list(staff_import_visible_to(outsider)) == []
    with pytest.raises(Http404):
        staff_import_get_for_user(outsider, job.pk)


def test_a_sign_in_elsewhere_with_no_school_sees_no_job(job):
    from socialgov.people.access import staff_import_visible_to

    assert list(staff_import_visible_to(UserFactory())) == []

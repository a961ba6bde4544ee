"""The access log: reads of sensitive records, for the headteacher and DSL of that school only."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialgov import access
from socialgov.audit.access import access_log_visible_to
from socialgov.audit.models import AccessLogEntry
from socialgov.audit.registry import ACCESS_LOG_GATEWAYS, AccessLogGateway
from socialgov.audit.services import access_record
from socialgov.people.models import Membership
from socialgov.people.roles import Role
from tests.factories import person_in

URL = "/audit/access-log/"


def _log(actor, school, obj, *, at=None, description="Membership record"):
    if at is None:
        return access_record(actor=actor, school=school, obj=obj, description=description)
    with time_machine.travel(at, tick=False):
        return access_record(actor=actor, school=school, obj=obj, description=description)


def test_access_record_stores_who_what_and_when(dsl, school, staff):
    record = staff.memberships.get()
    entry = _log(dsl, school, record)
    entry.refresh_from_db()
    assert entry.person == dsl
    assert entry.school == school
    assert entry.action == "viewed"
    assert entry.content_type.model_class() is Membership
    assert entry.object_id == record.pk
    assert entry.record_label == f"membership #{record.pk}"


def test_access_cannot_be_logged_under_another_school(dsl, other_school, staff):
    with pytest.raises(ValueError):
        access_record(actor=dsl, school=other_school, obj=staff.memberships.get())
    assert not AccessLogEntry.objects.exists()


@pytest.fixture
def members_see_memberships():
    """A stand-in gateway under which every member sees every membership of their schools (the
    people app's own lets only the headteacher and office see them)."""

    def visible_to(user):
        return Membership.objects.filter(school_id__in=access.member_school_ids(user))

    with ACCESS_LOG_GATEWAYS.only(AccessLogGateway(Membership, visible_to)):
        yield


@pytest.mark.parametrize("who", ["headteacher", "dsl"])
def test_headteacher_and_dsl_see_the_log(
    request, client_for, school, staff, dsl, who, members_see_memberships
):
    _log(dsl, school, staff.memberships.get())
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1
    assert "Dev Singh" in response.content.decode()


@pytest.mark.parametrize("who", ["staff", "governor", "chair", "office", "network_manager"])
def test_others_may_not_see_the_log(request, client_for, school, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_the_log_shows_only_the_current_schools_entries(
    client_for, school, other_school, dsl, staff, outsider
):
    _log(dsl, school, staff.memberships.get())
    theirs = _log(outsider, other_school, outsider.memberships.get())
    response = client_for(outsider).get(URL)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [theirs]
    assert "Dev Singh" not in response.content.decode()


def test_entries_about_records_the_viewer_may_not_see_are_left_out(
    client_for, school, headteacher, dsl, staff, office
):
    seen = _log(dsl, school, staff.memberships.get())
    _log(dsl, school, office.memberships.get())
    # As the incidents app will for a concern about the headteacher: she may not see it, so
    # neither may she see that anyone read it.
    gateway = AccessLogGateway(
        Membership, lambda user: Membership.objects.exclude(user__email="office@willow.test")
    )
    with ACCESS_LOG_GATEWAYS.only(gateway):
        response = client_for(headteacher).get(URL)
    assert list(response.context["page"].object_list) == [seen]


def test_entries_about_a_model_whose_app_registered_no_gateway_are_shown_to_nobody(
    client_for, school, headteacher, dsl, staff
):
    """Deny by default: a forgotten registration hides the entries, it never shows them to all."""
    from socialgov.people.access import membership_visible_to

    shown = _log(dsl, school, staff.memberships.get())
    _log(dsl, school, school, description="School record")
    # Only memberships registered: the entry about the school is shown to nobody.
    with ACCESS_LOG_GATEWAYS.only(AccessLogGateway(Membership, membership_visible_to)):
        assert list(client_for(headteacher).get(URL).context["page"].object_list) == [shown]
    with ACCESS_LOG_GATEWAYS.only():
        assert list(client_for(headteacher).get(URL).context["page"].object_list) == []


def test_the_log_gateway_shows_entries_to_the_headteacher_and_dsl_of_the_school_only(
    school, headteacher, dsl, colleague, outsider, sister_head, staff, members_see_memberships
):
    entry = _log(dsl, school, staff.memberships.get())
    assert list(access_log_visible_to(headteacher, school)) == [entry]
    assert list(access_log_visible_to(dsl, school)) == [entry]
    assert not access_log_visible_to(colleague, school).exists()  # same school, no role
    assert not access_log_visible_to(outsider, school).exists()  # another school's head
    assert not access_log_visible_to(sister_head, school).exists()  # same trust, other school


def test_the_log_asks_only_the_gateways_of_the_kinds_of_record_it_is_about(
    school, headteacher, dsl, staff, other_school
):
    """Each gateway asked is a subquery of the page's two queries: only the kinds of record this
    school's log names are asked about; another school's entries do not widen it, and entries
    of the other kinds are still shown only through their own gateway."""
    from tests.gateway_spy import gateways_asked

    entry = _log(dsl, school, staff.memberships.get())
    access_record(actor=dsl, school=other_school, obj=other_school, description="School record")
    with gateways_asked() as asked:
        assert list(access_log_visible_to(headteacher, school)) == [entry]
    assert asked == [Membership]
    with gateways_asked() as asked:
        assert list(access_log_visible_to(headteacher, other_school)) == []  # not her school
    assert asked == []


def test_entries_about_people_follow_the_people_gateway(
    client_for, school, headteacher, dsl, staff
):
    """The people app registers memberships: the DSL, who does not keep the people list, does not
    see that anyone read a person's record; the headteacher does."""
    entry = _log(headteacher, school, staff.memberships.get())
    assert list(client_for(headteacher).get(URL).context["page"].object_list) == [entry]
    assert list(client_for(dsl).get(URL).context["page"].object_list) == []


def test_filter_by_person_and_uk_dates(client_for, school, headteacher, dsl, staff):
    record = staff.memberships.get()
    # 23:30 UTC on 31 March 2025 is 00:30 on 1 April in London: it belongs to 1 April.
    first_april = _log(dsl, school, record, at=dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC))
    _log(dsl, school, record, at=dt.datetime(2025, 3, 31, 22, 30, tzinfo=dt.UTC))
    by_head = _log(headteacher, school, record, at=dt.datetime(2025, 4, 2, 9, 0, tzinfo=dt.UTC))
    client = client_for(headteacher)

    response = client.get(URL, {"date_from": "01/04/2025", "date_to": "01/04/2025"})
    assert list(response.context["page"].object_list) == [first_april]
    assert "01/04/2025 00:30" in response.content.decode()

    # The person filter is a search: part of the name or of the e-mail address, any case.
    response = client.get(URL, {"person": "hannah"})
    assert list(response.context["page"].object_list) == [by_head]
    response = client.get(URL, {"person": " HEAD@willow "})
    assert list(response.context["page"].object_list) == [by_head]

    response = client.get(URL, {"person": "Singh", "date_from": "01/04/2025"})
    assert list(response.context["page"].object_list) == [first_april]
    response = client.get(URL, {"person": "Nobody of that name"})
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize(
    "params,field,message",
    [
        ({"date_from": "31/02/2025"}, "date_from", "Enter a date like 01/09/2026."),
        ({"date_from": "yesterday"}, "date_from", "Enter a date like 01/09/2026."),
        ({"date_from": "02/04/2025", "date_to": "01/04/2025"}, "date_to", "on or after"),
        ({"person": "x" * 300}, "person", "at most 254 characters"),
    ],
)
def test_bad_filters_give_clear_errors_and_no_entries(
    client_for, school, headteacher, dsl, staff, params, field, message
):
    _log(dsl, school, staff.memberships.get())
    response = client_for(headteacher).get(URL, params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert list(response.context["page"].object_list) == []
    assert "Correct the filters" in response.content.decode()


def test_searching_for_a_person_of_another_school_finds_nothing_of_theirs(
    client_for, school, headteacher, other_school, outsider
):
    _log(outsider, other_school, outsider.memberships.get())
    response = client_for(headteacher).get(URL, {"person": outsider.full_name})
    assert not response.context["form"].errors
    assert list(response.context["page"].object_list) == []


def test_the_page_lists_no_people_to_choose_from(client_for, school, headteacher):
    for _ in range(5):
        person_in(school, Role.STAFF)
    content = client_for(headteacher).get(URL).content.decode()
    assert "<select" not in content and 'type="search" name="person"' in content


def test_pages_keep_the_filters(client_for, school, headteacher, dsl, staff):
    record = staff.memberships.get()
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                school=school,
                person=dsl,
                action="viewed",
                content_type=_log(dsl, school, record).content_type,
                object_id=record.pk,
            )
            for _ in range(60)
        ]
    )
    response = client_for(headteacher).get(URL, {"person": "Dev Singh"})
    assert len(response.context["page"].object_list) == 50
    assert "?person=Dev+Singh&amp;page=2" in response.content.decode()


def _make_entries(school, person, record, count):
    content_type = access_record(actor=person, school=school, obj=record).content_type
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            school=school,
            person=person,
            action="viewed",
            content_type=content_type,
            object_id=record.pk,
        )
        for _ in range(count - 1)
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_log_page_queries_do_not_grow_with_entries(
    client_for, school, headteacher, dsl, office, staff, django_assert_num_queries
):
    # session, user, memberships, roles, two-factor device, trust memberships, the unread bell,
    # the kinds of record the log names, the paginator's COUNT and one page of entries with
    # people and record types joined.
    client = client_for(headteacher)
    _make_entries(school, dsl, staff.memberships.get(), 10)
    client.get(URL)
    at_ten = _queries(client, URL)
    _make_entries(school, office, staff.memberships.get(), 90)
    with django_assert_num_queries(at_ten):
        response = client.get(URL)
    assert response.context["page"].paginator.count == 100


def test_the_menu_offers_the_log_to_exactly_those_who_may_open_it(client_for, headteacher, staff):
    from socialgov.audit.access import ACCESS_LOG_ROLES
    from socialgov.navigation import MENU

    item = MENU.get("access_log")
    assert item.roles == ACCESS_LOG_ROLES
    assert URL in client_for(headteacher).get("/").content.decode()
    assert URL not in client_for(staff).get("/").content.decode()


def test_the_log_exports_as_csv_with_the_same_filters(client_for, school, headteacher, dsl, staff):
    record = staff.memberships.get()
    _log(dsl, school, record, description='=HYPERLINK("http://evil.example","x")')
    _log(headteacher, school, record, description="Read by the head")
    client = client_for(headteacher)
    response = client.get("/audit/access-log/export.csv", {"person": dsl.email})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert dsl.full_name in body and "Read by the head" not in body
    assert "'=HYPERLINK(" in body


@pytest.mark.parametrize("who", ["staff", "governor", "office"])
def test_others_may_not_export_the_log(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get("/audit/access-log/export.csv")
    assert response.status_code == 403


def test_a_read_is_logged_with_the_visitors_address(rf, dsl, school, staff, settings):
    from socialgov.audit.services import access_record_request

    settings.PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    request.user = dsl
    entry = access_record_request(request, obj=staff.memberships.get(), school=school)
    entry.refresh_from_db()
    assert entry.ip_address == "203.0.113.7"
    assert entry.person == dsl


def test_the_log_and_its_export_show_the_address(client_for, school, headteacher, dsl, staff):
    access_record(actor=dsl, school=school, obj=staff.memberships.get(), ip_address="198.51.100.23")
    client = client_for(headteacher)
    assert "198.51.100.23" in client.get(URL).content.decode()
    export = b"".join(client.get(f"{URL}export.csv").streaming_content).decode("utf-8-sig")
    assert export.splitlines()[0].endswith("IP address")
    assert "198.51.100.23" in export

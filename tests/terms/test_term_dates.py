"""Term dates: everyone in a school reads them; the headteacher and office keep them; bad dates
give clear errors and write nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.terms.models import Term, TermDate
from socialgov.terms.selectors import academic_year_of, term_for, terms_by_year, terms_of_year
from socialgov.terms.services import term_year_save

LONDON = ZoneInfo("Europe/London")
LIST = reverse("term_list")
EDIT = reverse("term_year_edit")

GOOD_2026 = {
    "autumn_starts_on": "03/09/2026",
    "autumn_ends_on": "18/12/2026",
    "spring_starts_on": "05/01/2027",
    "spring_ends_on": "26/03/2027",
    "summer_starts_on": "12/04/2027",
    "summer_ends_on": "21/07/2027",
}


def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def dates_of(form: dict) -> dict:
    return {
        term: (d(form[f"{term}_starts_on"]), d(form[f"{term}_ends_on"])) for term in Term.values
    }


@pytest.fixture(autouse=True)
def _autumn_2026():
    """Every test runs on 1 October 2026 (academic year 2026/27), whatever the real date."""
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON), tick=False):
        yield


def _save(school, actor, form=GOOD_2026, year=2026):
    return term_year_save(school=school, academic_year=year, dates=dates_of(form), actor=actor)


# --- Academic years and which term a date is in ----------------------------------------------


@pytest.mark.parametrize(
    "on,year",
    [
        (dt.date(2026, 8, 31), 2025),
        (dt.date(2026, 9, 1), 2026),
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
        (dt.date(2027, 8, 31), 2026),
        (dt.date(2027, 9, 1), 2027),
    ],
)
def test_the_academic_year_turns_on_1_september(on, year):
    assert academic_year_of(on) == year


def test_term_for_includes_the_first_and_last_day_and_not_the_holidays(
    school, other_school, headteacher, outsider
):
    _save(school, headteacher)
    _save(other_school, outsider, {**GOOD_2026, "autumn_starts_on": "01/09/2026"})

    assert term_for(school, dt.date(2026, 9, 3)).term == Term.AUTUMN
    assert term_for(school, dt.date(2026, 12, 18)).term == Term.AUTUMN
    assert term_for(school, dt.date(2026, 12, 19)) is None  # Christmas holidays
    assert term_for(school, dt.date(2027, 1, 5)).term == Term.SPRING
    assert term_for(school, dt.date(2026, 9, 2)) is None  # the other school has begun; ours not
    assert term_for(other_school, dt.date(2026, 9, 2)).school == other_school


def test_terms_of_a_year_come_in_date_order(school, headteacher):
    _save(school, headteacher)

    assert [t.term for t in terms_of_year(school, 2026)] == ["autumn", "spring", "summer"]
    assert list(terms_of_year(school, 2027)) == []


# --- Reading the page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["headteacher", "dsl", "office", "staff", "governor", "chair", "network_manager"]
)
def test_everyone_in_the_school_can_read_its_term_dates(request, client_for, school, who):
    _save(school, request.getfixturevalue("headteacher"))
    person = request.getfixturevalue(who)

    response = client_for(person).get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Academic year 2026/27" in page
    assert "03/09/2026" in page and "21/07/2027" in page
    assert "Today is in the autumn term 2026/27" in page


def test_an_outsider_sees_only_their_own_schools_term_dates(
    client_for, school, other_school, headteacher, outsider
):
    _save(school, headteacher)

    response = client_for(outsider).get(LIST)

    assert response.status_code == 200
    assert "03/09/2026" not in response.content.decode()
    assert "No term dates have been recorded yet." in response.content.decode()


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_the_headteacher_and_office_are_offered_the_edit_links(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(LIST)

    assert f'href="{EDIT}?year=2026"' in response.content.decode()


@pytest.mark.parametrize("who", ["dsl", "staff", "governor", "chair", "network_manager"])
def test_others_are_not_offered_the_edit_links(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(LIST)

    assert EDIT not in response.content.decode()


def test_term_dates_are_in_the_menu(client_for, staff):
    response = client_for(staff).get(reverse("dashboard"))

    assert f'href="{LIST}"' in response.content.decode()


def test_the_list_page_makes_the_same_queries_for_one_year_or_ten(
    client_for, school, headteacher, staff, django_assert_num_queries
):
    # 8 queries: session, user, memberships, roles, trust memberships, every term of the school
    # (one query), the current term, and the unread-notifications count.
    client = client_for(staff)
    _save(school, headteacher)
    client.get(LIST)
    with CaptureQueriesContext(connection) as at_one:
        response = client.get(LIST)
    assert len(response.context["years"]) == 1
    for year in range(2015, 2024):
        TermDate.objects.bulk_create(
            TermDate(
                school=school,
                academic_year=year,
                term=term,
                starts_on=dt.date(year, 9, 1) + dt.timedelta(days=120 * n),
                ends_on=dt.date(year, 9, 1) + dt.timedelta(days=120 * n + 90),
            )
            for n, term in enumerate(Term.values)
        )

    with django_assert_num_queries(len(at_one)):
        response = client.get(LIST)

    assert len(response.context["years"]) == 10


# --- Keeping them ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_the_headteacher_and_office_can_record_a_years_terms(request, client_for, school, who):
    person = request.getfixturevalue(who)
    client = client_for(person)

    assert client.get(f"{EDIT}?year=2026").status_code == 200
    response = client.post(f"{EDIT}?year=2026", GOOD_2026)

    assert response.status_code == 302 and response["Location"] == LIST
    terms = list(terms_of_year(school, 2026))
    assert [(t.term, t.starts_on, t.ends_on) for t in terms] == [
        ("autumn", dt.date(2026, 9, 3), dt.date(2026, 12, 18)),
        ("spring", dt.date(2027, 1, 5), dt.date(2027, 3, 26)),
        ("summer", dt.date(2027, 4, 12), dt.date(2027, 7, 21)),
    ]
    assert all(t.history.get().history_user == person for t in terms)


@pytest.mark.parametrize("who", ["dsl", "staff", "governor", "chair", "network_manager"])
def test_nobody_else_can_record_term_dates(request, client_for, school, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(f"{EDIT}?year=2026").status_code == 403
    assert client.post(f"{EDIT}?year=2026", GOOD_2026).status_code == 403
    assert not TermDate.objects.exists()


def test_the_service_refuses_someone_who_may_not_keep_term_dates(school, staff):
    with pytest.raises(PermissionDenied):
        _save(school, staff)
    assert not TermDate.objects.exists()


def test_an_outsider_cannot_record_term_dates_for_another_school(school, outsider):
    with pytest.raises(PermissionDenied):
        _save(school, outsider)
    assert not TermDate.objects.exists()


def test_the_form_shows_the_recorded_dates_in_uk_format(client_for, school, office):
    _save(school, office)

    page = client_for(office).get(f"{EDIT}?year=2026").content.decode()

    assert 'value="03/09/2026"' in page and 'value="21/07/2027"' in page
    assert "Change term dates for 2026/27" in page


def test_correcting_one_date_changes_that_term_only(client_for, school, office):
    _save(school, office)
    client = client_for(office)

    response = client.post(f"{EDIT}?year=2026", {**GOOD_2026, "autumn_ends_on": "17/12/2026"})

    assert response.status_code == 302
    assert TermDate.objects.count() == 3
    autumn = TermDate.objects.get(term="autumn")
    assert autumn.ends_on == dt.date(2026, 12, 17)
    assert autumn.history.count() == 2
    assert TermDate.objects.get(term="spring").history.count() == 1  # unchanged: no new record


def test_saving_the_same_dates_twice_makes_no_duplicates(client_for, school, office):
    client = client_for(office)
    client.post(f"{EDIT}?year=2026", GOOD_2026)
    client.post(f"{EDIT}?year=2026", GOOD_2026)

    assert TermDate.objects.count() == 3


def _errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


@pytest.mark.parametrize(
    "changes,field,message",
    [
        (
            {"autumn_starts_on": "31/02/2026"},
            "autumn_starts_on",
            "Enter a date like 01/09/2026.",
        ),
        ({"spring_ends_on": "next week"}, "spring_ends_on", "Enter a date like 01/09/2026."),
        ({"summer_ends_on": ""}, "summer_ends_on", "Enter the last day of the summer term."),
        (
            {"autumn_ends_on": "01/09/2026"},
            "autumn_ends_on",
            "The autumn term must end after its first day.",
        ),
        (
            {"spring_starts_on": "15/12/2026"},
            "spring_starts_on",
            "The spring term must start after the autumn term ends (18/12/2026).",
        ),
        (
            {"summer_starts_on": "20/03/2027"},
            "summer_starts_on",
            "The summer term must start after the spring term ends (26/03/2027).",
        ),
        (
            {"autumn_starts_on": "03/09/2025"},
            "autumn_starts_on",
            "The autumn term of 2026/27 must fall between 01/08/2026 and 31/08/2027.",
        ),
        (
            {"summer_ends_on": "21/09/2027"},
            "summer_ends_on",
            "The summer term of 2026/27 must fall between 01/08/2026 and 31/08/2027.",
        ),
    ],
)
def test_bad_dates_give_field_errors_and_write_nothing(
    client_for, school, office, changes, field, message
):
    response = client_for(office).post(f"{EDIT}?year=2026", {**GOOD_2026, **changes})

    errors = _errors(response)
    assert any(message in error for error in errors[field]), errors
    assert message.split("(")[0].strip() in response.content.decode().replace("&#x27;", "'")
    assert not TermDate.objects.exists()


def test_a_bad_correction_leaves_the_recorded_dates_as_they_were(client_for, school, office):
    _save(school, office)

    response = client_for(office).post(
        f"{EDIT}?year=2026", {**GOOD_2026, "autumn_ends_on": "17/12/2026", "spring_ends_on": "x"}
    )

    assert "spring_ends_on" in _errors(response)
    assert TermDate.objects.get(term="autumn").ends_on == dt.date(2026, 12, 18)


def test_terms_overlapping_another_years_are_refused(client_for, school, office):
    _save(school, office)
    late_summer = {
        "autumn_starts_on": "02/09/2025",
        "autumn_ends_on": "19/12/2025",
        "spring_starts_on": "05/01/2026",
        "spring_ends_on": "27/03/2026",
        "summer_starts_on": "13/04/2026",
        "summer_ends_on": "31/08/2026",
    }
    _save(school, office, late_summer, year=2025)
    early_autumn = {**GOOD_2026, "autumn_starts_on": "20/08/2026"}

    response = client_for(office).post(f"{EDIT}?year=2026", early_autumn)

    assert _errors(response)["autumn_starts_on"] == [
        "The autumn term overlaps the summer term of 2025/26 (13/04/2026 to 31/08/2026)."
    ]
    assert TermDate.objects.get(academic_year=2026, term="autumn").starts_on == dt.date(2026, 9, 3)


def test_the_service_refuses_a_year_with_a_term_missing(school, office):
    dates = dates_of(GOOD_2026)
    del dates["spring"]

    with pytest.raises(ValidationError) as raised:
        term_year_save(school=school, academic_year=2026, dates=dates, actor=office)

    assert "spring_starts_on" in raised.value.message_dict
    assert not TermDate.objects.exists()


def test_the_database_refuses_a_term_that_ends_before_it_starts(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        TermDate.objects.create(
            school=school,
            academic_year=2026,
            term="autumn",
            starts_on=dt.date(2026, 12, 18),
            ends_on=dt.date(2026, 9, 3),
        )


def test_the_database_refuses_a_second_autumn_term_in_one_year(school, office):
    _save(school, office)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermDate.objects.create(
            school=school,
            academic_year=2026,
            term="autumn",
            starts_on=dt.date(2026, 9, 3),
            ends_on=dt.date(2026, 9, 4),
        )


@pytest.mark.parametrize("year", ["abc", "1999", "2031", "2026.5"])
def test_an_unknown_year_is_not_found(client_for, office, year):
    client = client_for(office)

    assert client.get(f"{EDIT}?year={year}").status_code == 404
    assert client.post(f"{EDIT}?year={year}", GOOD_2026).status_code == 404
    assert not TermDate.objects.exists()


def test_without_a_year_the_form_is_for_the_current_academic_year(client_for, office):
    page = client_for(office).get(EDIT).content.decode()

    assert "Add term dates for 2026/27" in page


def test_years_group_newest_first(school, office):
    _save(school, office)
    _save(
        school,
        office,
        {
            "autumn_starts_on": "02/09/2025",
            "autumn_ends_on": "19/12/2025",
            "spring_starts_on": "05/01/2026",
            "spring_ends_on": "27/03/2026",
            "summer_starts_on": "13/04/2026",
            "summer_ends_on": "22/07/2026",
        },
        year=2025,
    )

    assert [year for year, _ in terms_by_year(school)] == [2026, 2025]

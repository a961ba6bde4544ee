"""The check log as CSV: the year's checks, formula injection neutralised, the same access as the
check log, and every exported check an access-log entry."""

import pytest

from incidents.filtering.models import FilteringCheck
from incidents.filtering.services import filtering_roles_save
from socialgov.audit.models import AccessAction, AccessLogEntry
from tests.incidents.filtering.helpers import check_for

pytestmark = pytest.mark.django_db

URL = "/incidents/filtering/checks.csv"


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_check_log_csv_has_the_years_checks_with_formulas_neutralised(
    client_for, school, network_manager
):
    check_for(school, network_manager, tested='=HYPERLINK("http://evil")')
    check_for(school, network_manager, result="not_blocked", actions="@SUM(A1) added to the list")
    response = client_for(network_manager).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "filtering-checks-" in response["Content-Disposition"]
    body = _body(response)
    assert body.startswith("\ufeffDate,Checked by,Device")
    assert "'=HYPERLINK" in body and "'@SUM(A1)" in body
    assert "Not blocked" in body and "Blocked as expected" in body


def test_the_check_log_csv_is_logged_against_each_check(client_for, school, network_manager):
    checks = [check_for(school, network_manager) for _ in range(2)]
    _body(client_for(network_manager).get(URL))
    entries = AccessLogEntry.objects.filter(action=AccessAction.EXPORTED, person=network_manager)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(c.pk for c in checks)
    assert {e.content_type.model_class() for e in entries} == {FilteringCheck}


def test_the_check_log_csv_follows_the_check_log_access(
    client_for, school, headteacher, network_manager, staff, governor, outsider
):
    check_for(school, network_manager, tested="Willow's test sites")
    for person in (staff, governor):
        assert client_for(person).get(URL).status_code == 403
    # Another school's headteacher gets their own school's log: nothing of ours.
    assert "Willow's test sites" not in _body(client_for(outsider).get(URL))
    filtering_roles_save(school=school, actor=headteacher, it_provider=staff)
    assert client_for(staff).get(URL).status_code == 200


def test_another_schools_checks_are_not_in_the_csv(
    client_for, school, other_school, network_manager
):
    from socialgov.people.roles import Role
    from tests.factories import person_in

    their_manager = person_in(other_school, Role.NETWORK_MANAGER)
    check_for(other_school, their_manager, tested="Their own secret test site")
    assert "Their own secret test site" not in _body(client_for(network_manager).get(URL))

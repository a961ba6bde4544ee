"""The filtering gateway on its own (incidents.filtering.access): for each rule, the person it is
for is included, an outsider is excluded, and a same-school person without the role is excluded."""

import pytest
from django.http import Http404

from incidents.filtering import access
from incidents.filtering.services import filtering_roles_save
from tests.incidents.filtering.helpers import check_for, request_for, review_for

pytestmark = pytest.mark.django_db


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_staff_see_their_own_requests_only(school, staff, colleague, network_manager):
    mine = request_for(school, staff)
    theirs = request_for(school, colleague)
    assert _ids(access.unblock_request_visible_to(staff)) == {mine.pk}
    assert access.unblock_request_get_for_user(staff, mine.pk) == mine
    with pytest.raises(Http404):
        access.unblock_request_get_for_user(staff, theirs.pk)


def test_network_manager_headteacher_deputy_and_dsl_see_every_request(
    school, staff, colleague, network_manager, headteacher, deputy_head, dsl
):
    requests = {request_for(school, staff).pk, request_for(school, colleague).pk}
    for person in (network_manager, headteacher, deputy_head, dsl):
        assert _ids(access.unblock_request_visible_to(person)) == requests
        assert access.can_see_log(person, school)


def test_governors_office_and_plain_staff_do_not_keep_the_log(
    school, staff, governor, office, colleague
):
    request_for(school, staff)
    for person in (governor, office, colleague):
        assert not access.unblock_request_visible_to(person).exists()
        assert not access.can_see_log(person, school)


def test_another_schools_people_get_404(school, staff, outsider):
    request = request_for(school, staff)
    assert not access.unblock_request_visible_to(outsider).exists()
    with pytest.raises(Http404):
        access.unblock_request_get_for_user(outsider, request.pk)


def test_a_leaver_no_longer_sees_their_request(school, staff):
    import datetime as dt

    request = request_for(school, staff)
    membership = staff.memberships.get()
    membership.start_date = dt.date.today() - dt.timedelta(days=30)
    membership.leaving_date = dt.date.today() - dt.timedelta(days=1)
    membership.save()
    staff.refresh_from_db()
    from socialgov.access import forget_memberships

    forget_memberships(staff)
    assert request not in access.unblock_request_visible_to(staff)


def test_anonymous_sees_nothing(school, staff):
    from django.contrib.auth.models import AnonymousUser

    request_for(school, staff)
    assert not access.unblock_request_visible_to(AnonymousUser()).exists()
    assert not access.filtering_check_visible_to(AnonymousUser()).exists()
    assert not access.filtering_review_visible_to(AnonymousUser()).exists()


def test_only_the_network_manager_reviews_and_confirms(school, staff, network_manager, headteacher):
    request = request_for(school, staff)
    assert access.can_review(network_manager, request)
    assert access.can_confirm(network_manager, request)
    for person in (staff, headteacher):
        assert not access.can_review(person, request)
        assert not access.can_confirm(person, request)


def test_the_headteacher_or_deputy_decides_but_never_their_own_request(
    school, staff, headteacher, deputy_head, network_manager, outsider
):
    request = request_for(school, staff)
    assert access.can_decide(headteacher, request)
    assert access.can_decide(deputy_head, request)
    for person in (staff, network_manager, outsider):
        assert not access.can_decide(person, request)
    own = request_for(school, headteacher)
    assert not access.can_decide(headteacher, own)
    assert access.can_decide(deputy_head, own)


def test_checks_are_for_the_network_manager_leaders_and_the_named_it_provider(
    school, network_manager, dsl, slt, headteacher, governor, colleague, outsider
):
    check = check_for(school, network_manager)
    for person in (network_manager, dsl, slt, headteacher):
        assert access.can_see_checks(person, school)
        assert access.can_record_check(person, school)
        assert _ids(access.filtering_check_visible_to(person)) == {check.pk}
    for person in (governor, colleague, outsider):
        assert not access.can_see_checks(person, school)
        assert not access.filtering_check_visible_to(person).exists()
    filtering_roles_save(school=school, actor=headteacher, it_provider=colleague)
    assert access.can_record_check(colleague, school)
    assert _ids(access.filtering_check_visible_to(colleague)) == {check.pk}
    assert not access.can_record_check(outsider, school)


def test_reviews_are_seen_by_governors_and_leaders_and_recorded_by_leaders(
    school, headteacher, slt, dsl, governor, chair, network_manager, colleague, outsider
):
    review = review_for(school, headteacher, slt_lead=slt, dsl=dsl, governor=governor)
    for person in (headteacher, slt, dsl, governor, chair, network_manager):
        assert access.can_see_reviews(person, school)
        assert access.filtering_review_get_for_user(person, review.pk) == review
    for person in (colleague, outsider):
        assert not access.can_see_reviews(person, school)
        with pytest.raises(Http404):
            access.filtering_review_get_for_user(person, review.pk)
    for person in (headteacher, slt, dsl):
        assert access.can_record_review(person, school)
    for person in (governor, network_manager, colleague, outsider):
        assert not access.can_record_review(person, school)


def test_the_named_slt_lead_records_reviews(school, headteacher, colleague):
    assert not access.can_record_review(colleague, school)
    filtering_roles_save(school=school, actor=headteacher, slt_lead=colleague)
    assert access.can_record_review(colleague, school)
    assert access.can_see_reviews(colleague, school)


def test_only_the_headteacher_names_the_roles(school, headteacher, dsl, network_manager, outsider):
    assert access.can_edit_roles(headteacher, school)
    for person in (dsl, network_manager, outsider):
        assert not access.can_edit_roles(person, school)

"""The incidents gateway on its own (incidents.reports.access): for each rule, the person it is
for is included, an outsider is excluded, and a same-school person without the role is excluded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from incidents import access as app_access
from incidents.reports import access
from incidents.reports.models import Category, IncidentPerson, PersonKind, PersonRole
from socialgov.people.roles import Role
from tests.factories import MembershipFactory, TrustMembershipFactory, person_in
from tests.incidents.helpers import concern_about, report, triage


def visible(user):
    return set(access.incident_visible_to(user))


def handling(user):
    return set(access.incident_handling_visible_to(user))


def test_the_app_gateway_is_the_reports_gateway():
    assert app_access.incident_visible_to is access.incident_visible_to
    assert app_access.incident_get_for_user is access.incident_get_for_user


def test_the_routed_group_sees_it_and_nobody_else_in_the_school(
    school, headteacher, dsl, deputy_dsl, staff, colleague, governor, chair, network_manager,
    office, outsider,
):  # fmt: skip
    incident = report(school, staff, Category.CYBERBULLYING)  # the DSL team
    assert incident in handling(dsl) and incident in handling(deputy_dsl)
    for person in (headteacher, colleague, governor, chair, network_manager, office, outsider):
        assert incident not in visible(person), person.full_name


def test_the_reporter_sees_their_own_report_but_does_not_handle_it(school, dsl, staff):
    incident = report(school, staff, Category.CYBERBULLYING)
    assert incident in visible(staff)
    assert incident not in handling(staff)
    assert access.sees_as_reporter_only(staff, incident)
    assert not access.can_handle(staff, incident)
    assert access.incident_get_for_user(staff, incident.pk) == incident
    with pytest.raises(PermissionDenied):
        access.incident_get_for_user(staff, incident.pk, write=True)


def test_the_handler_sees_it_without_holding_a_routed_role(school, dsl, staff, colleague):
    incident = report(school, staff, Category.CYBERBULLYING)
    assert incident not in visible(colleague)
    triage(incident, dsl, handler=colleague)
    assert incident in handling(colleague)
    assert access.can_handle(colleague, incident)


def test_a_subject_is_excluded_even_when_holding_a_routed_role(school, headteacher, slt, staff):
    """The gateway's own rule, not only routing's: name the SLT member as a subject directly (as
    no service would leave it routed to them) and they no longer see it."""
    incident = report(school, staff, Category.PARENT_CONDUCT)  # headteacher and SLT
    assert incident in handling(slt)
    IncidentPerson.objects.create(
        incident=incident,
        role=PersonRole.ALLEGED_PERPETRATOR,
        kind=PersonKind.STAFF,
        staff_member=slt,
        added_by=headteacher,
        added_at=timezone.now(),
    )
    assert incident not in visible(slt)
    assert not access.can_handle(slt, incident)
    with pytest.raises(Http404):
        access.incident_get_for_user(slt, incident.pk)
    assert incident in handling(headteacher)


def test_another_school_sees_nothing_even_its_headteacher(school, staff, outsider, dsl):
    incident = report(school, staff, Category.SAFEGUARDING)
    with pytest.raises(Http404):
        access.incident_get_for_user(outsider, incident.pk)
    assert visible(outsider) == set()


def test_a_trust_executive_sees_no_incident_of_the_trust(school, staff, dsl, trust):
    executive = person_in(school, Role.STAFF)
    TrustMembershipFactory(user=executive, trust=trust, role="trust_executive")
    incident = report(school, staff, Category.CYBERBULLYING)
    assert incident not in visible(executive)


def test_a_dsl_of_two_schools_sees_each_schools_incidents_only_through_that_school(
    school, sister_school, staff
):
    both = person_in(school, Role.DSL)
    MembershipFactory(user=both, school=sister_school, roles=[Role.STAFF])
    here = report(school, staff, Category.CYBERBULLYING)
    sister_staff = person_in(sister_school, Role.STAFF)
    person_in(sister_school, Role.DSL)
    there = report(sister_school, sister_staff, Category.CYBERBULLYING)
    assert here in handling(both)
    assert there not in handling(both)  # only plain staff at the sister school


def test_a_leaver_loses_what_was_routed_to_their_role(school, dsl, staff):
    incident = report(school, staff, Category.CYBERBULLYING)
    membership = dsl.memberships.get()
    membership.leaving_date = timezone.localdate()
    membership.save()
    from socialgov.access import forget_memberships

    forget_memberships(dsl)
    assert incident not in visible(dsl)


def test_the_network_manager_does_not_see_safeguarding_categories(
    school, network_manager, dsl, staff
):
    for category in (
        Category.SAFEGUARDING,
        Category.CYBERBULLYING,
        Category.PUPIL_BEHAVIOUR,
        Category.PERSONAL_CONTACT,
        Category.STAFF_CONDUCT,
    ):
        incident = report(school, staff, category)
        assert incident not in visible(network_manager), category
    technical = report(school, staff, Category.INAPPROPRIATE_CONTENT)
    assert technical in handling(network_manager)


def test_ict_section_is_for_the_network_manager_or_the_handler(
    school, network_manager, headteacher, staff, colleague
):
    technical = report(school, staff, Category.INAPPROPRIATE_CONTENT)
    assert access.can_complete_ict(network_manager, technical)
    assert not access.can_complete_ict(colleague, technical)
    assert not access.can_complete_ict(headteacher, technical)
    triage(technical, network_manager, handler=colleague)
    assert access.can_complete_ict(colleague, technical)
    bullying = report(school, staff, Category.CYBERBULLYING)
    assert not access.can_complete_ict(network_manager, bullying)


def test_the_harm_threshold_is_for_the_case_manager_only(
    school, headteacher, dsl, deputy_head, staff, chair
):
    concern = concern_about(school, dsl, staff)
    assert access.can_decide_threshold(headteacher, concern)
    assert not access.can_decide_threshold(chair, concern)
    triage(concern, headteacher, handler=deputy_head)
    assert access.can_handle(deputy_head, concern)
    assert not access.can_decide_threshold(deputy_head, concern)  # handler, not case manager
    about_head = concern_about(school, dsl, headteacher)
    assert access.can_decide_threshold(chair, about_head)
    assert not access.can_decide_threshold(headteacher, about_head)


def test_the_imagery_decision_is_for_the_dsl_team_only(
    school, dsl, deputy_dsl, headteacher, staff, colleague
):
    disclosure = report(school, staff, Category.SAFEGUARDING, safeguarding_kind="nude_images")
    assert access.can_decide_imagery(dsl, disclosure)
    assert access.can_decide_imagery(deputy_dsl, disclosure)
    triage(disclosure, dsl, handler=colleague)
    assert not access.can_decide_imagery(colleague, disclosure)
    assert not access.can_decide_imagery(headteacher, disclosure)
    other = report(school, staff, Category.SAFEGUARDING, safeguarding_kind="grooming")
    assert not access.can_decide_imagery(dsl, other)


def test_the_chronology_pdf_is_for_the_handler_or_the_case_manager(
    school, headteacher, dsl, deputy_dsl, staff, deputy_head
):
    bullying = report(school, staff, Category.CYBERBULLYING)
    triage(bullying, dsl)
    assert access.can_export_chronology(dsl, bullying)
    assert not access.can_export_chronology(deputy_dsl, bullying)  # in the group, not handler
    assert not access.can_export_chronology(staff, bullying)
    concern = concern_about(school, dsl, staff)
    triage(concern, headteacher, handler=deputy_head)
    assert access.can_export_chronology(headteacher, concern)
    assert access.can_export_chronology(deputy_head, concern)

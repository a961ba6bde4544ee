"""Account requests: the approval order and its refusals; approval creates the registry entry;
the registry's own refusals (e-mail domain, passwords, two administrators)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts_registry import services
from accounts_registry.models import AccountRequest, MemberRole, OfficialAccount, RequestStatus
from tests.accounts_registry.factories import request_fields
from tests.factories import person_in

pytestmark = pytest.mark.django_db


def _submit(school, actor, admins, **overrides):
    return services.account_request_submit(
        school=school, actor=actor, **request_fields(school, admins, admins[0], **overrides)
    )


def test_without_a_marketing_officer_the_headteacher_approves_and_the_account_is_created(
    school, staff, colleague, headteacher
):
    request = _submit(school, staff, [staff, colleague])
    request = services.account_request_decide(request=request, actor=headteacher, approve=True)
    assert request.status == RequestStatus.APPROVED and request.decided_by == headteacher
    account = OfficialAccount.objects.get(request=request)
    assert account.name == "@willowbank_sport" and account.platform == "instagram"
    assert set(
        account.members.filter(role=MemberRole.ADMINISTRATOR).values_list("user", flat=True)
    ) == {
        staff.pk,
        colleague.pk,
    }


def test_with_a_marketing_officer_the_brand_is_approved_first(
    school, staff, colleague, headteacher, marketing_officer
):
    request = _submit(school, staff, [staff, colleague])
    with pytest.raises(PermissionDenied):
        services.account_request_decide(request=request, actor=headteacher, approve=True)
    request = services.account_request_brand_decide(
        request=request, actor=marketing_officer, approve=True, note="Use the new logo."
    )
    assert request.status == RequestStatus.BRAND_APPROVED and request.brand_note
    request = services.account_request_decide(request=request, actor=headteacher, approve=True)
    assert request.status == RequestStatus.APPROVED


def test_staff_cannot_approve(school, staff, colleague):
    other = person_in(school, "staff", full_name="Olly Other")
    request = _submit(school, staff, [staff, colleague])
    with pytest.raises(PermissionDenied):
        services.account_request_decide(request=request, actor=other, approve=True)


def test_the_headteacher_cannot_approve_their_own_request_the_deputy_decides(
    school, headteacher, staff, deputy_head
):
    request = _submit(school, headteacher, [headteacher, staff])
    with pytest.raises(PermissionDenied):
        services.account_request_decide(request=request, actor=headteacher, approve=True)
    request = services.account_request_decide(request=request, actor=deputy_head, approve=True)
    assert request.decided_by == deputy_head


def test_the_deputy_does_not_decide_other_requests(school, staff, colleague, deputy_head):
    request = _submit(school, staff, [staff, colleague])
    with pytest.raises(PermissionDenied):
        services.account_request_decide(request=request, actor=deputy_head, approve=True)


def test_rejection_without_a_reason_is_refused_and_with_one_is_kept(
    school, staff, colleague, headteacher
):
    request = _submit(school, staff, [staff, colleague])
    with pytest.raises(ValidationError) as refused:
        services.account_request_decide(request=request, actor=headteacher, approve=False)
    assert "reason" in refused.value.message_dict
    request = services.account_request_decide(
        request=request, actor=headteacher, approve=False, reason="We have a sport account."
    )
    assert request.status == RequestStatus.REJECTED
    assert request.decision_reason == "We have a sport account."
    assert not OfficialAccount.objects.exists()


def test_fewer_than_two_administrators_is_refused(school, staff):
    with pytest.raises(ValidationError) as refused:
        _submit(school, staff, [staff])
    assert "administrators" in refused.value.message_dict
    assert not AccountRequest.objects.exists()


def test_an_administrator_who_is_not_staff_of_the_school_is_refused(
    school, staff, outsider, governor
):
    for stranger in (outsider, governor):
        with pytest.raises(ValidationError) as refused:
            _submit(school, staff, [staff, stranger])
        assert "Not a member of staff" in refused.value.message_dict["administrators"][0]


def test_a_governor_cannot_request(school, governor, staff, colleague):
    with pytest.raises(PermissionDenied):
        _submit(school, governor, [staff, colleague])


def test_every_required_field_has_its_own_message(school, staff, colleague):
    with pytest.raises(ValidationError) as refused:
        _submit(
            school, staff, [staff, colleague], aims=" ", risk_assessment="", audience=["pupils"]
        )
    errors = refused.value.message_dict
    assert {"aims", "risk_assessment", "pupil_ages", "parental_consent"} <= set(errors)


def test_a_request_submitted_twice_is_one_request(school, staff, colleague):
    first = _submit(school, staff, [staff, colleague], submission_key="k1")
    second = _submit(school, staff, [staff, colleague], submission_key="k1")
    assert first.pk == second.pk and AccountRequest.objects.count() == 1


def test_a_decided_request_cannot_be_decided_again(school, staff, colleague, headteacher):
    request = _submit(school, staff, [staff, colleague])
    services.account_request_decide(request=request, actor=headteacher, approve=True)
    with pytest.raises(ValidationError):
        services.account_request_decide(
            request=request, actor=headteacher, approve=False, reason="x"
        )

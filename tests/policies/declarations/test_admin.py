"""The deployment's admin shows declarations, exceptions and the training log, read-only where
the records change only through their services (issue 15)."""

import pytest
from django.contrib import admin

from policies.declarations.models import (
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    PolicyException,
)
from policies.models import Policy, PolicyVersion, Signature
from socialgov.reminders.models import ReminderLog
from socialgov.training.models import TrainingAttendance, TrainingSession, TrainingSettings
from socialgov.twofactor.models import TwoFactorReset
from tests.policies.declarations.factories import decide, declaration_for, exception_for
from tests.training.factories import session_in

pytestmark = pytest.mark.django_db

READ_ONLY = [
    Declaration,
    DeclarationDecision,
    DeclarationConfirmation,
    PolicyException,
    TrainingSession,
    TrainingAttendance,
    # and the core's and policies' records that change only through their services
    Policy,
    PolicyVersion,
    Signature,
    ReminderLog,
    TwoFactorReset,
]


def _url(model, view: str, *args) -> str:
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_the_admin_lists_the_record_but_cannot_add_change_or_delete_it(admin_client, model):
    assert model in admin.site._registry
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == 403
    model_admin = admin.site._registry[model]
    request = admin_client.get(_url(model, "changelist")).wsgi_request
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_decided_declaration_and_an_exception_open_read_only(
    admin_client, school, staff, dsl, headteacher
):
    declaration = declaration_for(staff)
    decide(declaration, dsl)
    exception = exception_for(staff)
    decision = DeclarationDecision.objects.get(declaration=declaration)
    for model, pk in (
        (Declaration, declaration.pk),
        (DeclarationDecision, decision.pk),
        (PolicyException, exception.pk),
    ):
        page = admin_client.get(_url(model, "change", pk))
        assert page.status_code == 200
        assert b'name="_save"' not in page.content  # no save button: nothing to edit
        assert admin_client.post(_url(model, "delete", pk), {"post": "yes"}).status_code == 403
    assert Declaration.objects.filter(pk=declaration.pk).exists()


def test_the_training_log_is_in_the_admin_and_attendance_cannot_be_deleted(
    admin_client, school, staff, office
):
    session = session_in(school, actor=office)
    assert admin_client.get(_url(TrainingSession, "change", session.pk)).status_code == 200
    assert (
        admin_client.post(_url(TrainingSession, "delete", session.pk), {"post": "yes"}).status_code
        == 403
    )
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    # A school's setting is a setting: the deployment may correct it.
    assert admin_client.get(_url(TrainingSettings, "add")).status_code == 200


def test_school_staff_never_reach_the_admin(client_for, headteacher):
    response = client_for(headteacher).get(_url(Declaration, "changelist"))
    assert response.status_code == 302

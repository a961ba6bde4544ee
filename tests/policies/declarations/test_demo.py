"""The demo's declarations, exceptions and training log: through the real services, once."""

import io

import pytest
from django.core.management import call_command

from policies.declarations.models import (
    Declaration,
    DeclarationConfirmation,
    ExceptionStatus,
    PolicyException,
)
from socialgov.dates import today
from socialgov.people.models import School
from socialgov.training import selectors as training_selectors
from socialgov.training.models import TrainingAttendance, TrainingSession

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_declarations_exceptions_and_training_once():
    for _ in range(2):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "Demo declarations and exceptions are already in place." in text
    assert "Demo training log is already in place." in text
    assert Declaration.objects.filter(status="decided").count() == 2
    assert Declaration.objects.filter(status="awaiting").count() == 1
    assert Declaration.objects.exclude(pupil=None).count() == 1
    assert DeclarationConfirmation.objects.filter(kind="nothing").exists()
    exceptions = PolicyException.objects.filter(status=ExceptionStatus.APPROVED)
    assert exceptions.count() == 2
    soon = [e for e in exceptions if (e.ends_on - today()).days <= 30]
    assert len(soon) == 1 and soon[0].in_force(today())
    # A year of sessions with gaps: someone is due in each school.
    assert TrainingSession.objects.count() == 10
    assert TrainingAttendance.objects.exists()
    for school in School.objects.filter(urn__in=["990101", "990102"]):
        coverage = training_selectors.coverage_for(school, today())
        assert coverage.total.due + coverage.total.overdue > 0
        assert coverage.total.up_to_date > 0

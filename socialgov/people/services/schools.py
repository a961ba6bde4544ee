"""Writes to a school's own details."""

from django.db import transaction

from socialgov.people.models import (
    School,
)


@transaction.atomic
def school_update(*, school: School, actor, data: dict) -> School:
    """Change a school's details (headteacher); history records who changed what."""
    school = School.objects.select_for_update().get(pk=school.pk)
    for field, value in data.items():
        setattr(school, field, value)
    school._history_user = actor
    school.full_clean()
    school.save()
    return school

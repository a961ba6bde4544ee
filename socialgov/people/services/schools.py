"""Writes to a school's own details."""

from django.db import transaction

from socialgov.people.models import (
    School,
)


@transaction.atomic
def school_update(*, school: School, actor, data: dict) -> School:
    """Change a school's details (headteacher); history records who changed what."""
    school = School.objects.select_for_update().get(pk=school.pk)
    old_logo = school.logo.name
    for field, value in data.items():
        setattr(school, field, value)
    school._history_user = actor
    school.full_clean()
    school.save()
    if old_logo and school.logo.name != old_logo:
        # A replaced or cleared logo leaves storage once the change has committed.
        storage, name = school.logo.storage, old_logo
        transaction.on_commit(lambda: storage.delete(name), robust=True)
    return school

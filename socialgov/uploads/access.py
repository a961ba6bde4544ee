"""Access gateway for files served by the core: a school's logo is for everyone who may see the
school (its members and its trust's executives: socialgov.people.access). Files of feature apps
(`StoredFile`) are served by those apps' own gateways (socialgov.uploads.serving)."""

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from socialgov.people.access import school_get_for_user


def school_logo_get_for_user(user, pk) -> FieldFile:
    """The logo of school `pk`: 404 outside the person's schools, and when it has none."""
    school = school_get_for_user(user, pk)
    if not school.logo or not default_storage.exists(school.logo.name):
        raise Http404
    return school.logo

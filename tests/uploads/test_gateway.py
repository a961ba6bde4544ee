"""The uploads gateway for the school logo (socialgov.uploads.access), tested directly."""

import pytest
from django.http import Http404

from socialgov.uploads.access import school_logo_get_for_user
from tests.uploads.images import give_school_a_logo


def test_a_schools_logo_is_for_everyone_who_may_see_the_school(
    school, colleague, trust_executive, outsider, sister_head
):
    give_school_a_logo(school)
    school.refresh_from_db()
    for viewer in (colleague, trust_executive):
        assert school_logo_get_for_user(viewer, school.pk).name == school.logo.name
    for stranger in (outsider, sister_head):
        with pytest.raises(Http404):
            school_logo_get_for_user(stranger, school.pk)


def test_a_school_without_a_logo_has_none_to_serve(school, colleague):
    with pytest.raises(Http404):
        school_logo_get_for_user(colleague, school.pk)

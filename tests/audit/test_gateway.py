"""The audit gateway for history pages (socialgov.audit.access), tested directly. The access log's
own gateway is tested in test_access_log.py."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socialgov.audit.access import school_for_history, school_history_allowed


def test_a_schools_history_is_for_its_headteacher_and_office(
    school, headteacher, office, dsl, colleague, trust_executive, outsider, sister_head
):
    for keeper in (headteacher, office):
        assert school_history_allowed(keeper, school)
        assert school_for_history(keeper, school.pk) == school
    # In the school (or its trust) without the role: the school is visible, its history is not.
    for reader in (dsl, colleague, trust_executive):
        assert not school_history_allowed(reader, school)
        with pytest.raises(PermissionDenied):
            school_for_history(reader, school.pk)
    for stranger in (outsider, sister_head):
        assert not school_history_allowed(stranger, school)
        with pytest.raises(Http404):
            school_for_history(stranger, school.pk)

"""Who may see and change term dates: everyone in a school reads them; the headteacher and the
office keep them (the app's gateway, socialgov.access)."""

from django.db.models import QuerySet

from socialgov import access
from socialgov.people.roles import Role
from socialgov.terms.models import TermDate

TERM_EDITORS = frozenset({Role.HEADTEACHER, Role.OFFICE})


def term_visible_to(user) -> QuerySet[TermDate]:
    """Term dates of the person's current schools."""
    if not getattr(user, "is_authenticated", False):
        return TermDate.objects.none()
    return TermDate.objects.filter(school_id__in=access.member_school_ids(user))


def term_dates_editable_by(user, school) -> bool:
    return access.has_role(user, school, *TERM_EDITORS)

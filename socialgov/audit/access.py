"""Access gateway for audit pages: history pages go through the object's own app gateway first,
then these rules (a membership's history is exactly its people gateway, so it has none here); the
access log shows only the current school, and only entries whose record the viewer may see through
its app's registered gateway (socialgov.audit.registry: deny by default).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from socialgov import access
from socialgov.audit import registry
from socialgov.audit.models import AccessLogEntry
from socialgov.people.access import school_get_for_user
from socialgov.people.models import School
from socialgov.people.roles import PEOPLE_MANAGERS, Role

# Who may read a school's change history: those who keep its details and people list.
SCHOOL_HISTORY_ROLES = PEOPLE_MANAGERS
# Who may read the log of reads of sensitive records.
ACCESS_LOG_ROLES = frozenset({Role.HEADTEACHER, Role.DSL})


def school_history_allowed(user, school: School) -> bool:
    return access.has_role(user, school, *SCHOOL_HISTORY_ROLES)


def school_for_history(user, pk) -> School:
    """404 outside the person's schools; 403 unless headteacher or office there."""
    school = school_get_for_user(user, pk)
    if not school_history_allowed(user, school):
        raise PermissionDenied
    return school


def access_log_visible_to(user, school: School) -> QuerySet[AccessLogEntry]:
    """The school's access log for its headteacher and DSL, with only the entries about records
    the viewer may see through their app's registered gateway (socialgov.audit.registry)."""
    if not access.has_role(user, school, *ACCESS_LOG_ROLES):
        return AccessLogEntry.objects.none()
    entries = AccessLogEntry.objects.filter(school=school)
    # Only the gateways of the kinds of record the school's log is about (one small query on the
    # school's index): a school's log names a few kinds, and every gateway asked is a subquery.
    present = set(entries.order_by().values_list("content_type_id", flat=True).distinct())
    return entries.filter(registry.visible_to(user, content_type_ids=present))

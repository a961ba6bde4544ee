"""Access gateway for audit pages: history pages go through the object's own app gateway first,
then these rules; the access log shows only the current school, and only what the viewer may see.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from socialgov import access
from socialgov.audit import registry
from socialgov.audit.models import AccessLogEntry
from socialgov.people.access import membership_get_for_user, school_get_for_user
from socialgov.people.models import Membership, School
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


def membership_for_history(user, pk) -> Membership:
    """The people gateway already limits memberships to the headteacher and office (else 404)."""
    return membership_get_for_user(user, pk)


def access_log_visible_to(user, school: School) -> QuerySet[AccessLogEntry]:
    """The school's access log for its headteacher and DSL, without entries about records the
    viewer may not see (apps register their gateways in socialgov.audit.registry)."""
    if not access.has_role(user, school, *ACCESS_LOG_ROLES):
        return AccessLogEntry.objects.none()
    return AccessLogEntry.objects.filter(school=school).exclude(registry.hidden_from(user))

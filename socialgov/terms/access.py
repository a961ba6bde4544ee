"""Who may see and change term dates: everyone in a school reads them; the headteacher and the
office keep them (the app's gateway, socialgov.access)."""

from socialgov import access
from socialgov.people.roles import Role

TERM_EDITORS = frozenset({Role.HEADTEACHER, Role.OFFICE})


def term_dates_editable_by(user, school) -> bool:
    """Whether the person keeps the school's term dates (headteacher, office). Everyone in a
    school reads its term dates: the pages show the current school's only (`@require_role()`)."""
    return access.has_role(user, school, *TERM_EDITORS)

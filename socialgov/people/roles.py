"""The roles a person can hold in a school or a trust, and which of them are privileged."""

from django.db import models


class Role(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher"
    DEPUTY_HEADTEACHER = "deputy_headteacher", "Deputy headteacher"
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy DSL"
    SLT = "slt", "Senior leadership team"
    OFFICE = "office", "Office staff"
    DPO = "dpo", "Data protection officer"
    NETWORK_MANAGER = "network_manager", "Network manager"
    MARKETING_OFFICER = "marketing_officer", "Marketing officer"
    STAFF = "staff", "Staff"
    GOVERNOR = "governor", "Governor"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
    SAFEGUARDING_GOVERNOR = "safeguarding_governor", "Safeguarding governor"
    CLERK = "clerk", "Clerk to governors"


class TrustRole(models.TextChoices):
    TRUST_EXECUTIVE = "trust_executive", "Trust executive"
    TRUST_DSL = "trust_dsl", "Trust executive DSL"


class StaffGroup(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    SUPPORT = "support", "Support staff"
    VOLUNTEER = "volunteer", "Volunteer"
    CONTRACTOR = "contractor", "Contractor"
    GOVERNOR = "governor", "Governor"
    VISITOR = "visitor", "Visitor"


# Everyone except plain staff and plain governors holds a privileged role (two-factor required).
UNPRIVILEGED_ROLES = frozenset({Role.STAFF, Role.GOVERNOR})
PRIVILEGED_ROLES = frozenset(set(Role) - UNPRIVILEGED_ROLES)

DSL_TEAM = frozenset({Role.DSL, Role.DEPUTY_DSL})
LEADERSHIP = frozenset({Role.HEADTEACHER, Role.DEPUTY_HEADTEACHER, Role.SLT})
GOVERNANCE = frozenset(
    {Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.SAFEGUARDING_GOVERNOR, Role.CLERK}
)
# Who keeps the people list of a school.
PEOPLE_MANAGERS = frozenset({Role.HEADTEACHER, Role.OFFICE})

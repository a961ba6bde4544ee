"""The incidents app's access gateway: every list, detail, search, count, dashboard panel,
notification, history page and export of the app goes through the functions exported here.

Each sub-domain keeps its rules in its own module (incidents.reports.access,
incidents.filtering.access); this module is the one place views and other apps import them from.
"""

from incidents.reports.access import (  # noqa: F401
    incident_get_for_user,
    incident_handling_visible_to,
    incident_visible_to,
)

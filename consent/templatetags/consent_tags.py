"""Template helpers of the consent register: its own tabs, by role, and the grid's symbols."""

from django import template
from django.urls import reverse

from consent import access as consent_access
from consent.rules import Status

register = template.Library()

# (label, URL name, roles that see the tab)
TABS = [
    ("Register", "consent_register", consent_access.REGISTER_READERS),
    ("Pupils", "consent_pupil_list", consent_access.REGISTER_READERS),
    ("Gaps", "consent_gaps", consent_access.REGISTER_READERS),
    ("Coming up", "consent_lapsing", consent_access.REGISTER_READERS),
    ("Bulk entry", "consent_bulk_entry", consent_access.REGISTER_WRITERS),
    ("Import pupils", "consent_import", consent_access.REGISTER_WRITERS),
    ("Look up", "consent_lookup", consent_access.LOOKUP_ROLES),
    ("Class sheet", "consent_class_sheet", consent_access.LOOKUP_ROLES),
    ("Counts", "consent_counts", consent_access.COUNT_READERS),
    ("Purposes", "consent_purpose_list", consent_access.LOOKUP_ROLES),
]


@register.inclusion_tag("consent/partials/nav.html", takes_context=True)
def consent_nav(context, active: str):
    """The register's tabs the person may open in the current school."""
    request = context["request"]
    roles = getattr(request, "roles", frozenset())
    tabs = [
        {"label": label, "url": reverse(name), "active": name == active}
        for label, name, allowed in TABS
        if roles & allowed
    ]
    return {"tabs": tabs}


@register.inclusion_tag("consent/partials/cell.html")
def consent_cell(cell, short: bool = False):
    """A grid cell: an icon *and* words (never colour alone). The grid itself writes the same
    markup inline (consent/register_grid.html): an inclusion tag per cell is slow for a class."""
    return {"cell": cell, "icon": cell.icon, "colour": cell.colour, "short": short}


@register.filter
def status_text(status) -> str:
    """ "Yes" or "No — withdrawn" for a Status (the lookup and exports)."""
    status = Status(status)
    if status == Status.ALLOWED:
        return "Yes"
    if status == Status.RESTRICTED:
        return "No — may not appear, speak to the DSL"
    return f"No — {status.label}"

"""The role-aware menu: each entry names the roles that may open it (None: any member)."""

from dataclasses import dataclass

from django.urls import reverse

from socialgov.people.roles import PEOPLE_MANAGERS, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset[str] | None = None


MENU: list[NavItem] = [
    NavItem("Dashboard", "dashboard", "speedometer2"),
    NavItem("My school", "school_current", "building"),
    NavItem("People", "people_list", "people", PEOPLE_MANAGERS),
    NavItem("Term dates", "term_list", "calendar3"),
    NavItem("Policies", "policy_list", "file-earmark-text"),
    NavItem("To sign", "to_sign_list", "pen"),
    # The same roles as socialgov.audit.access.ACCESS_LOG_ROLES (a test keeps them equal).
    NavItem("Access log", "access_log", "journal-text", frozenset({Role.HEADTEACHER, Role.DSL})),
]


def navigation_for(request) -> list[dict]:
    if getattr(request, "school", None) is None:
        return [
            {
                "label": "Dashboard",
                "url": reverse("dashboard"),
                "icon": "speedometer2",
                "active": request.resolver_match and request.resolver_match.url_name == "dashboard",
            }
        ]
    current = request.resolver_match.url_name if request.resolver_match else None
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": current == item.url_name,
        }
        for item in MENU
        if item.roles is None or request.roles & item.roles
    ]

"""The role-aware menu. Each app registers its entries in `AppConfig.ready()` (`MENU.register`);
the base layout shows the entries the person may open in the current school."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from socialgov.registry import Registry


@dataclass(frozen=True)
class NavItem:
    name: str  # stable key, e.g. "policies"
    label: str
    url_name: str
    icon: str  # a Bootstrap icon name
    # Roles in the current school that see the entry (None and no `show`: every member). The page
    # enforces its own rule in its view: the menu only saves people a click that would be refused.
    roles: frozenset[str] | None = None
    order: int = 100
    # Optional extra test, for entries that depend on more than school roles (trust roles).
    show: Callable[[object], bool] | None = None

    def visible(self, request) -> bool:
        """Every member sees an entry with neither `roles` nor `show`; otherwise holding one of
        the roles, or passing `show`, is enough."""
        if self.roles is None and self.show is None:
            return True
        holds_role = bool(self.roles and request.roles & self.roles)
        return holds_role or bool(self.show and self.show(request))


MENU: Registry[NavItem] = Registry("menu entry")


def navigation_for(request) -> list[dict]:
    """The menu for this request: without a current school (e.g. a trust executive who belongs
    to no school), the dashboard and the entries whose `show` test passes."""
    current = request.resolver_match.url_name if request.resolver_match else None
    if getattr(request, "school", None) is None:
        items = [
            item
            for item in MENU.entries()
            if item.url_name == "dashboard" or (item.show is not None and item.show(request))
        ]
    else:
        items = [item for item in MENU.entries() if item.visible(request)]
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": current == item.url_name,
        }
        for item in items
    ]

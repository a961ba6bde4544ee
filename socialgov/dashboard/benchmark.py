"""The benchmark's dashboard pages (socialgov.benchmark.registry), as a leader and as staff."""

from django.urls import reverse

from socialgov.benchmark.registry import PAGES, Page, PageKind
from socialgov.people.roles import Role

PAGES.register(
    Page(
        name="dashboard (headteacher)",
        path=lambda bench, school: reverse("dashboard"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.DASHBOARD,
        order=10,
    )
)
PAGES.register(
    Page(
        name="dashboard (staff)",
        path=lambda bench, school: reverse("dashboard"),
        as_role=Role.STAFF,
        kind=PageKind.DASHBOARD,
        order=11,
    )
)
PAGES.register(
    Page(
        name="dashboard (DSL)",
        path=lambda bench, school: reverse("dashboard"),
        as_role=Role.DSL,
        kind=PageKind.DASHBOARD,
        order=12,
    )
)
PAGES.register(
    Page(
        name="dashboard (governor)",
        path=lambda bench, school: reverse("dashboard"),
        as_role=Role.GOVERNOR,
        kind=PageKind.DASHBOARD,
        order=13,
    )
)

"""The core's extension points (socialgov.registry): menu, dashboard panels, demo seeders and
leaver listeners. Apps register; the core reads; nothing in the core names an app."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction

from socialgov.needs_me import PANELS, NeedsMe, Panel
from socialgov.people import services
from socialgov.people.leavers import LEAVER_LISTENERS, LeaverListener
from socialgov.people.roles import Role
from socialgov.registry import Registry
from tests.factories import MembershipFactory


@dataclass(frozen=True)
class Entry:
    name: str
    order: int = 100


def test_a_registry_keeps_entries_in_order_and_refuses_a_clash():
    registry = Registry("thing")
    registry.register(Entry("b", 2))
    registry.register(Entry("a", 2))
    registry.register(Entry("c", 1))
    registry.register(Entry("c", 1))  # the same entry again is harmless
    assert [e.name for e in registry.entries()] == ["c", "a", "b"]
    with pytest.raises(ValueError, match="thing 'c' is already registered"):
        registry.register(Entry("c", 5))


def test_only_and_added_restore_the_registry():
    registry = Registry("thing")
    registry.register(Entry("kept"))
    with registry.only(Entry("alone")):
        assert [e.name for e in registry.entries()] == ["alone"]
    with registry.added(Entry("extra")):
        assert {e.name for e in registry.entries()} == {"kept", "extra"}
    assert [e.name for e in registry.entries()] == ["kept"]


def test_the_core_names_no_feature_app():
    """The dependency direction (DESIGN §2): core modules never import a feature app."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "socialgov"
    apps = ("policies", "consent", "incidents", "accounts_registry")
    pattern = re.compile(r"^\s*(from|import)\s+({})\b".format("|".join(apps)), re.M)
    offenders = [
        str(path.relative_to(root.parent))
        for path in root.rglob("*.py")
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_the_dashboard_shows_every_school_of_a_person_grouped_by_school(
    client_for, school, sister_school, staff
):
    MembershipFactory(user=staff, school=sister_school, roles=[Role.STAFF])

    def waiting(membership):
        return [NeedsMe(2, f"2 things waiting at {membership.school.name}", "/somewhere/")]

    with PANELS.only(Panel("test.waiting", waiting)):
        page = client_for(staff).get("/").content.decode()
    assert "2 things waiting at Willow Bank Primary School" in page
    assert "2 things waiting at Elm Grove Academy" in page
    assert f'data-school="{school.pk}"' in page and f'data-school="{sister_school.pk}"' in page


def test_a_dashboard_with_nothing_waiting_says_so(client_for, staff):
    with PANELS.only():
        page = client_for(staff).get("/").content.decode()
    assert "Nothing needs you right now." in page


def test_alerts_come_first(client_for, staff):
    def items(membership):
        return [NeedsMe(1, "Plain item", "/a/"), NeedsMe(1, "Overdue item", "/b/", tone="alert")]

    with PANELS.only(Panel("test.items", items)):
        page = client_for(staff).get("/").content.decode()
    assert page.index("Overdue item") < page.index("Plain item")


@pytest.fixture
def changes():
    seen = []
    with LEAVER_LISTENERS.only(LeaverListener("test.record", seen.append)):
        yield seen


def test_leaving_tells_the_listeners_inside_the_transaction(changes, headteacher, dsl):
    membership = dsl.memberships.get()
    with transaction.atomic():
        services.membership_end(
            membership=membership, actor=headteacher, leaving_date=dt.date.today()
        )
        assert len(changes) == 1  # called before the commit, inside the change's transaction
    (change,) = changes
    assert change.membership == membership
    assert change.roles_removed == {Role.DSL}
    assert change.leaving_date == dt.date.today()
    assert change.actor == headteacher


def test_losing_a_role_tells_the_listeners(changes, headteacher, dsl):
    services.membership_update(
        membership=dsl.memberships.get(),
        actor=headteacher,
        roles=[Role.STAFF],
        staff_group="teacher",
    )
    (change,) = changes
    assert change.roles_removed == {Role.DSL} and change.leaving_date is None


def test_gaining_a_role_tells_nobody(changes, headteacher, staff):
    services.membership_update(
        membership=staff.memberships.get(),
        actor=headteacher,
        roles=[Role.STAFF, Role.DSL],
        staff_group="teacher",
    )
    assert changes == []


def test_a_failing_listener_rolls_the_change_back(headteacher, dsl):
    def refuse(change):
        raise RuntimeError("listener failed")

    membership = dsl.memberships.get()
    listener = LeaverListener("test.refuse", refuse)
    with LEAVER_LISTENERS.only(listener), pytest.raises(RuntimeError):
        services.membership_end(
            membership=membership, actor=headteacher, leaving_date=dt.date.today()
        )
    membership.refresh_from_db()
    assert membership.leaving_date is None


def test_seed_demo_runs_every_registered_seeder(db):
    from io import StringIO

    from django.core.management import call_command

    from socialgov.demo import DEMO_SEEDERS, DemoSeeder

    ran = []
    with DEMO_SEEDERS.only(DemoSeeder("test.seed", lambda: ran.append(1) or "Test demo added.")):
        out = StringIO()
        call_command("seed_demo", stdout=out)
    assert ran == [1]
    assert "Test demo added." in out.getvalue()

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socialgov.people"
    label = "people"
    verbose_name = "Schools and people"

    def ready(self) -> None:
        from socialgov import lookups
        from socialgov.audit.registry import register_gateway
        from socialgov.navigation import MENU, NavItem
        from socialgov.needs_me import PANELS, Panel
        from socialgov.people.access import membership_visible_to, school_visible_to
        from socialgov.people.models import Membership, School
        from socialgov.people.needs_me import join_invitations
        from socialgov.people.roles import PEOPLE_MANAGERS

        lookups.register()
        # Reads of a person's record may be logged (socialgov.audit): the log shows them to those
        # who may see the record.
        register_gateway(Membership, membership_visible_to)
        # Exports of a school's people list are logged against the school.
        register_gateway(School, school_visible_to)

        PANELS.register(Panel("people.join_invitations", join_invitations, order=5))

        MENU.register(NavItem("dashboard", "Dashboard", "dashboard", "speedometer2", order=0))
        MENU.register(NavItem("my_school", "My school", "school_current", "building", order=10))
        MENU.register(
            NavItem("people", "People", "people_list", "people", PEOPLE_MANAGERS, order=20)
        )

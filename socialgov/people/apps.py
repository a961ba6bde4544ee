from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socialgov.people"
    label = "people"
    verbose_name = "Schools and people"

    def ready(self) -> None:
        from socialgov.navigation import MENU, NavItem
        from socialgov.people.roles import PEOPLE_MANAGERS

        MENU.register(NavItem("dashboard", "Dashboard", "dashboard", "speedometer2", order=0))
        MENU.register(NavItem("my_school", "My school", "school_current", "building", order=10))
        MENU.register(
            NavItem("people", "People", "people_list", "people", PEOPLE_MANAGERS, order=20)
        )

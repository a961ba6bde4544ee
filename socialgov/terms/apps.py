from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "socialgov.terms"
    label = "terms"
    verbose_name = "Term dates"

    def ready(self) -> None:
        from socialgov.navigation import MENU, NavItem

        MENU.register(NavItem("term_dates", "Term dates", "term_list", "calendar3", order=30))

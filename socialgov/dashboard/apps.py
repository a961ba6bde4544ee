from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "socialgov.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

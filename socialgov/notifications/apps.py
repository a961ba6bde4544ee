from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "socialgov.notifications"
    label = "notifications"

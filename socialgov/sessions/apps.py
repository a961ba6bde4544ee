from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "socialgov.sessions"
    label = "socialgov_sessions"
    verbose_name = "Sign-in sessions"

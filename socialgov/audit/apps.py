from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socialgov.audit"
    label = "audit"

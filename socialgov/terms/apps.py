from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "socialgov.terms"
    label = "terms"
    verbose_name = "Term dates"

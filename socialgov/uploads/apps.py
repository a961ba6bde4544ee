from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "socialgov.uploads"
    label = "uploads"

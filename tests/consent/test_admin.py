"""DESIGN §3: Django admin never shows consent evidence (nor anything else of the register)."""

from django.apps import apps
from django.contrib import admin


def test_no_consent_model_is_in_the_django_admin():
    registered = [
        model._meta.label for model in admin.site._registry if model._meta.app_label == "consent"
    ]
    assert registered == []
    assert apps.get_app_config("consent").get_models()  # the check would see them if registered


def test_stored_files_are_not_in_the_admin_either():
    from socialgov.uploads.models import StoredFile

    assert StoredFile not in admin.site._registry

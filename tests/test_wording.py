"""One wording everywhere (issue 9, item 11): a date that cannot be read gets the same message on
every form of every app, and it shows an example of the format to type."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from socialgov.dates import DATE_MESSAGE

pytestmark = pytest.mark.django_db


def _project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's own code (each app's modules imported)."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(root):
            continue
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            if "forms" in info.name.rsplit(".", 1)[-1]:
                importlib.import_module(info.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        source = Path(getattr(importlib.import_module(cls.__module__), "__file__", None) or "/")
        if source.resolve().is_relative_to(root) and ".venv" not in source.parts:
            found.append(cls)
    return found


def _date_fields(form_class) -> list[tuple[str, forms.DateField]]:
    fields = getattr(form_class, "base_fields", {})
    return [(name, f) for name, f in fields.items() if isinstance(f, forms.DateField)]


def test_the_message_shows_the_format():
    assert DATE_MESSAGE == "Enter a date like 01/09/2026."


def test_every_date_field_of_every_form_has_the_one_message():
    checked, wrong = 0, []
    for form_class in _project_form_classes():
        for name, field in _date_fields(form_class):
            checked += 1
            if field.error_messages["invalid"] != DATE_MESSAGE:
                wrong.append(
                    f"{form_class.__module__}.{form_class.__name__}.{name}: "
                    f"{field.error_messages['invalid']!r}"
                )
    assert checked > 20  # the scan finds the apps' forms
    assert wrong == []


@pytest.mark.parametrize("typed", ["31/02/2026", "next week", "2026-13-45"])
def test_a_date_that_cannot_be_read_gets_the_message(typed):
    from policies.forms import RatificationForm

    form = RatificationForm(data={"meeting_date": typed, "minute_reference": "12"})
    assert not form.is_valid()
    assert form.errors["meeting_date"] == [DATE_MESSAGE]


def test_term_dates_use_it_too():
    from socialgov.terms.forms import TermYearForm

    form = TermYearForm(data={"autumn_starts_on": "31/02/2026"}, academic_year=2026)
    assert not form.is_valid()
    assert form.errors["autumn_starts_on"] == [DATE_MESSAGE]

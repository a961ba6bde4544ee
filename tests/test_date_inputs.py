"""Every browser date picker on every form of every app: `<input type="date">` is filled with
yyyy-mm-dd (a browser shows the UK dd/mm/yyyy as a blank box) and its field reads both the ISO
date a picker submits and dd/mm/yyyy typed where a browser has no picker."""

import datetime as dt

import pytest
from django import forms

from socialgov.dates import DatePickerInput
from tests.test_wording import _date_fields, _project_form_classes

pytestmark = pytest.mark.django_db


def _is_date_picker(widget: forms.Widget) -> bool:
    return getattr(widget, "input_type", None) == "date" or widget.attrs.get("type") == "date"


def test_every_date_picker_of_every_form_is_filled_in_iso_and_reads_iso_and_uk_dates():
    checked, wrong = [], []
    for form_class in _project_form_classes():
        for name, field in _date_fields(form_class):
            if not _is_date_picker(field.widget):
                continue
            where = f"{form_class.__module__}.{form_class.__name__}.{name}"
            checked.append(where)
            if not isinstance(field.widget, DatePickerInput):
                wrong.append(f"{where}: not socialgov.dates.DatePickerInput")
            html = field.widget.render(name, dt.date(2026, 3, 1))
            if 'value="2026-03-01"' not in html:
                wrong.append(f"{where}: renders {html}")
            for typed in ("2026-03-01", "01/03/2026"):
                try:
                    assert field.clean(typed) == dt.date(2026, 3, 1)
                except (forms.ValidationError, AssertionError):
                    wrong.append(f"{where}: does not read {typed}")
    # The governors' report's and the trust roll-up's period (the scan finds them).
    assert "socialgov.reports.period.PeriodForm.starts_on" in checked
    assert "socialgov.reports.period.RollupPeriodForm.ends_on" in checked
    assert wrong == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2026, 3, 1), "2026-03-01"),
        (dt.datetime(2026, 3, 1, 23, 30), "2026-03-01"),
        ("2026-03-01", "2026-03-01"),
        ("01/03/2026", "2026-03-01"),
        (" 1/3/2026 ", "2026-03-01"),
        ("31/02/2026", "31/02/2026"),  # cannot be read: back as typed, beside the message
        (None, None),
    ],
)
def test_the_date_picker_shows_a_date_or_a_uk_date_in_iso(value, shown):
    assert DatePickerInput().format_value(value) == shown

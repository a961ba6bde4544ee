from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms

from socialgov.dates import DATE_MESSAGE
from socialgov.terms.models import Term, academic_year_label
from socialgov.terms.services import TermDates, field_name, term_dates_problems

UK_DATE = "%d/%m/%Y"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=[UK_DATE, "%Y-%m-%d"],
        widget=forms.DateInput(
            format=UK_DATE,
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": DATE_MESSAGE,
        },
    )


class TermYearForm(forms.Form):
    """The three terms of one academic year: first and last day of each, as dd/mm/yyyy."""

    def __init__(self, *args, academic_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.academic_year = academic_year
        fieldsets = []
        for term in Term:
            starts, ends = field_name(term, "starts_on"), field_name(term, "ends_on")
            self.fields[starts] = _date_field(f"First day of the {term.label.lower()}")
            self.fields[ends] = _date_field(f"Last day of the {term.label.lower()}")
            fieldsets.append(
                Fieldset(
                    f"{term.label} {academic_year_label(academic_year)}",
                    Row(Column(starts, css_class="col-sm-6"), Column(ends, css_class="col-sm-6")),
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template has its own csrf_token
        self.helper.layout = Layout(*fieldsets)

    def term_dates(self) -> TermDates:
        """The terms whose two dates are both valid."""
        dates = {}
        for term in Term.values:
            starts_on = self.cleaned_data.get(field_name(term, "starts_on"))
            ends_on = self.cleaned_data.get(field_name(term, "ends_on"))
            if starts_on and ends_on:
                dates[term] = (starts_on, ends_on)
        return dates

    def clean(self):
        cleaned = super().clean()
        problems = term_dates_problems(
            academic_year=self.academic_year, dates=self.term_dates(), require_all=False
        )
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned

from django import forms

from socialgov.people.models import User

UK_DATE_HELP = "For example, 27/03/2025"


class UKDateField(forms.DateField):
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", UK_DATE_HELP)
        kwargs.setdefault("error_messages", {"invalid": "Enter a real date, like 27/03/2025."})
        super().__init__(**kwargs)


class AccessLogFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Everyone"
    )
    date_from = UKDateField(label="From", required=False)
    date_to = UKDateField(label="To", required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone who has worked at the school, leavers too: they may have read records.
        self.fields["person"].queryset = (
            User.objects.filter(memberships__school=school).distinct().order_by("full_name")
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The “To” date must be on or after the “From” date.")
        return cleaned

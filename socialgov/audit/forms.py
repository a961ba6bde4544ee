from django import forms

from socialgov.dates import DATE_MESSAGE
from socialgov.people.models import User

UK_DATE_HELP = "For example, 27/03/2025"


class UKDateField(forms.DateField):
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", UK_DATE_HELP)
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE})
        super().__init__(**kwargs)


class AccessLogFilterForm(forms.Form):
    # A search, not a list of everyone who ever worked at the school (hundreds of names, leavers
    # too, rendered on every visit).
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=User._meta.get_field("email").max_length,
        help_text="Part of a name or e-mail address",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    date_from = UKDateField(label="From", required=False)
    date_to = UKDateField(label="To", required=False)

    def clean_person(self) -> str:
        return " ".join(self.cleaned_data["person"].replace("\x00", "").split())

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The “To” date must be on or after the “From” date.")
        return cleaned

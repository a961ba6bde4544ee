from django import forms

from socialgov.twofactor.models import TwoFactorReset
from socialgov.twofactor.services import is_authenticator_code, normalise_code


class CodeForm(forms.Form):
    """A code from the authenticator app, or (when `allow_backup`) one of the backup codes."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, allow_backup: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if allow_backup:
            # The verify page is only this question; elsewhere the field follows instructions
            # that a screen reader would skip if focus jumped to it.
            field.widget.attrs["autofocus"] = True
            field.help_text = (
                "The 6-digit code your authenticator app shows now, or one of your backup codes."
            )
        else:
            field.label = "6-digit code"
            field.help_text = "The code your authenticator app shows now."
            field.widget.attrs["inputmode"] = "numeric"
        self.allow_backup = allow_backup

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Enter a code.")
        if not self.allow_backup and not is_authenticator_code(code):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")
        return code


class ResetForm(forms.ModelForm):
    class Meta:
        model = TwoFactorReset
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        labels = {"reason": "Reason for the reset"}

"""Forms for signing and checking signatures: they validate and normalise; services write."""

import re

from django import forms

from policies.services.versions import AGREEMENT_STATEMENT

CODE_ALPHABET = re.compile(r"^[A-HJ-NP-Z2-9]{16}$")


def normalise_code(code: str) -> str:
    """A verification code as typed ("k7qx-ab2c …") in its stored form ("K7QXAB2C…")."""
    return re.sub(r"[\s-]+", "", code or "").upper()


class SignatureForm(forms.Form):
    agreed = forms.BooleanField(
        label=AGREEMENT_STATEMENT,
        required=True,
        error_messages={"required": "Tick the box to confirm you agree."},
    )
    typed_name = forms.CharField(
        label="Type your full name",
        max_length=150,
        help_text="As it is recorded in SocialGov. Capital letters do not matter.",
        error_messages={"required": "Type your full name to sign."},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=40,
        help_text="The 16 letters and numbers on the signed PDF, for example K7QX-AB2C-DE3F-GH4J.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not CODE_ALPHABET.match(code):
            raise forms.ValidationError(
                "A verification code has 16 letters and numbers, like K7QX-AB2C-DE3F-GH4J."
            )
        return code


SHOW_CHOICES = [("all", "Everyone"), ("unsigned", "Not signed"), ("signed", "Signed")]


class CoverageFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)

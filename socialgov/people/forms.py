from django import forms
from django.contrib.auth.forms import AuthenticationForm

from socialgov.people.models import School


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": (
            "That e-mail address and password do not match an account with current access. "
            "Check them and try again; if you have left the school, your access has ended."
        ),
        "inactive": "This account is switched off. Ask your school office.",
    }


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "urn",
            "address",
            "email_domains",
            "pupil_competence_age",
            "require_two_factor_for_all",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "email_domains": forms.Textarea(attrs={"rows": 3}),
        }


class SchoolSwitchForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

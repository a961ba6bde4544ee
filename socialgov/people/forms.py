from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse

from socialgov.dates import today
from socialgov.people.models import Membership, School, User
from socialgov.people.roles import Role, StaffGroup
from socialgov.uploads.forms import PrivateFileField, link_current_file


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


# A logo is drawn small (page header, PDFs): stored at most this many pixels a side.
LOGO_MAX_SIDE = 800


class SchoolForm(forms.ModelForm):
    # Checked by content, metadata stripped, stored under a random name (socialgov.uploads).
    logo = PrivateFileField(
        allowed={"png", "jpeg"},
        max_side=LOGO_MAX_SIDE,
        required=False,
        help_text="PNG or JPEG, shown on the school's page and on PDFs.",
    )

    class Meta:
        model = School
        fields = [
            "name",
            "urn",
            "address",
            "logo",
            "email_domains",
            "pupil_competence_age",
            "require_two_factor_for_all",
            "policy_author_cannot_approve",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "email_domains": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            link_current_file(self, "logo", reverse("school_logo", args=[self.instance.pk]))

    def clean_logo(self):
        # "Clear" comes back as False; the model field stores no file as "".
        logo = self.cleaned_data.get("logo")
        return "" if logo is False else logo


class PeopleFilterForm(forms.Form):
    """The people list's search and filters (GET): every field optional, a bad value ignored."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=User._meta.get_field("email").max_length,
        help_text="Part of a name or e-mail address",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    staff_group = forms.ChoiceField(
        label="Staff group", required=False, choices=[("", "Any group"), *StaffGroup.choices]
    )
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    leavers = forms.BooleanField(label="Include leavers", required=False)

    def filters(self) -> dict:
        """The valid filters, for `selectors.people_of_school` (an invalid field is left out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "include_leavers": bool(cleaned.get("leavers")),
            "search": " ".join((cleaned.get("q") or "").replace("\x00", "").split()),
            "staff_group": cleaned.get("staff_group") or "",
            "role": cleaned.get("role") or "",
        }


class SchoolSwitchForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


DATE_HELP = "Day/month/year, for example 01/09/2026."
OFFICE_ROLES_HELP = (
    "Office staff can give the Staff and Governor roles; only the headteacher can give the others."
)


def _uk_date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
        help_text=DATE_HELP,
        error_messages={"invalid": "Enter a date like 01/09/2026."},
        **kwargs,
    )


def _roles_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role."},
    )


def _staff_group_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Staff group",
        choices=[("", "Choose a staff group")] + list(StaffGroup.choices),
        error_messages={"required": "Choose a staff group."},
    )


class MembershipInviteForm(forms.Form):
    """Invite a person (membership_invite decides who may give which role)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=User._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="Their school e-mail address. The invitation goes here.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    staff_group = _staff_group_field()
    job_title = forms.CharField(
        label="Job title",
        required=False,
        max_length=Membership._meta.get_field("job_title").max_length,
    )
    roles = _roles_field()
    start_date = _uk_date_field("Start date", initial=today)

    def __init__(self, *args, can_grant_privileged: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_grant_privileged:
            self.fields["roles"].help_text = OFFICE_ROLES_HELP


class MembershipEditForm(forms.Form):
    roles = _roles_field()
    staff_group = _staff_group_field()
    job_title = forms.CharField(
        label="Job title",
        required=False,
        max_length=Membership._meta.get_field("job_title").max_length,
    )

    def __init__(self, *args, membership: Membership, can_grant_privileged: bool, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "roles": sorted(membership.role_names),
                "staff_group": membership.staff_group,
                "job_title": membership.job_title,
            },
        )
        super().__init__(*args, **kwargs)
        if not can_grant_privileged:
            self.fields["roles"].help_text = OFFICE_ROLES_HELP


class MembershipLeaveForm(forms.Form):
    leaving_date = _uk_date_field("Leaving date", initial=today)
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=Membership._meta.get_field("leaving_reason").max_length,
        help_text="For example: retired, moved to another school, end of contract.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaving_date"].help_text = (
            f"{DATE_HELP} Their access ends at the start of this day; a date in the future "
            "schedules it."
        )


class StaffImportForm(forms.Form):
    csv_file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: name, email, staff group, roles (separated by ;), and optionally job "
            "title and start date (dd/mm/yyyy). Up to 2,000 people and 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_csv_file(self) -> bytes:
        from socialgov.people.staff_import import MAX_BYTES

        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB. Split it into smaller files."
            )
        return upload.read()


class StaffImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

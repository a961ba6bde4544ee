"""Forms of official accounts. They validate and normalise; the services decide and record."""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    AccountStatus,
    Audience,
    MemberRole,
    OfficialAccount,
    Platform,
    TakedownOutcome,
    VettingDecision,
)
from accounts_registry.services.common import looks_like_password
from consent.forms import UKDateField
from incidents.reports import selectors as incident_selectors
from socialgov.people.models import User
from socialgov.uploads.forms import PrivateFileField
from socialgov.uploads.inspection import IMAGE_KINDS


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template has its own csrf_token
    return helper


def staff_choices(school):
    """Current members of staff of the school, by name."""
    from socialgov.people.models import Membership

    ids = (
        Membership.objects.current()
        .filter(school=school, roles__role__in=accounts_access.STAFF_ROLES)
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids).order_by("full_name", "pk")


def pupil_choices(user, school):
    """Pupils on the roll today that the person may look up (names and classes only)."""
    from django.db.models import Q

    from consent.access import pupil_lookup_visible_to

    today = timezone.localdate()
    return (
        pupil_lookup_visible_to(user)
        .filter(school=school)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=today))
        .order_by("registration_group", "legal_surname", "legal_forename", "pk")
    )


class PupilField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        group = f" ({obj.registration_group})" if obj.registration_group else ""
        return f"{obj.display_name}{group}"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class AccountRequestForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    platform = forms.ChoiceField(choices=[("", "Choose…"), *Platform.choices])
    proposed_name = forms.CharField(label="Proposed name or handle", max_length=200)
    team = forms.CharField(label="Team and department", max_length=200)
    moderator = PersonField(queryset=User.objects.none(), empty_label="Choose…")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    consent_purpose = forms.ModelChoiceField(
        label="Image consent purpose",
        queryset=None,
        empty_label="Choose…",
        help_text="Pupils shown in posts are checked against this purpose of the consent register.",
    )
    aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    proposed_content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.MultipleChoiceField(
        label="Audience and contributors",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    pupil_ages = forms.CharField(
        label="Ages of the pupils involved", max_length=200, required=False
    )
    audience_other = forms.CharField(label="Other audience", max_length=200, required=False)
    administrators = PeopleField(
        queryset=User.objects.none(),
        help_text="At least two members of staff of the school. Hold Ctrl (or ⌘) to choose more "
        "than one.",
    )
    external_vetting = forms.CharField(
        label="Who vets external contributors",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    host = forms.CharField(max_length=200)
    go_live_on = UKDateField(label="Proposed go-live date")
    contributor_recruitment = forms.CharField(
        label="How contributors are recruited",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    parental_consent = forms.CharField(
        label="How parental consent is obtained when pupils contribute",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    security_measures = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    risk_assessment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        from consent.models import Purpose

        self.initial.setdefault("submission_key", uuid.uuid4())
        people = staff_choices(school)
        self.fields["moderator"].queryset = people
        self.fields["administrators"].queryset = people
        self.fields["consent_purpose"].queryset = Purpose.objects.filter(
            school=school, is_active=True
        ).order_by("order", "name")
        social = next(
            (p for p in self.fields["consent_purpose"].queryset if p.kind == "social_media"), None
        )
        if social is not None:
            self.initial.setdefault("consent_purpose", social.pk)
        self.helper = _helper()

    def clean_administrators(self):
        admins = self.cleaned_data["administrators"]
        if len(admins) < 2:
            raise forms.ValidationError("Name at least two administrators (members of staff).")
        return admins

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["administrators"] = list(data["administrators"])
        data["submission_key"] = str(data.get("submission_key") or "")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason or note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when you reject; the requester sees it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Write the reason for the rejection.")
        return data


class AccountForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = OfficialAccount
        fields = [
            "name",
            "url",
            "purpose",
            "status",
            "registered_email",
            "linked_from_website",
            "two_factor_on",
            "credentials_kept",
            "moderator",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "credentials_kept": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"] = PersonField(
            queryset=staff_choices(self.instance.school), required=False, empty_label="None"
        )
        self.fields["status"].choices = AccountStatus.choices
        self.helper = _helper()

    def clean_credentials_kept(self):
        value = self.cleaned_data["credentials_kept"]
        if looks_like_password(value):
            raise forms.ValidationError(
                "This looks like a password. Say only where the sign-in details are kept (for "
                "example “the school's password manager”), never the password itself."
            )
        return value

    def clean_registered_email(self):
        value = self.cleaned_data["registered_email"]
        school = self.instance.school
        if value and school.is_outside_domains(value):
            raise forms.ValidationError(
                f"Use a school e-mail address (on {', '.join(school.domains)}), not a personal one."
            )
        return value


class MemberForm(forms.Form):
    user = PersonField(label="Member of staff", queryset=User.objects.none(), empty_label="Choose…")
    role = forms.ChoiceField(choices=MemberRole.choices, widget=forms.RadioSelect)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_choices(school)
        self.helper = _helper()


class ReviewForm(forms.Form):
    administrators_confirmed = forms.BooleanField(
        label="The administrators are still the right people", required=False
    )
    two_factor_confirmed = forms.BooleanField(
        label="Two-factor sign-in is on for the account", required=False
    )
    moderation_confirmed = forms.BooleanField(
        label="Comments are moderated as agreed", required=False
    )
    still_needed = forms.BooleanField(label="The account is still needed", required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when anything above is not confirmed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PostForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Images, no names: never a pupil's first name and surname beside their image.",
    )
    planned_on = UKDateField(label="Planned date")
    pupils = PupilField(
        label="Pupils shown",
        queryset=None,
        required=False,
        help_text="Everyone who can be recognised in the images. Hold Ctrl (or ⌘) to choose more "
        "than one.",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    image = PrivateFileField(label="Image", allowed=IMAGE_KINDS, required=False)
    image_description = forms.CharField(
        label="What the image shows", max_length=200, required=False, help_text="A general label."
    )

    def __init__(self, *args, user, account, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.initial.setdefault("submission_key", uuid.uuid4())
            self.initial.setdefault("planned_on", timezone.localdate())
        else:
            del self.fields["submission_key"]
        self.fields["pupils"].queryset = pupil_choices(user, account.school)
        self.helper = _helper()


class PostActionForm(forms.Form):
    """The fields a step may need: a reason, the names acknowledgement, the published URL."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    acknowledge_names = forms.BooleanField(
        label="I have checked the text: naming these pupils beside their image is right",
        required=False,
    )
    published_url = forms.CharField(label="Published at (URL)", max_length=500, required=False)
    published_on = UKDateField(label="Published on", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("published_on", timezone.localdate())
        self.helper = _helper()


class TakedownCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was done", choices=TakedownOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when it could not be removed: why, and what happens next.",
    )
    done_on = UKDateField(label="When")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("done_on", timezone.localdate())
        self.helper = _helper()


class CommentLogForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=OfficialAccount.objects.none(),
        required=False,
        empty_label="About the school, elsewhere",
    )
    seen_on = UKDateField(label="Seen on")
    where = forms.CharField(label="Where (the post or page)", max_length=300, required=False)
    what = forms.CharField(
        label="What was said (a summary)", widget=forms.Textarea(attrs={"rows": 3})
    )
    action_taken = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    report_as = forms.ChoiceField(
        label="Also report it as an online-safety incident",
        required=False,
        help_text="It goes to the incidents' handlers like any other report, linked to this entry.",
    )
    severity = forms.ChoiceField(
        label="How serious (for the incident)", required=False, widget=forms.RadioSelect
    )
    incident_reference = forms.CharField(
        label="Or: the reference of an incident already reported",
        max_length=20,
        required=False,
        help_text="For example INC-2026-0042.",
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = OfficialAccount.objects.filter(school=school)
        self.fields["report_as"].choices = [
            ("", "No, not as an incident"),
            *incident_selectors.online_comment_category_choices(),
        ]
        self.fields["severity"].choices = incident_selectors.severity_choices()
        self.initial.setdefault("seen_on", timezone.localdate())
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("report_as") and not data.get("severity"):
            self.add_error("severity", "Choose how serious it is.")
        return data


class FollowerVettingForm(forms.Form):
    requester = forms.CharField(label="Who asked to follow or befriend", max_length=200)
    requested_on = UKDateField(label="Asked on")
    decision = forms.ChoiceField(choices=VettingDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("requested_on", timezone.localdate())
        self.helper = _helper()

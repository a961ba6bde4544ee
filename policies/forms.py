"""Forms for managing policies: they validate and normalise; services do the writing."""

from django import forms

from policies.models import (
    SIGNER_GROUP_CHOICES,
    SIGNER_ROLE_CHOICES,
    ChangeSize,
    Policy,
    PolicyKind,
    ReviewCycle,
)
from socialgov.dates import DATE_MESSAGE
from socialgov.people.models import Membership, User

UK_DATE_FORMATS = ["%d/%m/%Y"]
UK_DATE_HELP = "For example 31/08/2027."


class UKDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", UK_DATE_FORMATS)
        kwargs.setdefault("help_text", UK_DATE_HELP)
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE})
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y"))
        super().__init__(**kwargs)


class PolicyForm(forms.Form):
    kind = forms.ChoiceField(choices=PolicyKind.choices)
    title = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), help_text="A current member of the school."
    )
    review_cycle_months = forms.TypedChoiceField(
        label="Review cycle", choices=ReviewCycle.choices, coerce=int
    )
    statutory = forms.BooleanField(required=False, label="Statutory policy")
    next_review_on = UKDateField(label="Next review date", required=False)
    signer_groups = forms.MultipleChoiceField(
        label="Staff groups who must sign",
        choices=SIGNER_GROUP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signer_roles = forms.MultipleChoiceField(
        label="Roles whose holders must sign",
        choices=SIGNER_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    related = forms.ModelMultipleChoiceField(
        label="Related policies",
        queryset=Policy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, policy: Policy | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.current().filter(school=school).values("user_id")
        self.fields["owner"].queryset = User.objects.filter(pk__in=members).order_by("full_name")
        self.fields["owner"].label_from_instance = lambda user: user.full_name or user.email
        related = Policy.objects.filter(school=school).order_by("title")
        if policy is not None:
            related = related.exclude(pk=policy.pk)
        self.fields["related"].queryset = related

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the policy a title.")
        return title

    @staticmethod
    def initial_for(policy: Policy) -> dict:
        return {
            "kind": policy.kind,
            "title": policy.title,
            "owner": policy.owner_id,
            "review_cycle_months": policy.review_cycle_months,
            "statutory": policy.statutory,
            "next_review_on": policy.next_review_on,
            "signer_groups": policy.signer_groups,
            "signer_roles": policy.signer_roles,
            "related": [p.pk for p in policy.related.all()],
        }


class ChangeFields(forms.Form):
    change = forms.ChoiceField(
        label="Size of the change",
        choices=ChangeSize.choices,
        initial=ChangeSize.MAJOR,
        widget=forms.RadioSelect,
        help_text="A major change means everyone who must sign the policy signs it again.",
    )
    change_summary = forms.CharField(
        label="What changed and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VersionStartForm(ChangeFields):
    copy_published = forms.BooleanField(
        label="Start from the text of the published version",
        required=False,
        initial=True,
    )


class VersionEditForm(ChangeFields):
    body_markdown = forms.CharField(
        label="Policy text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "class": "font-monospace"}),
        help_text=(
            "Markdown: # for a heading, a blank line between paragraphs, 1. or - for lists. "
            "Pictures, scripts and styles are removed."
        ),
    )
    confirm_removal = forms.BooleanField(
        label="Yes, remove those words", required=False, widget=forms.CheckboxInput
    )
    field_order = ["body_markdown", "change", "change_summary", "confirm_removal"]


class VersionReturnForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The author and the policy's owner are told, with these words.",
        error_messages={"required": "Say what needs to change before sending it back."},
    )


class RatificationForm(forms.Form):
    meeting_date = UKDateField(
        label="Date of the governing board meeting",
        error_messages={
            "required": "Enter the date of the meeting.",
            "invalid": DATE_MESSAGE,
        },
    )
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=100,
        error_messages={"required": "Enter the minute reference."},
    )

    def clean_minute_reference(self):
        reference = self.cleaned_data["minute_reference"].strip()
        if not reference:
            raise forms.ValidationError("Enter the minute reference.")
        return reference


class RatificationCorrectForm(RatificationForm):
    """A new record that supersedes a wrong one; `ratification` is the record being corrected, so
    a second post of the same correction is recognised."""

    ratification = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="What was wrong with the record",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what was wrong with the record."},
    )


class RedlineForm(forms.Form):
    """Two versions of one policy, chosen from those the person may read."""

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (v.pk, f"Version {v.number} ({v.get_status_display().lower()})") for v in versions
        ]
        select = forms.Select(attrs={"class": "form-select"})
        self.fields["from"] = forms.TypedChoiceField(
            label="Compare version", choices=choices, coerce=int, widget=select
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="with version", choices=choices, coerce=int, widget=select
        )
        if len(versions) > 1:  # newest first: the one before the newest, with the newest
            self.fields["from"].initial = versions[1].pk
            self.fields["to"].initial = versions[0].pk

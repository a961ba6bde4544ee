"""Forms for Word import, templates and reviews. They validate and normalise; services save."""

from django import forms

from policies.models import (
    SIGNER_GROUP_CHOICES,
    SIGNER_ROLE_CHOICES,
    ChangeSize,
    PolicyTemplate,
    ReviewOutcome,
)
from socialgov.dates import DATE_MESSAGE
from socialgov.uploads.forms import PrivateFileField


class UKDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (settings.DATE_INPUT_FORMATS) and shown the same way."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y"))
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE})
        super().__init__(**kwargs)


class DocxImportForm(forms.Form):
    document = PrivateFileField(
        allowed={"docx"},
        label="Word document",
        help_text=(
            "A Word document (.docx). Headings, numbered and bulleted lists and tables are "
            "kept; pictures, colours and fonts are not."
        ),
    )
    change = forms.ChoiceField(
        choices=ChangeSize.choices,
        initial=ChangeSize.MAJOR,
        label="Size of the change",
        help_text="Only used when the policy already has a published version.",
    )
    change_summary = forms.CharField(
        required=False, label="What changed (optional)", widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateForm(forms.ModelForm):
    signer_groups = forms.MultipleChoiceField(
        choices=SIGNER_GROUP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Staff groups who must sign",
    )
    signer_roles = forms.MultipleChoiceField(
        choices=SIGNER_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles whose holders must sign",
    )

    class Meta:
        model = PolicyTemplate
        fields = [
            "trust",
            "title",
            "kind",
            "issuer",
            "body_markdown",
            "review_cycle_months",
            "statutory",
            "signer_groups",
            "signer_roles",
            "is_published",
        ]
        labels = {
            "body_markdown": "Text (Markdown)",
            "is_published": "Published: schools can see and adopt it",
            "review_cycle_months": "Review cycle",
        }
        help_texts = {
            "body_markdown": (
                "Placeholders filled in when a school adopts the template: {{ school_name }}, "
                "{{ headteacher }}, {{ dsl }}, {{ deputy_dsls }}, {{ official_channels }}, "
                "{{ review_date }}."
            ),
        }
        widgets = {"body_markdown": forms.Textarea(attrs={"rows": 20})}

    def __init__(self, *args, trusts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts
        self.fields["trust"].required = True
        self.fields["trust"].empty_label = None
        self.fields["trust"].help_text = ""

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("trust")
        return data


class TemplateAdoptForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=None, label="Policy owner", help_text="Who looks after the policy and its reviews."
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.full_name


class ReviewForm(forms.Form):
    reviewed_on = UKDateField(label="Date of the review", help_text="For example 14/09/2026.")
    reviewers = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Reviewers"
    )
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_review_on = UKDateField(
        required=False,
        label="Next review date (optional)",
        help_text="Leave empty to use the policy's review cycle from the date of the review.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = members
        self.fields["reviewers"].label_from_instance = lambda user: user.full_name


class ReviewWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this review being withdrawn?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: recorded against the wrong policy, or recorded twice.",
        error_messages={"required": "Say why the review is being withdrawn."},
    )


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why should the policy be reviewed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: what happened, or what has changed since the last review.",
    )

"""Forms for incident reports: they validate and normalise, the services write. Dates are typed
as dd/mm/yyyy and times as HH:MM, in UK time."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.utils import timezone

from incidents.reports.models import (
    ActionType,
    Category,
    EntryKind,
    OutsiderRelationship,
    PersonKind,
    PersonRole,
    SafeguardingKind,
    Severity,
    Status,
)
from incidents.reports.selectors import LIST_FILTERS, pupils_to_name, school_people
from incidents.reports.services import PersonNamed
from incidents.reports.services.common import NO_IMAGERY_MESSAGE
from socialgov.uploads.forms import PrivateFileField

DATE_MESSAGE = "Enter a date like 01/09/2026."
TIME_MESSAGE = "Enter a time like 14:30."
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg", "docx"})
MAX_EVIDENCE_FILES = 10


class UKDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        kwargs.setdefault("help_text", "For example 01/09/2026.")
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE, "required": DATE_MESSAGE})
        kwargs.setdefault(
            "widget", forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"})
        )
        super().__init__(**kwargs)


class UKTimeField(forms.TimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%H:%M"])
        kwargs.setdefault("help_text", "24-hour clock, for example 14:30.")
        kwargs.setdefault("error_messages", {"invalid": TIME_MESSAGE, "required": TIME_MESSAGE})
        kwargs.setdefault("widget", forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)


def london(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """A date and time typed in UK time, as an aware datetime (no time: midday)."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(12, 0)))


def _people_field(school, *, label: str, required: bool = True, include_leavers=False):
    field = forms.ModelChoiceField(
        queryset=school_people(school, include_leavers=include_leavers),
        label=label,
        required=required,
    )
    field.label_from_instance = lambda user: user.full_name or user.email
    return field


def _choices(enum, *, blank: str | None = None):
    choices = list(enum.choices)
    return ([("", blank)] + choices) if blank is not None else choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(PrivateFileField):
    """Several evidence files in one field, each checked like any upload."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_EVIDENCE_FILES} files.")
        return [super(EvidenceFilesField, self).clean(f, initial) for f in files]


class IncidentReportForm(forms.Form):
    category = forms.ChoiceField(
        label="What kind of incident is it?",
        choices=_choices(Category, blank="Choose one"),
        error_messages={"required": "Choose what kind of incident it is."},
    )
    safeguarding_kind = forms.ChoiceField(
        label="If it is a safeguarding disclosure: what kind?",
        choices=_choices(SafeguardingKind, blank="Not a safeguarding disclosure"),
        required=False,
    )
    occurred_on = UKDateField(label="Date it happened")
    occurred_time = UKTimeField(label="Time it happened (if known)", required=False)
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facts only: what you saw or were told, in the words used. Write down what a "
        "child said exactly; do not ask leading questions.",
        error_messages={"required": "Describe what happened."},
    )
    urls = forms.CharField(
        label="Web addresses (if any)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The full address of each page, one per line.",
    )
    platform = forms.CharField(
        label="Platform or device (if any)",
        max_length=100,
        required=False,
        help_text="For example Instagram, WhatsApp, a school laptop.",
    )
    severity = forms.ChoiceField(
        label="How serious do you think it is?",
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how serious it is."},
    )
    external_reference = forms.CharField(
        label="CPOMS or MyConcern number (if logged there)", max_length=50, required=False
    )
    evidence = EvidenceFilesField(
        label="Evidence files (if any)",
        allowed=EVIDENCE_KINDS,
        required=False,
        help_text="Screenshots or documents: PDF, PNG, JPEG or Word, up to 10 files. Never "
        "attach nude or semi-nude images of a child.",
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        cleaned = super().clean()
        category, kind = cleaned.get("category"), cleaned.get("safeguarding_kind")
        if category == Category.SAFEGUARDING and not kind:
            self.add_error("safeguarding_kind", "Choose what kind of disclosure it is.")
        if category and category != Category.SAFEGUARDING and kind:
            self.add_error(
                "safeguarding_kind",
                "Leave this empty unless the incident is a safeguarding disclosure.",
            )
        if kind in (SafeguardingKind.NUDE_IMAGES, SafeguardingKind.DEEPFAKE) and (
            cleaned.get("evidence") or self.files.getlist(self.add_prefix("evidence"))
        ):
            self.add_error("evidence", NO_IMAGERY_MESSAGE)
            cleaned["evidence"] = []
        return cleaned


class PersonForm(forms.Form):
    """Someone involved: a pupil, a member of staff or someone outside the school."""

    kind = forms.ChoiceField(label="Who", choices=_choices(PersonKind, blank="—"), required=False)
    role = forms.ChoiceField(
        label="Their part", choices=_choices(PersonRole, blank="—"), required=False
    )
    staff_member = forms.ModelChoiceField(queryset=None, label="Member of staff", required=False)
    pupil = forms.ModelChoiceField(queryset=None, label="Pupil", required=False)
    name = forms.CharField(
        label="Name (an outsider, or a pupil not in the list)", max_length=150, required=False
    )
    year_group = forms.CharField(label="Year group (pupil)", max_length=20, required=False)
    relationship = forms.ChoiceField(
        label="Who they are (outsider)",
        choices=_choices(OutsiderRelationship, blank="—"),
        required=False,
    )

    def __init__(self, *args, school, pupils=None, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        self.fields["staff_member"] = _people_field(
            school, label="Member of staff", required=False, include_leavers=True
        )
        # The school's roll, for those who may look pupils up (consent: every member of staff).
        self.fields["pupil"].queryset = (
            pupils if pupils is not None else pupils_to_name(None, school).none()
        )
        self.fields["pupil"].label_from_instance = lambda pupil: (
            f"{pupil.display_name} ({pupil.get_year_group_display()})"
        )

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(name) for name in self.fields)
        if not filled and not self.required:
            cleaned["empty"] = True
            return cleaned
        kind = cleaned.get("kind")
        if not kind:
            self.add_error("kind", "Say whether they are a pupil, staff or an outsider.")
        if not cleaned.get("role"):
            self.add_error("role", "Choose the part they played.")
        if kind == PersonKind.STAFF and not cleaned.get("staff_member"):
            self.add_error("staff_member", "Choose the member of staff.")
        named = " ".join((cleaned.get("name") or "").split())
        if kind == PersonKind.PUPIL and not (cleaned.get("pupil") or named):
            self.add_error("pupil", "Choose the pupil, or give their name below.")
        if kind == PersonKind.OUTSIDER and not named:
            self.add_error("name", "Give their name.")
        if kind != PersonKind.PUPIL and cleaned.get("pupil"):
            self.add_error("pupil", "Only choose a pupil for a pupil.")
        if kind == PersonKind.OUTSIDER and not cleaned.get("relationship"):
            self.add_error("relationship", "Say who they are, for example a parent.")
        if kind == PersonKind.STAFF and cleaned.get("name"):
            self.add_error("name", "For a member of staff, choose them from the list instead.")
        return cleaned

    def named(self) -> PersonNamed | None:
        data = self.cleaned_data
        if data.get("empty") or not data.get("kind"):
            return None  # an extra row left empty
        return PersonNamed(
            role=data["role"],
            kind=data["kind"],
            staff_member=data.get("staff_member"),
            pupil=data.get("pupil"),
            name=data.get("name", ""),
            year_group=data.get("year_group", ""),
            relationship=data.get("relationship", ""),
        )


class BasePersonFormSet(forms.BaseFormSet):
    def __init__(self, *args, school, pupils=None, **kwargs):
        self.school = school
        self.pupils = pupils
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "school": self.school, "pupils": self.pupils}

    def named(self) -> list[PersonNamed]:
        return [p for p in (form.named() for form in self.forms) if p is not None]


PersonFormSet = forms.formset_factory(
    PersonForm, formset=BasePersonFormSet, extra=3, max_num=20, absolute_max=20
)


class TriageForm(forms.Form):
    category = forms.ChoiceField(label="Category (confirmed)", choices=Category.choices)
    safeguarding_kind = forms.ChoiceField(
        label="Kind of disclosure (safeguarding only)",
        choices=_choices(SafeguardingKind, blank="Not a safeguarding disclosure"),
        required=False,
    )
    severity = forms.ChoiceField(choices=Severity.choices, widget=forms.RadioSelect)
    handler = forms.ModelChoiceField(queryset=None, label="Who will handle it")
    external_reference = forms.CharField(
        label="CPOMS or MyConcern number (if logged there)", max_length=50, required=False
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), help_text="Why these choices."
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"] = _people_field(school, label="Who will handle it")


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(queryset=None, label="Who will handle it")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"] = _people_field(school, label="Who will handle it")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=(), widget=forms.RadioSelect)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in Status if s in allowed]


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(
        label="What was done", choices=_choices(ActionType, blank="Choose one")
    )
    happened_on = UKDateField(label="Date it was done")
    happened_time = UKTimeField(label="Time it was done", required=False)
    done_by = forms.ModelChoiceField(queryset=None, label="Who did it")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_by"] = _people_field(school, label="Who did it", include_leavers=True)

    def happened_at(self) -> dt.datetime | None:
        return london(self.cleaned_data["happened_on"], self.cleaned_data.get("happened_time"))


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you adding",
        choices=[
            (k, EntryKind(k).label)
            for k in (EntryKind.NOTE, EntryKind.CORRECTION, EntryKind.ADDITION)
        ],
        widget=forms.RadioSelect,
        help_text="The report and earlier entries stay as they are: a correction is added "
        "beside them.",
    )
    notes = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 5}))


class EvidenceForm(forms.Form):
    file = PrivateFileField(label="Evidence file", allowed=EVIDENCE_KINDS)
    shows = forms.CharField(label="What it shows", max_length=200, required=False)


class IctForm(forms.Form):
    action_taken = forms.CharField(label="Action taken", widget=forms.Textarea(attrs={"rows": 4}))
    done_by = forms.ModelChoiceField(queryset=None, label="By whom")
    done_on = UKDateField(label="When")

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_by"] = _people_field(school, label="By whom")


YES_NO = [("yes", "Yes"), ("no", "No")]


class ThresholdForm(forms.Form):
    threshold_met = forms.ChoiceField(
        label="Is the harm threshold met?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Has the person harmed a child or may have; possibly committed an offence "
        "against or related to a child; behaved in a way that indicates they may pose a risk "
        "of harm; or behaved in a way that indicates they may not be suitable to work with "
        "children (conduct outside work included).",
    )
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    lado_consulted_on = UKDateField(label="Date the LADO was consulted (if met)", required=False)
    lado_consulted_time = UKTimeField(label="Time (if met)", required=False)
    lado_advice = forms.CharField(
        label="The LADO's advice (if met)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    context = forms.CharField(
        label="Context of the low-level concern (if not met)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    action_taken = forms.CharField(
        label="Action taken (if not met)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        met = cleaned.get("threshold_met")
        if (
            met == "yes"
            and not cleaned.get("lado_consulted_on")
            and "lado_consulted_on" not in self.errors
        ):
            self.add_error(
                "lado_consulted_on", "Enter when the LADO was consulted, like 01/09/2026."
            )
        if met == "no":
            for name, message in (
                ("context", "Describe the context of the low-level concern."),
                ("action_taken", "Say what action was taken."),
            ):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, message)
        return cleaned

    def lado_consulted_at(self):
        data = self.cleaned_data
        return london(data.get("lado_consulted_on"), data.get("lado_consulted_time"))


class ImageryForm(forms.Form):
    anyone_viewed = forms.ChoiceField(
        label="Did anyone view the imagery?", choices=YES_NO, widget=forms.RadioSelect
    )
    viewed_by = forms.CharField(label="Who viewed it (if anyone)", max_length=150, required=False)
    viewed_on = UKDateField(label="Date viewed (if anyone)", required=False)
    viewed_time = UKTimeField(label="Time viewed (if anyone)", required=False)
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why viewing was (or was not) necessary.",
    )
    headteacher_informed = forms.ChoiceField(
        label="Was the headteacher informed?", choices=YES_NO, widget=forms.RadioSelect
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anyone_viewed") == "yes":
            if not " ".join((cleaned.get("viewed_by") or "").split()):
                self.add_error("viewed_by", "Say who viewed it.")
            if not cleaned.get("viewed_on") and "viewed_on" not in self.errors:
                self.add_error("viewed_on", "Enter the date it was viewed, like 01/09/2026.")
        return cleaned

    def viewed_at(self):
        data = self.cleaned_data
        return london(data.get("viewed_on"), data.get("viewed_time"))


class CloseForm(forms.Form):
    reason = forms.CharField(label="Why it can be closed", widget=forms.Textarea(attrs={"rows": 3}))
    lessons_learnt = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    governor_summary = forms.CharField(
        label="Summary for governors",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="No names and nothing that identifies anyone: governors read this.",
    )
    policies = forms.ModelMultipleChoiceField(
        label="Policies needing review",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each one is flagged for review in Policies.",
    )
    policy_changes = forms.CharField(
        label="What should change in those policies",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Read by each policy's owner and the headteacher: no names, no details of "
        "the incident.",
    )

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policies"].queryset = policies
        self.fields["policies"].label_from_instance = lambda policy: policy.title


class ListFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    show = forms.ChoiceField(choices=list(LIST_FILTERS.items()), required=False)
    category = forms.ChoiceField(choices=_choices(Category, blank="Any category"), required=False)

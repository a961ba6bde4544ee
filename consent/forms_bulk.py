"""Bulk entry: a class's returned forms on one screen (many pupils, many purposes).

The shared fields (how the forms arrived, when) sit at the top; each pupil has a row with the
name and relationship of the person who signed and one choice per purpose. Rows left empty are
skipped. Nothing is recorded until the whole screen is valid (the service records all or none).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from consent.forms import SubmissionKeyMixin, UKDateField
from consent.models import GivenBy, LawfulBasis, Method, Outcome, ParentCarer, Relationship
from consent.services import DecisionEntry

CONSENT_CHOICES = [("", "—"), (Outcome.GRANTED, "Yes"), (Outcome.REFUSED, "No")]
PUBLIC_TASK_CHOICES = [("", "—"), (Outcome.OBJECTED, "Objects")]


@dataclass
class BulkRow:
    pupil: object
    carer_name: forms.BoundField
    relationship: forms.BoundField
    choices: list[forms.BoundField]
    carers: list[str]

    @property
    def errors(self) -> list[str]:
        return [*self.carer_name.errors, *self.relationship.errors] + [
            e for field in self.choices for e in field.errors
        ]


class BulkEntryForm(SubmissionKeyMixin):
    method = forms.ChoiceField(label="How they arrived", choices=Method.choices,
                               initial=Method.ENTRANT_FORM)  # fmt: skip
    received_on = UKDateField(label="Date received")

    def __init__(self, *args, pupils, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        from socialgov.dates import today

        self.initial.setdefault("received_on", today())
        self.pupils = list(pupils)
        self.purposes = list(purposes)
        carers: dict[int, list[ParentCarer]] = {}
        for carer in ParentCarer.objects.filter(pupil__in=self.pupils).order_by("full_name"):
            carers.setdefault(carer.pupil_id, []).append(carer)
        self.carers = carers
        for pupil in self.pupils:
            name = pupil.display_name
            self.fields[f"p{pupil.pk}-carer_name"] = forms.CharField(
                label=f"Signed by (for {name})", max_length=150, required=False
            )
            self.fields[f"p{pupil.pk}-relationship"] = forms.ChoiceField(
                label=f"Relationship to {name}",
                choices=[("", "—"), *Relationship.choices],
                required=False,
            )
            for purpose in self.purposes:
                self.fields[self.choice_name(pupil, purpose)] = forms.ChoiceField(
                    label=f"{purpose.name} for {name}",
                    choices=CONSENT_CHOICES
                    if purpose.lawful_basis == LawfulBasis.CONSENT
                    else PUBLIC_TASK_CHOICES,
                    required=False,
                )

    @staticmethod
    def choice_name(pupil, purpose) -> str:
        return f"p{pupil.pk}-u{purpose.pk}"

    @property
    def rows(self) -> list[BulkRow]:
        return [
            BulkRow(
                pupil=pupil,
                carer_name=self[f"p{pupil.pk}-carer_name"],
                relationship=self[f"p{pupil.pk}-relationship"],
                choices=[self[self.choice_name(pupil, purpose)] for purpose in self.purposes],
                carers=[c.full_name for c in self.carers.get(pupil.pk, [])],
            )
            for pupil in self.pupils
        ]

    def _known_carer(self, pupil, name: str) -> ParentCarer | None:
        wanted = " ".join(name.split()).lower()
        return next(
            (c for c in self.carers.get(pupil.pk, []) if c.full_name.lower() == wanted), None
        )

    def clean(self):
        cleaned = super().clean()
        filled = 0
        for pupil in self.pupils:
            chosen = [p for p in self.purposes if cleaned.get(self.choice_name(pupil, p))]
            if not chosen:
                continue
            filled += 1
            name = (cleaned.get(f"p{pupil.pk}-carer_name") or "").strip()
            if not name:
                self.add_error(f"p{pupil.pk}-carer_name", "Enter who signed the form.")
            elif not cleaned.get(f"p{pupil.pk}-relationship") and not self._known_carer(
                pupil, name
            ):
                self.add_error(f"p{pupil.pk}-relationship", "Choose their relationship.")
        if not filled and not self.errors:
            raise forms.ValidationError("Nothing to record: choose at least one decision.")
        return cleaned

    def entries(self) -> list[DecisionEntry]:
        """The decisions the screen records (one per pupil and purpose chosen), in order."""
        data = self.cleaned_data
        entries = []
        for pupil in self.pupils:
            name = (data.get(f"p{pupil.pk}-carer_name") or "").strip()
            known = self._known_carer(pupil, name) if name else None
            for purpose in self.purposes:
                outcome = data.get(self.choice_name(pupil, purpose))
                if not outcome:
                    continue
                entries.append(
                    DecisionEntry(
                        pupil=pupil,
                        purpose=purpose,
                        outcome=outcome,
                        given_by=GivenBy.PARENT_CARER,
                        carer=known,
                        carer_name="" if known else name,
                        relationship=data.get(f"p{pupil.pk}-relationship") or "",
                        method=data["method"],
                        received_on=data["received_on"],
                    )
                )
        return entries

    def add_entry_errors(self, entries: list[DecisionEntry], error_dict: dict) -> None:
        """Show the service's per-entry errors ("<index>-<field>") beside their rows."""
        for key, messages in error_dict.items():
            index, _, field = key.partition("-")
            if not index.isdigit() or int(index) >= len(entries):
                self.add_error(None, messages)
                continue
            entry = entries[int(index)]
            if field in ("carer_name", "relationship"):
                name = f"p{entry.pupil.pk}-{field}"
            elif field in ("received_on", "method"):
                name = field
            else:
                name = self.choice_name(entry.pupil, entry.purpose)
            for message in messages:
                if message not in self.errors.get(name, []):
                    self.add_error(name, message)

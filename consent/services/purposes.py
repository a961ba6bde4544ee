"""Writes to purposes and the school's consent settings (the headteacher and the DPO)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from consent import access as consent_access
from consent.models import (
    Audience,
    ConsentState,
    LawfulBasis,
    Media,
    Purpose,
    PurposeKind,
    SchoolConsentSettings,
)
from consent.services.states import consent_states_recompute
from socialgov.people.models import School

# The defaults every school starts from (DESIGN §4): kind, media, audience, lawful basis,
# what parents are told. Public task for uses inside the school community (ICO), consent for
# anything the public sees.
DEFAULT_PURPOSES = [
    (
        PurposeKind.DISPLAYS,
        Media.PHOTO,
        Audience.IN_SCHOOL,
        LawfulBasis.PUBLIC_TASK,
        "Photos on classroom and corridor displays, and in pupils' books.",
    ),
    (
        PurposeKind.WEBSITE,
        Media.BOTH,
        Audience.PUBLIC,
        LawfulBasis.CONSENT,
        "Photos and clips on the school's website, never with a pupil's full name.",
    ),
    (
        PurposeKind.SOCIAL_MEDIA,
        Media.BOTH,
        Audience.PUBLIC,
        LawfulBasis.CONSENT,
        "Posts on the school's official social media accounts, never with a pupil's full name.",
    ),
    (
        PurposeKind.PRESS,
        Media.PHOTO,
        Audience.PUBLIC,
        LawfulBasis.CONSENT,
        "Photos given to newspapers and local media, for example of a sports win.",
    ),
    (
        PurposeKind.VIDEO,
        Media.VIDEO,
        Audience.PARENTS,
        LawfulBasis.CONSENT,
        "Recordings of performances and events shared with the school's families.",
    ),
    (
        PurposeKind.PROSPECTUS,
        Media.PHOTO,
        Audience.PUBLIC,
        LawfulBasis.CONSENT,
        "Photos in the printed prospectus and leaflets.",
    ),
    (
        PurposeKind.PARENT_PORTAL,
        Media.BOTH,
        Audience.PARENTS,
        LawfulBasis.PUBLIC_TASK,
        "Photos of a pupil's learning shared with their own family through the parents' portal.",
    ),
]
EDITABLE = ("name", "description", "media", "audience", "lawful_basis", "valid_for_years",
            "is_active", "order")  # fmt: skip
# A change to these changes what every stored state of the purpose says.
RECOMPUTED_BY = ("lawful_basis", "valid_for_years")


def _save(purpose: Purpose) -> None:
    try:
        with transaction.atomic():
            purpose.save()
    except IntegrityError:
        raise ValidationError(
            {"name": ["The school already has a purpose with this name."]}
        ) from None


def _require_editor(actor, school) -> None:
    if not consent_access.can_edit_purposes(actor, school):
        raise PermissionDenied("Only the headteacher and the DPO change the purposes.")


@transaction.atomic
def purpose_defaults_create(*, school, actor) -> list[Purpose]:
    """Add the default purposes the school does not have yet; the ones added."""
    if actor is not None:
        _require_editor(actor, school)
    # Two clicks at once: the second waits here, then finds the defaults already added.
    School.objects.select_for_update().filter(pk=school.pk).first()
    have = set(Purpose.objects.filter(school=school).values_list("kind", flat=True))
    names = Purpose.objects.filter(school=school).values_list("name", flat=True)
    taken = {name.lower() for name in names}
    added = []
    for order, (kind, media, audience, basis, description) in enumerate(DEFAULT_PURPOSES, 1):
        if kind in have or str(kind.label).lower() in taken:
            continue
        purpose = Purpose(
            school=school,
            kind=kind,
            name=str(kind.label),
            description=description,
            media=media,
            audience=audience,
            lawful_basis=basis,
            order=order * 10,
        )
        purpose._history_user = actor
        purpose.full_clean()
        purpose.save()
        added.append(purpose)
    return added


@transaction.atomic
def purpose_create(*, school, actor, **fields) -> Purpose:
    _require_editor(actor, school)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not purpose fields: {sorted(unknown)}")
    purpose = Purpose(school=school, kind=PurposeKind.CUSTOM, **fields)
    purpose.name = " ".join(purpose.name.split())
    purpose._history_user = actor
    purpose.full_clean()
    _save(purpose)
    return purpose


@transaction.atomic
def purpose_update(*, purpose: Purpose, actor, **fields) -> Purpose:
    """Change a purpose. A new lawful basis or validity recomputes every stored state of the
    purpose in the same transaction, so the check follows at once."""
    _require_editor(actor, purpose.school)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not purpose fields: {sorted(unknown)}")
    locked = Purpose.objects.select_for_update().select_related("school").get(pk=purpose.pk)
    recompute = any(
        name in fields and fields[name] != getattr(locked, name) for name in RECOMPUTED_BY
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.name = " ".join(locked.name.split())
    locked._history_user = actor
    locked.full_clean()
    _save(locked)
    if recompute:
        pupil_ids = list(
            ConsentState.objects.filter(purpose=locked).values_list("pupil_id", flat=True)
        )
        consent_states_recompute(pupils=pupil_ids, purposes=[locked], actor=actor)
    return locked


def consent_settings_for(school) -> SchoolConsentSettings:
    """The school's consent settings (defaults when none are saved yet; nothing is written)."""
    settings = SchoolConsentSettings.objects.filter(school=school).first()
    return settings or SchoolConsentSettings(school=school)


@transaction.atomic
def consent_settings_update(*, school, actor, presume_competence: bool) -> SchoolConsentSettings:
    """Change whether competence is presumed from the school's competence age. Nothing is
    recomputed: the stored states hold both readings and the check picks one by the pupil's age."""
    _require_editor(actor, school)
    settings, _ = SchoolConsentSettings.objects.select_for_update().get_or_create(school=school)
    school.__dict__.pop("_consent_competence_rule", None)  # consent.check.competence_rule
    if settings.presume_competence != presume_competence:
        settings.presume_competence = presume_competence
        settings._history_user = actor
        settings.full_clean()
        settings.save()
    return settings

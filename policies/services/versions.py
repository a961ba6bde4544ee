"""Writes to policies: versions through their life, ratification, reviews and signatures.

Each function is named for its verb, takes keyword arguments with the acting person explicit,
checks the actor's role in the policy's school, validates and runs in one transaction.
Refusals raise ValidationError (a message for the person) or PermissionDenied (a role is missing).
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from policies import access as policy_access
from policies import notifications
from policies.markdown_source import removal
from policies.models import (
    OPEN_STATUSES,
    ChangeSize,
    Policy,
    PolicyVersion,
    Ratification,
    Signature,
    VersionStatus,
)
from policies.text import markdown_to_html, text_sha256
from policies.typed_names import typed_name_matches
from socialgov import access
from socialgov.people.models import School
from socialgov.people.roles import Role

EDITORS = tuple(policy_access.EDITORS)
RATIFIERS = tuple(policy_access.RATIFIERS)
logger = logging.getLogger(__name__)

AGREEMENT_STATEMENT = (
    "I have read, understood and agree to follow this policy. I understand that the school may "
    "monitor my use of its systems, devices and accounts to make sure the policy is followed."
)


def _require(actor, school, roles, what: str) -> None:
    if not access.has_role(actor, school, *roles):
        raise PermissionDenied(f"Your role does not allow you to {what}.")


def _locked_version(version: PolicyVersion) -> PolicyVersion:
    return PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


@transaction.atomic
def version_create_draft(
    *,
    policy: Policy,
    actor,
    body_markdown: str = "",
    change: str = ChangeSize.MAJOR,
    change_summary: str = "",
    body_html: str | None = None,
) -> PolicyVersion:
    """Start the next version of a policy as a draft (one open version at a time)."""
    _require(actor, policy.school, EDITORS, "edit policies")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.versions.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError("This policy already has a version being written. Edit that one.")
    number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PolicyVersion(
        policy=policy,
        number=number,
        change=ChangeSize.MAJOR if number == 1 else change,
        change_summary=change_summary,
        body_markdown=body_markdown,
        body_html=body_html if body_html is not None else markdown_to_html(body_markdown),
        created_by=actor,
    )
    _save(version, actor)
    return version


@transaction.atomic
def version_update_draft(
    *,
    version: PolicyVersion,
    actor,
    body_markdown: str,
    change: str | None = None,
    change_summary: str | None = None,
    confirm_removal: bool = False,
) -> PolicyVersion:
    """Change the text of a draft. Approved text is frozen: make a new version instead.

    A save that would replace a long text with a much shorter one (policies.markdown_source:
    Removal) is refused until `confirm_removal`, with a message saying how much would go.
    """
    version = _locked_version(version)
    _require(actor, version.policy.school, EDITORS, "edit policies")
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            "This version can no longer be edited. Start a new version to make changes."
        )
    body_html = markdown_to_html(body_markdown)
    removing = removal(version.body_html, body_html)
    if removing.needs_confirmation and not confirm_removal:
        raise ValidationError({"confirm_removal": removing.sentence()})
    version.body_markdown = body_markdown
    version.body_html = body_html
    if change is not None and version.number > 1:
        version.change = change
    if change_summary is not None:
        version.change_summary = change_summary
    _save(version, actor)
    return version


@transaction.atomic
def version_submit(*, version: PolicyVersion, actor) -> PolicyVersion:
    """Send a draft to the headteacher for approval."""
    version = _locked_version(version)
    _require(actor, version.policy.school, EDITORS, "submit policies for approval")
    if version.status != VersionStatus.DRAFT:
        raise ValidationError("Only a draft can be sent for approval.")
    if not version.body_html.strip():
        raise ValidationError("Write the policy's text before sending it for approval.")
    version.status = VersionStatus.AWAITING_APPROVAL
    version.submitted_at = timezone.now()
    # A reason for sending it back has been dealt with (the version's history keeps it).
    version.returned_at = None
    version.returned_by = None
    version.return_reason = ""
    _save(version, actor)
    notifications.notify_version_submitted(version=version, actor=actor)
    return version


def _require_approver(actor, version: PolicyVersion) -> None:
    if not policy_access.can_approve_version(actor, version):
        if version.created_by_id == actor.pk and policy_access.can_approve(
            actor, version.policy.school
        ):
            raise PermissionDenied(
                "You wrote this version, so someone else approves it: another headteacher, or "
                "the deputy headteacher or the chair of governors."
            )
        raise PermissionDenied("Your role does not allow you to approve this version.")


@transaction.atomic
def version_return_to_draft(*, version: PolicyVersion, actor, reason: str) -> PolicyVersion:
    """An approver sends a version back for more work, saying what needs to change; its
    author and the policy's owner are told."""
    version = _locked_version(version)
    _require_approver(actor, version)
    if version.status != VersionStatus.AWAITING_APPROVAL:
        raise ValidationError("Only a version awaiting approval can be sent back.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what needs to change before sending it back."})
    version.status = VersionStatus.DRAFT
    version.returned_at = timezone.now()
    version.returned_by = actor
    version.return_reason = reason
    _save(version, actor)
    notifications.notify_version_returned(version=version, actor=actor)
    return version


@transaction.atomic
def version_approve(*, version: PolicyVersion, actor) -> PolicyVersion:
    """An approver (policies.access.version_approvers: the headteacher, or a stand-in for the
    headteacher's own version) approves a version: its text is frozen with its SHA-256."""
    version = _locked_version(version)
    _require_approver(actor, version)
    if version.status != VersionStatus.AWAITING_APPROVAL:
        raise ValidationError("Only a version awaiting approval can be approved.")
    version.status = VersionStatus.APPROVED
    version.text_sha256 = text_sha256(version.body_html)
    version.approved_by = actor
    version.approved_at = timezone.now()
    _save(version, actor)
    notifications.notify_version_approved(version=version, actor=actor)
    return version


@transaction.atomic
def version_publish(*, version: PolicyVersion, actor) -> PolicyVersion:
    """Make an approved version the effective one; the previous published version is superseded.

    A policy with no next review date gets one from its review cycle. The author, the owner and
    everyone who must sign it are told (policies.notifications).
    """
    from policies.services.reviews import default_next_review_on

    policy = Policy.objects.select_for_update().select_related("school").get(pk=version.policy_id)
    version = _locked_version(version)
    _require(actor, policy.school, (Role.HEADTEACHER,), "publish policies")
    if version.status != VersionStatus.APPROVED:
        raise ValidationError("Only an approved version can be published.")
    now = timezone.now()
    previous = None
    for previous in policy.versions.select_for_update().filter(status=VersionStatus.PUBLISHED):
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_at = now
        _save(previous, actor)
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    _save(version, actor)
    if policy.next_review_on is None:
        policy.next_review_on = default_next_review_on(policy, timezone.localdate())
        _save(policy, actor)
    version.policy = policy
    notifications.notify_version_published(version=version, actor=actor, previous=previous)
    return version


def _check_meeting_date(version: PolicyVersion, meeting_date: dt.date) -> None:
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": "The meeting date cannot be in the future."})
    approved_on = timezone.localdate(version.approved_at) if version.approved_at else None
    if approved_on and meeting_date < approved_on:
        raise ValidationError(
            {
                "meeting_date": "The meeting cannot be before the version was approved "
                f"({approved_on:%d/%m/%Y})."
            }
        )


@transaction.atomic
def version_ratify(
    *, version: PolicyVersion, actor, meeting_date: dt.date, minute_reference: str
) -> Ratification:
    """Record the governing board's ratification of an approved or published version (clerk,
    chair of governors or headteacher); the policy's owner is told. Two identical posts record
    it once: the second returns the first."""
    version = _locked_version(version)
    _require(actor, version.policy.school, RATIFIERS, "record ratification")
    if not version.is_frozen:
        raise ValidationError("Only an approved version can be ratified.")
    _check_meeting_date(version, meeting_date)
    minute_reference = minute_reference.strip()
    current = Ratification.objects.filter(version=version, superseded_at__isnull=True).first()
    if current is not None:
        if (current.meeting_date, current.minute_reference) == (meeting_date, minute_reference):
            return current  # the same ratification posted twice
        raise ValidationError(
            "This version's ratification is already recorded. Correct it instead."
        )
    ratification = Ratification(
        version=version,
        meeting_date=meeting_date,
        minute_reference=minute_reference,
        recorded_by=actor,
    )
    _save(ratification, actor)
    notifications.notify_ratified(ratification=ratification, actor=actor)
    return ratification


@transaction.atomic
def ratification_correct(
    *,
    ratification: Ratification,
    actor,
    meeting_date: dt.date,
    minute_reference: str,
    reason: str,
) -> Ratification:
    """Correct a ratification recorded wrongly: a new record supersedes the old one, and both
    stay (with the reason). The policy's owner is told."""
    version = _locked_version(ratification.version)
    _require(actor, version.policy.school, RATIFIERS, "record ratification")
    old = Ratification.objects.select_for_update().get(pk=ratification.pk, version=version)
    minute_reference = minute_reference.strip()
    reason = (reason or "").strip()
    if old.superseded_at is not None:
        newer = getattr(old, "corrected_by", None)
        if newer is not None and (newer.meeting_date, newer.minute_reference) == (
            meeting_date,
            minute_reference,
        ):
            return newer  # the same correction posted twice
        raise ValidationError("This ratification has already been corrected.")
    errors = {}
    if not reason:
        errors["reason"] = "Say what was wrong with the record."
    if (old.meeting_date, old.minute_reference) == (meeting_date, minute_reference):
        errors["meeting_date"] = "Change the date or the minute reference to correct them."
    if errors:
        raise ValidationError(errors)
    _check_meeting_date(version, meeting_date)
    old.superseded_at = timezone.now()
    _save(old, actor)
    correction = Ratification(
        version=version,
        meeting_date=meeting_date,
        minute_reference=minute_reference,
        recorded_by=actor,
        corrects=old,
        correction_reason=reason,
    )
    _save(correction, actor)
    notifications.notify_ratified(ratification=correction, actor=actor)
    return correction


def signature_create(
    *,
    version: PolicyVersion,
    signer,
    typed_name: str,
    agreed: bool,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """The signer signs the published version they read. Double submits give one signature."""
    try:
        with transaction.atomic():
            return _signature_create(
                version=version,
                signer=signer,
                typed_name=typed_name,
                agreed=agreed,
                ip_address=ip_address,
                user_agent=user_agent,
            )
    except IntegrityError:
        # A second submit raced the first: the signature exists, which is what was asked for.
        existing = Signature.objects.filter(version=version, signer=signer).first()
        if existing is None:
            raise
        return existing


def _signature_create(*, version, signer, typed_name, agreed, ip_address, user_agent):
    version = _locked_version(version)
    policy = version.policy
    membership = access.membership_in(signer, policy.school)
    if membership is None:
        raise PermissionDenied("You can only sign your own school's policies.")
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError("Only the published version of a policy can be signed.")
    if not policy.requires(membership):
        raise PermissionDenied("You are not asked to sign this policy.")
    existing = Signature.objects.filter(version=version, signer=signer).first()
    if existing is not None:
        return existing
    if text_sha256(version.body_html) != version.text_sha256:
        # The text shown is not the text approved: nobody may sign it (DESIGN §4, issue 8.1).
        logger.error(
            "Refused a signature of version %s: its text no longer matches the SHA-256 frozen "
            "at approval",
            version.pk,
        )
        raise ValidationError(
            "This version's text no longer matches the text that was approved, so it cannot "
            "be signed. Please tell the headteacher."
        )
    errors = {}
    if not agreed:
        errors["agreed"] = "Tick the box to confirm you agree."
    if not typed_name_matches(typed_name, signer.full_name):
        errors["typed_name"] = f"Type your full name exactly as it is recorded: {signer.full_name}."
    if errors:
        raise ValidationError(errors)
    signature = Signature(
        version=version,
        signer=signer,
        school=policy.school,
        signed_at=timezone.now(),
        text_sha256=version.text_sha256,  # the frozen hash, checked against the text above
        statement=AGREEMENT_STATEMENT,
        typed_name=typed_name.strip(),  # what the person typed, curly apostrophes and all
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
    )
    _save(signature, signer)
    # The archival PDF is slow I/O: rendered by a task once the signature has committed, queued
    # through the outbox (short broker timeouts, no retries: an outage never hangs the signing
    # page; the outbox sweep hands it over later, and the PDF sweep renders any still missing).
    from policies.tasks import signature_pdf_render_task
    from socialgov.outbox.services import task_queue

    task_queue(signature_pdf_render_task, signature.pk)
    return signature


def policy_create(
    *,
    school,
    actor,
    kind: str,
    title: str,
    owner,
    review_cycle_months: int = 12,
    statutory: bool = False,
    signer_groups: list[str] | None = None,
    signer_roles: list[str] | None = None,
    next_review_on: dt.date | None = None,
) -> Policy:
    """Add a policy to a school (headteacher, DSL or SLT). Two identical posts at once add one:
    the school row is locked while the title is checked, and the database's unique title is the
    last word (the same form error)."""
    try:
        with transaction.atomic():
            return _policy_create(
                school=school,
                actor=actor,
                kind=kind,
                title=title,
                owner=owner,
                review_cycle_months=review_cycle_months,
                statutory=statutory,
                signer_groups=signer_groups,
                signer_roles=signer_roles,
                next_review_on=next_review_on,
            )
    except IntegrityError:
        raise ValidationError({"title": TITLE_TAKEN}) from None


TITLE_TAKEN = "The school already has a policy with this title."


def _policy_create(
    *,
    school,
    actor,
    kind,
    title,
    owner,
    review_cycle_months,
    statutory,
    signer_groups,
    signer_roles,
    next_review_on,
) -> Policy:
    _require(actor, school, EDITORS, "add policies")
    if access.membership_in(owner, school) is None:
        raise ValidationError({"owner": "The owner must be a current member of the school."})
    School.objects.select_for_update().filter(pk=school.pk).first()  # one writer at a time
    policy = Policy(
        school=school,
        kind=kind,
        title=" ".join(title.split()),
        owner=owner,
        review_cycle_months=review_cycle_months,
        statutory=statutory,
        signer_groups=sorted(set(signer_groups or [])),
        signer_roles=sorted(set(signer_roles or [])),
        next_review_on=next_review_on,
    )
    if Policy.objects.filter(school=school, title__iexact=policy.title).exists():
        raise ValidationError({"title": TITLE_TAKEN})
    _save(policy, actor)
    return policy


def _check_signers(signer_groups, signer_roles) -> None:
    from socialgov.people.roles import StaffGroup

    errors = {}
    if set(signer_groups) - set(StaffGroup.values):
        errors["signer_groups"] = "Choose staff groups from the list."
    if set(signer_roles) - set(Role.values):
        errors["signer_roles"] = "Choose roles from the list."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_related_set(*, policy: Policy, actor, related) -> Policy:
    """Link a policy to related policies of the same school (links work both ways)."""
    _require(actor, policy.school, EDITORS, "edit policies")
    related = list(related)
    if any(other.school_id != policy.school_id or other.pk == policy.pk for other in related):
        raise ValidationError({"related": "Related policies must be other policies of the school."})
    policy.related.set(related)
    return policy


@transaction.atomic
def policy_update(
    *,
    policy: Policy,
    actor,
    kind: str,
    title: str,
    owner,
    review_cycle_months: int,
    statutory: bool,
    signer_groups: list[str],
    signer_roles: list[str],
    next_review_on: dt.date | None,
    related=None,
) -> Policy:
    """Change a policy's details (headteacher, DSL or SLT); its versions are untouched."""
    policy = Policy.objects.select_for_update().select_related("school").get(pk=policy.pk)
    _require(actor, policy.school, EDITORS, "edit policies")
    if access.membership_in(owner, policy.school) is None:
        raise ValidationError({"owner": "The owner must be a current member of the school."})
    _check_signers(signer_groups, signer_roles)
    title = " ".join(title.split())
    if (
        Policy.objects.filter(school=policy.school, title__iexact=title)
        .exclude(pk=policy.pk)
        .exists()
    ):
        raise ValidationError({"title": TITLE_TAKEN})
    policy.kind = kind
    policy.title = title
    policy.owner = owner
    policy.review_cycle_months = review_cycle_months
    policy.statutory = statutory
    policy.signer_groups = sorted(set(signer_groups))
    policy.signer_roles = sorted(set(signer_roles))
    policy.next_review_on = next_review_on
    _save(policy, actor)
    if related is not None:
        policy_related_set(policy=policy, actor=actor, related=related)
    return policy

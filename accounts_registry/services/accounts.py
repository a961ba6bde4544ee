"""The registry: an account's details, its people (at least two administrators, enforced) and its
annual review; flags when a person leaves the school or loses their roles there."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    AccountMember,
    AccountReview,
    AccountStatus,
    MemberRole,
    OfficialAccount,
)
from accounts_registry.services.common import (
    a_year_after,
    clean_text,
    looks_like_password,
    require,
    staff_of,
)

MIN_ADMINISTRATORS = 2
EDITABLE_FIELDS = (
    "name",
    "url",
    "purpose",
    "status",
    "registered_email",
    "linked_from_website",
    "two_factor_on",
    "credentials_kept",
    "moderator",
)


def _lock(account: OfficialAccount) -> OfficialAccount:
    return OfficialAccount.objects.select_for_update().select_related("school").get(pk=account.pk)


def validate_account_fields(school, fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    email = clean_text(fields.get("registered_email"))
    if email and school.is_outside_domains(email):
        domains = ", ".join(school.domains)
        errors["registered_email"] = [
            f"Use a school e-mail address (on {domains}), not a personal one."
        ]
    if fields.get("status") in (AccountStatus.LIVE,) and not email:
        errors["registered_email"] = ["A live account is registered with a school e-mail address."]
    if looks_like_password(fields.get("credentials_kept", "")):
        errors["credentials_kept"] = [
            "This looks like a password. Say only where the sign-in details are kept (for "
            "example “the school's password manager”), never the password itself."
        ]
    moderator = fields.get("moderator")
    if moderator is not None:
        try:
            staff_of(school, [moderator], "moderator")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def account_update(*, account: OfficialAccount, actor, **fields) -> OfficialAccount:
    """Change the account's details (its administrators, the headteacher or deputy)."""
    account = _lock(account)
    require(
        accounts_access.can_manage_account(actor, account),
        "Only the account's administrators, the headteacher and deputy change it.",
    )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    validate_account_fields(account.school, fields)
    for name, value in fields.items():
        setattr(account, name, value.strip() if isinstance(value, str) else value)
    account._history_user = actor
    account.full_clean()
    account.save()
    return account


def _current(account: OfficialAccount, role: str | None = None):
    rows = AccountMember.objects.filter(account=account, ended_at__isnull=True)
    return rows.filter(role=role) if role else rows


@transaction.atomic
def account_member_add(*, account: OfficialAccount, actor, user, role: str) -> AccountMember:
    """Add an administrator or poster (a member of staff of the school). Adding someone twice
    gives the one row."""
    account = _lock(account)
    require(
        accounts_access.can_manage_members(actor, account),
        "Only the headteacher and deputy change who runs an account.",
    )
    if role not in MemberRole.values:
        raise ValidationError({"role": ["Choose administrator or authorised poster."]})
    staff_of(account.school, [user], "user")
    existing = _current(account, role).filter(user=user).first()
    if existing is not None:
        return existing
    member = AccountMember(account=account, user=user, role=role, added_by=actor)
    member._history_user = actor
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        return _current(account, role).get(user=user)
    from accounts_registry.services import notify

    notify.aup_to_sign(account, [user])
    return member


@transaction.atomic
def account_member_remove(*, member: AccountMember, actor) -> AccountMember:
    """End a person's role on an account; an account keeps at least two administrators."""
    account = _lock(member.account)
    require(
        accounts_access.can_manage_members(actor, account),
        "Only the headteacher and deputy change who runs an account.",
    )
    member = AccountMember.objects.select_for_update().get(pk=member.pk)
    if member.ended_at is not None:
        return member
    if member.role == MemberRole.ADMINISTRATOR and account.status != AccountStatus.CLOSED:
        remaining = _current(account, MemberRole.ADMINISTRATOR).exclude(pk=member.pk).count()
        if remaining < MIN_ADMINISTRATORS:
            raise ValidationError(
                "An account keeps at least two administrators: add another before removing this "
                "one."
            )
    member.ended_at = timezone.now()
    member._history_user = actor
    member.save()
    return member


@transaction.atomic
def account_member_clear_flag(*, member: AccountMember, actor) -> AccountMember:
    """The headteacher confirms a flagged person keeps their role (e.g. roles were corrected)."""
    account = _lock(member.account)
    require(accounts_access.can_manage_members(actor, account), "Only the headteacher and deputy.")
    member = AccountMember.objects.select_for_update().get(pk=member.pk)
    member.flagged_at, member.flag_reason = None, ""
    member._history_user = actor
    member.save()
    return member


@transaction.atomic
def account_review_record(
    *,
    account: OfficialAccount,
    actor,
    administrators_confirmed: bool,
    two_factor_confirmed: bool,
    moderation_confirmed: bool,
    still_needed: bool,
    notes: str = "",
    reviewed_on: dt.date | None = None,
) -> AccountReview:
    """The annual review; the next one falls a year later. Nothing unconfirmed passes silently:
    each 'no' needs a note."""
    account = _lock(account)
    require(
        accounts_access.can_manage_account(actor, account),
        "Only the account's administrators, the headteacher and deputy review it.",
    )
    reviewed_on = reviewed_on or timezone.localdate()
    notes = clean_text(notes)
    confirmed = (administrators_confirmed, two_factor_confirmed, moderation_confirmed, still_needed)
    if not all(confirmed) and not notes:
        raise ValidationError({"notes": ["Say what is not right and what will be done."]})
    if account.reviews.filter(reviewed_on=reviewed_on).exists():
        return account.reviews.get(reviewed_on=reviewed_on)
    review = AccountReview(
        account=account,
        reviewed_by=actor,
        reviewed_on=reviewed_on,
        administrators_confirmed=administrators_confirmed,
        two_factor_confirmed=two_factor_confirmed,
        moderation_confirmed=moderation_confirmed,
        still_needed=still_needed,
        notes=notes,
        next_review_on=a_year_after(reviewed_on),
    )
    review._history_user = actor
    review.full_clean()
    review.save()
    account.review_due_on = review.next_review_on
    account.two_factor_on = two_factor_confirmed
    account._history_user = actor
    account.save()
    return review


def on_membership_change(change) -> None:
    """Leaver listener: flag the person's roles on the school's accounts when they leave or lose
    their roles there (inside the change's transaction); an account left with fewer than two
    administrators is an alert for the headteacher."""
    membership = change.membership
    if change.leaving_date is not None:
        reason = f"Leaves the school on {change.leaving_date:%d/%m/%Y}"
    else:
        from socialgov.people.models import MembershipRole

        remaining = set(
            MembershipRole.objects.filter(membership=membership).values_list("role", flat=True)
        ) - set(change.roles_removed)
        if remaining & accounts_access.STAFF_ROLES:
            return
        reason = "No longer holds a staff role at the school"
    rows = AccountMember.objects.filter(
        account__school_id=membership.school_id,
        user_id=membership.user_id,
        ended_at__isnull=True,
        flagged_at__isnull=True,
    )
    accounts = list(
        OfficialAccount.objects.filter(pk__in=rows.values("account_id")).select_related("school")
    )
    rows.update(flagged_at=timezone.now(), flag_reason=reason[:200])
    from accounts_registry.services import notify

    for account in accounts:
        notify.account_flagged(account)

"""Posts on official accounts. Every move between statuses goes through `post_transition` and its
one transition table (TRANSITIONS): no view or form can move a post past a step.

    draft / changes needed --submit--> submitted --agree--> agreed --approve--> approved
    approved --publish--> published --take_down--> taken down (closing a takedown task)
    submitted / agreed --request_changes--> changes needed;  --reject--> rejected

Submitting, approving and publishing run consent's check for the account's purpose (the pupils'
rows locked first, so a withdrawal recorded at the same moment is either seen by the check or
sees the published post); any blocked pupil blocks the move, with each pupil's reason. Drafting,
submitting and publishing need the person to have signed the current official-accounts AUP.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry import selectors
from accounts_registry.models import (
    OfficialAccount,
    Post,
    PostAction,
    PostEvent,
    PostImage,
    PostPupil,
    PostStatus,
)
from accounts_registry.services.common import clean_text, require
from consent.check import consent_check
from consent.models import Pupil
from socialgov.uploads.inspection import IMAGE_KINDS
from socialgov.uploads.services import stored_file_create

MAX_PUPILS = 200


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    allowed: Callable[..., bool]
    refusal: str
    checks_consent: bool = False
    needs_aup: bool = False
    needs_reason: bool = False


def _author(user, post: Post) -> bool:
    return post.author_id == user.pk and accounts_access.is_account_member(user, post.account)


def _never(user, post: Post) -> bool:
    return False


TRANSITIONS: dict[str, Transition] = {
    PostAction.SUBMIT: Transition(
        frozenset({PostStatus.DRAFT, PostStatus.CHANGES_NEEDED}),
        PostStatus.SUBMITTED,
        _author,
        "Only the author (still one of the account's people) submits a post.",
        checks_consent=True,
        needs_aup=True,
    ),
    PostAction.AGREE: Transition(
        frozenset({PostStatus.SUBMITTED}),
        PostStatus.AGREED,
        accounts_access.can_agree_post,
        "A second colleague agrees: another of the account's people or a leader, not the author.",
    ),
    PostAction.APPROVE: Transition(
        frozenset({PostStatus.AGREED}),
        PostStatus.APPROVED,
        accounts_access.can_approve_post,
        "The headteacher, deputy or SLT approve — never the author or the colleague who agreed; "
        "the deputy headteacher approves the headteacher's own post.",
        checks_consent=True,
    ),
    PostAction.REQUEST_CHANGES: Transition(
        frozenset({PostStatus.SUBMITTED, PostStatus.AGREED}),
        PostStatus.CHANGES_NEEDED,
        accounts_access.can_return_post,
        "Only whoever may agree or approve the post at this step asks for changes.",
        needs_reason=True,
    ),
    PostAction.REJECT: Transition(
        frozenset({PostStatus.SUBMITTED, PostStatus.AGREED}),
        PostStatus.REJECTED,
        accounts_access.can_return_post,
        "Only whoever may agree or approve the post at this step rejects it.",
        needs_reason=True,
    ),
    PostAction.PUBLISH: Transition(
        frozenset({PostStatus.APPROVED}),
        PostStatus.PUBLISHED,
        accounts_access.can_publish_post,
        "Only the author or one of the account's people marks an approved post published.",
        checks_consent=True,
        needs_aup=True,
    ),
    # Only closing a takedown task as "removed" takes a post down (services.takedowns).
    PostAction.TAKE_DOWN: Transition(
        frozenset({PostStatus.PUBLISHED}), PostStatus.TAKEN_DOWN, _never, "Close its takedown task."
    ),
}


def _require_aup(actor, school) -> None:
    status = selectors.aup_status(school)
    if not status.published:
        raise ValidationError(
            "The school has no published official-accounts acceptable use policy yet: nobody "
            "can post until the headteacher publishes it and it is signed."
        )
    if not status.has_signed(actor):
        raise ValidationError(
            "Sign the current official-accounts acceptable use policy first (Policies → to "
            "sign): nobody posts on an official account before they have."
        )


def _name_pattern(forename: str, surname: str) -> re.Pattern:
    words = r"\s+".join(re.escape(part) for part in f"{forename} {surname}".split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def pupils_named_in(text: str, pupils: Iterable[Pupil]) -> list[Pupil]:
    """Featured pupils whose first name and surname appear together in the text ("images, no
    names"): legal and preferred names both count."""
    named = []
    for pupil in pupils:
        pairs = {
            (pupil.legal_forename, pupil.legal_surname),
            (pupil.forename, pupil.surname),
            (pupil.forename, pupil.legal_surname),
            (pupil.legal_forename, pupil.surname),
        }
        if any(f and s and _name_pattern(f, s).search(text or "") for f, s in pairs):
            named.append(pupil)
    return named


def _check_dates(*dates: dt.date | None) -> list[dt.date]:
    today = timezone.localdate()
    return sorted({max(day, today) for day in dates if day is not None} | {today})


def consent_blockers(post: Post, pupil_ids: list[int], *dates: dt.date | None) -> list[str]:
    """Each blocked pupil with the reason (the first date that blocks them), in name order."""
    blocked: dict[int, str] = {}
    purpose = post.account.consent_purpose
    for day in _check_dates(*dates):
        for result in consent_check(pupils=pupil_ids, purpose=purpose, on=day).blocking:
            if result.pupil.pk in blocked:
                continue
            when = "" if day == timezone.localdate() else f" on {day:%d/%m/%Y}"
            blocked[result.pupil.pk] = (
                f"{result.pupil.display_name} may not appear for {purpose.name}{when}: "
                f"{result.reason.label if result.reason else ''}."
            )
    return list(blocked.values())


def _lock_pupils(ids: Iterable[int]) -> None:
    list(Pupil.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk"))


def _validate_pupils(account: OfficialAccount, pupils) -> list[Pupil]:
    pupils = list({pupil.pk: pupil for pupil in pupils or []}.values())
    if any(pupil.school_id != account.school_id for pupil in pupils):
        raise ValidationError({"pupils": ["Choose pupils of the account's school."]})
    if len(pupils) > MAX_PUPILS:
        raise ValidationError({"pupils": [f"A post shows at most {MAX_PUPILS} pupils."]})
    return pupils


def _validate_draft(text: str, planned_on) -> dict[str, list[str]]:
    errors = {}
    if not clean_text(text):
        errors["text"] = ["Write the post's text."]
    if not isinstance(planned_on, dt.date):
        errors["planned_on"] = ["Enter the planned date, like 01/09/2026."]
    return errors


@transaction.atomic
def post_create(
    *,
    account: OfficialAccount,
    actor,
    text: str,
    planned_on: dt.date,
    pupils=(),
    submission_key: str = "",
    images=(),
) -> Post:
    """A draft on an account by one of its people who has signed the AUP. The same form posted
    twice (its `submission_key`) makes one draft."""
    account = (
        OfficialAccount.objects.select_for_update().select_related("school").get(pk=account.pk)
    )
    require(
        accounts_access.can_draft_on(actor, account),
        "Only the account's administrators and authorised posters draft posts on it.",
    )
    errors = _validate_draft(text, planned_on)
    if errors:
        raise ValidationError(errors)
    _require_aup(actor, account.school)
    pupils = _validate_pupils(account, pupils)
    if submission_key:
        existing = Post.objects.filter(author=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    post = Post(
        school=account.school,
        account=account,
        author=actor,
        text=text.strip(),
        planned_on=planned_on,
        submission_key=submission_key[:64],
    )
    post._history_user = actor
    post.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        return Post.objects.get(author=actor, submission_key=submission_key)
    PostPupil.objects.bulk_create(PostPupil(post=post, pupil=pupil) for pupil in pupils)
    for upload, description in images:
        post_image_add(post=post, actor=actor, upload=upload, description=description)
    return post


def _lock_post(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("school", "account", "account__consent_purpose", "author")
        .get(pk=post.pk)
    )


@transaction.atomic
def post_update(*, post: Post, actor, text: str, planned_on: dt.date, pupils=()) -> Post:
    """Edit a draft (or one sent back for changes): its author only."""
    post = _lock_post(post)
    if not post.is_editable:
        raise ValidationError("Only a draft, or a post sent back for changes, can be edited.")
    require(post.author_id == actor.pk, "Only the author edits a post.")
    errors = _validate_draft(text, planned_on)
    if errors:
        raise ValidationError(errors)
    pupils = _validate_pupils(post.account, pupils)
    post.text, post.planned_on = text.strip(), planned_on
    post.names_acknowledged = False
    post._history_user = actor
    post.full_clean(validate_constraints=False)
    post.save()
    wanted = {pupil.pk for pupil in pupils}
    post.shown.exclude(pupil_id__in=wanted).delete()
    have = set(post.shown.values_list("pupil_id", flat=True))
    PostPupil.objects.bulk_create(PostPupil(post=post, pupil_id=pk) for pk in wanted - have)
    return post


@transaction.atomic
def post_image_add(*, post: Post, actor, upload, description: str = "") -> PostImage:
    """An image on a draft: checked by content, its metadata and GPS removed (uploads core)."""
    post = _lock_post(post)
    if not post.is_editable:
        raise ValidationError("Images are added to drafts only.")
    require(post.author_id == actor.pk, "Only the author adds images.")
    stored = stored_file_create(
        school=post.school, uploaded_by=actor, upload=upload, allowed=IMAGE_KINDS
    )
    return PostImage.objects.create(
        post=post, stored_file=stored, description=clean_text(description)[:200]
    )


@transaction.atomic
def post_transition(
    *,
    post: Post,
    actor,
    action: str,
    reason: str = "",
    acknowledge_names: bool = False,
    published_url: str = "",
    published_on: dt.date | None = None,
) -> Post:
    """Move a post one step (TRANSITIONS), or refuse with a message saying why."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError("That is not a step a post can take.")
    post = _lock_post(post)
    if post.status not in transition.sources:
        raise ValidationError(
            f"This post is “{post.get_status_display()}”: it cannot be "
            f"{PostAction(action).label.lower()} now."
        )
    require(transition.allowed(actor, post), transition.refusal)
    reason = clean_text(reason)
    errors: dict[str, list[str]] = {}
    if transition.needs_reason and not reason:
        errors["reason"] = ["Write the reason: the author sees it."]
    if action == PostAction.PUBLISH:
        errors.update(_publish_errors(published_url, published_on))
    if errors:
        raise ValidationError(errors)
    if transition.needs_aup:
        _require_aup(actor, post.school)
    pupil_ids = list(post.shown.values_list("pupil_id", flat=True))
    if transition.checks_consent and pupil_ids:
        _lock_pupils(pupil_ids)
        blockers = consent_blockers(
            post, pupil_ids, published_on if action == PostAction.PUBLISH else post.planned_on
        )
        if blockers:
            raise ValidationError({"pupils": blockers}, code="consent")
    if action == PostAction.SUBMIT:
        named = pupils_named_in(post.text, Pupil.objects.filter(pk__in=pupil_ids))
        if named and not acknowledge_names:
            names = ", ".join(pupil.display_name for pupil in named)
            raise ValidationError(
                {
                    "acknowledge_names": [
                        f"The text names {names} in full beside their image (“images, no "
                        "names”). Take the surname out, or tick to confirm it is right."
                    ]
                },
                code="names",
            )
        post.names_acknowledged = bool(named)
    from_status = post.status
    post.status = transition.target
    if action == PostAction.SUBMIT:
        post.agreed_by = post.approved_by = None
    elif action == PostAction.AGREE:
        post.agreed_by = actor
    elif action == PostAction.APPROVE:
        post.approved_by = actor
    elif action == PostAction.PUBLISH:
        post.published_by = actor
        post.published_url = published_url.strip()
        post.published_on = published_on
    post._history_user = actor
    post.full_clean()
    post.save()
    PostEvent.objects.create(
        post=post,
        action=action,
        from_status=from_status,
        to_status=post.status,
        actor=actor,
        reason=reason,
    )
    from accounts_registry.services import notify

    notify.post_moved(post, action=action, actor=actor)
    return post


def _publish_errors(published_url: str, published_on) -> dict[str, list[str]]:
    from django.core.validators import URLValidator

    errors = {}
    try:
        URLValidator(schemes=["https", "http"])(clean_text(published_url))
    except ValidationError:
        errors["published_url"] = ["Enter the post's web address, starting https://"]
    if not isinstance(published_on, dt.date):
        errors["published_on"] = ["Enter the date it was published, like 01/09/2026."]
    elif published_on > timezone.localdate():
        errors["published_on"] = ["The publication date cannot be in the future."]
    return errors


def post_take_down(*, post: Post, actor) -> Post:
    """Mark a published post taken down (called by takedown_close inside its transaction)."""
    post = _lock_post(post)
    if post.status != PostStatus.PUBLISHED:
        return post
    post.status = PostStatus.TAKEN_DOWN
    post._history_user = actor
    post.save()
    PostEvent.objects.create(
        post=post,
        action=PostAction.TAKE_DOWN,
        from_status=PostStatus.PUBLISHED,
        to_status=PostStatus.TAKEN_DOWN,
        actor=actor,
    )
    return post

"""Helpers that build official accounts, posts and their AUP through the services (shared by the
accounts tests and tests/url_cases.py). Everything stays in the account's school."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts_registry import services
from accounts_registry.models import MemberRole, OfficialAccount, Post, PostAction
from policies.models import PolicyKind
from socialgov.people.roles import StaffGroup
from tests.consent.factories import record, social_media
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign

AUP_TEXT = (
    "# Running an official account\n\n"
    "Post only what the school has approved.\n\n"
    "1. Keep pupils' full names away from their images.\n"
    "2. Keep the sign-in details in the school's vault.\n"
)


def accounts_aup(school, headteacher):
    """The school's published official-accounts AUP (its version)."""
    policy = policy_for(
        school,
        headteacher,
        kind=PolicyKind.OFFICIAL_ACCOUNTS_AUP,
        title="Official accounts acceptable use policy",
        signer_groups=[StaffGroup.TEACHER, StaffGroup.SUPPORT],
    )
    return published_version_for(policy, headteacher, text=AUP_TEXT)


def sign_aup(version, *people):
    for person in people:
        sign(version, person)


def request_fields(school, administrators, moderator, **overrides):
    fields = {
        "platform": "instagram",
        "proposed_name": "@willowbank_sport",
        "team": "PE department",
        "purpose": "Celebrate sport fixtures and clubs.",
        "aims": "Share results and encourage pupils to join clubs.",
        "proposed_content": "Match reports, photos of teams (no names), club times.",
        "audience": ["families", "public"],
        "host": "Meta",
        "go_live_on": timezone.localdate() + dt.timedelta(days=30),
        "security_measures": "Two-factor on; sign-in details in the school vault.",
        "risk_assessment": "Comments moderated daily; pupils never named beside images.",
        "administrators": administrators,
        "moderator": moderator,
        "consent_purpose": social_media(school),
    }
    fields.update(overrides)
    return fields


def account_for(school, headteacher, administrators, *, posters=(), name="Willow Bank Sport"):
    """An approved account with `administrators` (two or more) and `posters`."""
    request = services.account_request_submit(
        school=school,
        actor=administrators[0],
        **request_fields(school, list(administrators), administrators[0], proposed_name=name),
    )
    services.account_request_decide(request=request, actor=headteacher, approve=True)
    account = OfficialAccount.objects.get(request=request)
    for poster in posters:
        services.account_member_add(
            account=account, actor=headteacher, user=poster, role=MemberRole.POSTER
        )
    return account


def granted_pupil(school, office, purpose=None, **fields):
    from tests.consent.factories import pupil_for

    pupil = pupil_for(school, office, **fields)
    record(pupil, purpose or social_media(school), office)
    return pupil


def draft(account, author, pupils=(), text="Our netball team won the county cup!", **kw):
    return services.post_create(
        account=account,
        actor=author,
        text=text,
        planned_on=kw.pop("planned_on", timezone.localdate()),
        pupils=list(pupils),
        **kw,
    )


def through(post: Post, *steps) -> Post:
    """Take the post through (action, actor[, extra]) steps."""
    for step in steps:
        action, actor, *extra = step
        post = services.post_transition(
            post=post, actor=actor, action=action, **(extra[0] if extra else {})
        )
    return post


def published(post: Post, author, colleague, approver) -> Post:
    return through(
        post,
        (PostAction.SUBMIT, author),
        (PostAction.AGREE, colleague),
        (PostAction.APPROVE, approver),
        (
            PostAction.PUBLISH,
            author,
            {
                "published_url": "https://instagram.example/p/1",
                "published_on": timezone.localdate(),
            },
        ),
    )

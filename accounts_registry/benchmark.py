"""Official accounts in the benchmark (socialgov.benchmark.registry): 4 accounts per school
weight (about 200 at trust scale), 20 posts each in every state (about 4,000), three pupils shown
on each published post; the registry list, the approval queue and a post page for the
headteacher; the consent check at submit for a post showing 30 pupils; the daily takedown sweep
over the trust."""

from __future__ import annotations

import datetime as dt
import time

from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import (
    AccountMember,
    AccountStatus,
    MemberRole,
    OfficialAccount,
    Post,
    PostPupil,
    PostStatus,
)
from socialgov.benchmark.registry import (
    GENERATORS,
    JOBS,
    PAGES,
    Bench,
    Generator,
    JobCase,
    Page,
    PageKind,
    Scale,
)
from socialgov.people.roles import Role

ACCOUNTS_PER_WEIGHT = 4
POSTS_PER_ACCOUNT = 20
PUPILS_PER_POST = 3
STATUSES = [
    PostStatus.DRAFT,
    PostStatus.SUBMITTED,
    PostStatus.AGREED,
    PostStatus.APPROVED,
    PostStatus.PUBLISHED,
    PostStatus.PUBLISHED,
    PostStatus.PUBLISHED,
    PostStatus.CHANGES_NEEDED,
    PostStatus.REJECTED,
]


def _accounts(scale: Scale) -> int:
    return ACCOUNTS_PER_WEIGHT * sum(scale.weights)


def _promised(scale: Scale) -> dict[str, int]:
    accounts = _accounts(scale)
    return {"official accounts": accounts, "official posts": accounts * POSTS_PER_ACCOUNT}


def _counted(bench: Bench) -> dict[str, int]:
    return {
        "official accounts": OfficialAccount.objects.filter(school__trust=bench.trust).count(),
        "official posts": Post.objects.filter(school__trust=bench.trust).count(),
    }


def generate(bench: Bench) -> None:
    from consent.models import Pupil, Purpose, PurposeKind

    if OfficialAccount.objects.filter(school__trust=bench.trust).exists():
        return
    today = timezone.localdate()
    accounts, members, planned = [], [], []
    per_school = bench.scale.per_school(_accounts(bench.scale))
    for school, count in zip(bench.schools, per_school, strict=True):
        purpose = Purpose.objects.filter(school=school, kind=PurposeKind.SOCIAL_MEDIA).first()
        if purpose is None:
            continue
        staff = bench.person(school, Role.STAFF)
        for number in range(count):
            accounts.append(
                OfficialAccount(
                    school=school,
                    platform=["facebook", "instagram", "x", "youtube"][number % 4],
                    name=f"{school.name} account {number + 1}",
                    purpose="News for families.",
                    consent_purpose=purpose,
                    status=AccountStatus.LIVE,
                    two_factor_on=True,
                    review_due_on=today + dt.timedelta(days=30 + number),
                )
            )
            planned.append((school, staff))
    accounts = bench.bulk_create(OfficialAccount, accounts)
    posts = []
    for account, (school, staff) in zip(accounts, planned, strict=True):
        members.append(AccountMember(account=account, user=staff, role=MemberRole.ADMINISTRATOR))
        head = bench.person(school, Role.HEADTEACHER)
        for number in range(POSTS_PER_ACCOUNT):
            status = STATUSES[number % len(STATUSES)]
            published = status == PostStatus.PUBLISHED
            posts.append(
                Post(
                    school=school,
                    account=account,
                    author=staff,
                    text=f"News item {number + 1}: the school's week in pictures.",
                    planned_on=today - dt.timedelta(days=number),
                    status=status,
                    agreed_by=head
                    if status in (PostStatus.APPROVED, PostStatus.PUBLISHED)
                    else None,
                    approved_by=head
                    if status in (PostStatus.APPROVED, PostStatus.PUBLISHED)
                    else None,
                    published_by=staff if published else None,
                    published_url=f"https://social.example/{account.pk}/{number}"
                    if published
                    else "",
                    published_on=today - dt.timedelta(days=number) if published else None,
                )
            )
    bench.bulk_create(AccountMember, members)
    posts = bench.bulk_create(Post, posts)
    pupils_by_school: dict[int, list[int]] = {}
    for pupil_id, school_id in Pupil.objects.filter(school__trust=bench.trust).values_list(
        "pk", "school_id"
    ):
        pupils_by_school.setdefault(school_id, []).append(pupil_id)
    shown = []
    for post in posts:
        if post.status != PostStatus.PUBLISHED:
            continue
        pupils = pupils_by_school.get(post.school_id, [])
        for pupil_id in bench.rng.sample(pupils, min(PUPILS_PER_POST, len(pupils))):
            shown.append(PostPupil(post=post, pupil_id=pupil_id))
    bench.bulk_create(PostPupil, shown)


GENERATORS.register(
    Generator(
        name="official accounts", generate=generate, promised=_promised, counted=_counted, order=400
    )
)


def _a_post(bench: Bench, school) -> Post:
    return Post.objects.filter(school=school, status=PostStatus.PUBLISHED).order_by("pk").first()


for page in (
    Page(
        name="official accounts registry (headteacher)",
        path=lambda bench, school: reverse("accounts_home"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=400,
    ),
    Page(
        name="official accounts approval queue (headteacher)",
        path=lambda bench, school: reverse("accounts_approval_queue"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=401,
    ),
    Page(
        name="official post page (headteacher)",
        path=lambda bench, school: reverse(
            "accounts_post_detail", args=[_a_post(bench, school).pk]
        ),
        as_role=Role.HEADTEACHER,
        kind=PageKind.DETAIL,
        order=402,
    ),
):
    PAGES.register(page)


def run_consent_check(bench: Bench) -> str:
    """The consent check at submit for a post showing 30 pupils (the large school)."""
    from accounts_registry.services.posts import consent_blockers
    from consent.models import Pupil

    post = _a_post(bench, bench.large)
    ids = list(Pupil.objects.filter(school=bench.large).values_list("pk", flat=True)[:30])
    started = time.perf_counter()
    blockers = consent_blockers(post, ids, timezone.localdate())
    took = (time.perf_counter() - started) * 1000
    return f"30 pupils checked in {took:.1f} ms ({len(blockers)} blocked)"


def run_sweep(bench: Bench) -> str:
    from accounts_registry.services import takedowns_sweep

    result = takedowns_sweep()
    return f"{result.posts_checked:,} published posts checked, {result.created:,} tasks created"


JOBS.register(
    JobCase(name="official posts: consent check of 30 pupils", run=run_consent_check, order=400)
)
JOBS.register(JobCase(name="official posts: daily takedown sweep", run=run_sweep, order=401))

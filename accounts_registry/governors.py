"""Official accounts in the governors' report and the trust roll-up (socialgov.reports): the
accounts with their reviews, posts published, and takedowns (counts and time to close). No pupil
or member of staff is named; an account is named by its own public name."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count as DbCount
from django.db.models import Max, Q
from django.utils import timezone

from accounts_registry.models import (
    AccountStatus,
    MemberRole,
    OfficialAccount,
    Post,
    PostStatus,
    TakedownTask,
)
from socialgov.dates import end_of_day
from socialgov.reports.registry import (
    Bar,
    Chart,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
)


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "–"


def _days(seconds: float) -> str:
    days = seconds / 86400
    return f"{days:.1f} days"


def accounts_section(school, period: Period) -> SectionContent:
    """Accounts with their last review and administrators (1 query), posts (1), takedowns (1)."""
    on = period.as_of(timezone.localdate())
    accounts = list(
        OfficialAccount.objects.filter(school=school)
        .annotate(
            last_reviewed_on=Max("reviews__reviewed_on"),
            administrators=DbCount(
                "members",
                filter=Q(members__role=MemberRole.ADMINISTRATOR, members__ended_at=None),
                distinct=True,
            ),
        )
        .order_by("name", "pk")
    )
    statuses = Counter(a.status for a in accounts)
    in_use = [a for a in accounts if a.status != AccountStatus.CLOSED]
    overdue = sum(a.review_due_on < on for a in in_use)
    few_admins = sum(a.administrators < 2 for a in in_use)
    reviewed = sum(
        bool(a.last_reviewed_on and period.starts_on <= a.last_reviewed_on <= period.ends_on)
        for a in accounts
    )
    published = Post.objects.filter(
        school=school,
        status__in=[PostStatus.PUBLISHED, PostStatus.TAKEN_DOWN],
        published_on__range=(period.starts_on, period.ends_on),
    ).count()
    start = timezone.make_aware(dt.datetime.combine(period.starts_on, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.ends_on + dt.timedelta(1), dt.time.min))
    takedowns = list(
        TakedownTask.objects.filter(school=school)
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(closed_at=None))
        .values_list("created_at", "closed_at", "due_on")
    )
    opened = [t for t in takedowns if start <= t[0] < end]
    closed = [t for t in opened if t[1] is not None]
    still_open = sum(1 for t in takedowns if t[1] is None)
    late = sum(1 for t in takedowns if t[1] is None and t[2] < on)
    mean_close = (
        _days(sum((c - o).total_seconds() for o, c, _d in closed) / len(closed)) if closed else "–"
    )
    return SectionContent(
        intro=(
            "The school's official social media accounts, their yearly reviews, and the posts "
            "taken down when a pupil's consent changed. No pupil or member of staff is named."
        ),
        figures=[
            Figure("Accounts in use", len(in_use)),
            Figure("Reviews overdue", overdue, tone="alert" if overdue else ""),
            Figure(
                "Accounts with fewer than two administrators",
                few_admins,
                tone="alert" if few_admins else "",
            ),
            Figure("Accounts reviewed in the period", reviewed),
            Figure("Posts published in the period", published),
            Figure("Takedowns in the period", len(opened)),
            Figure("Average time to close a takedown", mean_close),
            Figure("Takedowns open now", still_open, tone="alert" if late else ""),
        ],
        charts=[
            Chart(
                "Accounts by status",
                [Bar(label, statuses[value]) for value, label in AccountStatus.choices],
                unit="accounts",
            )
        ]
        if accounts
        else [],
        tables=[
            Table(
                "accounts",
                "Official accounts",
                ["Account", "Platform", "Status", "Last review", "Next review", "Administrators"],
                [
                    [
                        a.name,
                        a.get_platform_display(),
                        a.get_status_display(),
                        _date(a.last_reviewed_on),
                        _date(a.review_due_on),
                        a.administrators,
                    ]
                    for a in accounts
                ],
                numeric=frozenset({5}),
                empty="The school has no official accounts yet.",
            ),
        ],
    )


def accounts_rollup(schools: Sequence, period: Period) -> dict[int, list[Figure]]:
    """Per school: takedowns open at the end of the period's last day (or of today, if sooner):
    made by then and not closed by then (one query for all the schools)."""
    ends = end_of_day(period.as_of(timezone.localdate()))
    open_by = dict(
        TakedownTask.objects.filter(school__in=[s.pk for s in schools], created_at__lt=ends)
        .filter(Q(closed_at=None) | Q(closed_at__gte=ends))
        .values_list("school_id")
        .annotate(n=DbCount("pk"))
        .values_list("school_id", "n")
    )
    return {
        school.pk: [
            Figure(
                "Takedowns open",
                open_by.get(school.pk, 0),
                tone="alert" if open_by.get(school.pk) else "",
            )
        ]
        for school in schools
    }


ACCOUNTS_SECTION = ReportSection(
    name="accounts",
    title="Official accounts and takedowns",
    build=accounts_section,
    rollup=accounts_rollup,
    order=300,
)

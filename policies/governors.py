"""Policies in the governors' report and the trust roll-up (socialgov.reports): the schedule of
policies and their reviews and ratification, and AUP coverage by staff group (totals only;
groups of fewer than 3 people are not shown as figures, as on the coverage pages)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from policies.models import (
    Policy,
    PolicyKind,
    PolicyVersion,
    Ratification,
    Signature,
    VersionStatus,
)
from policies.rules import (
    Member,
    is_required,
    named_besides,
    prime_signers_besides,
    signature_counts,
)
from policies.selectors.coverage import (
    FEWER_THAN,
    NOT_SHOWN,
    coverage_totals_for_school,
    secondary_suppressed,
    signable_published_versions,
)
from policies.selectors.reviews import ATTENTION_DAYS
from socialgov.needs_me import Headline, SummaryFigure
from socialgov.people.models import Membership, MembershipRole
from socialgov.reports.registry import (
    Bar,
    Chart,
    Figure,
    Period,
    ReportSection,
    SectionContent,
    Table,
    percent,
)

AUP_KINDS = frozenset({PolicyKind.STAFF_AUP, PolicyKind.OFFICIAL_ACCOUNTS_AUP})


def _review_state(next_review_on: dt.date | None, on: dt.date) -> str:
    if next_review_on is None:
        return "No review date"
    if next_review_on < on:
        return "Overdue for review"
    if next_review_on <= on + dt.timedelta(days=ATTENTION_DAYS):
        return "Review due soon"
    return "Up to date"


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "–"


def policies_section(school, period: Period) -> SectionContent:
    """Policies (1 query), published versions (1), ratifications in force (1), and AUP coverage
    (coverage_totals_for_school: 4)."""
    on = period.as_of(timezone.localdate())
    policies = list(
        Policy.objects.filter(school=school)
        .annotate(
            last_reviewed_on=Max("reviews__reviewed_on", filter=Q(reviews__withdrawn_at=None))
        )
        .order_by("title", "pk")
    )
    published = dict(
        PolicyVersion.objects.filter(
            policy__school=school, status=VersionStatus.PUBLISHED
        ).values_list("policy_id", "number")
    )
    ratified = dict(
        Ratification.objects.filter(
            version__policy__school=school,
            version__status=VersionStatus.PUBLISHED,
            superseded_at=None,
        ).values_list("version__policy_id", "meeting_date")
    )
    start, end = period.starts_on, period.ends_on
    rows, overdue, due_soon, reviewed, ratified_in_period = [], 0, 0, 0, 0
    for policy in policies:
        state = _review_state(policy.next_review_on, on)
        overdue += state == "Overdue for review"
        due_soon += state == "Review due soon"
        reviewed += bool(policy.last_reviewed_on and start <= policy.last_reviewed_on <= end)
        ratified_on = ratified.get(policy.pk)
        ratified_in_period += bool(ratified_on and start <= ratified_on <= end)
        number = published.get(policy.pk)
        rows.append(
            [
                policy.title,
                f"Published (version {number})" if number else "Not yet published",
                _date(policy.last_reviewed_on),
                _date(policy.next_review_on),
                state,
                _date(ratified_on),
            ]
        )

    coverage_rows, coverage_bars = [], []
    for totals in coverage_totals_for_school(school, on=on):
        if totals.version.policy.kind not in AUP_KINDS:
            continue
        title = totals.version.policy.title
        if not totals.overall.is_small:
            coverage_bars.append(Bar(title, totals.overall.percent))
        secondary = secondary_suppressed(totals.by_group)
        for total in [totals.overall, *totals.by_group]:
            if total.is_small:
                signed, required, share = "–", f"fewer than {FEWER_THAN}", "–"
            elif total.label in secondary:
                signed, required, share = "–", NOT_SHOWN, "–"
            else:
                signed, required = str(total.signed), str(total.required)
                share = percent(total.signed, total.required)
            coverage_rows.append([title, total.label, signed, required, share])
    return SectionContent(
        intro=(
            f"Every policy of the school with its review and ratification, as on "
            f"{on:%d/%m/%Y}; and how many of the staff who must sign each acceptable use "
            "policy have signed its current version."
        ),
        figures=[
            Figure("Policies", len(policies)),
            Figure("Overdue for review", overdue, tone="alert" if overdue else ""),
            Figure(f"Review due within {ATTENTION_DAYS} days", due_soon),
            Figure("Reviewed in the period", reviewed),
            Figure("Ratified in the period", ratified_in_period),
        ],
        charts=[Chart("Acceptable use policies signed", coverage_bars, unit="%", maximum=100)]
        if coverage_bars
        else [],
        tables=[
            Table(
                "schedule",
                "Policy schedule",
                ["Policy", "Status", "Last review", "Next review", "Review", "Ratified on"],
                rows,
                empty="The school has no policies yet.",
            ),
            Table(
                "aup-coverage",
                "Acceptable use policies: signed by staff group",
                ["Policy", "Staff group", "Signed", "Must sign", "Signed (%)"],
                coverage_rows,
                numeric=frozenset({2, 3, 4}),
                empty="No acceptable use policy is published yet.",
                note=(
                    f"Groups of fewer than {FEWER_THAN} people are not shown as figures. Where "
                    "such a group could be worked out from the total and the other groups, the "
                    f"next smallest group is {NOT_SHOWN} either."
                ),
            ),
        ],
    )


def aup_coverage_by_school(school_ids: Sequence[int], on: dt.date) -> dict[int, tuple[int, int]]:
    """(signed, must sign) person-policy pairs over the published AUPs of each school, for the
    roll-up: five queries whatever the number of schools (policies.rules decides who signs; the
    people running official accounts, for the official-accounts AUP, are loaded in one)."""
    ids = set(school_ids)
    versions = signable_published_versions(with_counting=True, school_ids=ids, kinds=AUP_KINDS)
    if not versions:
        return {}
    prime_signers_besides(v.policy for v in versions)
    members = Membership.objects.current(on).filter(school_id__in=ids)
    roles: dict[int, set[str]] = defaultdict(set)
    for membership_id, role in MembershipRole.objects.filter(
        membership__in=members.values("pk")
    ).values_list("membership_id", "role"):
        roles[membership_id].add(role)

    # By school, and within it by staff group and roles: the rule is asked once per kind of
    # member, besides the people another app names (as coverage_totals_for_school does).
    kinds: dict[int, dict[tuple[str, frozenset[str]], list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pk, user_id, school_id, group in members.values_list(
        "pk", "user_id", "school_id", "staff_group"
    ):
        kinds[school_id][(group, frozenset(roles.get(pk, ())))].append(user_id)
    # Which versions' signatures count for each, asked of the rows here (signature_counts):
    # one signature_counts_q per version OR'd together costs Django more to build than the
    # database to answer, for every AUP of the trust.
    windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for v in versions:
        windows[v.policy_id].append((v.counting_from, v.number))  # type: ignore[attr-defined]
    signed: dict[int, set[int]] = defaultdict(set)
    for policy_id, number, signer_id in (
        Signature.objects.filter(version__policy_id__in=sorted(windows))
        .order_by()  # no default ordering: DISTINCT over the three columns only
        .values_list("version__policy_id", "version__number", "signer_id")
        .distinct()
    ):
        if any(signature_counts(number, last, first) for first, last in windows[policy_id]):
            signed[policy_id].add(signer_id)
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for version in versions:
        school_id = version.policy.school_id
        signers = signed[version.policy_id]
        named = named_besides(version.policy)
        for (group, role_names), user_ids in kinds[school_id].items():
            # user id 0 is nobody: is the kind itself required, whoever is named besides?
            if is_required(version.policy, Member(0, school_id, group, role_names)):
                required = user_ids
            else:
                required = [user_id for user_id in user_ids if user_id in named]
            if required:
                pair = result[school_id]
                pair[0] += sum(user_id in signers for user_id in required)
                pair[1] += len(required)
    return {school_id: (pair[0], pair[1]) for school_id, pair in result.items()}


def policies_rollup(schools: Sequence, period: Period) -> dict[int, list[Figure]]:
    """Per school: policies overdue for review, and AUP coverage (five queries in all)."""
    on = period.as_of(timezone.localdate())
    ids = [s.pk for s in schools]
    overdue: dict[int, int] = defaultdict(int)
    for school_id in Policy.objects.filter(school_id__in=ids, next_review_on__lt=on).values_list(
        "school_id", flat=True
    ):
        overdue[school_id] += 1
    coverage = aup_coverage_by_school(ids, on)
    result = {}
    for school in schools:
        signed, required = coverage.get(school.pk, (0, 0))
        small = 0 < required < FEWER_THAN  # a share of one or two people would name them
        result[school.pk] = [
            Figure(
                "Policies overdue for review",
                overdue[school.pk],
                tone="alert" if overdue[school.pk] else "",
            ),
            Figure(
                "AUP signed",
                f"fewer than {FEWER_THAN}" if small else percent(signed, required),
                chart_percent=round(100 * signed / required) if required and not small else None,
            ),
        ]
    return result


POLICIES_SECTION = ReportSection(
    name="policies",
    title="Policies, reviews and acceptable use",
    build=policies_section,
    rollup=policies_rollup,
    order=100,
)


def _headline_aup(membership) -> Headline | None:
    """Leaders' summary strip: AUP coverage of the school, as person-policy pairs over its
    published AUPs (those who see coverage), from the coverage totals the coverage panel reads
    too (four queries, none if the panel has already drawn them)."""
    from policies.access import can_see_coverage
    from policies.needs_me import coverage_totals_today

    if not can_see_coverage(membership.user, membership.school):
        return None
    aups = [
        totals.overall
        for totals in coverage_totals_today(membership.school)
        if totals.version.policy.kind in AUP_KINDS
    ]
    signed = sum(total.signed for total in aups)
    required = sum(total.required for total in aups)
    if not required:
        return None
    share = round(100 * signed / required)
    return Headline(
        "Acceptable use policies signed",
        f"{share}%",
        reverse("policy_list"),
        tone="alert" if share < 90 else "",
    )


def _headline_overdue(membership) -> Headline | None:
    """Leaders' summary strip: policies overdue for review (those who see coverage; 1 query)."""
    from policies.access import can_see_coverage

    if not can_see_coverage(membership.user, membership.school):
        return None
    overdue = Policy.objects.filter(
        school_id=membership.school_id, next_review_on__lt=timezone.localdate()
    ).count()
    return Headline(
        "Policies overdue for review",
        str(overdue),
        reverse("policy_list"),
        tone="alert" if overdue else "",
    )


SUMMARY_FIGURES = [
    SummaryFigure("policies.aup_signed", _headline_aup, order=100),
    SummaryFigure("policies.overdue", _headline_overdue, order=110),
]

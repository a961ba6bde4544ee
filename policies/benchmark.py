"""The benchmark's policies (socialgov.benchmark.registry): in every school six policies with a
superseded and a published version (and a draft awaiting approval), staff signatures of the
staff AUP, the policies pages and the signed AUP PDF."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from policies.models import (
    ChangeSize,
    Policy,
    PolicyKind,
    PolicyVersion,
    Signature,
    VersionStatus,
)
from policies.text import markdown_to_html, text_sha256
from socialgov.benchmark.registry import (
    GENERATORS,
    PAGES,
    PDFS,
    Bench,
    Generator,
    Page,
    PageKind,
    PdfCase,
    Scale,
)
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup

STAFF = [StaffGroup.TEACHER, StaffGroup.SUPPORT]
POLICIES = [
    (PolicyKind.STAFF_AUP, "Staff acceptable use policy", STAFF, []),
    (PolicyKind.SOCIAL_MEDIA, "Social media policy", STAFF, []),
    (
        PolicyKind.OFFICIAL_ACCOUNTS_AUP,
        "Official accounts acceptable use policy",
        [],
        ["marketing_officer"],
    ),
    (PolicyKind.MOBILE_TECHNOLOGY, "Mobile and smart technology policy", [], []),
    (PolicyKind.ONLINE_SAFETY, "Online safety policy", [], []),
    (PolicyKind.IMAGE_USE, "Image use policy", [], []),
]

SECTIONS = [
    (
        "Why this policy exists",
        "School devices, accounts and networks are provided for teaching, "
        "learning and running the school",
    ),
    (
        "Who it applies to",
        "Everyone who works in or for the school, paid or voluntary, on site or from home",
    ),
    (
        "Accounts and passwords",
        "Each person has their own account and keeps its password to themselves",
    ),
    (
        "Devices",
        "School laptops and tablets are kept locked when unattended and are never lent to pupils",
    ),
    (
        "E-mail and messaging",
        "Staff contact pupils and parents only through the school's own systems",
    ),
    (
        "Social media",
        "Personal accounts are kept private and never used to contact pupils or their families",
    ),
    (
        "Images of pupils",
        "Photographs are taken on school devices only and only of pupils whose consent is recorded",
    ),
    (
        "Personal data",
        "Records about pupils and staff stay inside the school's systems and "
        "are shared only as the law allows",
    ),
    (
        "Filtering and monitoring",
        "The school's filtering and monitoring protect pupils; staff report "
        "anything they see that it misses",
    ),
    (
        "Reporting concerns",
        "Any worry about a pupil's safety online is reported to the designated "
        "safeguarding lead the same day",
    ),
    (
        "Working from home",
        "School work done at home uses school accounts and is never saved on family devices",
    ),
    (
        "Breaches of this policy",
        "A breach is taken seriously and may be dealt with under the school's "
        "disciplinary procedure",
    ),
]


def policy_text(version: int) -> str:
    """About four printed pages of policy text (fictional, written for the benchmark)."""
    parts = [f"# Acceptable use, version {version}\n"]
    for number, (heading, lead) in enumerate(SECTIONS, start=1):
        parts.append(f"## {number}. {heading}\n")
        parts.append(
            f"{lead}. This section explains what that means day to day and what to do when in "
            "doubt. Ask the headteacher or the designated safeguarding lead if anything here is "
            "unclear; nobody is expected to know every detail by heart.\n"
        )
        parts.append(
            "1. Follow the school's procedures and keep records where they say so.\n"
            "2. Think before sharing: once something is online it cannot be taken back.\n"
            "3. Tell someone at once when something goes wrong, so it can be put right.\n"
        )
        parts.append(
            "The school reviews this section every year with staff, governors and pupils, and "
            "changes it when technology or the law changes.\n"
        )
    return "\n".join(parts)


def _signature_numbers(signers: int) -> list[int]:
    """Which version each of a school's signers signed, in order: 8 in 10 the published one,
    1 in 10 only the superseded one (asked to sign again), 1 in 10 neither."""
    return [2 if i % 10 < 8 else 1 if i % 10 == 8 else 0 for i in range(signers)]


def _promised(scale: Scale) -> dict[str, int]:
    from socialgov.people.benchmark import rosters

    signers = [
        sum(1 for _, group, has_left in members if group in STAFF and not has_left)
        for members in rosters(scale)
    ]
    return {
        "policies": scale.schools * len(POLICIES),
        "policy versions": scale.schools * (len(POLICIES) * 2 + 1),
        "signatures": sum(1 for n in signers for v in _signature_numbers(n) if v),
    }


def _counted(bench: Bench) -> dict[str, int]:
    policies = Policy.objects.filter(school__trust=bench.trust)
    return {
        "policies": policies.count(),
        "policy versions": PolicyVersion.objects.filter(policy__in=policies).count(),
        "signatures": Signature.objects.filter(school__trust=bench.trust).count(),
    }


def generate(bench: Bench) -> None:
    if Policy.objects.filter(school__trust=bench.trust).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    texts = {}
    for number in (1, 2, 3):
        html = markdown_to_html(policy_text(number))
        texts[number] = (policy_text(number), html, text_sha256(html))
    heads = {
        m.school_id: m.user
        for m in Membership.objects.current()
        .filter(school__trust=bench.trust, roles__role=Role.HEADTEACHER)
        .select_related("user")
    }
    policies = []
    for school in bench.schools:
        for index, (kind, title, groups, roles) in enumerate(POLICIES):
            policies.append(
                Policy(
                    school=school,
                    kind=kind,
                    title=title,
                    owner=heads[school.pk],
                    signer_groups=groups,
                    signer_roles=roles,
                    # One overdue for review in every school.
                    next_review_on=today + dt.timedelta(days=-10 if index == 3 else 200 + index),
                )
            )
    policies = bench.bulk_create(Policy, policies)
    versions = []
    for policy in policies:
        head = heads[policy.school_id]
        for number, status in ((1, VersionStatus.SUPERSEDED), (2, VersionStatus.PUBLISHED)):
            markdown, html, sha = texts[number]
            versions.append(
                PolicyVersion(
                    policy=policy,
                    number=number,
                    change=ChangeSize.MAJOR,
                    status=status,
                    body_markdown=markdown,
                    body_html=html,
                    text_sha256=sha,
                    created_by=head,
                    submitted_at=now - dt.timedelta(days=400 - 300 * (number - 1)),
                    approved_by=head,
                    approved_at=now - dt.timedelta(days=399 - 300 * (number - 1)),
                    published_at=now - dt.timedelta(days=398 - 300 * (number - 1)),
                    superseded_at=now - dt.timedelta(days=98) if number == 1 else None,
                )
            )
        if policy.kind == PolicyKind.SOCIAL_MEDIA:
            markdown, html, _ = texts[3]
            versions.append(
                PolicyVersion(
                    policy=policy,
                    number=3,
                    change=ChangeSize.MINOR,
                    status=VersionStatus.AWAITING_APPROVAL,
                    body_markdown=markdown,
                    body_html=html,
                    created_by=head,
                    submitted_at=now - dt.timedelta(days=2),
                )
            )
    versions = bench.bulk_create(PolicyVersion, versions)
    aup = {
        (v.policy.school_id, v.number): v
        for v in versions
        if v.policy.kind == PolicyKind.STAFF_AUP and v.number in (1, 2)
    }
    signatures = []
    signers = (
        Membership.objects.current()
        .filter(school__trust=bench.trust, staff_group__in=STAFF)
        .select_related("user")
        .order_by("pk")
    )
    by_school: dict[int, list[Membership]] = {}
    for membership in signers:
        by_school.setdefault(membership.school_id, []).append(membership)
    for school_id, members in by_school.items():
        for membership, number in zip(members, _signature_numbers(len(members)), strict=True):
            if not number:
                continue
            version = aup[(school_id, number)]
            signatures.append(
                Signature(
                    version=version,
                    signer=membership.user,
                    school_id=school_id,
                    signed_at=version.published_at + dt.timedelta(days=bench.rng.randint(1, 60)),
                    text_sha256=version.text_sha256,
                    statement="I have read and understood this policy and agree to follow it.",
                    typed_name=membership.user.full_name,
                    ip_address="192.0.2.20",
                )
            )
    bench.bulk_create(Signature, signatures)


GENERATORS.register(
    Generator(name="policies", generate=generate, promised=_promised, counted=_counted, order=100)
)


def _policy(school, kind=PolicyKind.STAFF_AUP) -> Policy:
    return Policy.objects.get(school=school, kind=kind)


def _published_aup(school) -> PolicyVersion:
    return PolicyVersion.objects.get(policy=_policy(school), status=VersionStatus.PUBLISHED)


for page in (
    Page(
        name="policy list",
        path=lambda bench, school: reverse("policy_list"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=30,
    ),
    Page(
        name="policy page",
        path=lambda bench, school: reverse("policy_detail", args=[_policy(school).pk]),
        as_role=Role.HEADTEACHER,
        kind=PageKind.DETAIL,
        order=31,
    ),
    Page(
        name="coverage page (staff AUP)",
        path=lambda bench, school: reverse("version_coverage", args=[_published_aup(school).pk]),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=32,
    ),
    Page(
        name="coverage overview",
        path=lambda bench, school: reverse("coverage_overview"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=33,
    ),
    Page(
        name="to sign (staff)",
        path=lambda bench, school: reverse("to_sign_list"),
        as_role=Role.STAFF,
        kind=PageKind.LIST,
        order=34,
    ),
):
    PAGES.register(page)


def render_signed_aup(bench: Bench) -> bytes:
    from policies.services import signature_pdf_bytes

    signature = (
        Signature.objects.filter(version=_published_aup(bench.large))
        .select_related("version__policy", "signer", "school")
        .order_by("pk")
        .first()
    )
    return signature_pdf_bytes(signature=signature)


PDFS.register(PdfCase(name="signed staff AUP", render=render_signed_aup))

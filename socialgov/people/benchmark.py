"""The benchmark's people (socialgov.benchmark.registry): the trust, its schools and staff, the
people pages and the staff import of 2,000 rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse

from socialgov.benchmark.registry import (
    GENERATORS,
    IMPORTS,
    PAGES,
    TRUST_EXECUTIVE,
    TRUST_NAME,
    URN_BASE,
    Bench,
    Generator,
    ImportCase,
    Page,
    PageKind,
    Scale,
)
from socialgov.people.models import (
    JoinInvitation,
    Membership,
    MembershipRole,
    School,
    Trust,
    TrustMembership,
    User,
)
from socialgov.people.roles import PRIVILEGED_ROLES, Role, StaffGroup

# One named holder of each role in every school (the people the benchmark signs in as).
NAMED_ROLES = [
    (Role.HEADTEACHER, StaffGroup.TEACHER),
    (Role.DEPUTY_HEADTEACHER, StaffGroup.TEACHER),
    (Role.DSL, StaffGroup.TEACHER),
    (Role.DEPUTY_DSL, StaffGroup.TEACHER),
    (Role.SLT, StaffGroup.TEACHER),
    (Role.OFFICE, StaffGroup.SUPPORT),
    (Role.DPO, StaffGroup.SUPPORT),
    (Role.NETWORK_MANAGER, StaffGroup.SUPPORT),
    (Role.MARKETING_OFFICER, StaffGroup.SUPPORT),
    (Role.CHAIR_OF_GOVERNORS, StaffGroup.GOVERNOR),
    (Role.SAFEGUARDING_GOVERNOR, StaffGroup.GOVERNOR),
    (Role.CLERK, StaffGroup.GOVERNOR),
    (Role.GOVERNOR, StaffGroup.GOVERNOR),
]
LEAVER_SHARE = 0.05  # former staff, on top of the current ones
FIRST_NAMES = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Arthur",
    "Ivy",
    "Leo",
    "Grace",
    "Oscar",
    "Freya",
    "Harry",
    "Lily",
    "Jack",
    "Aisha",
    "Mohammed",
    "Zara",
    "Yusuf",
    "Priya",
    "Arjun",
    "Chloe",
    "Dylan",
    "Megan",
    "Rhys",
    "Sian",
    "Callum",
    "Niamh",
    "Eilidh",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Khan",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Hughes",
    "Green",
    "Lewis",
    "Edwards",
    "Clarke",
    "Begum",
    "Murphy",
    "Campbell",
    "Kelly",
    "Ahmed",
    "Hall",
]
BENCH_DOMAIN = "benchmark.example.org.uk"


def staff_email(school_index: int, number: int) -> str:
    return f"s{school_index + 1:02d}.{number:05d}@{BENCH_DOMAIN}"


def _name(bench: Bench) -> str:
    return f"{bench.rng.choice(FIRST_NAMES)} {bench.rng.choice(SURNAMES)}"


def roster(current: int, former: int) -> list[tuple[str, str, bool]]:
    """(role, staff group, has left) for each member of a school: the named role holders first,
    then a fixed pattern (per 20: one governor, five support staff, fourteen teachers), then
    the former staff. Fixed, so other generators can promise exact counts."""
    members = []
    for number in range(current + former):
        if number < len(NAMED_ROLES):
            role, group = NAMED_ROLES[number]
        elif number % 20 == 0:
            role, group = Role.GOVERNOR, StaffGroup.GOVERNOR
        elif number % 20 <= 5:
            role, group = Role.STAFF, StaffGroup.SUPPORT
        else:
            role, group = Role.STAFF, StaffGroup.TEACHER
        members.append((role, group, number >= current))
    return members


def rosters(scale: Scale) -> list[list[tuple[str, str, bool]]]:
    return [
        roster(current, former)
        for current, former in zip(
            scale.per_school(scale.staff), scale.per_school(scale.staff * LEAVER_SHARE), strict=True
        )
    ]


def _promised(scale: Scale) -> dict[str, int]:
    leavers = sum(scale.per_school(scale.staff * LEAVER_SHARE))
    return {
        "trusts": 1,
        "schools": scale.schools,
        "current staff": scale.staff,
        "former staff": leavers,
        "logins": scale.staff + leavers + 1,  # and the trust executive
    }


def _counted(bench: Bench) -> dict[str, int]:
    memberships = Membership.objects.filter(school__trust__name=TRUST_NAME)
    return {
        "trusts": Trust.objects.filter(name=TRUST_NAME).count(),
        "schools": School.objects.filter(trust__name=TRUST_NAME).count(),
        "current staff": memberships.current().count(),
        "former staff": memberships.filter(leaving_date__isnull=False).count(),
        "logins": User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").count(),
    }


@transaction.atomic
def generate(bench: Bench) -> None:
    """The trust, its schools, and their staff and governors (current and former), in bulk."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if Trust.objects.filter(name=TRUST_NAME).exists():
        return
    scale = bench.scale
    trust = bench.bulk_create(Trust, [Trust(name=TRUST_NAME)])[0]
    schools = bench.bulk_create(
        School,
        [
            School(
                trust=trust,
                name=f"Benchmark School {index + 1:02d}",
                urn=str(URN_BASE + index + 1),
                address=f"{index + 1} Benchmark Road\nBenchtown\nBT1 {index + 1}AA",
                email_domains=BENCH_DOMAIN,
            )
            for index in range(scale.schools)
        ],
    )
    today = dt.date.today()
    unusable = make_password(None)
    users: list[User] = []
    memberships: list[Membership] = []
    roles: list[list[str]] = []
    for index, (school, members) in enumerate(zip(schools, rosters(scale), strict=True)):
        for number, (role, group, has_left) in enumerate(members):
            started = today - dt.timedelta(days=bench.rng.randint(30, 3650))
            left = None
            if has_left:
                left = today - dt.timedelta(days=bench.rng.randint(1, 25))
                started = min(started, left - dt.timedelta(days=1))
            users.append(
                User(email=staff_email(index, number), full_name=_name(bench), password=unusable)
            )
            memberships.append(
                Membership(
                    school=school,
                    staff_group=group,
                    job_title="",
                    start_date=started,
                    leaving_date=left,
                    leaving_reason="Moved to another school" if left else "",
                )
            )
            roles.append([role])
    executive = User(
        email=f"executive@{BENCH_DOMAIN}", full_name="Trust Executive", password=unusable
    )
    users = bench.bulk_create(User, [*users, executive])
    for user, membership in zip(users, memberships, strict=False):
        membership.user = user
    memberships = bench.bulk_create(Membership, memberships)
    bench.bulk_create(
        MembershipRole,
        [
            MembershipRole(membership=membership, role=role)
            for membership, held in zip(memberships, roles, strict=True)
            for role in held
        ],
    )
    bench.bulk_create(
        TrustMembership,
        [TrustMembership(trust=trust, user=users[-1], role=TRUST_EXECUTIVE, start_date=today)],
    )
    # An authenticator for everyone the benchmark signs in as with two-factor.
    needs_device = [
        membership.user
        for membership, held in zip(memberships, roles, strict=True)
        if set(held) & PRIVILEGED_ROLES and membership.leaving_date is None
    ] + [users[-1]]
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Benchmark authenticator", confirmed=True)
        for user in needs_device
    )


GENERATORS.register(
    Generator(name="people", generate=generate, promised=_promised, counted=_counted, order=0)
)


def _invitations(bench: Bench):
    return JoinInvitation.objects.filter(school__trust=bench.trust)


def generate_join_invitations(bench: Bench) -> None:
    """A member of staff of the large school is invited to join the small one, and one of the
    small school to join the large one: open invitations, as the join-invitation page shows."""
    if _invitations(bench).exists():
        return
    now = dt.datetime.now(dt.UTC)
    pairs = [(bench.large, bench.small), (bench.small, bench.large)]
    bench.bulk_create(
        JoinInvitation,
        [
            JoinInvitation(
                school=inviting,
                user=bench.person(home, Role.STAFF),
                created_by=bench.person(inviting, Role.HEADTEACHER),
                created_at=now,
                expires_at=now + dt.timedelta(days=14),
                staff_group=StaffGroup.TEACHER,
                job_title="Class teacher",
                start_date=now.date(),
                roles=[Role.STAFF],
            )
            for home, inviting in pairs
        ],
    )


GENERATORS.register(
    Generator(
        name="join invitations",
        generate=generate_join_invitations,
        promised=lambda scale: {"join invitations": 2},
        counted=lambda bench: {"join invitations": _invitations(bench).count()},
        order=1,
    )
)


PAGES.register(
    Page(
        name="people list",
        path=lambda bench, school: reverse("people_list"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=20,
    )
)
PAGES.register(
    Page(
        name="person page",
        path=lambda bench, school: reverse(
            "person_detail", args=[bench.person(school, Role.DSL).memberships.get().pk]
        ),
        as_role=Role.HEADTEACHER,
        kind=PageKind.DETAIL,
        order=21,
    )
)


def staff_import_rows(bench: Bench, rows: int) -> bytes:
    """A staff file of `rows` new people for the large school."""
    lines = ["name,email,staff group,roles,job title,start date"]
    for number in range(rows):
        lines.append(
            f"{_name(bench)},import.{number:05d}@{BENCH_DOMAIN},Teacher,Staff,Class teacher,"
        )
    return ("\n".join(lines) + "\n").encode()


IMPORT_ROWS = 2000


def run_staff_import(bench: Bench) -> str:
    """Preview and confirm a file of 2,000 new staff, as the office does it: the file is checked,
    then applied by its background job (in process here, as in the embedded default), the
    invitation e-mails included."""
    from socialgov.people import staff_import
    from socialgov.people.models import StaffImport

    school = bench.large
    actor = bench.person(school, Role.OFFICE)
    content = staff_import_rows(bench, IMPORT_ROWS)
    preview = staff_import.staff_import_preview(school=school, actor=actor, csv_bytes=content)
    outcome = staff_import.staff_import_confirm(school=school, actor=actor, preview=preview)
    if isinstance(outcome, StaffImport):
        outcome.refresh_from_db()
        counts = outcome.counts
        return (
            f"{IMPORT_ROWS:,} rows: {counts.get('new', 0):,} new ({outcome.get_status_display()})"
        )
    return f"{IMPORT_ROWS:,} rows: {outcome.new:,} new"


IMPORTS.register(
    ImportCase(name=f"staff CSV import, {IMPORT_ROWS:,} rows", run=run_staff_import, goal_seconds=5)
)
PAGES.register(
    Page(
        name="join invitation",
        path=lambda bench, school: reverse(
            "join_invitation",
            args=[_invitations(bench).get(user=bench.person(school, Role.STAFF)).pk],
        ),
        as_role=Role.STAFF,
        kind=PageKind.DETAIL,
        order=22,
    )
)

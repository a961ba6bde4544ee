"""The fictional demo trust: two schools and a person in every role (all text written for it)."""

import datetime as dt
import hashlib
import hmac
from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov import access
from socialgov.people.models import Membership, MembershipRole, School, Trust, TrustMembership, User
from socialgov.people.roles import Role, StaffGroup, TrustRole
from socialgov.twofactor.access import two_factor_required

DEMO_PASSWORD = "Harbour-lights-2026"
TRUST_NAME = "Riverside Learning Trust"

SCHOOLS = [
    {
        "key": "oak",
        "name": "Oakfield Primary School",
        "urn": "990101",
        "address": "1 Orchard Lane\nMillford\nMF1 2AB",
        "email_domains": "oakfield.example.org.uk",
        "domain": "oakfield.example.org.uk",
    },
    {
        "key": "brook",
        "name": "Brookside Academy",
        "urn": "990102",
        "address": "48 Canal Street\nMillford\nMF3 7CD",
        "email_domains": "brookside.example.org.uk",
        "domain": "brookside.example.org.uk",
    },
]

# (school key, local part, full name, staff group, roles)
PEOPLE = [
    ("oak", "head", "Helen Ashworth", StaffGroup.TEACHER, [Role.HEADTEACHER]),
    ("oak", "deputy", "Daniel Okafor", StaffGroup.TEACHER, [Role.DEPUTY_HEADTEACHER, Role.SLT]),
    ("oak", "dsl", "Priya Raman", StaffGroup.TEACHER, [Role.DSL, Role.SLT]),
    ("oak", "deputydsl", "Tom Gallagher", StaffGroup.TEACHER, [Role.DEPUTY_DSL]),
    ("oak", "slt", "Grace Whitfield", StaffGroup.TEACHER, [Role.SLT]),
    ("oak", "office", "Janet Moss", StaffGroup.SUPPORT, [Role.OFFICE]),
    ("oak", "dpo", "Martin Hale", StaffGroup.CONTRACTOR, [Role.DPO]),
    ("oak", "network", "Sam Kowalski", StaffGroup.SUPPORT, [Role.NETWORK_MANAGER]),
    ("oak", "marketing", "Leah Brennan", StaffGroup.SUPPORT, [Role.MARKETING_OFFICER]),
    ("oak", "teacher", "Owen Price", StaffGroup.TEACHER, [Role.STAFF]),
    ("oak", "ta", "Amira Haddad", StaffGroup.SUPPORT, [Role.STAFF]),
    ("oak", "volunteer", "Rita Fernandes", StaffGroup.VOLUNTEER, [Role.STAFF]),
    ("oak", "governor", "Colin Baxter", StaffGroup.GOVERNOR, [Role.GOVERNOR]),
    ("oak", "chair", "Margaret Ellis", StaffGroup.GOVERNOR, [Role.CHAIR_OF_GOVERNORS]),
    ("oak", "sgovernor", "Nadia Qureshi", StaffGroup.GOVERNOR, [Role.SAFEGUARDING_GOVERNOR]),
    ("oak", "clerk", "Peter Lund", StaffGroup.GOVERNOR, [Role.CLERK]),
    ("brook", "head", "Robert Clarke", StaffGroup.TEACHER, [Role.HEADTEACHER]),
    ("brook", "dsl", "Fiona MacLeod", StaffGroup.TEACHER, [Role.DSL]),
    ("brook", "office", "Karen Doyle", StaffGroup.SUPPORT, [Role.OFFICE]),
    ("brook", "teacher", "Ben Adeyemi", StaffGroup.TEACHER, [Role.STAFF]),
]

# Someone who works in both schools (shows the school switcher).
SHARED_PERSON = ("itsupport", "Chris Tan", StaffGroup.CONTRACTOR, [Role.NETWORK_MANAGER])
TRUST_PERSON = ("ceo", "Alison Reid", TrustRole.TRUST_EXECUTIVE)
TRUST_DOMAIN = "riverside-trust.example.org.uk"


def _person(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user


def _member(user: User, school: School, group: str, roles: list[str]) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user,
        school=school,
        defaults={"staff_group": group, "start_date": dt.date(2020, 9, 1)},
    )
    for role in roles:
        MembershipRole.objects.get_or_create(membership=membership, role=role)
    return membership


DEMO_AUTHENTICATOR = "Demo authenticator"


def demo_authenticator(user: User) -> TOTPDevice | None:
    """A confirmed authenticator with a fixed secret for a demo person who needs two-factor, so a
    tester can add the printed secret to an app; None for everyone else, and for a person who has
    since set up their own authenticator (theirs is left alone)."""
    access.forget_memberships(user)
    if not two_factor_required(user):
        return None
    # Derived from the e-mail address: the same secret on every run and machine. Demo data only.
    key = hmac.new(b"socialgov-demo-authenticator", user.email.encode(), hashlib.sha1).hexdigest()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=DEMO_AUTHENTICATOR, key=key, confirmed=True
        )
    elif device.name != DEMO_AUTHENTICATOR:
        return None
    elif device.key != key:
        device.key = key
        device.save(update_fields=["key"])
    return device


@transaction.atomic
def seed() -> list[dict]:
    """Create (or leave as it is) the demo trust. Returns the logins to print."""
    trust, _ = Trust.objects.get_or_create(name=TRUST_NAME)
    schools = {}
    for spec in SCHOOLS:
        school, _ = School.objects.get_or_create(
            urn=spec["urn"],
            defaults={
                "trust": trust,
                "name": spec["name"],
                "address": spec["address"],
                "email_domains": spec["email_domains"],
            },
        )
        schools[spec["key"]] = (school, spec["domain"])

    logins = []
    for key, local, full_name, group, roles in PEOPLE:
        school, domain = schools[key]
        user = _person(f"{local}@{domain}", full_name)
        _member(user, school, group, roles)
        logins.append(
            {
                "email": user.email,
                "name": full_name,
                "school": school.name,
                "roles": ", ".join(Role(r).label for r in roles),
            }
        )

    local, full_name, group, roles = SHARED_PERSON
    user = _person(f"{local}@{TRUST_DOMAIN}", full_name)
    for school, _domain in schools.values():
        _member(user, school, group, roles)
    logins.append(
        {
            "email": user.email,
            "name": full_name,
            "school": "both schools",
            "roles": ", ".join(Role(r).label for r in roles),
        }
    )

    local, full_name, role = TRUST_PERSON
    user = _person(f"{local}@{TRUST_DOMAIN}", full_name)
    TrustMembership.objects.get_or_create(user=user, trust=trust, defaults={"role": role})
    logins.append(
        {
            "email": user.email,
            "name": full_name,
            "school": trust.name,
            "roles": TrustRole(role).label,
        }
    )
    for row in logins:
        device = demo_authenticator(User.objects.get(email=row["email"]))
        if device is not None:
            row["totp_secret"] = b32encode(device.bin_key).decode("ascii")
            row["otpauth_uri"] = device.config_url
    return logins

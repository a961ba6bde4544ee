# ruff: noqa: E501 (policy prose: one clause per line reads better than wrapped Markdown)
"""Demo policies for the fictional Oakfield Primary School (text written for the demo).

Created through the real services: added and approved by the headteacher, published, one ratified
by the clerk, some staff signed and some not, one policy overdue for review. Idempotent: a policy
that already exists is left as it is.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from policies import access as policy_access
from policies import services
from policies.models import ChangeSize, Policy, PolicyKind, PolicyTemplate, ReviewCycle
from socialgov.people.models import School, Trust, User
from socialgov.people.roles import Role, StaffGroup

SOCIAL_MEDIA = """# Social media policy

## 1. Why we have this policy

1. Social media helps Oakfield share good news with families, but a careless post can put a child at risk or damage trust in the school.
2. This policy explains how staff, volunteers and governors use social media, in school and in their own time, where it touches on their role.
3. It sits alongside the staff acceptable use policy, the official accounts acceptable use policy and the safeguarding policy.

## 2. Personal accounts

1. Do not accept or send friend or follow requests to pupils, or to former pupils under 18.
2. Think carefully before connecting with parents. If you already know a parent outside school, keep school matters out of it.
3. Do not post anything about pupils, their families or school incidents, even without names.
4. Set your accounts to private and check the settings each term.
5. You may say where you work, but do not speak for the school.

## 3. Pictures of pupils

1. Only use school devices to take pictures of pupils.
2. Check the consent register before a child appears in anything shared outside the classroom.
3. Never post pictures of pupils on a personal account.

## 4. When something goes wrong

1. If you see something online that worries you about a pupil, tell the designated safeguarding lead the same day.
2. If you are targeted or criticised online because of your job, do not reply. Keep a screenshot and tell the headteacher.
3. Breaches of this policy may be dealt with under the staff disciplinary procedure.
"""

STAFF_AUP = """# Staff acceptable use policy

This agreement covers everyone who uses Oakfield's devices, network or accounts: teachers, support staff, volunteers and contractors.

## 1. Accounts and passwords

1. Use only your own account, and never share your password.
2. Use a password of at least three random words, and a different one for your school e-mail.
3. Lock your screen whenever you step away, even for a minute.

## 2. Devices

1. School laptops and tablets are for school work. Family members may not use them.
2. Do not install software yourself; ask the network manager.
3. Report a lost or stolen device to the office the same day.

## 3. Personal information

1. Keep pupil information on school systems only: never on a personal phone, USB stick or home computer.
2. Send personal information by school e-mail only, and check the address before you press send.
3. Tell the data protection officer at once if personal information goes to the wrong person.

## 4. Monitoring

1. The school filters and monitors its network and devices to keep pupils safe.
2. Monitoring may show what you searched for or visited; concerns are passed to the headteacher.

| What | Who to tell | When |
| --- | --- | --- |
| A safeguarding worry | Designated safeguarding lead | The same day |
| A lost device | The office | The same day |
| Information sent to the wrong person | Data protection officer | Straight away |
"""

OFFICIAL_ACCOUNTS_AUP = """# Official accounts acceptable use policy

These are the expectations for staff who run or post on Oakfield's official social media accounts.

## 1. Who may post

1. Only people the headteacher has approved may post on an official account.
2. Each person has their own login; shared passwords are not allowed.
3. Two-factor sign-in is switched on for every account.

## 2. Before you post

1. Check the consent register for every child who can be recognised, including from the back or by their name on a peg.
2. Use first names only, and never together with a picture of the same child.
3. Leave out anything that shows where a child lives or travels, such as a house, a car registration or a uniform badge on a school trip.
4. Posts about trips, events or anything sensitive are approved by a member of the senior leadership team first.

## 3. Comments and messages

1. Do not reply to complaints on social media. Invite the family to contact the office.
2. Hide comments that name a child or a member of staff, and tell the headteacher.

| Account | Run by | Approves posts |
| --- | --- | --- |
| School news page | Marketing officer | Senior leadership team |
| Sports page | PE lead | Deputy headteacher |
"""

MOBILE_TECHNOLOGY = """# Mobile and smart technology policy

## 1. Pupils

1. Pupils in Years 5 and 6 who walk home alone may bring a phone. It is switched off and handed in at the office at the start of the day.
2. Smart watches that can take pictures or send messages are treated as phones.
3. A phone used in school is kept by the office until a parent collects it.

## 2. Staff and volunteers

1. Keep your phone out of sight and on silent when pupils are present.
2. Make or take personal calls in the staff room or the office only.
3. Never use a personal phone to take pictures of pupils or to contact families.

## 3. Visitors

1. Visitors are asked at reception not to use phones where pupils are present.
2. Contractors working in school keep phones in their pockets unless they are needed for the work.

## 4. On trips

1. The trip leader carries a school phone for contacting the school and families.
2. Staff may carry their own phones for emergencies only.

| Who | Phones in class | Pictures of pupils |
| --- | --- | --- |
| Pupils | Handed in at the office | Never |
| Staff | Out of sight, on silent | School devices only |
| Visitors | Not used | Never |
"""

ONLINE_SAFETY_TEMPLATE = """# Online safety policy for {{ school_name }}

## 1. Who is responsible

1. The headteacher, {{ headteacher }}, makes sure this policy is followed.
2. The designated safeguarding lead, {{ dsl }}, leads on online safety. Deputies: {{ deputy_dsls }}.
3. News from the school is shared only through {{ official_channels }}.

## 2. Teaching online safety

1. Every class has online safety lessons each term, planned across the school.
2. Families are offered a session on keeping children safe online each year.

## 3. Review

This policy is next reviewed by {{ review_date }}.
"""

# (title, kind, text, owner local part, signer groups, signer roles, signed by local parts)
POLICIES = [
    (
        "Social media policy",
        PolicyKind.SOCIAL_MEDIA,
        SOCIAL_MEDIA,
        "dsl",
        [],
        [],
        [],
    ),
    (
        "Staff acceptable use policy",
        PolicyKind.STAFF_AUP,
        STAFF_AUP,
        "network",
        [StaffGroup.TEACHER, StaffGroup.SUPPORT, StaffGroup.VOLUNTEER, StaffGroup.CONTRACTOR],
        [],
        ["teacher", "ta", "office"],
    ),
    (
        "Official accounts acceptable use policy",
        PolicyKind.OFFICIAL_ACCOUNTS_AUP,
        OFFICIAL_ACCOUNTS_AUP,
        "marketing",
        [],
        [Role.MARKETING_OFFICER, Role.SLT],
        ["marketing"],
    ),
    (
        "Mobile and smart technology policy",
        PolicyKind.MOBILE_TECHNOLOGY,
        MOBILE_TECHNOLOGY,
        "deputy",
        [StaffGroup.TEACHER, StaffGroup.SUPPORT, StaffGroup.VOLUNTEER],
        [],
        ["teacher"],
    ),
]
OVERDUE_TITLE = "Mobile and smart technology policy"
# The DSL's minor update of the social media policy waits for the headteacher's approval, so the
# headteacher's dashboard and notifications show a step waiting for them.
AWAITING_TITLE = "Social media policy"
AWAITING_ADDITION = """
## 5. Live streaming

1. Only stream school events from an official account, with the headteacher's agreement.
2. Check the consent register for every pupil who could appear before the stream starts.
"""
AWAITING_SUMMARY = "Adds a section on live streaming school events."
RATIFIED_TITLE = "Social media policy"
DOMAIN = "oakfield.example.org.uk"


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


@transaction.atomic
def seed_policies() -> list[str]:
    """Create Oakfield's demo policies and the trust's demo template; the titles created."""
    school = School.objects.get(urn="990101")  # Oakfield (socialgov.people.demo)
    head, clerk = _person("head"), _person("clerk")
    today = timezone.localdate()
    created = []
    for title, kind, text, owner, groups, roles, signers in POLICIES:
        if Policy.objects.filter(school=school, title=title).exists():
            continue
        overdue = title == OVERDUE_TITLE
        # The overdue policy is one whose annual review was missed three weeks ago.
        policy = services.policy_create(
            school=school,
            actor=head,
            kind=kind,
            title=title,
            owner=_person(owner),
            review_cycle_months=ReviewCycle.ANNUAL,
            signer_groups=groups,
            signer_roles=roles,
            next_review_on=today - dt.timedelta(days=20) if overdue else None,
        )
        if not overdue:
            policy.next_review_on = services.default_next_review_on(policy, today)
            policy.save(update_fields=["next_review_on"])
        version = services.version_create_draft(policy=policy, actor=head, body_markdown=text)
        services.version_submit(version=version, actor=head)
        # The headteacher wrote it, so the deputy head or the chair approves it (the setting).
        approver = policy_access.version_approvers(version)[0]
        services.version_approve(version=version, actor=approver)
        services.version_publish(version=version, actor=head)
        if title == RATIFIED_TITLE:
            services.version_ratify(
                version=version,
                actor=clerk,
                meeting_date=today,  # not before its approval (just now)
                minute_reference="FGB 2026/27 item 7",
            )
        for local in signers:
            signer = _person(local)
            services.signature_create(
                version=version, signer=signer, typed_name=signer.full_name, agreed=True
            )
        created.append(title)
    _seed_awaiting_approval(school)

    trust = Trust.objects.get(name="Riverside Learning Trust")
    PolicyTemplate.objects.get_or_create(
        trust=trust,
        title="Online safety policy",
        defaults={
            "issuer": trust.name,
            "kind": PolicyKind.ONLINE_SAFETY,
            "body_markdown": ONLINE_SAFETY_TEMPLATE,
            "is_published": True,
            "created_by": User.objects.get(email="ceo@riverside-trust.example.org.uk"),
        },
    )
    return created


def _seed_awaiting_approval(school: School) -> None:
    policy = Policy.objects.get(school=school, title=AWAITING_TITLE)
    if policy.versions.count() > 1:
        return
    dsl = _person("dsl")
    draft = services.version_create_draft(
        policy=policy,
        actor=dsl,
        body_markdown=SOCIAL_MEDIA + AWAITING_ADDITION,
        change=ChangeSize.MINOR,
        change_summary=AWAITING_SUMMARY,
    )
    services.version_submit(version=draft, actor=dsl)


def seed_policies_line() -> str:
    """The demo seeder (socialgov.demo): Oakfield's policies, and what was added."""
    created = seed_policies()
    if created:
        return f"Demo policies added: {', '.join(created)}."
    return "Demo policies are already in place."

"""Demo official accounts for Oakfield Primary School of the fictional Riverside Learning Trust
(names and words written for the demo): two live accounts, a request waiting for the marketing
officer, posts in every state, and one open takedown (a parent withdrew consent for a pupil shown
in a published post).

Created through the real services by the school's people. Idempotent: a school that already has
accounts is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts_registry import services
from accounts_registry.models import AccountRequest, MemberRole, OfficialAccount, PostAction
from accounts_registry.selectors import OFFICIAL_ACCOUNTS_AUP
from consent import services as consent_services
from consent.models import Outcome, Pupil, Purpose, PurposeKind
from policies import selectors as policy_selectors
from policies import services as policy_services
from socialgov.people.models import School, User

URN = "990101"
DOMAIN = "oakfield.example.org.uk"


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def _sign_aup(school, people) -> None:
    for version in policy_selectors.signable_published_versions(school):
        if version.policy.kind != OFFICIAL_ACCOUNTS_AUP:
            continue
        signed = policy_selectors.valid_signers_of(version)
        for person in people:
            if person.pk not in signed:
                policy_services.signature_create(
                    version=version, signer=person, typed_name=person.full_name, agreed=True
                )


def _approved_account(school, head, requester, admins, **fields) -> OfficialAccount:
    request = services.account_request_submit(
        school=school, actor=requester, administrators=admins, moderator=admins[0], **fields
    )
    marketing = _person("marketing")
    if request.requested_by != marketing:
        services.account_request_brand_decide(
            request=request, actor=marketing, approve=True, note="Use the school crest and colours."
        )
    services.account_request_decide(request=request, actor=head, approve=True)
    return OfficialAccount.objects.get(request=request)


def _fields(consent_purpose, **kw):
    base = {
        "team": "Office and marketing",
        "purpose": "News, events and celebrations for families and the community.",
        "consent_purpose": consent_purpose,
        "aims": "Tell families what is happening; celebrate pupils' work without naming them.",
        "proposed_content": "Event notices, class photos with general captions, term dates.",
        "audience": ["families", "public"],
        "host": "Meta Platforms",
        "go_live_on": timezone.localdate() - dt.timedelta(days=200),
        "security_measures": "Two-factor sign-in; sign-in details in the school's password "
        "manager; two administrators.",
        "risk_assessment": "Comments moderated each school day; posts checked against image "
        "consent; no pupil's full name beside an image.",
    }
    base.update(kw)
    return base


@transaction.atomic
def seed_accounts() -> int:
    school = School.objects.get(urn=URN)
    if OfficialAccount.objects.filter(school=school).exists():
        return 0
    head, deputy, slt = _person("head"), _person("deputy"), _person("slt")
    # The school's official-accounts AUP is signed by the marketing officer and the SLT
    # (policies' demo): they run the accounts; the deputy (SLT too) and the headteacher approve.
    marketing, dsl = _person("marketing"), _person("dsl")
    office, ta = _person("office"), _person("ta")
    purpose = Purpose.objects.get(school=school, kind=PurposeKind.SOCIAL_MEDIA)
    _sign_aup(school, [marketing, slt, dsl])

    news = _approved_account(
        school, head, marketing, [marketing, slt],
        platform="facebook", proposed_name="Oakfield Primary School", **_fields(purpose),
    )  # fmt: skip
    services.account_member_add(account=news, actor=head, user=dsl, role=MemberRole.POSTER)
    services.account_update(
        account=news, actor=marketing, status="live", url="https://facebook.example/oakfieldprimary",
        registered_email=f"office@{DOMAIN}", linked_from_website=True, two_factor_on=True,
        credentials_kept="The school's password manager, folder 'Official accounts' (office and "
        "marketing officer).",
    )  # fmt: skip
    sport = _approved_account(
        school, head, slt, [slt, marketing],
        platform="instagram", proposed_name="@oakfield_sport",
        **_fields(purpose, team="PE", purpose="Fixtures, results and clubs.",
                  proposed_content="Team photos with general captions, results, club times."),
    )  # fmt: skip
    services.account_update(
        account=sport, actor=slt, status="live", url="https://instagram.example/oakfield_sport",
        registered_email=f"pe@{DOMAIN}", two_factor_on=True,
        credentials_kept="The school's password manager, folder 'PE'.",
    )  # fmt: skip
    # A request waiting for the marketing officer.
    services.account_request_submit(
        school=school, actor=ta, administrators=[ta, slt], moderator=ta,
        **_fields(purpose, platform="blog", proposed_name="Oakfield Eco Club blog", team="Eco club",
                  purpose="What the eco club grows, builds and recycles.",
                  audience=["pupils", "families"], pupil_ages="7 to 11",
                  parental_consent="The school's image consent register (social media purpose).",
                  go_live_on=timezone.localdate() + dt.timedelta(days=21)),
    )  # fmt: skip

    today = timezone.localdate()
    allowed = [
        result.pupil
        for result in consent_services.consent_check(
            pupils=Pupil.objects.filter(school=school), purpose=purpose, on=today
        ).results.values()
        if result.allowed
    ]
    group = allowed[:3]

    def post(account, author, text, pupils=(), days=0):
        return services.post_create(
            account=account, actor=author, text=text, pupils=list(pupils),
            planned_on=today + dt.timedelta(days=days),
        )  # fmt: skip

    def step(p, action, actor, **kw):
        return services.post_transition(post=p, actor=actor, action=action, **kw)

    def publish(p, author, agree, approver, url, days_ago=0):
        p = step(p, PostAction.SUBMIT, author)
        p = step(p, PostAction.AGREE, agree)
        p = step(p, PostAction.APPROVE, approver)
        return step(
            p, PostAction.PUBLISH, author, published_url=url,
            published_on=today - dt.timedelta(days=days_ago),
        )  # fmt: skip

    post(news, dsl, "Harvest festival next Friday: donations to the hall by Thursday.", days=7)
    step(
        post(news, dsl, "Year 4 visited the science museum today.", group[:2], days=1),
        PostAction.SUBMIT, dsl,
    )  # fmt: skip
    step(
        step(post(news, marketing, "Our new library opens on Monday!", days=3),
             PostAction.SUBMIT, marketing),
        PostAction.AGREE, slt,
    )  # fmt: skip
    returned = step(post(sport, slt, "Cross-country results are in.", days=2),
                    PostAction.SUBMIT, slt)  # fmt: skip
    step(returned, PostAction.REQUEST_CHANGES, marketing,
         reason="Add the date of the next race and crop the photo.")  # fmt: skip
    approved = step(post(sport, slt, "Netball club starts again after half term.", days=1),
                    PostAction.SUBMIT, slt)  # fmt: skip
    step(step(approved, PostAction.AGREE, marketing), PostAction.APPROVE, deputy)
    rejected = step(post(news, dsl, "Look at this funny video from the trip!"),
                    PostAction.SUBMIT, dsl)  # fmt: skip
    step(step(rejected, PostAction.AGREE, marketing), PostAction.REJECT, head,
         reason="Not the school's voice; keep trip videos for the parents' portal.")  # fmt: skip
    publish(
        post(news, marketing, "Term dates for next year are on the website."),
        marketing,
        slt,
        head,
        "https://facebook.example/oakfieldprimary/posts/101",
        12,
    )
    # A published post that a parent's later withdrawal affects: an open takedown for the
    # account's administrators.
    shown = group[2:3] or group[:1]
    publish(post(sport, slt, "Well done to our football team on a great season.", shown),
            slt, marketing, head, "https://instagram.example/p/oakfield-football", 5)  # fmt: skip
    if shown:
        consent_services.consent_decision_record(
            pupil=shown[0], purpose=purpose, actor=office, outcome=Outcome.WITHDRAWN,
            given_by="parent_carer", carer_name=f"Mark {shown[0].legal_surname}",
            relationship="father", method="email", received_on=today,
            note="E-mail to the office: no more photos online, please.",
        )  # fmt: skip
    return 2


def seed_accounts_line() -> str:
    """The demo seeder (socialgov.demo)."""
    if not seed_accounts():
        return "Demo official accounts are already in place."
    pending = AccountRequest.objects.filter(school__urn=URN, status="submitted").count()
    return (
        f"Demo official accounts added: 2 live accounts, {pending} request waiting, posts in "
        "every state and an open takedown."
    )

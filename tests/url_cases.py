"""What the URL walk (tests/test_url_walk.py) needs to know about each URL pattern.

Every named URL pattern must appear in exactly one place here, or the walk fails:
- PUBLIC: reachable without signing in (kept short on purpose).
- OBJECT_URLS: patterns with arguments, each an `ObjectURL`: how to make an object of school A
  (the `school` fixture) and who it is for, and what a person of school A *without* the role gets
  (`colleague`: the `colleague` fixture, plain staff). The walk proves that an outsider from
  school B gets a 404, that the colleague gets what is declared, and that the person it is for
  gets a 200 (or the declared redirect) - with nothing written to the database by a GET.
Patterns without arguments need no entry: the walk proves anonymous visitors are sent to sign in.
Action views (`socialgov.access.require_POST`) are walked with POST; every GET of them is a 405.
Django admin patterns are walked separately (anonymous → admin login; staff → not allowed).
"""

from collections.abc import Callable
from dataclasses import dataclass

# What a same-school person without the role gets.
HIDDEN = 404  # the gateway hides the object from them (as from an outsider)
REFUSED = 403  # they may know it exists, but this page or action is not theirs
OPEN = 200  # the page is for everyone in the school


@dataclass(frozen=True)
class ObjectURL:
    # The pytest `request` -> the URL kwargs of an object in school A
    # (use `request.getfixturevalue("headteacher")` etc.).
    kwargs: Callable[..., dict]
    # What `colleague` gets (HIDDEN, REFUSED or OPEN): for a GET, and for a POST too unless OPEN.
    colleague: int
    # The fixture of the person the URL is for: their GET (an action view's POST) answers 200...
    who: str = "headteacher"
    # ...or, when it legitimately redirects, a 302 to this URL name.
    redirect: str | None = None


# GETs that write on purpose, with why (every other GET writes nothing but the session and the
# access log). Keep this short: a page that changes something on a GET is a bug.
GET_WRITES = {
    "notification_open": "links in e-mails are GETs: opening one marks the notification read",
    "signature_pdf": "renders and stores the signed PDF when the background task has not yet",
}

PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "invitation_accept",
}


def _school(request):
    return {"pk": request.getfixturevalue("school").pk}


def _notification(request):
    """A notification of school A's headteacher (another person's: 404 for everyone else)."""
    from socialgov.notifications.services import notification_send

    headteacher = request.getfixturevalue("headteacher")
    school = request.getfixturevalue("school")
    notification = notification_send(
        recipient=headteacher, kind="notice", url=f"/schools/{school.pk}/", school=school
    )
    return {"pk": notification.pk}


def _staff_membership(request):
    """The membership of a plain member of staff of school A (the headteacher may reset it)."""
    staff = request.getfixturevalue("staff")
    return {"membership_pk": staff.memberships.get().pk}


def _membership(request):
    """The membership of school A's member of staff (its history: headteacher and office)."""
    return {"pk": request.getfixturevalue("staff").memberships.get().pk}


def _join_invitation(request):
    """School A's invitation to the sister school's headteacher, who has a login already (only
    they see it: 404 for everyone else, school A's own people included)."""
    import datetime

    from socialgov.people.roles import StaffGroup
    from socialgov.people.services import join_invitation_create

    invitation = join_invitation_create(
        school=request.getfixturevalue("school"),
        user=request.getfixturevalue("sister_head"),
        actor=request.getfixturevalue("headteacher"),
        staff_group=StaffGroup.TEACHER,
        roles={"staff"},
        start_date=datetime.date(2026, 9, 1),
    )
    return {"pk": invitation.pk}


def _staff_import(request):
    """A finished staff import of school A, by its headteacher."""
    from socialgov.people.models import StaffImport

    job = StaffImport.objects.create(
        school=request.getfixturevalue("school"),
        created_by=request.getfixturevalue("headteacher"),
        file_name="staff.csv",
        digest="0" * 64,
        status=StaffImport.Status.DONE,
        total=2,
        done=2,
        counts={"new": 2, "joined": 0, "updated": 0, "unchanged": 0, "not_imported": 0},
    )
    return {"pk": job.pk}


def _school_with_logo(request):
    """School A with a logo in private storage (a school without one has a 404 logo URL)."""
    from tests.uploads.images import give_school_a_logo

    school = request.getfixturevalue("school")
    give_school_a_logo(school)
    return {"pk": school.pk}


def _policy(request):
    """A policy of school A with a published version 1 (policies: managing pages)."""
    from tests.policies.factories import policy_for, published_version_for

    headteacher = request.getfixturevalue("headteacher")
    policy = policy_for(request.getfixturevalue("school"), headteacher, title="Walk policy")
    published_version_for(policy, headteacher)
    return {"pk": policy.pk}


def _published_version(request):
    from policies.models import PolicyVersion

    policy_pk = _policy(request)["pk"]
    return {"pk": PolicyVersion.objects.get(policy_id=policy_pk, status="published").pk}


def _draft_version(request):
    """A draft (version 2) of a published policy of school A."""
    from policies.models import Policy
    from tests.policies.factories import draft_version_for

    policy = Policy.objects.get(pk=_policy(request)["pk"])
    return {"pk": draft_version_for(policy, request.getfixturevalue("headteacher")).pk}


def _signature(request):
    """School A's member of staff's signature of a published version."""
    from policies import services
    from policies.models import PolicyVersion

    staff = request.getfixturevalue("staff")
    version = PolicyVersion.objects.get(pk=_published_version(request)["pk"])
    signature = services.signature_create(
        version=version, signer=staff, typed_name=staff.full_name, agreed=True
    )
    return {"pk": signature.pk}


def _signature_version(request):
    """A published version of school A with one signature (its PDF not yet rendered)."""
    from policies.models import Signature

    return {"pk": Signature.objects.get(pk=_signature(request)["pk"]).version_id}


def _verification_code(request):
    """The verification code of school A's member of staff's signature."""
    from policies.models import Signature

    return {"code": Signature.objects.get(pk=_signature(request)["pk"]).verification_code}


def _imported_version(request):
    """A draft of a school A policy imported from a Word document (policies: content)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from policies import services
    from policies.models import Policy
    from tests.policies.test_content_import import DOCX_TYPE, word_document

    policy = Policy.objects.get(pk=_policy(request)["pk"])
    version = services.version_import_docx(
        policy=policy,
        actor=request.getfixturevalue("headteacher"),
        upload=SimpleUploadedFile("Walk.docx", word_document(), content_type=DOCX_TYPE),
    )
    return {"pk": version.pk}


def _school_to_sign(request):
    return {"pk": request.getfixturevalue("school").pk, "page": "to-sign"}


def _review(request):
    """A review of school A's policy: {"pk": policy, "review_pk": review}."""
    import datetime as dt

    from policies import services
    from policies.models import Policy, ReviewOutcome

    policy = Policy.objects.get(pk=_policy(request)["pk"])
    headteacher = request.getfixturevalue("headteacher")
    review = services.policy_review_record(
        policy=policy,
        actor=headteacher,
        reviewed_on=dt.date.today(),
        reviewer_ids=[headteacher.pk],
        outcome=ReviewOutcome.NO_CHANGE,
    )
    return {"pk": policy.pk, "review_pk": review.pk}


def _ratified_version(request):
    """A published version of school A with its ratification recorded."""
    from django.utils import timezone

    from policies import services
    from policies.models import PolicyVersion

    version = PolicyVersion.objects.get(pk=_published_version(request)["pk"])
    services.version_ratify(
        version=version,
        actor=request.getfixturevalue("headteacher"),
        meeting_date=timezone.localdate(),
        minute_reference="FGB 1",
    )
    return {"pk": version.pk}


def _policy_template(request, *, published=True):
    """A template of school A's trust (its headteacher is made a trust executive to edit it)."""
    from policies.models import PolicyKind, PolicyTemplate
    from tests.factories import TrustMembershipFactory

    trust = request.getfixturevalue("school").trust
    headteacher = request.getfixturevalue("headteacher")
    if not published:
        TrustMembershipFactory(user=headteacher, trust=trust, role="trust_executive")
    template = PolicyTemplate.objects.create(
        trust=trust,
        issuer=trust.name,
        kind=PolicyKind.SOCIAL_MEDIA,
        title="Walk template",
        body_markdown="For {{ school_name }}.",
        is_published=published,
        created_by=headteacher,
    )
    return {"pk": template.pk}


def _unpublished_policy_template(request):
    return _policy_template(request, published=False)


# --- consent ---------------------------------------------------------------------------------


def _pupil(request):
    """A pupil of school A (the office added them) with the school's default purposes."""
    from tests.consent.factories import default_purposes, pupil_for

    school = request.getfixturevalue("school")
    default_purposes(school)
    return {"pk": pupil_for(school, request.getfixturevalue("office")).pk}


def _consent_decision(request, *, evidence=False):
    """A yes for official social media of a pupil of school A (with a scan when `evidence`)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consent.models import Pupil
    from tests.consent.factories import record, social_media

    pupil = Pupil.objects.get(pk=_pupil(request)["pk"])
    scan = SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n") if evidence else None
    office = request.getfixturevalue("office")
    return {"pk": record(pupil, social_media(pupil.school), office, evidence=scan).pk}


def _consent_evidence(request):
    return _consent_decision(request, evidence=True)


def _photo_restriction(request):
    from consent import services
    from consent.models import Pupil

    pupil = Pupil.objects.get(pk=_pupil(request)["pk"])
    restriction = services.photo_restriction_set(
        pupil=pupil, actor=request.getfixturevalue("dsl"), reason="Court order"
    )
    return {"pk": restriction.pk}


def _consent_gaps_of_school(request):
    """School A's gaps list, opened from the dashboard (it switches to school A first)."""
    return {"pk": request.getfixturevalue("school").pk, "page": "gaps"}


def _consent_purpose(request):
    from tests.consent.factories import social_media

    return {"pk": social_media(request.getfixturevalue("school")).pk}


def _unblock(request, step="requested"):
    """A blocked-content request of school A's member of staff, taken to `step` by its network
    manager and headteacher."""
    from tests.incidents.filtering.helpers import approved, request_for, reviewed, unblocked

    school = request.getfixturevalue("school")
    unblock = request_for(school, request.getfixturevalue("staff"))
    if step == "requested":
        return {"pk": unblock.pk}
    network_manager = request.getfixturevalue("network_manager")
    headteacher = request.getfixturevalue("headteacher")
    taken = {
        "reviewed": lambda: reviewed(unblock, network_manager),
        "approved": lambda: approved(unblock, network_manager, headteacher),
        "unblocked": lambda: unblocked(unblock, network_manager, headteacher),
    }[step]()
    return {"pk": taken.pk}


def _unblock_reviewed(request):
    return _unblock(request, "reviewed")


def _unblock_approved(request):
    return _unblock(request, "approved")


def _unblock_unblocked(request):
    return _unblock(request, "unblocked")


def _filtering_review(request):
    """A yearly filtering review of school A, recorded by its headteacher."""
    from tests.incidents.filtering.helpers import review_for

    headteacher = request.getfixturevalue("headteacher")
    review = review_for(
        request.getfixturevalue("school"),
        headteacher,
        slt_lead=headteacher,
        dsl=headteacher,
        governor=request.getfixturevalue("governor"),
    )
    return {"pk": review.pk}


def _filtering_review_action(request):
    """An open action of a yearly filtering review of school A, owned by its headteacher."""
    from incidents.filtering.services import ActionPlanned
    from socialgov.dates import today
    from tests.incidents.filtering.helpers import review_for

    headteacher = request.getfixturevalue("headteacher")
    review = review_for(
        request.getfixturevalue("school"),
        headteacher,
        slt_lead=headteacher,
        dsl=headteacher,
        governor=request.getfixturevalue("governor"),
        actions=[ActionPlanned("Check the guest Wi-Fi.", headteacher, today())],
    )
    return {"pk": review.actions.get().pk}


def _filtering_log_of_school(request):
    """School A's blocked-content decision log, opened from the dashboard (switching first)."""
    return {"pk": request.getfixturevalue("school").pk, "page": "log"}


def _incident(request, category="abusive_post", **fields):
    """An incident of school A reported by its member of staff, routed to the headteacher (an
    abusive post goes to the headteacher and SLT; with no network manager or DSL in the walk's
    school, technical and safeguarding ones fall back to the headteacher too)."""
    from tests.incidents.helpers import report

    request.getfixturevalue("headteacher")  # there before routing, as in a real school
    return report(
        request.getfixturevalue("school"), request.getfixturevalue("staff"), category, **fields
    )


def _incident_reported(request):
    return {"pk": _incident(request).pk}


def _incident_triaged(request):
    """Triaged by the headteacher, who handles it."""
    from tests.incidents.helpers import triage

    incident = _incident(request)
    triage(incident, request.getfixturevalue("headteacher"))
    return {"pk": incident.pk}


def _incident_technical(request):
    """Inappropriate content accessed, fallen back to the headteacher, who handles it."""
    from tests.incidents.helpers import triage

    incident = _incident(request, "inappropriate_content")
    triage(incident, request.getfixturevalue("headteacher"))
    return {"pk": incident.pk}


def _incident_staff_concern(request):
    """A concern about school A's member of staff: the headteacher is case manager."""
    from tests.incidents.helpers import concern_about

    school = request.getfixturevalue("school")
    request.getfixturevalue("headteacher")  # there before routing, as in a real school
    incident = concern_about(
        school, request.getfixturevalue("deputy_head"), request.getfixturevalue("staff")
    )
    return {"pk": incident.pk}


def _incident_nude_images(request):
    """A disclosure about nude images, fallen back to the headteacher (no DSL in the walk)."""
    return {"pk": _incident(request, "safeguarding", safeguarding_kind="nude_images").pk}


def _incident_evidence(request):
    from incidents.reports.models import IncidentEvidence
    from tests.incidents.helpers import evidence_upload

    incident = _incident(request, evidence=[evidence_upload()])
    evidence = IncidentEvidence.objects.get(incident=incident)
    return {"pk": incident.pk, "evidence_pk": evidence.pk}


def _report_table(request):
    """A table of school A's governors' report (the incidents by category)."""
    return {
        "pk": request.getfixturevalue("school").pk,
        "section": "incidents",
        "table": "categories",
    }


def _kept_report(request):
    """A governors' report of school A kept by its governor."""
    import uuid

    from socialgov.reports.period import year_period
    from socialgov.reports.services import generated_report_create

    kept, _ = generated_report_create(
        school=request.getfixturevalue("school"),
        period=year_period(2026),
        actor=request.getfixturevalue("governor"),
        submission_key=uuid.uuid4(),
    )
    return {"pk": kept.pk}


def _trust(request):
    """School A's trust (its roll-up is for the trust's executives)."""
    return {"pk": request.getfixturevalue("school").trust_id}


# --- policies: declarations and exceptions ----------------------------------------------------
def _declaration(request):
    """A declaration made by school A's member of staff (the headteacher and DSL team see it)."""
    from tests.policies.declarations.factories import declaration_for

    return {"pk": declaration_for(request.getfixturevalue("staff")).pk}


def _declarations_of_school(request):
    return {"pk": request.getfixturevalue("school").pk, "page": "declarations"}


def _policy_exception(request, *, agreement=False):
    """An exception the DSL asked for (for a visitor), waiting for the headteacher."""
    from tests.policies.declarations.factories import exception_for

    exception = exception_for(request.getfixturevalue("dsl"), agreement=agreement)
    request.getfixturevalue("headteacher")
    return {"pk": exception.pk}


def _policy_exception_with_agreement(request):
    return _policy_exception(request, agreement=True)


# --- core: the training log -------------------------------------------------------------------
def _training_session(request):
    """A session of school A recorded by the office (the keepers see it)."""
    from tests.training.factories import session_in

    return {"pk": session_in(request.getfixturevalue("school")).pk}


def _training_school(request):
    return {"pk": request.getfixturevalue("school").pk, "page": "mine"}


# --- official accounts -------------------------------------------------------------------------


def _official_account(request):
    """An approved account of school A run by `staff` and a second administrator (not the
    `colleague`, who is plain staff with no role on it); the AUP published and signed by both."""
    from accounts_registry.models import OfficialAccount
    from tests.accounts_registry.factories import account_for, accounts_aup, sign_aup
    from tests.factories import person_in

    school = request.getfixturevalue("school")
    headteacher = request.getfixturevalue("headteacher")
    staff = request.getfixturevalue("staff")
    existing = OfficialAccount.objects.filter(school=school).first()
    if existing is not None:
        return existing
    second = person_in(school, "staff", full_name="Alex Admin")
    account = account_for(school, headteacher, [staff, second])
    sign_aup(accounts_aup(school, headteacher), staff, second)
    return account


def _accounts_approvals_of_school(request):
    """School A's approval queue, opened from the dashboard (it switches to school A first)."""
    return {"pk": request.getfixturevalue("school").pk, "page": "approvals"}


def _account(request):
    return {"pk": _official_account(request).pk}


def _account_member(request):
    account = _official_account(request)
    return {"pk": account.members.order_by("pk").first().pk}


def _account_request(request):
    return {"pk": _official_account(request).request_id}


def _post(request):
    from tests.accounts_registry.factories import draft

    return draft(_official_account(request), request.getfixturevalue("staff"))


def _post_pk(request):
    return {"pk": _post(request).pk}


def _post_step(request):
    return {"pk": _post(request).pk, "action": "submit"}


def _post_image(request):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from accounts_registry import services

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    post = _post(request)
    image = services.post_image_add(
        post=post,
        actor=request.getfixturevalue("staff"),
        upload=SimpleUploadedFile("team.png", buffer.getvalue(), content_type="image/png"),
        description="The team",
    )
    return {"pk": image.pk}


def _takedown(request):
    from django.utils import timezone

    from accounts_registry.models import TakedownTask
    from consent.models import Outcome
    from tests.accounts_registry.factories import draft, granted_pupil, published
    from tests.consent.factories import record, social_media

    school = request.getfixturevalue("school")
    office = request.getfixturevalue("office")
    staff = request.getfixturevalue("staff")
    account = _official_account(request)
    pupil = granted_pupil(school, office)
    agreer = account.members.exclude(user=staff).first().user
    post = published(
        draft(account, staff, [pupil]), staff, agreer, request.getfixturevalue("headteacher")
    )
    record(pupil, social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate())
    return {"pk": TakedownTask.objects.get(post=post).pk}


OBJECT_URLS = {
    # policies: signing and coverage (policies/views/signing.py)
    "version_sign": ObjectURL(_published_version, OPEN),
    "version_coverage": ObjectURL(_published_version, REFUSED),
    "version_coverage_csv": ObjectURL(_published_version, REFUSED),
    "version_chase": ObjectURL(_published_version, REFUSED, redirect="version_coverage"),
    "version_signatures_zip": ObjectURL(_signature_version, REFUSED),
    "signature_detail": ObjectURL(_signature, HIDDEN),
    "signature_pdf": ObjectURL(_signature, HIDDEN),
    "signature_verify": ObjectURL(_verification_code, OPEN),
    # policies: managing (policies/views/manage.py)
    "policy_detail": ObjectURL(_policy, OPEN),
    "policy_edit": ObjectURL(_policy, REFUSED),
    "policy_history": ObjectURL(_policy, REFUSED),
    "policy_redline": ObjectURL(_policy, OPEN),
    "version_start": ObjectURL(_policy, REFUSED),
    "version_detail": ObjectURL(_published_version, OPEN),
    "version_history": ObjectURL(_published_version, REFUSED),
    "version_ratify": ObjectURL(_published_version, REFUSED, redirect="version_detail"),
    "policies_in_school": ObjectURL(_school_to_sign, OPEN),
    "ratification_correct": ObjectURL(_ratified_version, REFUSED, redirect="version_detail"),
    "version_edit": ObjectURL(_draft_version, HIDDEN),
    "version_submit": ObjectURL(_draft_version, HIDDEN, redirect="version_detail"),
    "version_return_to_draft": ObjectURL(_draft_version, HIDDEN, redirect="version_detail"),
    "version_approve": ObjectURL(_draft_version, HIDDEN, redirect="version_detail"),
    "version_publish": ObjectURL(_draft_version, HIDDEN, redirect="version_detail"),
    "signature_history": ObjectURL(_signature, HIDDEN),
    # policies: content and reviews (policies/views/content.py)
    "policy_import": ObjectURL(_policy, REFUSED),
    "policy_import_result": ObjectURL(_imported_version, HIDDEN),
    "policy_version_source": ObjectURL(_imported_version, HIDDEN),
    "policy_template_edit": ObjectURL(_unpublished_policy_template, HIDDEN),
    "policy_template_adopt": ObjectURL(_policy_template, REFUSED),
    "policy_review_list": ObjectURL(_policy, OPEN),
    "policy_review_create": ObjectURL(_policy, REFUSED),
    "policy_review_withdraw": ObjectURL(_review, REFUSED, redirect="policy_review_list"),
    "policy_review_request": ObjectURL(_policy, OPEN),
    # core: people and schools, audit, notifications, uploads, two-factor
    "membership_history": ObjectURL(_membership, REFUSED),
    "school_history": ObjectURL(_school, REFUSED),
    "notification_open": ObjectURL(_notification, HIDDEN, redirect="school_detail"),
    "notification_read": ObjectURL(_notification, HIDDEN, redirect="notification_list"),
    "person_detail": ObjectURL(_membership, REFUSED),
    "person_edit": ObjectURL(_membership, REFUSED),
    "person_leave": ObjectURL(_membership, REFUSED),
    "person_invitation_resend": ObjectURL(_membership, REFUSED, redirect="person_detail"),
    "people_import_job": ObjectURL(_staff_import, REFUSED),
    "join_invitation": ObjectURL(_join_invitation, HIDDEN, who="sister_head"),
    "school_detail": ObjectURL(_school, OPEN),
    "school_edit": ObjectURL(_school, REFUSED),
    "school_logo": ObjectURL(_school_with_logo, OPEN),
    "twofactor_reset": ObjectURL(_staff_membership, REFUSED),
    "twofactor_throttle_clear": ObjectURL(_staff_membership, REFUSED, redirect="twofactor_reset"),
    # consent (consent/views/): the register is for the office, DPO, leadership and DSL team
    "consent_pupil_detail": ObjectURL(_pupil, REFUSED),
    "consent_pupil_edit": ObjectURL(_pupil, REFUSED, who="office"),
    "consent_pupil_leave": ObjectURL(_pupil, REFUSED, who="office"),
    "consent_pupil_history": ObjectURL(_pupil, REFUSED),
    "consent_pupil_chronology_csv": ObjectURL(_pupil, REFUSED),
    "consent_decision_create": ObjectURL(_pupil, REFUSED, who="office"),
    "consent_competence_create": ObjectURL(_pupil, REFUSED),
    "consent_restriction_set": ObjectURL(_pupil, REFUSED),
    "consent_restriction_lift": ObjectURL(_photo_restriction, REFUSED),
    "consent_decision_correct": ObjectURL(_consent_decision, REFUSED, who="office"),
    "consent_decision_evidence": ObjectURL(_consent_evidence, REFUSED),
    "consent_purpose_edit": ObjectURL(_consent_purpose, REFUSED),
    "consent_purpose_history": ObjectURL(_consent_purpose, REFUSED),
    # incidents: reports (incidents/reports/views/)
    "incident_detail": ObjectURL(_incident_reported, HIDDEN),
    "incident_history": ObjectURL(_incident_reported, HIDDEN),
    "incident_chronology_pdf": ObjectURL(_incident_triaged, HIDDEN),
    "incident_evidence_download": ObjectURL(_incident_evidence, HIDDEN),
    "incident_triage": ObjectURL(_incident_reported, HIDDEN),
    "incident_assign": ObjectURL(_incident_triaged, HIDDEN),
    "incident_status": ObjectURL(_incident_triaged, HIDDEN),
    "incident_action_add": ObjectURL(_incident_triaged, HIDDEN),
    "incident_entry_add": ObjectURL(_incident_triaged, HIDDEN),
    "incident_person_add": ObjectURL(_incident_triaged, HIDDEN),
    "incident_evidence_add": ObjectURL(_incident_triaged, HIDDEN),
    "incident_ict": ObjectURL(_incident_technical, HIDDEN),
    "incident_threshold": ObjectURL(_incident_staff_concern, HIDDEN),
    "incident_imagery": ObjectURL(_incident_nude_images, HIDDEN),
    "incident_close": ObjectURL(_incident_triaged, HIDDEN),
    "incident_reroute": ObjectURL(_incident_triaged, HIDDEN, redirect="incident_detail"),
    # incidents: blocked-content requests and the filtering record (incidents/filtering/views/)
    "filtering_request_detail": ObjectURL(_unblock, HIDDEN),
    "filtering_request_history": ObjectURL(_unblock, HIDDEN),
    "filtering_request_review": ObjectURL(_unblock, HIDDEN, who="network_manager"),
    "filtering_request_decide": ObjectURL(_unblock_reviewed, HIDDEN),
    "filtering_request_unblocked": ObjectURL(_unblock_approved, HIDDEN, who="network_manager"),
    "filtering_request_reblocked": ObjectURL(_unblock_unblocked, HIDDEN, who="network_manager"),
    "filtering_review_detail": ObjectURL(_filtering_review, HIDDEN),
    "filtering_review_pdf": ObjectURL(_filtering_review, HIDDEN),
    "filtering_review_action_done": ObjectURL(
        _filtering_review_action, HIDDEN, redirect="filtering_review_detail"
    ),
    "filtering_in_school": ObjectURL(_filtering_log_of_school, REFUSED),
    "consent_in_school": ObjectURL(_consent_gaps_of_school, REFUSED),
    "accounts_in_school": ObjectURL(_accounts_approvals_of_school, OPEN),
    # governors' reports and the trust roll-up (socialgov/reports/)
    "governors_report": ObjectURL(_school, REFUSED, who="governor"),
    "governors_report_pdf": ObjectURL(_school, REFUSED, who="governor"),
    "governors_report_csv": ObjectURL(_report_table, REFUSED, who="governor"),
    "governors_report_keep": ObjectURL(
        _school, REFUSED, who="governor", redirect="governors_report_kept"
    ),
    "governors_report_kept": ObjectURL(_school, REFUSED, who="governor"),
    "generated_report_download": ObjectURL(_kept_report, HIDDEN, who="governor"),
    "trust_rollup": ObjectURL(_trust, HIDDEN, who="trust_executive"),
    "trust_rollup_pdf": ObjectURL(_trust, HIDDEN, who="trust_executive"),
    "trust_rollup_csv": ObjectURL(_trust, HIDDEN, who="trust_executive"),
    # policies: declarations and exceptions (policies/declarations/views.py)
    "declaration_detail": ObjectURL(_declaration, HIDDEN),
    "declaration_decide": ObjectURL(_declaration, HIDDEN),
    "declaration_end": ObjectURL(_declaration, HIDDEN, redirect="declaration_detail"),
    "declaration_history": ObjectURL(_declaration, HIDDEN),
    "declarations_in_school": ObjectURL(_declarations_of_school, OPEN),
    "exception_detail": ObjectURL(_policy_exception, HIDDEN),
    "exception_approve": ObjectURL(_policy_exception, HIDDEN, redirect="exception_detail"),
    "exception_decline": ObjectURL(_policy_exception, HIDDEN),
    "exception_agreement": ObjectURL(_policy_exception_with_agreement, HIDDEN),
    "exception_history": ObjectURL(_policy_exception, HIDDEN),
    # core: the training log (socialgov/training/views.py)
    "training_session_detail": ObjectURL(_training_session, HIDDEN),
    "training_session_history": ObjectURL(_training_session, HIDDEN),
    "training_import_upload": ObjectURL(_training_session, HIDDEN),
    "training_import_preview": ObjectURL(
        _training_session, HIDDEN, redirect="training_import_upload"
    ),
    "training_import_columns": ObjectURL(
        _training_session, HIDDEN, redirect="training_import_upload"
    ),
    "training_import_rejected": ObjectURL(
        _training_session, HIDDEN, redirect="training_import_upload"
    ),
    "training_in_school": ObjectURL(_training_school, OPEN),
    # official accounts (accounts_registry/views/): the registry is for every member of staff
    "accounts_account_detail": ObjectURL(_account, OPEN),
    "accounts_account_edit": ObjectURL(_account, REFUSED, who="staff"),
    "accounts_account_history": ObjectURL(_account, REFUSED, who="staff"),
    "accounts_member_add": ObjectURL(_account, REFUSED),
    "accounts_member_remove": ObjectURL(
        _account_member, REFUSED, redirect="accounts_account_detail"
    ),
    "accounts_review_create": ObjectURL(_account, REFUSED, who="staff"),
    "accounts_follower_vetting": ObjectURL(_account, REFUSED),
    "accounts_post_create": ObjectURL(_account, REFUSED, who="staff"),
    "accounts_request_detail": ObjectURL(_account_request, HIDDEN),
    "accounts_post_detail": ObjectURL(_post_pk, HIDDEN, who="staff"),
    "accounts_post_edit": ObjectURL(_post_pk, HIDDEN, who="staff"),
    "accounts_post_history": ObjectURL(_post_pk, HIDDEN, who="staff"),
    "accounts_post_step": ObjectURL(
        _post_step, HIDDEN, who="staff", redirect="accounts_post_detail"
    ),
    "accounts_post_image": ObjectURL(_post_image, HIDDEN, who="staff"),
    "accounts_takedown_detail": ObjectURL(_takedown, HIDDEN, who="staff"),
}

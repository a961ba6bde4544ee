"""What the URL walk (tests/test_url_walk.py) needs to know about each URL pattern.

Every named URL pattern must appear in exactly one place here, or the walk fails:
- PUBLIC: reachable without signing in (kept short on purpose).
- OBJECT_URLS: patterns with arguments. Each maps to a function taking the pytest `request`
  (use `request.getfixturevalue("headteacher")` etc.) and returning the URL kwargs of an object
  in school A (the `school` fixture). The walk proves an outsider from school B gets a 404.
Patterns without arguments need no entry: the walk proves anonymous visitors are sent to sign in.
Django admin patterns are walked separately (anonymous → admin login; staff → not allowed).
"""

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


OBJECT_URLS = {
    # policies: signing and coverage (policies/views/signing.py)
    "version_sign": _published_version,
    "version_coverage": _published_version,
    "version_coverage_csv": _published_version,
    "version_chase": _published_version,
    "version_signatures_zip": _signature_version,
    "signature_detail": _signature,
    "signature_pdf": _signature,
    "signature_verify": _verification_code,
    # policies: managing (policies/views/manage.py)
    "policy_detail": _policy,
    "policy_edit": _policy,
    "policy_history": _policy,
    "policy_redline": _policy,
    "version_start": _policy,
    "version_detail": _published_version,
    "version_history": _published_version,
    "version_ratify": _published_version,
    "version_edit": _draft_version,
    "version_submit": _draft_version,
    "version_return_to_draft": _draft_version,
    "version_approve": _draft_version,
    "version_publish": _draft_version,
    "signature_history": _signature,
    # policies: content and reviews (policies/views/content.py)
    "policy_import": _policy,
    "policy_import_result": _imported_version,
    "policy_version_source": _imported_version,
    "policy_template_edit": _unpublished_policy_template,
    "policy_template_adopt": _policy_template,
    "policy_review_list": _policy,
    "policy_review_create": _policy,
    "policy_review_request": _policy,
    "membership_history": _membership,
    "school_history": _school,
    "notification_open": _notification,
    "notification_read": _notification,
    "person_detail": _membership,
    "person_edit": _membership,
    "person_leave": _membership,
    "person_invitation_resend": _membership,
    "school_detail": _school,
    "school_edit": _school,
    "school_logo": _school_with_logo,
    "twofactor_reset": _staff_membership,
}

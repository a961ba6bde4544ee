"""Signing: policies for me to sign, the signing page, signed PDFs, verification and coverage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from policies import access as policy_access
from policies import selectors, services
from policies.exports import zip_chunks
from policies.forms_signing import CoverageFilterForm, SignatureForm, VerifyForm, normalise_code
from policies.models import Signature, VersionStatus
from policies.redline import redline_for, redline_has_changes
from policies.services.versions import AGREEMENT_STATEMENT
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.client_address import client_ip
from socialgov.csv_export import csv_response
from socialgov.uploads.serving import content_disposition, safe_filename, serve_stored_file


@require_role()
def to_sign_list(request: SchoolRequest):
    """Every member: the published policies they must sign and have not, and what they signed."""
    signed = list(
        Signature.objects.filter(signer=request.user, school=request.school)
        .select_related("version", "version__policy")
        .order_by("-signed_at")
    )
    to_sign = selectors.to_sign_for(request.user, request.school)
    return render(
        request,
        "policies/to_sign_list.html",
        {
            "to_sign": to_sign,
            "signed": signed,
            "nothing_to_sign": not to_sign and not signed,
            "can_see_coverage": policy_access.can_see_coverage(request.user, request.school),
        },
    )


@require_signed_in
def version_sign(request: SignedInRequest, pk: int):
    """The published version in full, the agreement statement, and the typed name."""
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_sign = policy_access.can_sign(request.user, version)
    form = SignatureForm(request.POST or None)
    if request.method == "POST":
        if not can_sign:
            raise PermissionDenied
        if form.is_valid():
            try:
                signature = services.signature_create(
                    version=version,
                    signer=request.user,
                    typed_name=form.cleaned_data["typed_name"],
                    agreed=form.cleaned_data["agreed"],
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Thank you. You have signed this policy.")
                return redirect("signature_detail", pk=signature.pk)
    previous = selectors.last_signature_on_policy(request.user, version.policy_id)
    redline = None
    if previous is not None and previous.version.number < version.number:
        redline = redline_for(previous.version, version)
    current = None
    if version.status != VersionStatus.PUBLISHED:
        current = selectors.published_version(version.policy)
    return render(
        request,
        "policies/signature_form.html",
        {
            "version": version,
            "policy": version.policy,
            "form": form,
            "can_sign": can_sign,
            "statement": AGREEMENT_STATEMENT,
            "already_signed": selectors.has_valid_signature(request.user, version),
            "previous": previous,
            "redline": redline,
            "redline_has_changes": redline is not None and redline_has_changes(redline),
            "current": current,
        },
    )


@require_signed_in
def signature_detail(request: SignedInRequest, pk: int):
    signature = policy_access.signature_get_for_user(request.user, pk)
    access.use_school(request, signature.school)
    return render(request, "policies/signature_detail.html", {"signature": signature})


@require_signed_in
def signature_pdf(request: SignedInRequest, pk: int):
    """The stored archival PDF (rendered now if the background task has not stored it yet)."""
    signature = policy_access.signature_get_for_user(request.user, pk)
    stored = signature.pdf if signature.pdf_id else None
    if stored is None:
        stored = services.signature_pdf_render(signature=signature)
    return serve_stored_file(request, stored, as_attachment=True)


@require_signed_in
@require_GET
def signature_verify_form(request: SignedInRequest):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("signature_verify", code=form.cleaned_data["code"])
    return render(request, "policies/signature_verify.html", {"form": form})


@require_signed_in
def signature_verify(request: SignedInRequest, code: str):
    """Whether a code is valid and what it signs: only for codes of the person's schools."""
    signature = (
        policy_access.signature_verifiable_by(request.user)
        .select_related("version", "version__policy", "signer", "school")
        .filter(verification_code=normalise_code(code))
        .first()
    )
    if signature is None:
        return render(
            request,
            "policies/signature_verify.html",
            {"form": VerifyForm(initial={"code": code[:40]}), "not_found": True},
            status=404,
        )
    return render(
        request,
        "policies/signature_verify.html",
        {"form": VerifyForm(initial={"code": signature.display_code}), "signature": signature},
    )


def _coverage_version(request, pk):
    version = policy_access.coverage_version_get_for_user(request.user, pk)
    school = version.policy.school
    access.use_school(request, school)
    return version, policy_access.can_see_coverage_names(request.user, school)


@require_role(*policy_access.COVERAGE_PERCENTAGES)
def coverage_overview(request: SchoolRequest):
    """Each signable published policy of the current school with its totals (aggregates only:
    four queries whatever the numbers of policies, staff and signatures)."""
    return render(
        request,
        "policies/coverage_overview.html",
        {
            "coverages": selectors.coverage_totals_for_school(request.school),
            "with_names": policy_access.can_see_coverage_names(request.user, request.school),
        },
    )


COVERAGE_PAGE_SIZE = 50


def _hidden_too(coverage, with_names: bool) -> tuple[set[str], set[str]]:
    """Without names: the staff groups and the roles hidden besides the small ones, so that no
    small one can be worked out as "Everyone" minus those shown (secondary suppression)."""
    if with_names:
        return set(), set()
    return (
        selectors.secondary_suppressed(coverage.by_group),
        selectors.secondary_suppressed(coverage.by_role),
    )


@require_signed_in
def version_coverage(request: SignedInRequest, pk: int):
    """Who has and has not signed: totals for governors, names for leaders and the office (a
    page at a time, "not signed" first)."""
    version, with_names = _coverage_version(request, pk)
    filter_form = CoverageFilterForm(request.GET or None)
    show = filter_form.cleaned_data.get("show") if filter_form.is_valid() else ""
    coverage = selectors.coverage_for(version)
    page = None
    if with_names:
        page = Paginator(coverage.rows_to_show(show), COVERAGE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    missing_pdfs = 0
    if policy_access.can_export_signatures(request.user, version):
        missing_pdfs = services.signature_pdfs_missing(version).count()
    hidden_groups, hidden_roles = _hidden_too(coverage, with_names)
    return render(
        request,
        "policies/coverage_detail.html",
        {
            "version": version,
            "policy": version.policy,
            "coverage": coverage,
            "with_names": with_names,
            "hidden_groups": hidden_groups,
            "hidden_roles": hidden_roles,
            "not_shown": selectors.NOT_SHOWN,
            "page": page,
            "rows": page.object_list if page else [],
            "filter_form": filter_form,
            "show": show or "all",
            "can_chase": policy_access.can_chase(request.user, version),
            "can_export": policy_access.can_export_signatures(request.user, version),
            "missing_pdfs": missing_pdfs,
        },
    )


@require_signed_in
def version_coverage_csv(request: SignedInRequest, pk: int):
    version, with_names = _coverage_version(request, pk)
    coverage = selectors.coverage_for(version)
    filename = f"coverage-{version.policy.title}-v{version.number}"
    if with_names:
        # Names and signing times of the school's staff: a bulk export the access log records.
        access_record_request(
            request,
            obj=version,
            school=version.policy.school,
            action=AccessAction.EXPORTED,
            description="Coverage with names (CSV)",
        )
        return csv_response(
            filename=filename,
            header=["Name", "Staff group", "Roles", "Signed", "Signed at", "Version signed"],
            rows=(
                [
                    row.full_name,
                    row.staff_group,
                    ", ".join(row.roles),
                    row.has_signed,
                    row.signed_at,
                    row.signed_version_number or "",
                ]
                for row in coverage.rows
            ),
        )
    hidden_groups, hidden_roles = _hidden_too(coverage, with_names)
    totals = (
        [("Everyone", coverage.overall, set[str]())]
        + [("Staff group", total, hidden_groups) for total in coverage.by_group]
        + [("Role", total, hidden_roles) for total in coverage.by_role]
    )
    return csv_response(
        filename=filename,
        header=["By", "Group", "Signed", "Required", "Per cent signed"],
        rows=(
            [by, t.label, FEWER, FEWER, FEWER]
            if t.is_small
            else [by, t.label, *[selectors.NOT_SHOWN] * 3]
            if t.label in hidden
            else [by, t.label, t.signed, t.required, t.percent]
            for by, t, hidden in totals
        ),
    )


FEWER = f"fewer than {selectors.FEWER_THAN}"


@require_signed_in
@require_POST
def version_chase(request: SignedInRequest, pk: int):
    """Leaders and the office: remind everyone who has not signed the published version, now."""
    version, _with_names = _coverage_version(request, pk)
    access.require_write(policy_access.can_see_coverage_names(request.user, version.policy.school))
    try:
        chased, skipped = services.signature_chase(version=version, actor=request.user)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or "You cannot chase signatures for this version.")
        return redirect("version_coverage", pk=version.pk)
    text = f"Reminded {chased} {'person' if chased == 1 else 'people'} to sign."
    if skipped:
        text += f" {skipped} already reminded today {'was' if skipped == 1 else 'were'} left out."
    messages.success(request, text)
    return redirect("version_coverage", pk=version.pk)


@require_signed_in
def version_signatures_zip(request: SignedInRequest, pk: int):
    """Leaders and the office: the stored signed PDF of every signature that counts for the
    version (carried over from earlier minor versions too) and an index, as one streamed zip.
    PDFs are never rendered here: while some are missing, the page says how many are being
    prepared (the sweep renders them)."""
    version, _with_names = _coverage_version(request, pk)
    access.require_write(policy_access.can_export_signatures(request.user, version))
    coverage = selectors.coverage_for(version)
    signatures = selectors.signatures_counting_for(coverage)
    preparing = sum(1 for signature in signatures if signature.pdf_id is None)
    if preparing:
        return render(
            request,
            "policies/signatures_zip_preparing.html",
            {
                "version": version,
                "policy": version.policy,
                "preparing": preparing,
                "total": len(signatures),
            },
        )
    groups = {row.user_id: row.staff_group for row in coverage.rows}
    access_record_request(
        request,
        obj=version,
        school=version.policy.school,
        action=AccessAction.DOWNLOADED,
        description=f"Signed PDFs (zip of {len(signatures)})",
    )
    response = StreamingHttpResponse(zip_chunks(signatures, groups), content_type="application/zip")
    filename = safe_filename(
        f"{version.policy.title} version {version.number} signatures.zip",
        content_type="application/zip",
    )
    response["Content-Disposition"] = content_disposition(filename, as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("to-sign/", to_sign_list, name="to_sign_list"),
    path("coverage/", coverage_overview, name="coverage_overview"),
    path("versions/<int:pk>/sign/", version_sign, name="version_sign"),
    path("versions/<int:pk>/coverage/", version_coverage, name="version_coverage"),
    path("versions/<int:pk>/coverage.csv", version_coverage_csv, name="version_coverage_csv"),
    path("versions/<int:pk>/chase/", version_chase, name="version_chase"),
    path("versions/<int:pk>/signatures.zip", version_signatures_zip, name="version_signatures_zip"),
    path("signatures/<int:pk>/", signature_detail, name="signature_detail"),
    path("signatures/<int:pk>/pdf/", signature_pdf, name="signature_pdf"),
    path("verify/", signature_verify_form, name="signature_verify_form"),
    path("verify/<str:code>/", signature_verify, name="signature_verify"),
]

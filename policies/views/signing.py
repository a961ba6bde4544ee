"""Signing: policies for me to sign, the signing page, signed PDFs, verification and coverage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from policies import access as policy_access
from policies import selectors, services
from policies.exports import GROUP_LABELS, zip_chunks
from policies.forms_signing import CoverageFilterForm, SignatureForm, VerifyForm, normalise_code
from policies.models import Signature, VersionStatus
from policies.redline import redline_has_changes, redline_html
from policies.services.versions import AGREEMENT_STATEMENT
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.client_address import client_ip
from socialgov.csv_export import csv_response
from socialgov.uploads.serving import content_disposition, safe_filename, serve_stored_file


@require_role()
def to_sign_list(request: SchoolRequest):
    """Every member: the published policies they must sign and have not, and what they signed."""
    return render(
        request,
        "policies/to_sign_list.html",
        {
            "to_sign": selectors.to_sign_for(request.user, request.school),
            "signed": Signature.objects.filter(signer=request.user, school=request.school)
            .select_related("version", "version__policy")
            .order_by("-signed_at"),
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
        redline = redline_html(previous.version.body_html, version.body_html)
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
    version = policy_access.version_get_for_user(request.user, pk)
    school = version.policy.school
    access.use_school(request, school)
    if not policy_access.can_see_coverage(request.user, school):
        raise PermissionDenied
    return version, policy_access.can_see_coverage_names(request.user, school)


@require_role(*policy_access.COVERAGE_PERCENTAGES)
def coverage_overview(request: SchoolRequest):
    """Each signable published policy of the current school with its coverage."""
    versions = selectors.signable_published_versions(request.school)
    return render(
        request,
        "policies/coverage_overview.html",
        {"coverages": [selectors.coverage_for(version) for version in versions]},
    )


@require_signed_in
def version_coverage(request: SignedInRequest, pk: int):
    """Who has and has not signed: totals for governors, names for leaders."""
    version, with_names = _coverage_version(request, pk)
    filter_form = CoverageFilterForm(request.GET or None)
    show = filter_form.cleaned_data.get("show") if filter_form.is_valid() else ""
    coverage = selectors.coverage_for(version)
    rows = coverage.rows if with_names else []
    if show == "signed":
        rows = [row for row in rows if row.has_signed]
    elif show == "unsigned":
        rows = [row for row in rows if not row.has_signed]
    return render(
        request,
        "policies/coverage_detail.html",
        {
            "version": version,
            "policy": version.policy,
            "coverage": coverage,
            "with_names": with_names,
            "rows": rows,
            "filter_form": filter_form,
            "show": show or "all",
            "can_chase": with_names and version.status == VersionStatus.PUBLISHED,
        },
    )


@require_signed_in
def version_coverage_csv(request: SignedInRequest, pk: int):
    version, with_names = _coverage_version(request, pk)
    coverage = selectors.coverage_for(version)
    filename = f"coverage-{version.policy.title}-v{version.number}"
    if with_names:
        return csv_response(
            filename=filename,
            header=["Name", "Staff group", "Roles", "Signed", "Signed at"],
            rows=(
                [
                    row.person.full_name,
                    row.staff_group,
                    ", ".join(row.roles),
                    row.has_signed,
                    row.signed_at,
                ]
                for row in coverage.rows
            ),
        )
    totals = (
        [("Everyone", coverage.overall)]
        + [("Staff group", total) for total in coverage.by_group]
        + [("Role", total) for total in coverage.by_role]
    )
    return csv_response(
        filename=filename,
        header=["By", "Group", "Signed", "Required", "Per cent signed"],
        rows=([by, t.label, t.signed, t.required, t.percent] for by, t in totals),
    )


@require_signed_in
@require_POST
def version_chase(request: SignedInRequest, pk: int):
    """Leaders: remind everyone who has not signed the published version, now."""
    version, with_names = _coverage_version(request, pk)
    if not with_names:
        raise PermissionDenied
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
    """Leaders: every signed PDF of the version and an index, as one streamed zip."""
    version, with_names = _coverage_version(request, pk)
    if not with_names:
        raise PermissionDenied
    services.signature_pdfs_ensure(version=version, actor=request.user)
    signatures = (
        Signature.objects.filter(version=version)
        .select_related("signer", "pdf")
        .order_by("signer__full_name", "pk")
    )
    groups = {
        row.person.pk: GROUP_LABELS.get(row.membership.staff_group, "")
        for row in selectors.coverage_for(version).rows
    }
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

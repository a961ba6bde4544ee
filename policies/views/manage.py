"""Managing policies: the list, details, versions through their life, ratification, redline and
history. Views are thin: gateway → form → service → redirect (STYLE)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from policies import access as policy_access
from policies import selectors, services
from policies.forms import (
    PolicyForm,
    RatificationCorrectForm,
    RatificationForm,
    RedlineForm,
    VersionEditForm,
    VersionReturnForm,
    VersionStartForm,
)
from policies.markdown_source import html_to_markdown, same_words
from policies.models import (
    OPEN_STATUSES,
    SIGNER_GROUP_CHOICES,
    SIGNER_ROLE_CHOICES,
    ChangeSize,
    PolicyVersion,
    Ratification,
    ReviewOutcome,
    VersionStatus,
)
from policies.redline import redline_for, redline_has_changes
from policies.text import TextRefused, render_markdown
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.audit.history import render_history
from socialgov.form_errors import add_service_errors


def _signer_labels(policy) -> list[str]:
    groups = dict(SIGNER_GROUP_CHOICES)
    roles = dict(SIGNER_ROLE_CHOICES)
    return [str(groups.get(g, g)) for g in policy.signer_groups] + [
        str(roles.get(r, r)) for r in policy.signer_roles
    ]


def _policy_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "owner": data["owner"],
        "review_cycle_months": data["review_cycle_months"],
        "statutory": data["statutory"],
        "signer_groups": data["signer_groups"],
        "signer_roles": data["signer_roles"],
        "next_review_on": data["next_review_on"],
    }


@require_role()
def policy_list(request: SchoolRequest):
    """The current school's policies: published version, signable, review due, open drafts."""
    policies = list(selectors.policies_for_list(request.user, request.school))
    return render(
        request,
        "policies/policy_list.html",
        {
            "policies": policies,
            "can_edit": policy_access.can_edit(request.user, request.school),
            "today": timezone.localdate(),
        },
    )


@require_role(*policy_access.EDITORS)
def policy_create(request: SchoolRequest):
    form = PolicyForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                policy = services.policy_create(
                    school=request.school, actor=request.user, **_policy_fields(form)
                )
                services.policy_related_set(
                    policy=policy, actor=request.user, related=form.cleaned_data["related"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{policy.title}” added. Now write its first version.")
            return redirect("policy_detail", pk=policy.pk)
    return render(request, "policies/policy_form.html", {"form": form, "policy": None})


# History pages name the staff groups and roles who must sign, not their stored codes.
SIGNER_LABELS = {
    "signer_groups": dict(SIGNER_GROUP_CHOICES),
    "signer_roles": dict(SIGNER_ROLE_CHOICES),
}


@require_signed_in
def policy_edit(request: SignedInRequest, pk: int):
    policy = policy_access.policy_get_for_user(request.user, pk, write=True)
    access.use_school(request, policy.school)
    form = PolicyForm(
        request.POST or None,
        school=policy.school,
        policy=policy,
        initial=PolicyForm.initial_for(policy),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(
                policy=policy,
                actor=request.user,
                related=form.cleaned_data["related"],
                **_policy_fields(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Policy details saved.")
            return redirect("policy_detail", pk=policy.pk)
    return render(request, "policies/policy_form.html", {"form": form, "policy": policy})


@require_signed_in
def policy_detail(request: SignedInRequest, pk: int):
    """A policy: its published version, its versions (drafts for editors only), actions by role."""
    policy = policy_access.policy_get_for_user(request.user, pk)
    access.use_school(request, policy.school)
    school = policy.school
    versions = list(selectors.versions_for_page(request.user, policy))
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    open_version = next((v for v in versions if v.status in OPEN_STATUSES), None)
    can_see_coverage = policy_access.can_see_coverage(request.user, school)
    context = {
        "policy": policy,
        "owner": policy.owner,
        "related": list(policy.related.order_by("title")),
        "signer_labels": _signer_labels(policy),
        "versions": versions,
        "published": published,
        "open_version": open_version,
        "can_edit": policy_access.can_edit(request.user, school),
        "can_see_coverage": can_see_coverage,
        "today": timezone.localdate(),
        "redline_form": RedlineForm(versions=versions) if len(versions) > 1 else None,
        "valid_signature_count": None,
        "coverage_url": None,
        "sign_url": None,
    }
    if published is not None:
        if can_see_coverage and policy.is_signable:
            # One aggregate query whatever the number of staff and signatures.
            context["valid_signature_count"] = selectors.valid_signatures_for(published).count()
            context["coverage_url"] = reverse("version_coverage", args=[published.pk])
        if policy.requires(request.membership):
            context["sign_url"] = reverse("version_sign", args=[published.pk])
    return render(request, "policies/policy_detail.html", context)


def _previous_readable(user, version: PolicyVersion) -> PolicyVersion | None:
    """The version before `version` that the person may read (for the redline link)."""
    return (
        policy_access.version_visible_to(user)
        .filter(policy_id=version.policy_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


@require_signed_in
def version_detail(request: SignedInRequest, pk: int):
    """Reading a version: the full text, its status and, by role, what can be done next."""
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    school = version.policy.school
    ratification = version.current_ratification
    may_ratify = policy_access.can_ratify(request.user, school) and version.is_frozen
    previous = _previous_readable(request.user, version)
    can_approve = policy_access.can_approve_version(request.user, version)
    return render(
        request,
        "policies/version_detail.html",
        {
            "version": version,
            "policy": version.policy,
            "approved_by": version.approved_by if version.approved_by_id else None,
            "returned_by": version.returned_by if version.returned_by_id else None,
            "ratification": ratification,
            "corrected": ratification.corrects
            if ratification and ratification.corrects_id
            else None,
            "can_edit": policy_access.can_edit(request.user, school),
            "can_approve": can_approve,
            # Publishing asks to confirm, naming the version it replaces only if there is one.
            "replaces": version.policy.versions.filter(status=VersionStatus.PUBLISHED).first()
            if can_approve and version.status == VersionStatus.APPROVED
            else None,
            "return_form": VersionReturnForm(),
            "ratification_form": RatificationForm() if may_ratify and not ratification else None,
            "correct_form": RatificationCorrectForm(
                initial={
                    "ratification": ratification.pk,
                    "meeting_date": ratification.meeting_date,
                    "minute_reference": ratification.minute_reference,
                }
            )
            if may_ratify and ratification
            else None,
            "previous": previous,
            "redline_url": (
                reverse("policy_redline", args=[version.policy_id])
                + f"?from={previous.pk}&to={version.pk}"
            )
            if previous
            else None,
            "sign_url": reverse("version_sign", args=[version.pk])
            if version.status == VersionStatus.PUBLISHED
            and version.policy.requires(request.membership)
            else None,
        },
    )


def _start_from_review(policy, review_pk) -> dict:
    """What a review asks for, to pre-fill the new version: minor update → a minor version,
    major rewrite → a major one, its notes as the summary."""
    if not (review_pk and review_pk.isascii() and review_pk.isdigit() and len(review_pk) < 19):
        return {}
    review = policy.reviews.filter(pk=review_pk, withdrawn_at__isnull=True).first()
    if review is None or review.outcome == ReviewOutcome.NO_CHANGE:
        return {}
    change = ChangeSize.MINOR if review.outcome == ReviewOutcome.MINOR_UPDATE else ChangeSize.MAJOR
    summary = f"After the review of {review.reviewed_on:%d/%m/%Y}."
    if review.notes:
        summary += f" {review.notes}"
    return {"change": change, "change_summary": summary, "copy_published": True}


@require_signed_in
def version_start(request: SignedInRequest, pk: int):
    """Start the next version of a policy as a draft, optionally from the published text."""
    policy = policy_access.policy_get_for_user(request.user, pk, write=True)
    access.use_school(request, policy.school)
    published = selectors.published_version(policy)
    initial = _start_from_review(policy, request.GET.get("review")) if request.GET else {}
    form = VersionStartForm(request.POST or None, initial=initial)
    if published is None:
        del form.fields["copy_published"]
    if request.method == "POST" and form.is_valid():
        copy = published is not None and form.cleaned_data.get("copy_published")
        try:
            version = services.version_create_draft(
                policy=policy,
                actor=request.user,
                body_markdown=published.body_markdown if copy else "",
                body_html=published.body_html if copy else None,
                change=form.cleaned_data["change"],
                change_summary=form.cleaned_data["change_summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} started as a draft.")
            return redirect("version_edit", pk=version.pk)
    return render(
        request,
        "policies/version_start.html",
        {"form": form, "policy": policy, "published": published},
    )


@require_signed_in
def version_edit(request: SignedInRequest, pk: int):
    """Write a draft in Markdown, with a preview (live with htmx, or the Preview button)."""
    version = policy_access.version_get_for_user(request.user, pk, write=True)
    access.use_school(request, version.policy.school)
    if version.status != VersionStatus.DRAFT:
        messages.error(
            request, "This version can no longer be edited. Start a new version to make changes."
        )
        return redirect("version_detail", pk=version.pk)
    # A text with no Markdown (imported before the editor could show it, or copied from such a
    # version) is shown converted, so editing one line never loses the rest.
    source = version.body_markdown or (
        html_to_markdown(version.body_html) if version.body_html else ""
    )
    initial = {
        "body_markdown": source,
        "change": version.change,
        "change_summary": version.change_summary,
    }
    form = VersionEditForm(request.POST or None, initial=initial)
    if version.number == 1:
        del form.fields["change"]  # the first version is always major
    form.fields["body_markdown"].widget.attrs.update(
        {
            "hx-post": reverse("version_preview"),
            "hx-trigger": "keyup changed delay:500ms",
            "hx-target": "#policy-preview",
        }
    )
    preview_html = version.body_html
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            try:
                preview_html = render_markdown(form.cleaned_data["body_markdown"])
            except TextRefused as refusal:
                form.add_error("body_markdown", str(refusal))
        else:
            try:
                services.version_update_draft(
                    version=version,
                    actor=request.user,
                    body_markdown=form.cleaned_data["body_markdown"],
                    change=form.cleaned_data.get("change"),
                    change_summary=form.cleaned_data["change_summary"],
                    confirm_removal=form.cleaned_data["confirm_removal"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                if "confirm_removal" in form.errors:  # show what the text would become
                    preview_html = render_markdown(form.cleaned_data["body_markdown"])
            else:
                messages.success(request, "Draft saved.")
                return redirect("version_detail", pk=version.pk)
    return render(
        request,
        "policies/version_edit.html",
        {
            "form": form,
            "version": version,
            "policy": version.policy,
            "preview_html": preview_html,
            "asks_to_confirm": bool(form.errors.get("confirm_removal")),
            "simplified": _editor_simplifies(version.body_html, source),
        },
    )


def _editor_simplifies(html: str, source: str) -> bool:
    """Would saving the editor's Markdown unchanged change the words readers see? (Imported
    formatting the editor cannot show.)"""
    if not html:
        return False
    try:
        return not same_words(html, render_markdown(source))
    except TextRefused:
        return True


@require_role(*policy_access.EDITORS)
@require_POST
def version_preview(request: SchoolRequest):
    """The sanitised HTML of the Markdown posted (htmx partial). Nothing is saved."""
    # Rendering is linear in the (bounded) text and runs outside any transaction.
    try:
        preview_html, refusal = render_markdown(request.POST.get("body_markdown", "")), ""
    except TextRefused as error:
        preview_html, refusal = "", str(error)
    return render(
        request,
        "policies/partials/version_preview.html",
        {"preview_html": preview_html, "refusal": refusal},
    )


def _transition(request, pk, service, done):
    """A POST that moves a version on. The service checks the role (403) and the status
    (a message: a second click on the same button is refused harmlessly). `done` is the
    message, or a function of the moved version giving it."""
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    try:
        moved = service(version=version, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(moved) if callable(done) else done)
    return redirect("version_detail", pk=version.pk)


@require_signed_in
@require_POST
def version_submit(request: SignedInRequest, pk: int):
    return _transition(
        request, pk, services.version_submit, "Sent to the headteacher for approval."
    )


@require_signed_in
@require_POST
def version_return_to_draft(request: SignedInRequest, pk: int):
    """The headteacher sends a version back, saying what needs to change."""
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    form = VersionReturnForm(request.POST)
    if form.is_valid():
        try:
            services.version_return_to_draft(
                version=version, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sent back as a draft. The author has been told why.")
            return redirect("version_detail", pk=version.pk)
    _form_errors_as_messages(request, form)
    return redirect("version_detail", pk=version.pk)


def _form_errors_as_messages(request, form) -> None:
    """A small form posted from the version page: its errors shown there, field by field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_signed_in
@require_POST
def version_approve(request: SignedInRequest, pk: int):
    return _transition(
        request, pk, services.version_approve, "Approved. The text is now frozen; publish it next."
    )


@require_signed_in
@require_POST
def version_publish(request: SignedInRequest, pk: int):
    return _transition(request, pk, services.version_publish, _published_message)


def _published_message(version: PolicyVersion) -> str:
    text = "Published. This is now the version everyone reads"
    if version.policy.versions.filter(status=VersionStatus.SUPERSEDED).exists():
        text += "; the previous one is superseded"
    if version.policy.is_signable:
        text += ". Everyone who must sign it has been asked to"
    return text + "."


@require_signed_in
@require_POST
def version_ratify(request: SignedInRequest, pk: int):
    """Record the governing board's ratification (clerk, chair of governors or headteacher)."""
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    access.require_write(policy_access.can_ratify(request.user, version.policy.school))
    form = RatificationForm(request.POST)
    if form.is_valid():
        try:
            services.version_ratify(version=version, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Ratification recorded.")
            return redirect("version_detail", pk=version.pk)
    _form_errors_as_messages(request, form)
    return redirect("version_detail", pk=version.pk)


@require_signed_in
@require_POST
def ratification_correct(request: SignedInRequest, pk: int):
    """Correct the version's ratification: a new record supersedes the old; both are kept."""
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    access.require_write(policy_access.can_ratify(request.user, version.policy.school))
    form = RatificationCorrectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ratification = Ratification.objects.filter(version=version, pk=data["ratification"]).first()
        if ratification is None:
            raise Http404
        try:
            services.ratification_correct(
                ratification=ratification,
                actor=request.user,
                meeting_date=data["meeting_date"],
                minute_reference=data["minute_reference"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Ratification corrected. The earlier record is kept.")
            return redirect("version_detail", pk=version.pk)
    _form_errors_as_messages(request, form)
    return redirect("version_detail", pk=version.pk)


@require_signed_in
def policy_redline(request: SignedInRequest, pk: int):
    """What changed between two versions of a policy that the person may read."""
    policy = policy_access.policy_get_for_user(request.user, pk)
    access.use_school(request, policy.school)
    versions = list(selectors.versions_for_page(request.user, policy))
    form = RedlineForm(request.GET or None, versions=versions)
    old = new = redline = None
    if request.GET:
        if not form.is_valid():
            raise Http404  # a version of another policy, or one the person may not read
        by_pk = {v.pk: v for v in versions}
        old, new = by_pk[form.cleaned_data["from"]], by_pk[form.cleaned_data["to"]]
        if old.number > new.number:
            old, new = new, old
        redline = redline_for(old, new)
    return render(
        request,
        "policies/redline_detail.html",
        {
            "policy": policy,
            "form": form,
            "versions": versions,
            "old": old,
            "new": new,
            "redline": redline,
            "has_changes": redline is not None and redline_has_changes(redline),
        },
    )


@require_signed_in
def policy_history(request: SignedInRequest, pk: int):
    policy = policy_access.policy_get_for_user(request.user, pk)
    access.use_school(request, policy.school)
    access.require_write(policy_access.can_see_history(request.user, policy.school))
    return render_history(
        request,
        policy,
        title=f"History of {policy.title}",
        back_url=reverse("policy_detail", args=[policy.pk]),
        value_labels=SIGNER_LABELS,
    )


@require_signed_in
def version_history(request: SignedInRequest, pk: int):
    version = policy_access.version_get_for_user(request.user, pk)
    access.use_school(request, version.policy.school)
    access.require_write(policy_access.can_see_history(request.user, version.policy.school))
    return render_history(
        request,
        version,
        title=f"History of {version}",
        back_url=reverse("version_detail", args=[version.pk]),
        also=[Ratification.history.filter(version_id=version.pk)],
        # The HTML is made from the text (shown as "Text"): the same words twice, as markup.
        hidden_fields=["body_html"],
    )


@require_signed_in
def signature_history(request: SignedInRequest, pk: int):
    """Signatures are never edited: their history shows their creation only."""
    signature = policy_access.signature_get_for_user(request.user, pk)
    access.use_school(request, signature.school)
    return render_history(
        request,
        signature,
        title=f"History of the signature of {signature.signer.full_name} on {signature.version}",
        back_url=reverse("version_detail", args=[signature.version_id]),
    )


def _school_lists() -> dict:
    from policies.views import signing

    return {
        "list": policy_list,
        "to-sign": signing.to_sign_list,
        "coverage": signing.coverage_overview,
    }


@require_signed_in
def policies_in_school(request: SignedInRequest, pk: int, page: str):
    """One of a school's policy lists, whatever school is current: the page switches to that
    school first (404 outside the person's schools, as for any object page). The dashboard
    links here for the items of a person's other schools (policies/needs_me.py)."""
    view = _school_lists().get(page)
    membership = access.membership_in(request.user, pk)
    if view is None or membership is None:
        raise Http404
    access.use_school(request, membership.school)
    return view(request)


urlpatterns = [
    path("", policy_list, name="policy_list"),
    path("new/", policy_create, name="policy_create"),
    path("preview/", version_preview, name="version_preview"),
    path("schools/<int:pk>/<slug:page>/", policies_in_school, name="policies_in_school"),
    path("<int:pk>/", policy_detail, name="policy_detail"),
    path("<int:pk>/edit/", policy_edit, name="policy_edit"),
    path("<int:pk>/versions/new/", version_start, name="version_start"),
    path("<int:pk>/redline/", policy_redline, name="policy_redline"),
    path("<int:pk>/history/", policy_history, name="policy_history"),
    path("versions/<int:pk>/", version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", version_edit, name="version_edit"),
    path("versions/<int:pk>/submit/", version_submit, name="version_submit"),
    path("versions/<int:pk>/return/", version_return_to_draft, name="version_return_to_draft"),
    path("versions/<int:pk>/approve/", version_approve, name="version_approve"),
    path("versions/<int:pk>/publish/", version_publish, name="version_publish"),
    path("versions/<int:pk>/ratify/", version_ratify, name="version_ratify"),
    path(
        "versions/<int:pk>/ratification/correct/",
        ratification_correct,
        name="ratification_correct",
    ),
    path("versions/<int:pk>/history/", version_history, name="version_history"),
    path("signatures/<int:pk>/history/", signature_history, name="signature_history"),
]

"""Pages for policy content: Word import and the original's download, templates and their
adoption, reviews and review requests. Gateway → form → service → redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from policies import access as policy_access
from policies import selectors, services
from policies.access import EDITORS
from policies.forms_content import (
    DocxImportForm,
    ReviewForm,
    ReviewRequestForm,
    ReviewWithdrawForm,
    TemplateAdoptForm,
    TemplateForm,
)
from policies.models import OPEN_STATUSES, PolicyTemplate, ReviewOutcome
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.form_errors import add_service_errors
from socialgov.people.models import User
from socialgov.uploads.serving import serve_stored_file


def _members_of(school):
    return (
        User.objects.filter(memberships__in=school.memberships.current(), is_active=True)
        .distinct()
        .order_by("full_name")
    )


# --- Word import -----------------------------------------------------------------------------


@require_signed_in
def policy_import(request: SignedInRequest, pk: int):
    policy = policy_access.policy_get_for_user(request.user, pk, write=True)
    access.use_school(request, policy.school)
    form = DocxImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_import_docx(
                policy=policy,
                actor=request.user,
                upload=form.cleaned_data["document"],
                change=form.cleaned_data["change"],
                change_summary=form.cleaned_data["change_summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The document was imported as the text of version {version.number}."
            )
            return redirect("policy_import_result", pk=version.pk)
    return render(request, "policies/import_form.html", {"policy": policy, "form": form})


@require_signed_in
def policy_import_result(request: SignedInRequest, pk: int):
    """The imported text as readers will see it, to check before sending it for approval."""
    version = policy_access.version_get_for_user(request.user, pk, write=True)
    access.use_school(request, version.policy.school)
    if version.source_document_id is None:
        raise Http404
    return render(request, "policies/import_result.html", {"version": version})


@require_signed_in
def version_source(request: SignedInRequest, pk: int):
    """The original Word document a version was imported from."""
    version = policy_access.version_get_for_user(request.user, pk)
    if version.source_document_id is None:
        raise Http404
    return serve_stored_file(request, version.source_document)


# --- Templates -------------------------------------------------------------------------------


@require_signed_in
def template_list(request: SignedInRequest):
    templates = policy_access.template_visible_to(request.user).select_related("trust")
    can_adopt = request.school is not None and policy_access.can_edit(request.user, request.school)
    writing = policy_access.template_writing_trust_ids(request.user)
    return render(
        request,
        "policies/template_list.html",
        {
            "templates": templates.order_by("title", "pk"),
            "can_adopt": can_adopt,
            "can_write": bool(writing),
            "writing_trust_ids": writing,
        },
    )


@require_signed_in
def template_create(request: SignedInRequest):
    access.require_write(policy_access.can_write_templates(request.user))
    return _template_form(request, None, policy_access.template_writing_trusts(request.user))


@require_signed_in
def template_edit(request: SignedInRequest, pk: int):
    template = policy_access.template_get_for_user(request.user, pk, write=True)
    return _template_form(request, template, policy_access.template_writing_trusts(request.user))


def _template_form(request, template: PolicyTemplate | None, trusts):
    form = TemplateForm(request.POST or None, instance=template, trusts=trusts)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.template_save(
                actor=request.user,
                trust=form.cleaned_data["trust"],
                template=template,
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The template “{saved.title}” was saved.")
            return redirect("policy_template_list")
    return render(request, "policies/template_form.html", {"form": form, "template": template})


@require_role(*EDITORS)
def template_adopt(request: SchoolRequest, pk: int):
    """A school adopts a template: confirm the owner, then a draft filled with its details."""
    template = policy_access.template_get_for_user(request.user, pk)
    school = request.school
    access.require_write(policy_access.can_adopt_template(request.user, template, school))
    form = TemplateAdoptForm(
        request.POST or None, owners=_members_of(school), initial={"owner": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.template_adopt(
                template=template,
                school=school,
                actor=request.user,
                owner=form.cleaned_data["owner"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"“{policy.title}” was added with a first draft filled in for {school.name}. "
                "Check the draft before sending it for approval.",
            )
            return redirect("policy_detail", pk=policy.pk)
    return render(
        request,
        "policies/template_adopt.html",
        {"template": template, "form": form, "school": school},
    )


# --- Reviews ---------------------------------------------------------------------------------


@require_signed_in
def review_list(request: SignedInRequest, pk: int):
    policy = policy_access.policy_get_for_user(request.user, pk)
    access.use_school(request, policy.school)
    can_record = policy_access.can_edit(request.user, policy.school)
    reviews = list(selectors.reviews_of(policy))
    latest = next((review for review in reviews if not review.is_withdrawn), None)
    start_url = None
    if (
        can_record
        and latest is not None
        and latest.outcome != ReviewOutcome.NO_CHANGE
        and not policy.versions.filter(status__in=OPEN_STATUSES).exists()
    ):
        # The review asked for a new version: offer it, filled in from the review.
        start_url = reverse("version_start", args=[policy.pk]) + f"?review={latest.pk}"
    return render(
        request,
        "policies/review_list.html",
        {
            "policy": policy,
            "reviews": reviews,
            "latest": latest,
            "start_url": start_url,
            "can_record": can_record,
            "request_form": ReviewRequestForm(),
            "withdraw_form": ReviewWithdrawForm() if can_record else None,
            "requested_by": policy.review_requested_by,
        },
    )


@require_signed_in
def review_create(request: SignedInRequest, pk: int):
    policy = policy_access.policy_get_for_user(request.user, pk, write=True)
    access.use_school(request, policy.school)
    form = ReviewForm(request.POST or None, members=_members_of(policy.school))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.policy_review_record(
                policy=policy,
                actor=request.user,
                reviewed_on=data["reviewed_on"],
                reviewer_ids=[user.pk for user in data["reviewers"]],
                outcome=data["outcome"],
                notes=data["notes"],
                next_review_on=data["next_review_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            text = "The review was recorded."
            if data["outcome"] != ReviewOutcome.NO_CHANGE:
                text += " Start the new version it asks for from this page."
            messages.success(request, text)
            return redirect("policy_review_list", pk=policy.pk)
    return render(request, "policies/review_form.html", {"policy": policy, "form": form})


@require_signed_in
@require_POST
def review_withdraw(request: SignedInRequest, pk: int, review_pk: int):
    """Withdraw a review recorded in error, with the reason (editors). It stays, marked."""
    policy = policy_access.policy_get_for_user(request.user, pk, write=True)
    access.use_school(request, policy.school)
    review = policy.reviews.filter(pk=review_pk).first()
    if review is None:
        raise Http404
    form = ReviewWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.policy_review_withdraw(
                review=review, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The review was withdrawn. It stays in the list, marked.")
            return redirect("policy_review_list", pk=policy.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("policy_review_list", pk=policy.pk)


@require_signed_in
def review_request(request: SignedInRequest, pk: int):
    """Ask for a review (any member of the school). The form is also on the reviews page."""
    policy = policy_access.policy_get_for_user(request.user, pk)
    access.use_school(request, policy.school)
    form = ReviewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_review_request(
                policy=policy, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your request was sent to the policy's owner.")
            return redirect("policy_review_list", pk=policy.pk)
    return render(
        request,
        "policies/review_request.html",
        {"policy": policy, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("<int:pk>/import/", policy_import, name="policy_import"),
    path("versions/<int:pk>/imported/", policy_import_result, name="policy_import_result"),
    path("versions/<int:pk>/source/", version_source, name="policy_version_source"),
    path("templates/", template_list, name="policy_template_list"),
    path("templates/new/", template_create, name="policy_template_create"),
    path("templates/<int:pk>/edit/", template_edit, name="policy_template_edit"),
    path("templates/<int:pk>/adopt/", template_adopt, name="policy_template_adopt"),
    path("<int:pk>/reviews/", review_list, name="policy_review_list"),
    path("<int:pk>/reviews/new/", review_create, name="policy_review_create"),
    path(
        "<int:pk>/reviews/<int:review_pk>/withdraw/",
        review_withdraw,
        name="policy_review_withdraw",
    ),
    path("<int:pk>/request-review/", review_request, name="policy_review_request"),
]

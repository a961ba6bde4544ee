import base64

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from socialgov import access, csv_import
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    public,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.csv_export import csv_response
from socialgov.form_errors import add_service_errors
from socialgov.next_url import local_next
from socialgov.people import access as people_access
from socialgov.people import selectors, services, staff_import
from socialgov.people.access import (
    membership_get_for_user,
    school_get_for_user,
    staff_import_get_for_user,
)
from socialgov.people.forms import (
    MembershipEditForm,
    MembershipInviteForm,
    MembershipLeaveForm,
    PeopleFilterForm,
    SchoolForm,
    SchoolSwitchForm,
    SignInForm,
    StaffImportConfirmForm,
    StaffImportForm,
)
from socialgov.people.models import JoinInvitation, StaffImport
from socialgov.people.roles import PEOPLE_MANAGERS, Role


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["access_ended"] = self.request.GET.get("ended") == "1"
        return context


sign_in = public(SignInView.as_view())
sign_out = public(require_POST(auth_views.LogoutView.as_view()))


@require_signed_in
@require_POST
def school_switch(request: SignedInRequest):
    form = SchoolSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of your schools.")
        return redirect("dashboard")
    membership = access.membership_in(request.user, form.cleaned_data["school"])
    if membership is None:
        messages.error(request, "You are not a member of that school.")
        return redirect("dashboard")
    access.use_school(request, membership.school)
    messages.success(request, f"You are now working in {membership.school.name}.")
    return redirect(local_next(request, form.cleaned_data.get("next")) or "dashboard")


@require_role()
def school_current(request: SchoolRequest):
    return redirect("school_detail", pk=request.school.pk)


@require_signed_in
def school_detail(request: SignedInRequest, pk: int):
    school = school_get_for_user(request.user, pk)
    if access.membership_in(request.user, school):
        access.use_school(request, school)
    return render(
        request,
        "people/school_detail.html",
        {
            "school": school,
            "can_edit": people_access.school_may_edit(request.user, school),
            "leaders": selectors.role_holders(
                school, Role.HEADTEACHER, Role.DSL, Role.DEPUTY_DSL, Role.CHAIR_OF_GOVERNORS
            ).prefetch_related("roles"),
        },
    )


@require_signed_in
def school_edit(request: SignedInRequest, pk: int):
    school = school_get_for_user(request.user, pk, write=True)
    access.use_school(request, school)
    form = SchoolForm(request.POST or None, request.FILES or None, instance=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(school=school, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "School details saved.")
            return redirect("school_detail", pk=school.pk)
    return render(request, "people/school_form.html", {"school": school, "form": form})


PEOPLE_PAGE_SIZE = 50


@require_role(*PEOPLE_MANAGERS)
def people_list(request: SchoolRequest):
    """The people list, PEOPLE_PAGE_SIZE a page, with search and filters (kept by the export)."""
    form = PeopleFilterForm(request.GET)
    filters = form.filters()
    people = selectors.people_of_school(request.school, **filters)
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "people/people_list.html",
        {
            "form": form,
            "page": page,
            "show_leavers": filters["include_leavers"],
            "filtered": any(filters.values()),
            "export_query": export_query.urlencode(),
        },
    )


# --- People: invite, import, change, leave ---------------------------------------------------


@require_role(*PEOPLE_MANAGERS)
def people_invite(request: SchoolRequest):
    form = MembershipInviteForm(
        request.POST or None,
        can_grant_privileged=people_access.may_grant_privileged_roles(request.user, request.school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = services.membership_invite(
                school=request.school, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            user = added.user
            if isinstance(added, JoinInvitation):
                # Nothing about their login is shown: only what happens in this school.
                messages.success(
                    request,
                    f"An invitation to join {request.school.name} will be e-mailed to "
                    f"{user.email} shortly. They are added to the people list when they "
                    "accept it.",
                )
                return redirect("people_list")
            membership = added
            messages.success(request, f"An invitation will be e-mailed to {user.email} shortly.")
            if request.school.is_outside_domains(user.email):
                messages.warning(
                    request,
                    f"{user.email} is not on one of the school's e-mail domains. Check that it "
                    "is right; if not, record them as a leaver and invite them again.",
                )
            return redirect("person_detail", pk=membership.pk)
    return render(request, "people/membership_invite.html", {"form": form})


@require_signed_in
def person_detail(request: SignedInRequest, pk: int):
    membership = membership_get_for_user(request.user, pk)
    access.use_school(request, membership.school)
    return render(
        request,
        "people/membership_detail.html",
        {
            "membership": membership,
            "invitation": selectors.invitation_latest(membership),
            "can_manage": people_access.membership_may_manage(request.user, membership),
            "is_self": membership.user_id == request.user.pk,
            "has_left": not membership.is_current() and membership.leaving_date is not None,
        },
    )


@require_signed_in
def person_edit(request: SignedInRequest, pk: int):
    membership = membership_get_for_user(request.user, pk, write=True)
    access.use_school(request, membership.school)
    form = MembershipEditForm(
        request.POST or None,
        membership=membership,
        can_grant_privileged=people_access.may_grant_privileged_roles(
            request.user, membership.school
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.full_name}'s details saved.")
            return redirect("person_detail", pk=membership.pk)
    return render(request, "people/membership_edit.html", {"membership": membership, "form": form})


@require_signed_in
def person_leave(request: SignedInRequest, pk: int):
    # Nobody records themselves as a leaver (the service refuses): their own page only explains
    # who can, so it needs reading, not writing.
    is_self = any(m.pk == pk for m in access.current_memberships(request.user))
    membership = membership_get_for_user(request.user, pk, write=not is_self)
    access.use_school(request, membership.school)
    form = MembershipLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_end(
                membership=membership,
                actor=request.user,
                leaving_date=form.cleaned_data["leaving_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = membership.user.full_name
            if membership.is_current():
                messages.success(
                    request,
                    f"{name} is recorded as leaving on {membership.leaving_date:%d/%m/%Y}. "
                    "Their access ends at the start of that day.",
                )
            else:
                messages.success(
                    request,
                    f"{name} is recorded as a leaver and no longer has access to the school. "
                    "Everything they recorded is kept.",
                )
            return redirect("person_detail", pk=membership.pk)
    return render(
        request,
        "people/membership_leave.html",
        {
            "membership": membership,
            "form": form,
            "is_self": is_self,
        },
    )


@require_signed_in
@require_POST
def person_invitation_resend(request: SignedInRequest, pk: int):
    membership = membership_get_for_user(request.user, pk, write=True)
    access.use_school(request, membership.school)
    try:
        services.invitation_resend(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"A new invitation will be e-mailed to {membership.user.email} shortly. "
            "The earlier link no longer works.",
        )
    return redirect("person_detail", pk=membership.pk)


IMPORT_SESSION_KEY = "socialgov_people_import"


def _stored_import(request) -> dict | None:
    """The file being imported (kept in the session between the steps), for this school."""
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("school") != request.school.pk:
        return None
    return stored


def _stored_preview(request, stored: dict):
    return staff_import.staff_import_preview(
        school=request.school,
        actor=request.user,
        csv_bytes=base64.b64decode(stored["csv"]),
        mapping=stored.get("mapping") or {},
    )


@require_role(*PEOPLE_MANAGERS)
def people_import(request: SchoolRequest):
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        csv_bytes = form.cleaned_data["csv_file"]
        stored = {
            "school": request.school.pk,
            "name": request.FILES["csv_file"].name[:100],
            "csv": base64.b64encode(csv_bytes).decode("ascii"),
        }
        try:
            staff_import.staff_import_preview(
                school=request.school, actor=request.user, csv_bytes=csv_bytes
            )
        except csv_import.ColumnsUnmapped:
            # Kept between the steps (at most 1 MB); nothing is written until confirm.
            request.session[IMPORT_SESSION_KEY] = stored
            return redirect("people_import_columns")
        except ValidationError as error:
            form.add_error("csv_file", error)
        else:
            request.session[IMPORT_SESSION_KEY] = stored
            return redirect("people_import_preview")
    return render(
        request,
        "people/membership_import.html",
        {"form": form, "columns": staff_import.STAFF_CSV.columns},
    )


@require_role(*PEOPLE_MANAGERS)
def people_import_columns(request: SchoolRequest):
    """The column-mapping step: which column each heading the import does not know is."""
    stored = _stored_import(request)
    if stored is None:
        messages.info(request, "Choose a CSV file to import.")
        return redirect("people_import")
    csv_bytes = base64.b64decode(stored["csv"])
    try:
        csv_import.read_csv(csv_bytes, staff_import.STAFF_CSV)
    except csv_import.ColumnsUnmapped as unmapped:
        table = unmapped.table
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people_import")
    else:
        return redirect("people_import_preview")
    form = csv_import.ColumnMappingForm(
        request.POST or None, table=table, csv_format=staff_import.STAFF_CSV
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff_import.staff_import_preview(
                school=request.school,
                actor=request.user,
                csv_bytes=csv_bytes,
                mapping=form.mapping(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[IMPORT_SESSION_KEY] = {**stored, "mapping": form.mapping()}
            return redirect("people_import_preview")
    return render(
        request,
        "people/membership_import_columns.html",
        {"form": form, "table": table, "file_name": stored.get("name", "")},
    )


@require_role(*PEOPLE_MANAGERS)
def people_import_preview(request: SchoolRequest):
    stored = _stored_import(request)
    if stored is None:
        messages.info(request, "Choose a CSV file to import.")
        return redirect("people_import")
    try:
        preview = _stored_preview(request, stored)
    except csv_import.ColumnsUnmapped:
        return redirect("people_import_columns")
    form = StaffImportConfirmForm(request.POST or None, initial={"digest": preview.digest})
    if request.method == "POST" and form.is_valid():
        try:
            csv_import.preview_confirm(preview, form.cleaned_data["digest"])
            result = staff_import.staff_import_confirm(
                school=request.school,
                actor=request.user,
                preview=preview,
                file_name=stored.get("name", ""),
            )
        except csv_import.PreviewStale:
            messages.warning(
                request,
                "The people list has changed since you saw this preview. Check it again "
                "before confirming.",
            )
            return redirect("people_import_preview")
        del request.session[IMPORT_SESSION_KEY]
        if isinstance(result, StaffImport):
            return redirect("people_import_job", pk=result.pk)
        messages.success(request, _import_summary(result))
        return redirect("people_list")
    return render(
        request,
        "people/membership_import_preview.html",
        {"preview": preview, "form": form, "file_name": stored.get("name", "")},
    )


@require_signed_in
def people_import_job(request: SignedInRequest, pk: int):
    """A large import running in the background: its progress (the page asks again every few
    seconds while it runs), then what it did."""
    job = staff_import_get_for_user(request.user, pk)
    access.use_school(request, job.school)
    template = (
        "people/partials/staffimport_progress.html"
        if request.headers.get("HX-Request")
        else "people/staffimport_detail.html"
    )
    return render(request, template, {"job": job, "summary": _job_summary(job)})


def _job_summary(job) -> str:
    if job.status != job.Status.DONE:
        return ""
    return _import_summary(staff_import.ImportResult(**job.counts))


@require_role(*PEOPLE_MANAGERS)
def people_import_rejected(request: SchoolRequest):
    """The rows of the file being imported that would not be imported, with their problems."""
    stored = _stored_import(request)
    if stored is None:
        messages.info(request, "Choose a CSV file to import.")
        return redirect("people_import")
    try:
        preview = _stored_preview(request, stored)
    except csv_import.ColumnsUnmapped:
        return redirect("people_import_columns")
    return csv_import.rejected_rows_response(
        preview,
        csv_format=staff_import.STAFF_CSV,
        filename=f"not-imported-{request.school.urn}-{timezone.localdate():%Y-%m-%d}.csv",
    )


def _import_summary(result: staff_import.ImportResult) -> str:
    if not result.changed:
        return "Nothing changed: everyone in the file was already up to date."
    parts = [
        f"{result.new} joined the school" if result.new else "",
        f"{result.joined} re-joined" if result.joined else "",
        f"{result.updated} updated" if result.updated else "",
        f"{result.unchanged} unchanged" if result.unchanged else "",
        f"{result.not_imported} not imported" if result.not_imported else "",
    ]
    text = "Import done: " + ", ".join(p for p in parts if p) + "."
    if result.new or result.joined:
        text += " Everyone who joined is told by e-mail."
    return text


@public
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, token):
    """Open to anyone holding the link: the token (only its hash is stored) is the credential."""
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(
            request,
            "people/invitation_invalid.html",
            {"problem": problem},
            status=404 if invitation is None else 410,
        )
    user = invitation.membership.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The user returned carries the new password hash the session is keyed on.
            user = services.invitation_accept(
                invitation=invitation, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            return render(
                request, "people/invitation_invalid.html", {"problem": error.code}, status=410
            )
        if access.current_memberships(user):
            login(request, user, backend="socialgov.people.backends.MembershipBackend")
            messages.success(request, "Your password is set. Welcome to SocialGov.")
            return redirect("dashboard")
        messages.success(
            request,
            "Your password is set. You can sign in from "
            f"{invitation.membership.start_date:%d/%m/%Y}, when your access to the school starts.",
        )
        return redirect("login")
    return render(
        request, "people/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@require_signed_in
def join_invitation(request: SignedInRequest, pk: int):
    """An invitation to join another school: the person sees what the school chose and accepts
    or declines (POST). Nothing changes until they accept."""
    invitation = people_access.join_invitation_get_for_user(request.user, pk)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                membership = services.join_invitation_accept(
                    invitation=invitation, actor=request.user
                )
                access.forget_memberships(request.user)
                access.use_school(request, membership.school)
                messages.success(request, f"You have joined {membership.school.name}.")
                return redirect("dashboard")
            if answer == "decline":
                services.join_invitation_decline(invitation=invitation, actor=request.user)
                messages.success(request, f"You have declined to join {invitation.school.name}.")
                return redirect("dashboard")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("join_invitation", pk=invitation.pk)
    return render(
        request,
        "people/join_invitation.html",
        {
            "invitation": invitation,
            "role_labels": services.role_labels(frozenset(invitation.roles)),
            "usable": invitation.is_usable(),
        },
    )


# --- People: CSV export (socialgov.csv_export) -----------------------------------------------


@require_role(*PEOPLE_MANAGERS)
def people_export(request: SchoolRequest):
    """The people list as CSV, with the same rule and the same rows as the page (its filters
    too). A bulk export of personal data: the access log records it."""
    filters = PeopleFilterForm(request.GET).filters()
    people = selectors.people_of_school(request.school, **filters)
    access_record_request(
        request,
        obj=request.school,
        school=request.school,
        action=AccessAction.EXPORTED,
        description="People list (CSV)" + (", with leavers" if filters["include_leavers"] else ""),
    )
    rows = (
        (
            m.user.full_name,
            m.user.email,
            m.get_staff_group_display(),
            ", ".join(str(role) for role in m.roles.all()),
            m.start_date,
            m.leaving_date,
        )
        for m in people
    )
    return csv_response(
        filename=f"people-{request.school.urn}-{timezone.localdate():%Y-%m-%d}.csv",
        header=["Name", "E-mail", "Staff group", "Roles", "Start date", "Leaving date"],
        rows=rows,
    )

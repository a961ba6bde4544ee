"""Two-factor pages: enrol, verify a code, backup codes, the person's security page, and the
headteacher's view of their school with the lost-phone reset."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.next_url import local_next
from socialgov.people.roles import Role
from socialgov.twofactor import selectors, services
from socialgov.twofactor.access import reset_membership_get_for_user, two_factor_required
from socialgov.twofactor.forms import CodeForm, ResetForm
from socialgov.twofactor.middleware import note_activity
from socialgov.twofactor.qr import device_qr_svg, device_secret

# New backup codes wait in the session until the person says they have saved them.
BACKUP_CODES_KEY = "twofactor_backup_codes"
BACKUP_CODES_NEXT_KEY = "twofactor_backup_codes_next"


def _next_url(request) -> str:
    """?next= when it is a page of this site, else ""."""
    return local_next(request, request.POST.get("next") or request.GET.get("next"))


def _keeping_query(url_name: str, request) -> str:
    query = request.GET.urlencode()
    return f"{reverse(url_name)}?{query}" if query else reverse(url_name)


def _mark_verified(request, device) -> None:
    # A new session key when the session gains the right to act, so a key seen earlier is useless.
    request.session.cycle_key()
    django_otp.login(request, device)
    note_activity(request.session)


def _show_backup_codes(request, codes: list[str], next_url: str):
    request.session[BACKUP_CODES_KEY] = codes
    request.session[BACKUP_CODES_NEXT_KEY] = next_url
    return redirect("twofactor_backup_codes")


ENROLMENT_SESSION_KEY = "socialgov_twofactor_enrolment"


@require_signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: SignedInRequest):
    user = request.user
    if selectors.has_authenticator(user):
        if user.is_verified():
            messages.info(request, "Two-factor sign-in is already set up for you.")
            return redirect("twofactor_security")
        return redirect(_keeping_query("twofactor_verify", request))
    if not two_factor_required(user):
        messages.info(request, "Your roles do not need two-factor sign-in.")
        return redirect("twofactor_security")

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.enrolment_confirm(
                user=user,
                code=form.cleaned_data["code"],
                device_id=request.session.get(ENROLMENT_SESSION_KEY),
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _mark_verified(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return _show_backup_codes(request, codes, _next_url(request))
    # The secret is this session's own: another session (or an earlier look) gets another.
    device = services.enrolment_start(
        user=user, device_id=request.session.get(ENROLMENT_SESSION_KEY)
    )
    if request.session.get(ENROLMENT_SESSION_KEY) != device.pk:
        request.session[ENROLMENT_SESSION_KEY] = device.pk
    return render(
        request,
        "twofactor/device_enrol.html",
        {
            "form": form,
            "qr_svg": device_qr_svg(device),
            "secret": device_secret(device),
            "next": _next_url(request),
        },
    )


@require_signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: SignedInRequest):
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url or "dashboard")
    if not selectors.has_authenticator(user):
        return redirect(_keeping_query("twofactor_enrol", request))

    form = CodeForm(request.POST or None, allow_backup=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.code_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = selectors.backup_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a backup code. You have {left} left: make new ones on "
                    "your Security page if you are running out.",
                )
            return redirect(next_url or "dashboard")
    return render(request, "twofactor/device_verify.html", {"form": form, "next": next_url})


@require_signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request: SignedInRequest):
    """New backup codes, shown once: they leave the session when the person has saved them."""
    codes = request.session.get(BACKUP_CODES_KEY)
    if not codes:
        messages.info(
            request, "Backup codes are shown only once. You can make new ones on this page."
        )
        return redirect("twofactor_security")
    if request.method == "POST":
        request.session.pop(BACKUP_CODES_KEY, None)
        next_url = request.session.pop(BACKUP_CODES_NEXT_KEY, "")
        return redirect(next_url or "dashboard")
    return render(request, "twofactor/backupcode_list.html", {"codes": codes})


@require_signed_in
@require_http_methods(["GET", "POST"])
def security(request: SignedInRequest):
    """The person's own two-factor: whether it is on, backup codes left, resets, new codes."""
    user = request.user
    authenticator = selectors.authenticator_of(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and authenticator is not None and form.is_valid():
        try:
            codes = services.backup_codes_regenerate(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, "New backup codes are ready; the old ones no longer work.")
            return _show_backup_codes(request, codes, reverse("twofactor_security"))
    return render(
        request,
        "twofactor/security_detail.html",
        {
            "required": two_factor_required(user),
            "authenticator": authenticator,
            "backup_codes_left": selectors.backup_codes_left(user),
            "resets": selectors.resets_of(user)[:20],
            "form": form,
            "is_headteacher": Role.HEADTEACHER in request.roles,
            "idle_minutes": settings.SOCIALGOV_IDLE_TIMEOUT_MINUTES,
            "backup_code_count": services.BACKUP_CODE_COUNT,
        },
    )


@require_role(Role.HEADTEACHER)
def school_people(request: SchoolRequest):
    """The headteacher's list: who needs two-factor in the school and who has set it up."""
    return render(
        request,
        "twofactor/membership_list.html",
        {"people": selectors.two_factor_status_of_school(request.school)},
    )


def _after_reset_url(request, membership) -> str:
    if access.has_role(request.user, membership.school, Role.HEADTEACHER):
        return reverse("twofactor_people")
    return reverse("dashboard")


@require_signed_in
@require_http_methods(["GET", "POST"])
def reset(request: SignedInRequest, membership_pk: int):
    membership = reset_membership_get_for_user(request.user, membership_pk, write=True)
    if access.membership_in(request.user, membership.school):
        access.use_school(request, membership.school)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_reset(
                membership=membership, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Two-factor sign-in of {membership.user.full_name} is reset. They will set it "
                "up again next time they sign in.",
            )
            return redirect(_after_reset_url(request, membership))
    return render(
        request,
        "twofactor/twofactorreset_form.html",
        {
            "membership": membership,
            "form": form,
            "cancel_url": _after_reset_url(request, membership),
            "has_authenticator": selectors.has_authenticator(membership.user),
            "paused_until": selectors.paused_until(membership.user),
            "previous_resets": selectors.resets_of(membership.user).filter(
                school=membership.school
            )[:10],
        },
    )


@require_signed_in
@require_POST
def throttle_clear(request: SignedInRequest, membership_pk: int):
    """Lift the pause wrong codes put on a person's two-factor (who may reset it may lift it)."""
    membership = reset_membership_get_for_user(request.user, membership_pk, write=True)
    services.two_factor_throttle_clear(membership=membership, actor=request.user)
    messages.success(
        request,
        f"{membership.user.full_name} can enter a two-factor code again straight away.",
    )
    return redirect("twofactor_reset", membership_pk=membership.pk)

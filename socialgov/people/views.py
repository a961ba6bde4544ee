from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socialgov import access
from socialgov.access import public, require_role, require_signed_in
from socialgov.people import selectors, services
from socialgov.people.access import school_get_for_user
from socialgov.people.forms import SchoolForm, SchoolSwitchForm, SignInForm
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
sign_out = public(auth_views.LogoutView.as_view())


@require_signed_in
@require_POST
def school_switch(request):
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
    target = form.cleaned_data.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    return redirect(target or "dashboard")


@require_role()
def school_current(request):
    return redirect("school_detail", pk=request.school.pk)


@require_signed_in
def school_detail(request, pk):
    school = school_get_for_user(request.user, pk)
    if access.membership_in(request.user, school):
        access.use_school(request, school)
    return render(
        request,
        "people/school_detail.html",
        {
            "school": school,
            "can_edit": access.has_role(request.user, school, Role.HEADTEACHER),
            "leaders": selectors.role_holders(
                school, Role.HEADTEACHER, Role.DSL, Role.DEPUTY_DSL, Role.CHAIR_OF_GOVERNORS
            ).prefetch_related("roles"),
        },
    )


@require_signed_in
def school_edit(request, pk):
    school = school_get_for_user(request.user, pk, write=True)
    access.use_school(request, school)
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(school=school, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "School details saved.")
            return redirect("school_detail", pk=school.pk)
    return render(request, "people/school_form.html", {"school": school, "form": form})


@require_role(*PEOPLE_MANAGERS)
def people_list(request):
    show_leavers = request.GET.get("leavers") == "1"
    people = selectors.people_of_school(request.school, include_leavers=show_leavers)
    return render(
        request,
        "people/people_list.html",
        {"people": people, "show_leavers": show_leavers},
    )

"""The benchmark's two reference pages, served only under `socialgov.benchmark.settings`.

- `bare_list`: a plain Django view rendering 100 memberships of the current school (name,
  e-mail, staff group, start date) in a table, with the base layout and the same middleware as
  every page: what any page of the site costs at the least.
- the admin changelist of the same rows (`/benchmark/admin/people/membership/`, 100 a page): what
  Django's own admin costs for them, for comparison.
"""

from django.contrib import admin
from django.shortcuts import render

from socialgov.access import require_role
from socialgov.people.models import Membership

REFERENCE_ROWS = 100


@require_role()
def bare_list(request):
    memberships = (
        Membership.objects.filter(school=request.school)
        .select_related("user")
        .order_by("user__full_name", "pk")[:REFERENCE_ROWS]
    )
    return render(request, "benchmark/reference_list.html", {"memberships": memberships})


class BenchmarkAdminSite(admin.AdminSite):
    site_header = "SocialGov benchmark"


admin_site = BenchmarkAdminSite(name="benchmark_admin")


@admin.register(Membership, site=admin_site)
class MembershipReferenceAdmin(admin.ModelAdmin):
    """The same rows as `bare_list`: the memberships of the benchmark's large school."""

    list_display = ("full_name", "email", "staff_group", "start_date")
    list_select_related = ("user", "school")
    list_per_page = REFERENCE_ROWS
    ordering = ("user__full_name", "pk")

    @admin.display(description="Name")
    def full_name(self, membership):
        return membership.user.full_name

    @admin.display(description="E-mail")
    def email(self, membership):
        return membership.user.email

    def get_queryset(self, request):
        from socialgov.benchmark.registry import LARGE_SCHOOL_URN

        return super().get_queryset(request).filter(school__urn=LARGE_SCHOOL_URN)

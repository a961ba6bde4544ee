from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from socialgov.people.models import Membership, MembershipRole, School, Trust, TrustMembership, User


def _superusers_only(request) -> bool:
    """The Django admin is for the people who run the deployment, never for school staff."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
admin.site.site_header = "SocialGov deployment administration"


@admin.register(Trust)
class TrustAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "urn", "trust"]
    search_fields = ["name", "urn"]
    list_filter = ["trust"]


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "school", "staff_group", "start_date", "leaving_date"]
    list_filter = ["school", "staff_group"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]
    inlines = [MembershipRoleInline]


@admin.register(TrustMembership)
class TrustMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "trust", "role", "start_date", "leaving_date"]
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_superuser"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal: list[str] = []
    list_filter = ["is_active", "is_superuser"]

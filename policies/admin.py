"""Admin for the people who run the deployment. Frozen text and signatures are read-only here:
they change only through the services (a new version; never an edited signature)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from policies.models import Policy, PolicyTemplate, PolicyVersion, Signature


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "kind", "next_review_on"]
    list_filter = ["school", "kind"]
    search_fields = ["title"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["policy", "number", "status", "change", "published_at"]
    list_filter = ["status", "policy__school"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["signer", "version", "signed_at", "verification_code"]
    list_filter = ["school"]
    search_fields = ["signer__full_name", "verification_code"]


@admin.register(PolicyTemplate)
class PolicyTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["title", "issuer", "trust", "is_published"]
    list_filter = ["trust", "is_published"]

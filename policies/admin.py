"""Admin for the people who run the deployment. Frozen text and signatures are read-only here:
they change only through the services (a new version; never an edited signature). So are
declarations, their decisions and confirmations, and policy exceptions: decisions and
confirmations are append-only, and a declaration or an exception changes only through its
services (who decided, the notifications and the history's author depend on it)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from policies.declarations.models import (
    Declaration,
    DeclarationConfirmation,
    DeclarationDecision,
    PolicyException,
)
from policies.models import Policy, PolicyTemplate, PolicyVersion, Signature
from socialgov.admin_read_only import ReadOnlyAdmin


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


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "school", "declarer", "concerns", "status", "review_on"]
    list_filter = ["school", "status", "concerns"]
    search_fields = ["declarer__full_name"]
    exclude = ["submission_key"]


@admin.register(DeclarationDecision)
class DeclarationDecisionAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "sequence", "outcome", "review_on", "decided_by", "decided_at"]
    list_filter = ["outcome", "declaration__school"]


@admin.register(DeclarationConfirmation)
class DeclarationConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["person", "school", "academic_year", "kind", "confirmed_at"]
    list_filter = ["school", "academic_year", "kind"]
    search_fields = ["person__full_name"]


@admin.register(PolicyException)
class PolicyExceptionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "school", "for_kind", "for_name", "status", "starts_on", "ends_on"]
    list_filter = ["school", "status", "for_kind"]
    search_fields = ["for_name"]
    exclude = ["submission_key"]

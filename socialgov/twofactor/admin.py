from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from socialgov.twofactor.models import TwoFactorReset


@admin.register(TwoFactorReset)
class TwoFactorResetAdmin(SimpleHistoryAdmin):
    """Read-only: resets are made on the reset page, which checks who may make them."""

    list_display = ["person", "school", "reset_by", "at"]
    list_filter = ["school"]
    search_fields = ["person__full_name", "person__email"]
    readonly_fields = ["person", "school", "reset_by", "reason", "at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

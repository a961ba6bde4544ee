from django.contrib import admin

from socialgov.admin_read_only import ReadOnlyAdmin
from socialgov.twofactor.models import TwoFactorReset


@admin.register(TwoFactorReset)
class TwoFactorResetAdmin(ReadOnlyAdmin):
    """Read-only: resets are made on the reset page, which checks who may make them."""

    list_display = ["person", "school", "reset_by", "at"]
    list_filter = ["school"]
    search_fields = ["person__full_name", "person__email"]
    readonly_fields = ["person", "school", "reset_by", "reason", "at"]

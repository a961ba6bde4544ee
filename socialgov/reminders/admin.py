from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from socialgov.reminders.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(SimpleHistoryAdmin):
    """Read-only: the operators' view of what went and what failed; only the sweep writes it."""

    list_display = ["due_on", "kind", "recipient", "school", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "school"]
    search_fields = ["recipient__email", "recipient__full_name", "subject_key"]
    date_hierarchy = "due_on"
    list_select_related = ["recipient", "school"]
    raw_id_fields = ["recipient", "school", "notification"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

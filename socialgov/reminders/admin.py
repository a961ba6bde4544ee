from django.contrib import admin

from socialgov.admin_read_only import ReadOnlyAdmin
from socialgov.reminders.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    """Read-only: the operators' view of what went and what failed; only the sweep writes it."""

    list_display = ["due_on", "kind", "recipient", "school", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "school"]
    search_fields = ["recipient__email", "recipient__full_name", "subject_key"]
    date_hierarchy = "due_on"
    list_select_related = ["recipient", "school"]
    raw_id_fields = ["recipient", "school", "notification"]

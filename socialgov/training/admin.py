"""Admin for the people who run the deployment. The training log is read-only here: sessions
and attendance are recorded through the services (attendance is append-only, and the history
names who recorded it); a school's training setting may be corrected."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from socialgov.admin_read_only import ReadOnlyAdmin
from socialgov.training.models import TrainingAttendance, TrainingSession, TrainingSettings


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "kind", "held_on", "provider", "minutes"]
    list_filter = ["school", "kind"]
    search_fields = ["title", "provider"]
    exclude = ["submission_key"]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["person", "session", "kind", "held_on", "source", "recorded_by"]
    list_filter = ["school", "kind", "source"]
    search_fields = ["person__full_name", "person__email"]


@admin.register(TrainingSettings)
class TrainingSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["school", "induction_within_days"]

"""The admin's read-only pages: records that change only through their services (who acted,
the notifications and the history's author depend on it) are shown to the operators, never
added, edited or deleted in the admin."""

from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """A model admin with its history that adds, changes and deletes nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

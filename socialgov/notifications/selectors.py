"""Reads of notifications, through the gateway."""

from django.db.models import QuerySet

from socialgov.notifications.access import notification_visible_to
from socialgov.notifications.models import Notification


def notification_inbox(user) -> QuerySet[Notification]:
    """The person's notifications, newest first, with the school loaded."""
    return notification_visible_to(user).select_related("school").order_by("-created_at", "-pk")


def notification_unread_count(user) -> int:
    """On every page: which kinds of record the person's unread notifications are about (a
    small query on the inbox index; none unread, nothing more), then one COUNT asking only
    those kinds' gateways."""
    if not getattr(user, "is_authenticated", False):
        return 0
    kinds = set(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values_list("about_type_id", flat=True)
        .distinct()
    )
    if not kinds:
        return 0
    about_types = {kind for kind in kinds if kind is not None}
    return (
        notification_visible_to(user, about_types=about_types).filter(read_at__isnull=True).count()
    )

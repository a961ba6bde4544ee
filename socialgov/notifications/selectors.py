"""Reads of notifications, through the gateway."""

from django.db.models import QuerySet

from socialgov.notifications.access import notification_visible_to
from socialgov.notifications.models import Notification


def notification_inbox(user) -> QuerySet[Notification]:
    """The person's notifications, newest first, with the school loaded."""
    return notification_visible_to(user).select_related("school").order_by("-created_at", "-pk")


def notification_unread_count(user) -> int:
    """One COUNT query on the inbox index."""
    return notification_visible_to(user).filter(read_at__isnull=True).count()

"""Access gateway for notifications: each person sees their own, and only for their schools."""

from django.db.models import Q, QuerySet

from socialgov import access
from socialgov.notifications import registry
from socialgov.notifications.models import Notification


def notification_visible_to(user) -> QuerySet[Notification]:
    """The person's own notifications, for schools they still belong to (or no school), and
    only about records they may still see (socialgov.notifications.registry).

    Leaving a school ends its notifications too: their links would lead nowhere.
    """
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    schools = Q(school__isnull=True) | Q(school_id__in=access.member_school_ids(user))
    trust_ids = access.trust_ids(user)
    if trust_ids:  # only trust executives pay for the join
        schools |= Q(school__trust_id__in=trust_ids)
    return (
        Notification.objects.filter(recipient=user)
        .filter(schools)
        .exclude(registry.hidden_from(user))
    )


def notification_get_for_user(user, pk, *, write: bool = False) -> Notification:
    """One of the person's own notifications; 404 for anyone else's."""
    return access.get_visible_or_404(notification_visible_to(user), pk)

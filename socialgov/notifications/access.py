"""Access gateway for notifications: each person sees their own, and only for their schools."""

from django.db.models import Q, QuerySet

from socialgov import access
from socialgov.notifications import registry
from socialgov.notifications.models import Notification


def notification_visible_to(user, *, about_types=None) -> QuerySet[Notification]:
    """The person's own notifications, for schools they still belong to (or no school), and
    only about records they may still see (socialgov.notifications.registry).

    Leaving a school ends its notifications too: their links would lead nowhere. With
    `about_types` (content type ids), only notifications about nothing or about those kinds of
    record are returned, and only those kinds' gateways are asked.
    """
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    schools = Q(school__isnull=True) | Q(school_id__in=access.member_school_ids(user))
    trust_ids = access.trust_ids(user)
    if trust_ids:  # only trust executives pay for the join
        schools |= Q(school__trust_id__in=trust_ids)
    mine = Notification.objects.filter(recipient=user)
    if about_types is not None:
        mine = mine.filter(Q(about_type__isnull=True) | Q(about_type_id__in=sorted(about_types)))
    return mine.filter(schools).exclude(registry.hidden_from(user, about_types=about_types))


def notification_get_for_user(user, pk, *, write: bool = False) -> Notification:
    """One of the person's own notifications; 404 for anyone else's."""
    return access.get_visible_or_404(notification_visible_to(user), pk)

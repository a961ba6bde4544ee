from django.utils.functional import SimpleLazyObject


def unread_count(request):
    """`notifications_unread` for the header bell: one COUNT, only for signed-in people, and only
    when a template actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from socialgov.notifications.selectors import notification_unread_count

    return {"notifications_unread": SimpleLazyObject(lambda: notification_unread_count(user))}

from socialgov.navigation import navigation_for


def school_context(request):
    """The current school, the person's schools (for the switcher) and the role-aware menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from socialgov import access

    return {
        "current_school": getattr(request, "school", None),
        "my_memberships": access.current_memberships(user),
        "nav_items": navigation_for(request),
    }

from django.contrib.auth.backends import ModelBackend

from socialgov import access


class MembershipBackend(ModelBackend):
    """E-mail and password, for people with a current school or trust membership (or superusers)."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if user.is_superuser:
            return True
        return bool(access.current_memberships(user) or access.current_trust_memberships(user))

"""Password reset pages (Django's, with what SocialGov adds).

Choosing a new password through a reset link also lifts every sign-in lock on the account: the
link reached the person's own mailbox, so whoever was guessing is not them (see
socialgov.people.throttling).
"""

from django.contrib.auth import views as auth_views

from socialgov.people.throttling import account_unlock


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        account_unlock(form.user)
        return response

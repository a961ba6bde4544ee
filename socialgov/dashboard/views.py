from django.shortcuts import render

from socialgov import access
from socialgov.access import require_signed_in


@require_signed_in
def dashboard(request):
    """'What needs me': each app will add its items through its selectors."""
    attention: list[dict] = []
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "attention": attention,
            "trust_memberships": access.current_trust_memberships(request.user),
        },
    )

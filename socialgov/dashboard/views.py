from django.shortcuts import render

from socialgov import access
from socialgov.access import SignedInRequest, require_signed_in
from socialgov.needs_me import needs_me_for, one_drawing, summary_for


@require_signed_in
def dashboard(request: SignedInRequest):
    """'What needs me', in every current school of the person (each app registers its panels)."""
    with one_drawing():
        needs = needs_me_for(request.user)
        membership = getattr(request, "membership", None)
        if membership is not None:
            membership.user = request.user  # the person already loaded, memberships cached
        summary = summary_for(membership)
    # The current school first, then the others in name order.
    current_pk = getattr(getattr(request, "school", None), "pk", None)
    needs.sort(key=lambda group: group.school.pk != current_pk)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "needs": needs,
            "nothing_waiting": not any(group.items for group in needs),
            "summary": summary,
            "trust_memberships": access.current_trust_memberships(request.user),
        },
    )

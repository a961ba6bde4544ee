from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from socialgov import access
from socialgov.access import require_signed_in


@require_signed_in
def dashboard(request):
    """'What needs me': each app will add its items through its selectors."""
    attention: list[dict] = []
    if getattr(request, "school", None) is not None:
        # Signing (policies): the published policies the person must sign and has not.
        from policies.selectors import to_sign_for

        waiting = len(to_sign_for(request.user, request.school))
        if waiting:
            attention.append(
                {
                    "label": f"{waiting} {'policy' if waiting == 1 else 'policies'} to sign",
                    "url": reverse("to_sign_list"),
                }
            )
        # Reviews (policies): overdue, due within 60 days, or requested; for policy editors.
        from policies.access import can_edit as can_edit_policies
        from policies.selectors import policies_review_attention

        if can_edit_policies(request.user, request.school):
            today = timezone.localdate()
            for policy in policies_review_attention(request.school, on=today)[:10]:
                if policy.review_requested_at:
                    when = "requested"
                elif policy.next_review_on < today:
                    when = f"overdue since {policy.next_review_on:%d/%m/%Y}"
                else:
                    when = f"due on {policy.next_review_on:%d/%m/%Y}"
                attention.append(
                    {
                        "label": f"Review of {policy.title} {when}",
                        "url": reverse("policy_review_list", args=[policy.pk]),
                    }
                )
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "attention": attention,
            "trust_memberships": access.current_trust_memberships(request.user),
        },
    )

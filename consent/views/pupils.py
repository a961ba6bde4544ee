from django.shortcuts import render
from django.utils import timezone

from consent import access as consent_access
from consent import selectors
from socialgov.access import SchoolRequest, require_role


@require_role(*consent_access.COMPETENCE_RECORDERS)
def competence_waiting(request: SchoolRequest):
    """Pupils whose own decisions wait for a competence assessment."""
    pupils = list(selectors.pupils_waiting_for_competence(request.school, timezone.localdate()))
    return render(request, "consent/competence_waiting.html", {"pupils": pupils})

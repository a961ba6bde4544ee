from django.urls import path

from consent.views import pupils

urlpatterns = [
    path("competence/waiting/", pupils.competence_waiting, name="consent_competence_waiting"),
]

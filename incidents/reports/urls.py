from django.urls import path

from incidents.reports.views import incident, lists, steps

urlpatterns = [
    path("", lists.incident_list, name="incident_list"),
    path("export.csv", lists.incident_list_export, name="incident_list_export"),
    path("report/", lists.incident_report, name="incident_report"),
    path("mine/", lists.incident_mine, name="incident_mine"),
    path("<int:pk>/", incident.incident_detail, name="incident_detail"),
    path("<int:pk>/history/", incident.incident_history, name="incident_history"),
    path(
        "<int:pk>/chronology.pdf", incident.incident_chronology_pdf, name="incident_chronology_pdf"
    ),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        incident.incident_evidence_download,
        name="incident_evidence_download",
    ),
    path("<int:pk>/triage/", steps.incident_triage, name="incident_triage"),
    path("<int:pk>/handler/", steps.incident_assign, name="incident_assign"),
    path("<int:pk>/status/", steps.incident_status, name="incident_status"),
    path("<int:pk>/actions/add/", steps.incident_action_add, name="incident_action_add"),
    path("<int:pk>/entries/add/", steps.incident_entry_add, name="incident_entry_add"),
    path("<int:pk>/people/add/", steps.incident_person_add, name="incident_person_add"),
    path("<int:pk>/evidence/add/", steps.incident_evidence_add, name="incident_evidence_add"),
    path("<int:pk>/ict/", steps.incident_ict, name="incident_ict"),
    path("<int:pk>/threshold/", steps.incident_threshold, name="incident_threshold"),
    path("<int:pk>/imagery/", steps.incident_imagery, name="incident_imagery"),
    path("<int:pk>/close/", steps.incident_close, name="incident_close"),
    path("<int:pk>/reroute/", steps.incident_reroute, name="incident_reroute"),
]

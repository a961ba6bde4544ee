from django.urls import path

from consent.views import bulk, imports, pupils, purposes, register, schools

urlpatterns = [
    path("", register.consent_home, name="consent_home"),
    path("schools/<int:pk>/<slug:page>/", schools.consent_in_school, name="consent_in_school"),
    # The register, school-wide
    path("register/", register.register, name="consent_register"),
    path("register.csv", register.register_csv, name="consent_register_csv"),
    path("gaps/", register.gaps, name="consent_gaps"),
    path("gaps.csv", register.gaps_csv, name="consent_gaps_csv"),
    path("coming-up/", register.lapsing, name="consent_lapsing"),
    path("coming-up.csv", register.lapsing_csv, name="consent_lapsing_csv"),
    path("lookup/", register.lookup, name="consent_lookup"),
    path("counts/", register.counts, name="consent_counts"),
    path("counts.csv", register.counts_csv, name="consent_counts_csv"),
    path("sheet/", register.class_sheet, name="consent_class_sheet"),
    path("sheet.pdf", register.class_sheet_pdf, name="consent_class_sheet_pdf"),
    path("bulk/", bulk.bulk_entry, name="consent_bulk_entry"),
    # Importing pupils from the MIS
    path("import/", imports.import_upload, name="consent_import"),
    path("import/columns/", imports.import_columns, name="consent_import_columns"),
    path("import/preview/", imports.import_preview, name="consent_import_preview"),
    path("import/not-imported.csv", imports.import_rejected, name="consent_import_rejected"),
    path("import/done/", imports.import_done, name="consent_import_done"),
    # Pupils
    path("pupils/", register.pupil_list, name="consent_pupil_list"),
    path("pupils.csv", register.pupil_list_csv, name="consent_pupil_list_csv"),
    path("pupils/new/", pupils.pupil_create, name="consent_pupil_create"),
    path("pupils/<int:pk>/", pupils.pupil_detail, name="consent_pupil_detail"),
    path("pupils/<int:pk>/edit/", pupils.pupil_edit, name="consent_pupil_edit"),
    path("pupils/<int:pk>/leave/", pupils.pupil_leave, name="consent_pupil_leave"),
    path("pupils/<int:pk>/history/", pupils.pupil_history, name="consent_pupil_history"),
    path(
        "pupils/<int:pk>/chronology.csv",
        pupils.pupil_chronology_csv,
        name="consent_pupil_chronology_csv",
    ),
    path("pupils/<int:pk>/decisions/new/", pupils.decision_create, name="consent_decision_create"),
    path(
        "pupils/<int:pk>/competence/new/",
        pupils.competence_create,
        name="consent_competence_create",
    ),
    path("pupils/<int:pk>/restriction/", pupils.restriction_set, name="consent_restriction_set"),
    path("decisions/<int:pk>/correct/", pupils.decision_correct, name="consent_decision_correct"),
    path(
        "decisions/<int:pk>/evidence/", pupils.decision_evidence, name="consent_decision_evidence"
    ),
    path("restrictions/<int:pk>/lift/", pupils.restriction_lift, name="consent_restriction_lift"),
    path("competence/waiting/", pupils.competence_waiting, name="consent_competence_waiting"),
    # Purposes and settings
    path("purposes/", purposes.purpose_list, name="consent_purpose_list"),
    path("purposes/new/", purposes.purpose_create, name="consent_purpose_create"),
    path("purposes/defaults/", purposes.purpose_defaults, name="consent_purpose_defaults"),
    path("purposes/<int:pk>/edit/", purposes.purpose_edit, name="consent_purpose_edit"),
    path("purposes/<int:pk>/history/", purposes.purpose_history, name="consent_purpose_history"),
    path("settings/", purposes.consent_settings, name="consent_settings"),
]

from django.urls import path

from socialgov.reports import views

urlpatterns = [
    path("governors/", views.governors_report_current, name="governors_report_current"),
    path("schools/<int:pk>/", views.governors_report, name="governors_report"),
    path("schools/<int:pk>/pdf/", views.governors_report_pdf, name="governors_report_pdf"),
    path(
        "schools/<int:pk>/csv/<slug:section>/<slug:table>/",
        views.governors_report_csv,
        name="governors_report_csv",
    ),
    path("schools/<int:pk>/keep/", views.governors_report_keep, name="governors_report_keep"),
    path("schools/<int:pk>/kept/", views.governors_report_kept, name="governors_report_kept"),
    path("kept/<int:pk>/pdf/", views.generated_report_download, name="generated_report_download"),
    path("trust/", views.trust_rollup_current, name="trust_rollup_current"),
    path("trusts/<int:pk>/", views.trust_rollup, name="trust_rollup"),
    path("trusts/<int:pk>/pdf/", views.trust_rollup_pdf, name="trust_rollup_pdf"),
    path("trusts/<int:pk>/csv/", views.trust_rollup_csv, name="trust_rollup_csv"),
]

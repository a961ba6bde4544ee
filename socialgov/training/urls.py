from django.urls import path

from socialgov.training import views

urlpatterns = [
    path("", views.training_mine, name="training_mine"),
    path("sessions/", views.training_session_list, name="training_session_list"),
    path("sessions/new/", views.training_session_create, name="training_session_create"),
    path("sessions/<int:pk>/", views.training_session_detail, name="training_session_detail"),
    path(
        "sessions/<int:pk>/history/",
        views.training_session_history,
        name="training_session_history",
    ),
    path("sessions/<int:pk>/import/", views.training_import_upload, name="training_import_upload"),
    path(
        "sessions/<int:pk>/import/preview/",
        views.training_import_preview,
        name="training_import_preview",
    ),
    path(
        "sessions/<int:pk>/import/columns/",
        views.training_import_columns,
        name="training_import_columns",
    ),
    path(
        "sessions/<int:pk>/import/rejected.csv",
        views.training_import_rejected,
        name="training_import_rejected",
    ),
    path("coverage/", views.training_coverage, name="training_coverage"),
    path("coverage.csv", views.training_coverage_export, name="training_coverage_export"),
    path("settings/", views.training_settings, name="training_settings"),
    path("schools/<int:pk>/<slug:page>/", views.training_in_school, name="training_in_school"),
]

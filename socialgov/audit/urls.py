from django.urls import path

from socialgov.audit import views

urlpatterns = [
    path("schools/<int:pk>/history/", views.school_history, name="school_history"),
    path("people/<int:pk>/history/", views.membership_history, name="membership_history"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.csv", views.access_log_export, name="access_log_export"),
]

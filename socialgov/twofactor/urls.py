from django.urls import path

from socialgov.twofactor import views

urlpatterns = [
    path("", views.security, name="twofactor_security"),
    path("set-up/", views.enrol, name="twofactor_enrol"),
    path("verify/", views.verify, name="twofactor_verify"),
    path("backup-codes/", views.backup_codes, name="twofactor_backup_codes"),
    path("people/", views.school_people, name="twofactor_people"),
    path("reset/<int:membership_pk>/", views.reset, name="twofactor_reset"),
    path(
        "reset/<int:membership_pk>/pause/",
        views.throttle_clear,
        name="twofactor_throttle_clear",
    ),
]

from django.urls import path

from socialgov.people import views

urlpatterns = [
    path("school/", views.school_current, name="school_current"),
    path("school/switch/", views.school_switch, name="school_switch"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("people/", views.people_list, name="people_list"),
    path("people/export.csv", views.people_export, name="people_export"),
    path("people/invite/", views.people_invite, name="people_invite"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/import/columns/", views.people_import_columns, name="people_import_columns"),
    path("people/import/preview/", views.people_import_preview, name="people_import_preview"),
    path("people/import/<int:pk>/", views.people_import_job, name="people_import_job"),
    path(
        "people/import/not-imported.csv",
        views.people_import_rejected,
        name="people_import_rejected",
    ),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path(
        "people/<int:pk>/invitation/",
        views.person_invitation_resend,
        name="person_invitation_resend",
    ),
    path("joining/<int:pk>/", views.join_invitation, name="join_invitation"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

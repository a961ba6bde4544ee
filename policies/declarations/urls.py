from django.urls import path

from policies.declarations import views

urlpatterns = [
    path("declarations/", views.declaration_list, name="declaration_list"),
    path("declarations/new/", views.declaration_create, name="declaration_create"),
    path("declarations/confirm/", views.declaration_confirm, name="declaration_confirm"),
    path("declarations/export.csv", views.declaration_export, name="declaration_export"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/decide/", views.declaration_decide, name="declaration_decide"),
    path("declarations/<int:pk>/end/", views.declaration_end, name="declaration_end"),
    path("declarations/<int:pk>/history/", views.declaration_history, name="declaration_history"),
    path(
        "declarations/schools/<int:pk>/<slug:page>/",
        views.declarations_in_school,
        name="declarations_in_school",
    ),
    path("exceptions/", views.exception_list, name="exception_list"),
    path("exceptions/new/", views.exception_create, name="exception_create"),
    path("exceptions/export.csv", views.exception_export, name="exception_export"),
    path("exceptions/<int:pk>/", views.exception_detail, name="exception_detail"),
    path("exceptions/<int:pk>/approve/", views.exception_approve, name="exception_approve"),
    path("exceptions/<int:pk>/decline/", views.exception_decline, name="exception_decline"),
    path(
        "exceptions/<int:pk>/agreement/",
        views.exception_agreement,
        name="exception_agreement",
    ),
    path("exceptions/<int:pk>/history/", views.exception_history, name="exception_history"),
]

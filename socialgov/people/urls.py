from django.urls import path

from socialgov.people import views

urlpatterns = [
    path("school/", views.school_current, name="school_current"),
    path("school/switch/", views.school_switch, name="school_switch"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("people/", views.people_list, name="people_list"),
]

from django.urls import path

from socialgov.terms import views

urlpatterns = [
    path("", views.term_list, name="term_list"),
    path("edit/", views.term_year_edit, name="term_year_edit"),
]

from django.urls import path

from socialgov.uploads import views

urlpatterns = [
    path("schools/<int:pk>/logo/", views.school_logo, name="school_logo"),
]

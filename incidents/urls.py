from django.urls import include, path

urlpatterns = [
    path("", include("incidents.reports.urls")),
    path("filtering/", include("incidents.filtering.urls")),
]

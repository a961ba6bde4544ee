"""The site's URLs plus the benchmark's two reference pages (benchmark settings only)."""

from django.urls import include, path

from socialgov.benchmark import reference
from socialgov.urls import handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("benchmark/reference/", reference.bare_list, name="benchmark_reference"),
    path("benchmark/admin/", reference.admin_site.urls),
    path("", include("socialgov.urls")),
]

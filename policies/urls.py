from django.urls import include, path

from policies.views import content, manage, signing

# Each block belongs to one views module; keep additions in their block.
urlpatterns = [
    # manage: policies, versions, approval, ratification, redline, history
    *manage.urlpatterns,
    # signing: to sign, reading and signing, PDFs, verify, coverage, exports
    *signing.urlpatterns,
    # content: Word import, templates and adoption, reviews
    *content.urlpatterns,
    # declarations and exceptions (policies/declarations/)
    path("", include("policies.declarations.urls")),
]

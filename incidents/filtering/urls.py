from django.urls import path

from incidents.filtering.views import records, requests

urlpatterns = [
    path("", requests.filtering_home, name="filtering_home"),
    path("requests/new/", requests.filtering_request_new, name="filtering_request_new"),
    path("requests/<int:pk>/", requests.filtering_request_detail, name="filtering_request_detail"),
    path(
        "requests/<int:pk>/history/",
        requests.filtering_request_history,
        name="filtering_request_history",
    ),
    path(
        "requests/<int:pk>/review/",
        requests.filtering_request_review,
        name="filtering_request_review",
    ),
    path(
        "requests/<int:pk>/decide/",
        requests.filtering_request_decide,
        name="filtering_request_decide",
    ),
    path(
        "requests/<int:pk>/unblocked/",
        requests.filtering_request_unblocked,
        name="filtering_request_unblocked",
    ),
    path(
        "requests/<int:pk>/reblocked/",
        requests.filtering_request_reblocked,
        name="filtering_request_reblocked",
    ),
    path("log/", requests.filtering_log, name="filtering_log"),
    path("log.csv", requests.filtering_log_export, name="filtering_log_export"),
    path(
        "schools/<int:pk>/<slug:page>/",
        records.filtering_in_school,
        name="filtering_in_school",
    ),
    path("roles/", records.filtering_roles, name="filtering_roles"),
    path("checks/", records.filtering_checks, name="filtering_checks"),
    path("checks.csv", records.filtering_checks_export, name="filtering_checks_export"),
    path("checks/new/", records.filtering_check_new, name="filtering_check_new"),
    path("reviews/", records.filtering_reviews, name="filtering_reviews"),
    path("reviews/new/", records.filtering_review_new, name="filtering_review_new"),
    path(
        "reviews/new/out-of-cycle/",
        records.filtering_review_new_out_of_cycle,
        name="filtering_review_new_out_of_cycle",
    ),
    path("reviews/<int:pk>/", records.filtering_review_detail, name="filtering_review_detail"),
    path(
        "reviews/actions/<int:pk>/done/",
        records.filtering_review_action_done,
        name="filtering_review_action_done",
    ),
    path("reviews/<int:pk>/review.pdf", records.filtering_review_pdf, name="filtering_review_pdf"),
]

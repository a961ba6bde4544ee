from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from socialgov.access import public
from socialgov.dashboard.views import dashboard
from socialgov.health import healthz
from socialgov.people import password_reset
from socialgov.people import views as people_views

handler400 = "socialgov.errors.bad_request"
handler403 = "socialgov.errors.permission_denied"
handler404 = "socialgov.errors.page_not_found"
handler500 = "socialgov.errors.server_error"

password_reset_urls = [
    path(
        "password-reset/",
        public(password_reset.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        public(password_reset.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", people_views.sign_in, name="login"),
    path("accounts/logout/", people_views.sign_out, name="logout"),
    path("accounts/", include(password_reset_urls)),
    path("", include("socialgov.people.urls")),
    path("two-factor/", include("socialgov.twofactor.urls")),
    path("audit/", include("socialgov.audit.urls")),
    path("notifications/", include("socialgov.notifications.urls")),
    path("reminders/", include("socialgov.reminders.urls")),
    path("files/", include("socialgov.uploads.urls")),
    path("terms/", include("socialgov.terms.urls")),
    path("reports/", include("socialgov.reports.urls")),
    path("training/", include("socialgov.training.urls")),
    path("policies/", include("policies.urls")),
    path("consent/", include("consent.urls")),
    path("incidents/", include("incidents.urls")),
    path("official-accounts/", include("accounts_registry.urls")),
    path("admin/", admin.site.urls),
]

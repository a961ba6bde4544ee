from django.urls import path

from accounts_registry.views import posts, registry, requests, schools, takedowns

urlpatterns = [
    path("", registry.account_list, name="accounts_home"),
    path("schools/<int:pk>/<slug:page>/", schools.accounts_in_school, name="accounts_in_school"),
    path("<int:pk>/", registry.account_detail, name="accounts_account_detail"),
    path("<int:pk>/edit/", registry.account_edit, name="accounts_account_edit"),
    path("<int:pk>/history/", registry.account_history, name="accounts_account_history"),
    path("<int:pk>/people/add/", registry.member_add, name="accounts_member_add"),
    path("people/<int:pk>/remove/", registry.member_remove, name="accounts_member_remove"),
    path("<int:pk>/review/", registry.review_create, name="accounts_review_create"),
    path("<int:pk>/followers/", takedowns.follower_vetting, name="accounts_follower_vetting"),
    path("<int:pk>/posts/new/", posts.post_create, name="accounts_post_create"),
    # Requests (the approval form)
    path("requests/", requests.request_list, name="accounts_request_list"),
    path("requests/new/", requests.request_create, name="accounts_request_create"),
    path("requests/<int:pk>/", requests.request_detail, name="accounts_request_detail"),
    # Posts
    path("approvals/", posts.approval_queue, name="accounts_approval_queue"),
    path("posts/<int:pk>/", posts.post_detail, name="accounts_post_detail"),
    path("posts/<int:pk>/edit/", posts.post_edit, name="accounts_post_edit"),
    path("posts/<int:pk>/history/", posts.post_history, name="accounts_post_history"),
    path("posts/<int:pk>/<slug:action>/", posts.post_step, name="accounts_post_step"),
    path("images/<int:pk>/", posts.post_image, name="accounts_post_image"),
    # Takedowns and the leadership's logs
    path("takedowns/", takedowns.takedown_list, name="accounts_takedown_list"),
    path("takedowns/<int:pk>/", takedowns.takedown_detail, name="accounts_takedown_detail"),
    path("comments/", takedowns.comment_log, name="accounts_comment_log"),
]

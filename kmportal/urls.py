from django.contrib import admin
from django.urls import include, path

from apps.core import views as core_views
from apps.ops import views as ops_views

urlpatterns = [
    path("", include("apps.core.urls")),
    path("healthz", ops_views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("apps.accounts.urls")),
    path("experts/", include("apps.experts.urls")),
    path("library/", include("apps.library.urls")),
    # Meetings were pages of the plans app: their old addresses redirect to the new ones.
    path("plans/", include("apps.meetings.moved_urls")),
    path("plans/", include("apps.plans.urls")),
    path("meetings/", include("apps.meetings.urls")),
    path("knowledge/", include("apps.knowledge.urls")),
    path("communities/", include("apps.community.urls")),
    path("board/", include("apps.board.urls")),
    path("learning/", include("apps.learning.urls")),
    path("search/", include("apps.search.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("ops/", include("apps.ops.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("", include("apps.teams.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler500 = "apps.core.views.server_error"

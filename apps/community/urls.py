from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.CommunityListView.as_view(), name="list"),
    path("new/", views.CommunityCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CommunityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CommunityUpdateView.as_view(), name="update"),
    path("<int:pk>/join/", views.community_join, name="join"),
    path("<int:pk>/leave/", views.community_leave, name="leave"),
    path("<int:pk>/members/", views.MembersAddView.as_view(), name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/sessions/new/", views.SessionScheduleView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/notes/", views.SessionNotesView.as_view(), name="session_notes"),
    path("<int:pk>/assets/new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("assets/<int:pk>/", views.AssetDetailView.as_view(), name="asset"),
    path("assets/<int:pk>/edit/", views.AssetUpdateView.as_view(), name="asset_update"),
    path("assets/<int:pk>/promote/", views.asset_promote, name="asset_promote"),
]

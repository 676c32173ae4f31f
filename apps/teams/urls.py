from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("teams/", views.team_list, name="list"),
    path("teams/new/", views.team_edit, name="create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="update"),
    path("teams/<int:pk>/duties/", views.duties_edit, name="duties"),
    path("teams/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path("teams/memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("teams/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.order_edit, name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order_update"),
    path("orders/<int:pk>/scan/", views.order_scan, name="order_scan"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
]
